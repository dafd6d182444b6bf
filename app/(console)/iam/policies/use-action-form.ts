"use client";
// One way for the IAM pages' forms to call a server action: the form is not
// reset (what was typed stays when the server refuses), the result is kept for
// the banner and the field errors, and the page's server data is refreshed
// after a success.
import { useRouter } from "next/navigation";
import { useCallback, useState, useTransition, type FormEvent } from "react";
import type { ActionResult } from "@/lib/iam/errors";

export type FormAction<T = unknown> = (state: unknown, form: FormData) => Promise<ActionResult<T>>;

export function useActionForm<T>(
  action: FormAction<T>,
  options: { onSuccess?: (data: T, form: FormData) => void; refresh?: boolean } = {},
) {
  const router = useRouter();
  const [result, setResult] = useState<ActionResult<T> | null>(null);
  const [submitted, setSubmitted] = useState<FormData | null>(null);
  const [pending, startTransition] = useTransition();
  const { onSuccess, refresh = true } = options;

  const submit = useCallback(
    (form: FormData) =>
      new Promise<ActionResult<T>>((resolve) =>
        startTransition(async () => {
          const r = await action(null, form);
          setResult(r);
          setSubmitted(form);
          if (r.ok) {
            onSuccess?.(r.data, form);
            if (refresh) router.refresh();
          }
          resolve(r);
        }),
      ),
    [action, onSuccess, refresh, router],
  );

  const onSubmit = useCallback(
    (e: FormEvent<HTMLFormElement>) => {
      e.preventDefault();
      const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLElement | null;
      void submit(new FormData(e.currentTarget, submitter));
    },
    [submit],
  );

  const errorsFor = (field: string): string[] | undefined => (result && !result.ok ? result.fieldErrors?.[field] : undefined);

  return { result, submitted, pending, submit, onSubmit, errorsFor, clear: () => setResult(null) };
}
