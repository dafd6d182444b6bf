"use client";
// Managed policies attached to a user, group or role: the list with Detach, and
// a picker that searches the account's and AWS's policies by name to attach one.
// Generic over the holder: the page passes the holder's field (userName,
// groupName or roleName) and its attach/detach server actions.
import Link from "next/link";
import { useEffect, useState, useTransition } from "react";
import { searchPoliciesAction } from "@/app/(console)/iam/policies/actions";
import { policyHref } from "@/components/ui/format";
import { useActionForm, type FormAction } from "@/components/ui/use-action-form";
import { Banner, ResultBanner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/panels";
import type { ActionResult } from "@/lib/iam/errors";

export interface AttachedPolicyItem {
  policyName: string;
  policyArn: string;
  awsManaged: boolean;
}

type Found = { policyName: string; arn: string; awsManaged: boolean; description: string };

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
      {result?.ok ? <Banner kind="success">{done}</Banner> : <ResultBanner result={result} />}
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
        isAttached={(arn) => attachedArns.has(arn)}
        full={attached.length >= limit}
        renderAttach={(p) => (
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

/** Search managed policies by name; each match offers what renderAttach renders. */
export function PolicyPicker({
  isAttached,
  full,
  renderAttach,
  label = "Search policies to attach",
  attachedLabel = "Attached",
}: {
  isAttached: (arn: string) => boolean;
  full?: boolean;
  renderAttach: (p: Found) => React.ReactNode;
  label?: string;
  /** What a match already chosen shows instead of the attach control. */
  attachedLabel?: string;
}) {
  const [query, setQuery] = useState("");
  const [found, setFound] = useState<ActionResult<{ items: Found[]; isTruncated: boolean }> | null>(null);
  const [searching, startSearch] = useTransition();
  useEffect(() => {
    const timer = setTimeout(() => {
      startSearch(async () => {
        const r = await searchPoliciesAction({ nameContains: query || undefined, pageSize: 20 });
        setFound(r.ok ? { ok: true, data: { items: r.data.items.map((p) => ({ policyName: p.policyName, arn: p.arn, awsManaged: p.awsManaged, description: p.description })), isTruncated: r.data.isTruncated } } : r);
      });
    }, 250);
    return () => clearTimeout(timer);
  }, [query]);
  return (
    <div className="flex flex-col gap-2 rounded border border-neutral-200 p-3 dark:border-neutral-800">
      <label htmlFor="policy-picker-search" className="font-medium">
        {label}
      </label>
      <input
        id="policy-picker-search"
        type="search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        placeholder="e.g. ReadOnly"
        className="w-80 rounded border border-neutral-300 px-2 py-1 dark:border-neutral-700 dark:bg-neutral-900"
      />
      {full && <p className="text-xs text-amber-700 dark:text-amber-400">The limit of attached managed policies is reached: detach one before attaching another.</p>}
      {found && !found.ok && <ResultBanner result={found} />}
      {found?.ok && (
        <ul aria-label="Matching policies" aria-busy={searching} className="flex max-h-72 flex-col overflow-y-auto">
          {found.data.items.length === 0 && <li className="text-neutral-600 dark:text-neutral-300">No policy name contains &quot;{query}&quot;.</li>}
          {found.data.items.map((p) => (
            <li key={p.arn} className="flex items-center justify-between gap-2 border-b border-neutral-100 py-1 dark:border-neutral-900">
              <span className="min-w-0">
                <span className="font-medium">{p.policyName}</span>{" "}
                <span className="text-xs text-neutral-500">{p.awsManaged ? "AWS managed" : "Customer managed"}</span>
                {p.description && <span className="block truncate text-xs text-neutral-500">{p.description}</span>}
              </span>
              {isAttached(p.arn) ? <span className="text-xs text-neutral-500">{attachedLabel}</span> : renderAttach(p)}
            </li>
          ))}
          {found.data.isTruncated && <li className="py-1 text-xs text-neutral-500">More policies match: type more of the name.</li>}
        </ul>
      )}
    </div>
  );
}
