"use client";
// Edit a customer-managed policy: saving creates a new version (optionally the
// default). When the policy already has 5 versions IAM refuses (LimitExceeded);
// the form then offers to delete the oldest non-default version and save again.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { PolicyEditor } from "@/components/iam/policy-editor";
import { PolicySummaryView } from "@/components/iam/policy-summary";
import { ResultBanner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import type { PolicyCheck } from "@/lib/actions/analyze-policy";
import { createPolicyVersionAction, deletePolicyVersionAction } from "../../actions";
import { useActionForm, type FormAction } from "@/components/ui/use-action-form";

export function EditPolicyForm({ policyArn, base, document, oldestNonDefault }: { policyArn: string; base: string; document: string; oldestNonDefault?: string }) {
  const router = useRouter();
  const [check, setCheck] = useState<PolicyCheck | null>(null);
  const save: FormAction<{ versionId: string }> = async (state, form) => {
    if (form.get("op") === "replace-oldest" && oldestNonDefault) {
      const deleted = await deletePolicyVersionAction({ policyArn, versionId: oldestNonDefault });
      if (!deleted.ok) return deleted;
    }
    return createPolicyVersionAction(state, form);
  };
  const { result, pending, onSubmit } = useActionForm(save, {
    refresh: false,
    onSuccess: (version) => router.push(`${base}?tab=versions&flash=version&v=${version.versionId}`),
  });
  const limitReached = result && !result.ok && result.error.code === "LimitExceeded" && oldestNonDefault;
  return (
    <form onSubmit={onSubmit} aria-label="Edit policy" className="flex flex-col gap-3">
      <ResultBanner result={result && !result.ok ? result : null} />
      {limitReached && (
        <div className="flex flex-wrap items-center gap-2 rounded border border-amber-400 bg-amber-50 p-3 dark:border-amber-700 dark:bg-amber-950">
          <span>
            To save, delete the oldest version that is not the default, <span className="font-mono font-semibold">{oldestNonDefault}</span>. Its ID is never reused.
          </span>
          <Button type="submit" name="op" value="replace-oldest" disabled={pending}>
            Delete {oldestNonDefault} and save
          </Button>
        </div>
      )}
      <input type="hidden" name="policyArn" value={policyArn} />
      <div className="grid gap-4 xl:grid-cols-[3fr_2fr]">
        <PolicyEditor name="policyDocument" label="Policy editor (JSON)" policyType="identity" defaultValue={document} height="360px" onCheck={setCheck} />
        <PolicySummaryView summary={check?.summary ?? null} />
      </div>
      <label className="flex items-center gap-2">
        <input type="checkbox" name="setAsDefault" value="true" defaultChecked /> Set the new version as the default
      </label>
      <div className="flex gap-2">
        <Button type="submit" name="op" value="save" disabled={pending}>
          {pending ? "Saving…" : "Save changes"}
        </Button>
        <Button variant="secondary" onClick={() => router.push(base)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
