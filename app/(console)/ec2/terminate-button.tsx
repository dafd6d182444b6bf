"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { ResultBanner } from "@/components/ui/banner";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { ActionResult } from "@/lib/actions/action-result";
import { terminateInstanceAction } from "./actions";

export function TerminateInstanceButton({ instanceId, label }: { instanceId: string; label: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [result, setResult] = useState<ActionResult<unknown> | null>(null);
  return (
    <div className="flex flex-col gap-1">
      <ConfirmDialog
        trigger="Terminate"
        title={`Terminate ${label}?`}
        confirmText={instanceId}
        confirmLabel="Terminate"
        pending={pending}
        onConfirm={() =>
          start(async () => {
            const r = await terminateInstanceAction({ instanceId });
            setResult(r);
            if (r.ok) router.refresh();
          })
        }
      >
        <p>The instance stops, its metadata service closes, and the role credentials it was given stop working at once.</p>
      </ConfirmDialog>
      {result && !result.ok && <ResultBanner result={result} />}
    </div>
  );
}
