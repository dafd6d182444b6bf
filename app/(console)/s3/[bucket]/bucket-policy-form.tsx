"use client";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useState } from "react";
import { deleteBucketPolicyAction, putBucketPolicyAction } from "./actions";
import { PolicyEditor } from "@/components/iam/policy-editor";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Refusal } from "@/components/s3/refusal";
import { useS3Action } from "@/components/s3/use-s3-action";

/** An example to start from: read access for this account's principals (their identity policies decide who). */
const template = (bucket: string, accountId: string) =>
  JSON.stringify(
    {
      Version: "2012-10-17",
      Statement: [{ Sid: "Statement1", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: "s3:GetObject", Resource: `arn:aws:s3:::${bucket}/*` }],
    },
    null,
    2,
  );

/** The bucket policy: edited with the policy editor (resource policy), saved or deleted. */
export function BucketPolicyForm({ bucket, policy, accountId }: { bucket: string; policy: string | null; accountId: string }) {
  const router = useRouter();
  const [state, submit, pending] = useActionState(putBucketPolicyAction, null);
  const remove = useS3Action(deleteBucketPolicyAction);
  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);
  const pretty = policy ? prettyJson(policy) : template(bucket, accountId);
  const [text, setText] = useState(pretty);
  return (
    <section aria-labelledby="policy-title" className="flex flex-col gap-2">
      <h2 id="policy-title" className="text-lg font-semibold">
        Bucket policy
      </h2>
      <p className="text-sm text-neutral-600 dark:text-neutral-300">
        {policy ? "The policy below is in effect." : "No bucket policy. The example below is not saved until you save it."} Principals in other accounts also
        need an identity policy that allows the action.
      </p>
      <Refusal
        result={state}
        success="Bucket policy saved."
        retry={putBucketPolicyAction.bind(null, { bucket, policy: text })}
        confirmText={bucket}
        what={<>the bucket policy of {bucket} (replaced by the policy in the editor)</>}
        actionLabel="Save policy as elevated role"
      />
      <Refusal
        result={remove.result}
        success="Bucket policy deleted."
        retry={deleteBucketPolicyAction.bind(null, { bucket })}
        confirmText={bucket}
        what={<>the bucket policy of {bucket} (deleted)</>}
        actionLabel="Delete policy as elevated role"
      />
      <form action={submit} className="flex flex-col gap-2">
        <input type="hidden" name="bucket" value={bucket} />
        <PolicyEditor name="policy" label="Policy" policyType="resource" defaultValue={pretty} height="280px" onChange={setText} />
        <div className="flex gap-2">
          <Button type="submit" disabled={pending}>
            {pending ? "Saving…" : "Save policy"}
          </Button>
          {policy && (
            <ConfirmDialog trigger="Delete policy" title={`Delete the bucket policy of ${bucket}?`} confirmText="delete" pending={remove.pending} onConfirm={() => remove.run({ bucket }).then(() => undefined)}>
              <p>Access that only this policy grants (for example to other accounts) ends when it is deleted.</p>
            </ConfirmDialog>
          )}
        </div>
      </form>
    </section>
  );
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
