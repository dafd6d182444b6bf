"use client";
// Managed policies attached to a user, group or role: the list with Detach, and
// a picker that searches the account's and AWS's policies by name to attach one.
// Generic over the holder: the page passes the holder's field (userName,
// groupName or roleName) and its attach/detach server actions.
import Link from "next/link";
import { useState } from "react";
import { policyHref } from "@/components/ui/format";
import { useActionForm, type FormAction } from "@/components/ui/use-action-form";
import { ResultBanner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/panels";
import { PolicyPicker } from "@/components/iam/policy-picker";

export interface AttachedPolicyItem {
  policyName: string;
  policyArn: string;
  awsManaged: boolean;
}

export function AttachedPolicies({
  holderField,
  holderName,
  attached,
  attach,
  detach,
  limit = 10,
}: {
  holderField: "userName" | "groupName" | "roleName";
  holderName: string;
  attached: AttachedPolicyItem[];
  attach: FormAction;
  detach: FormAction;
  limit?: number;
}) {
  const [done, setDone] = useState<string | null>(null);
  const run: FormAction = async (state, form) => {
    const detaching = form.get("op") === "detach";
    const r = await (detaching ? detach : attach)(state, form);
    setDone(r.ok ? `${detaching ? "Detached" : "Attached"} ${form.get("policyName")}.` : null);
    return r;
  };
  const { result, pending, onSubmit } = useActionForm(run);
  const attachedArns = new Set(attached.map((p) => p.policyArn));

  const hidden = (p: { policyName: string; policyArn: string }, op: "attach" | "detach") => (
    <>
      <input type="hidden" name={holderField} value={holderName} />
      <input type="hidden" name="policyArn" value={p.policyArn} />
      <input type="hidden" name="policyName" value={p.policyName} />
      <input type="hidden" name="op" value={op} />
    </>
  );

  return (
    <section aria-labelledby="attached-policies-title" className="flex flex-col gap-3">
      <h2 id="attached-policies-title" className="text-lg font-semibold">
        Permissions policies ({attached.length} of {limit})
      </h2>
      <ResultBanner result={result} success={done} />
      {attached.length === 0 ? (
        <EmptyState title="No managed policies attached">Search below and attach one to grant permissions.</EmptyState>
      ) : (
        <table className="w-full border-collapse text-left">
          <caption className="sr-only">Attached managed policies</caption>
          <thead>
            <tr className="border-b border-neutral-200 dark:border-neutral-800">
              <th scope="col" className="px-2 py-1.5">Policy name</th>
              <th scope="col" className="px-2 py-1.5">Type</th>
              <th scope="col" className="px-2 py-1.5"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {attached.map((p) => (
              <tr key={p.policyArn} className="border-b border-neutral-100 dark:border-neutral-900">
                <td className="px-2 py-1.5">
                  <Link href={policyHref(p.policyArn)} className="text-accent hover:underline">
                    {p.policyName}
                  </Link>
                </td>
                <td className="px-2 py-1.5">{p.awsManaged ? "AWS managed" : "Customer managed"}</td>
                <td className="px-2 py-1.5 text-right">
                  <form onSubmit={onSubmit}>
                    {hidden(p, "detach")}
                    <Button type="submit" variant="secondary" disabled={pending} aria-label={`Detach ${p.policyName}`}>
                      Detach
                    </Button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <PolicyPicker
        label="Search policies to attach"
        max={limit}
        isChosen={(arn) => attachedArns.has(arn)}
        full={attached.length >= limit}
        renderAction={(p) => (
          <form onSubmit={onSubmit}>
            {hidden({ policyName: p.policyName, policyArn: p.arn }, "attach")}
            <Button type="submit" variant="secondary" disabled={pending} aria-label={`Attach ${p.policyName}`}>
              Attach
            </Button>
          </form>
        )}
      />
    </section>
  );
}
