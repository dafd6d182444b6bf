"use client";
import { useRouter } from "next/navigation";
import { useCallback, useState, useTransition } from "react";
import type { ActionResult } from "@/lib/actions/action-result";

/**
 * Runs a server action from a button (not a form): keeps the last result for
 * the banner, and refreshes the page's server data after a success.
 */
export function useS3Action<I, T>(action: (input: I) => Promise<ActionResult<T>>) {
  const router = useRouter();
  const [result, setResult] = useState<ActionResult<T> | null>(null);
  const [pending, startTransition] = useTransition();
  const run = useCallback(
    (input: I) =>
      new Promise<ActionResult<T>>((resolve) =>
        startTransition(async () => {
          const r = await action(input);
          setResult(r);
          if (r.ok) router.refresh();
          resolve(r);
        }),
      ),
    [action, router],
  );
  return { result, setResult, pending, run };
}
