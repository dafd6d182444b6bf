"use client";
// Finding a managed policy among ~1,600: type part of its name, the server
// returns the first matches (ListPolicies through the gate). Either a checkbox
// list whose picks are submitted as `name`, or an action button per match.
import { useEffect, useState, useTransition } from "react";
import type { ActionResult } from "@/lib/iam/errors";
import type { PolicyView } from "@/lib/iam/services/policies";
import type { Page } from "@/lib/iam/services/groups";

export type PolicySearch = (input: { nameContains?: string; pageSize?: number }) => Promise<ActionResult<Page<PolicyView>>>;
type Picked = { arn: string; name: string };

const SHOWN = 20;

/** The exact name first, then names starting with the text, then the rest (each alphabetical). */
function rank(items: PolicyView[], q: string): PolicyView[] {
  const lower = q.toLowerCase();
  const score = (p: PolicyView) => {
    const n = p.policyName.toLowerCase();
    return n === lower ? 0 : n.startsWith(lower) ? 1 : 2;
  };
  return [...items].sort((a, b) => score(a) - score(b) || a.policyName.localeCompare(b.policyName));
}

export function PolicyPicker({
  search,
  name,
  label = "Search policies",
  action,
  exclude = [],
}: {
  search: PolicySearch;
  /** Checkbox mode: picked ARNs are submitted under this field name. */
  name?: string;
  label?: string;
  /** Button mode: what each match offers instead of a checkbox. */
  action?: (p: Picked) => React.ReactNode;
  /** ARNs not to offer (already attached). */
  exclude?: string[];
}) {
  const [query, setQuery] = useState("");
  const [result, setResult] = useState<ActionResult<Page<PolicyView>> | null>(null);
  const [picked, setPicked] = useState<Picked[]>([]);
  const [loading, start] = useTransition();
  useEffect(() => {
    const q = query.trim();
    const t = setTimeout(() => start(async () => setResult(await search({ nameContains: q || undefined, pageSize: q ? 200 : SHOWN }))), 250);
    return () => clearTimeout(t);
  }, [query, search]);
  const all = result?.ok ? rank(result.data.items.filter((p) => !exclude.includes(p.arn)), query.trim()) : [];
  const matches = all.slice(0, SHOWN);
  const toggle = (p: Picked, on: boolean) => setPicked((cur) => (on ? [...cur, p] : cur.filter((x) => x.arn !== p.arn)));
  const id = `policy-search-${name ?? "attach"}`;
  return (
    <div className="flex flex-col gap-2">
      <label htmlFor={id} className="font-medium">
        {label}
      </label>
      <input
        id={id}
        type="search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        placeholder="Part of a policy name, e.g. ReadOnly"
        className="w-80 rounded border border-neutral-300 px-2 py-1.5 dark:border-neutral-700 dark:bg-neutral-900"
      />
      {name && picked.length > 0 && (
        <p className="text-sm">
          Selected: {picked.map((p) => p.name).join(", ")}
        </p>
      )}
      {name && picked.map((p) => <input key={p.arn} type="hidden" name={name} value={p.arn} />)}
      {result && !result.ok && (
        <p className="text-sm text-red-700 dark:text-red-400">
          <span className="font-mono">{result.error.code}</span> {result.error.message}
        </p>
      )}
      <ul aria-label="Matching policies" aria-busy={loading} className="max-h-72 overflow-y-auto rounded border border-neutral-200 dark:border-neutral-800">
        {matches.length === 0 && <li className="px-2 py-1.5 text-sm text-neutral-500">{loading ? "Searching…" : "No matching policy."}</li>}
        {all.length > SHOWN && (
          <li className="px-2 py-1 text-xs text-neutral-500">
            Showing {SHOWN} of {result?.ok && result.data.isTruncated ? "many" : all.length} matches: type more of the name to narrow them.
          </li>
        )}
        {matches.map((p) => {
          const item = { arn: p.arn, name: p.policyName };
          return (
            <li key={p.arn} className="flex items-center justify-between gap-2 border-b border-neutral-100 px-2 py-1 last:border-0 dark:border-neutral-900">
              {name ? (
                <label className="flex items-center gap-2">
                  <input type="checkbox" checked={picked.some((x) => x.arn === p.arn)} onChange={(e) => toggle(item, e.target.checked)} />
                  <span>{p.policyName}</span>
                </label>
              ) : (
                <span>{p.policyName}</span>
              )}
              <span className="flex items-center gap-2 text-xs text-neutral-500">
                {p.awsManaged ? "AWS managed" : "Customer managed"}
                {action?.(item)}
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
