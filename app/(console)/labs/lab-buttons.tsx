"use client";
// Start a lab; reset or delete a sandbox (the latter behind the typed confirmation).
import { useRouter } from "next/navigation";
import { ResultBanner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { ActionButton, ConfirmActionButton } from "@/components/ui/flash";
import { useActionForm } from "@/components/ui/use-action-form";
import { deleteSandboxAction, resetSandboxAction, startLabAction } from "./actions";

export function StartLabButton({ labId, title }: { labId: string; title: string }) {
  const router = useRouter();
  const { onSubmit, pending, result } = useActionForm(startLabAction, { refresh: false, onSuccess: (data) => router.push(`/labs/${data.sandboxId}`) });
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-2">
      <input type="hidden" name="labId" value={labId} />
      <Button type="submit" disabled={pending} aria-label={`Start lab: ${title}`}>
        {pending ? "Starting…" : "Start lab"}
      </Button>
      {result && !result.ok && <ResultBanner result={result} success={null} />}
    </form>
  );
}

export function SandboxActions({ sandboxId, label, afterDelete }: { sandboxId: string; label: string; afterDelete?: string }) {
  const router = useRouter();
  return (
    <div className="flex gap-2">
      <ActionButton action={resetSandboxAction} values={{ sandboxId }} label="Reset" ariaLabel={`Reset ${label}`} success={<>Sandbox {label} is back at the lab&apos;s initial state.</>} />
      <ConfirmActionButton
        action={deleteSandboxAction}
        values={{ sandboxId }}
        trigger="Delete"
        title={`Delete sandbox ${sandboxId}?`}
        confirmText={sandboxId}
        success={<>Sandbox {label} deleted.</>}
        after={() => (afterDelete ? router.push(afterDelete) : router.refresh())}
      >
        <p>Its organization, accounts, users, roles, policies, buckets, objects and event history are deleted for good.</p>
      </ConfirmActionButton>
    </div>
  );
}
