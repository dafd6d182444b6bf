"use client";
// The policy's header actions: edit (a new version) and delete.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { ResultBanner } from "@/components/ui/banner";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { deletePolicyAction } from "../../actions";
import { useActionForm } from "@/components/ui/use-action-form";

export function PolicyActions({ policyArn, policyName, editHref }: { policyArn: string; policyName: string; editHref: string }) {
  const router = useRouter();
  const remove = useActionForm(deletePolicyAction, { refresh: false, onSuccess: () => router.push(`/iam/policies?deleted=${encodeURIComponent(policyName)}`) });
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex gap-2">
        <Link href={editHref} className="rounded bg-accent px-3 py-1.5 text-sm font-medium text-white hover:bg-accent-strong">
          Edit
        </Link>
        <ConfirmDialog
          trigger="Delete policy"
          title={`Delete policy ${policyName}?`}
          confirmText={policyName}
          pending={remove.pending}
          onConfirm={async () => {
            const form = new FormData();
            form.set("policyArn", policyArn);
            await remove.submit(form);
          }}
        >
          <p>
            Deleting <span className="font-mono">{policyArn}</span> cannot be undone. IAM refuses while the policy is attached to users, groups or roles, or
            has versions other than the default: detach it and delete those versions first.
          </p>
        </ConfirmDialog>
      </div>
      <ResultBanner result={remove.result && !remove.result.ok ? remove.result : null} />
    </div>
  );
}
