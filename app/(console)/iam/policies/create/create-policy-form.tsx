"use client";
// Create a customer-managed policy: the JSON editor with IAM's findings as you
// type and the policy summary beside it, then name, description, path and tags.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { PolicyEditor } from "@/components/iam/policy-editor";
import { PolicySummaryView } from "@/components/iam/policy-summary";
import { TagRows } from "@/components/iam/tags-editor";
import { ResultBanner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import type { PolicyCheck } from "@/lib/actions/analyze-policy";
import { createPolicyAction } from "../actions";
import { TAG_RULES } from "@/lib/actions/form-input";
import { policyHref } from "@/components/ui/format";
import { useActionForm } from "@/components/ui/use-action-form";

/** `initialDocument`: a policy to start from (one generated from activity); the blank policy otherwise. */
export function CreatePolicyForm({ initialDocument }: { initialDocument?: string } = {}) {
  const router = useRouter();
  const [check, setCheck] = useState<PolicyCheck | null>(null);
  const { result, pending, onSubmit, errorsFor } = useActionForm(createPolicyAction, {
    refresh: false,
    onSuccess: (policy) => router.push(`${policyHref(policy.arn)}?flash=created`),
  });
  return (
    <form onSubmit={onSubmit} aria-label="Create policy" className="flex flex-col gap-4">
      <ResultBanner result={result && !result.ok ? result : null} />
      <div className="grid gap-4 xl:grid-cols-[3fr_2fr]">
        <div className="flex flex-col gap-1">
          <PolicyEditor name="policyDocument" label="Policy editor (JSON)" policyType="identity" height="360px" onCheck={setCheck} defaultValue={initialDocument} />
          {errorsFor("policyDocument") && <p className="text-xs text-red-700 dark:text-red-400">{errorsFor("policyDocument")!.join(" ")}</p>}
          <p className="text-xs text-neutral-500">Up to 6,144 characters, whitespace not counted.</p>
        </div>
        <PolicySummaryView summary={check?.summary ?? null} />
      </div>
      <div className="grid max-w-3xl gap-3">
        <Field label="Policy name" name="policyName" rule="Up to 128 characters: letters, digits and +=,.@_-" maxLength={128} required errors={errorsFor("policyName")} />
        <Field label="Description" name="description" rule="Optional, up to 1,000 characters. It cannot be changed later." maxLength={1000} errors={errorsFor("description")} />
        <Field label="Path" name="path" defaultValue="/" rule='Optional. "/" or text between slashes, e.g. /division_abc/.' maxLength={512} errors={errorsFor("path")} />
        <fieldset className="flex flex-col gap-2">
          <legend className="font-medium">Tags (optional)</legend>
          <p className="text-xs text-neutral-500">
            Key: {TAG_RULES.key} Value: {TAG_RULES.value}
          </p>
          <TagRows errorsFor={errorsFor} />
        </fieldset>
      </div>
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create policy"}
        </Button>
        <Button variant="secondary" onClick={() => router.push("/iam/policies")}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
