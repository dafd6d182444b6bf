"use client";
// Finding managed policies by name (AWS's ~1,600 are too many to list): the
// server returns the best matches (ListPolicies through the gate). Two modes:
// - checkboxes (`name`): the picks are submitted with the surrounding form as
//   hidden inputs named `name` (create user, create role, role boundary);
// - an action per match (`renderAction`): Attach, Add, Set as boundary...; the
//   matches already chosen show `chosenLabel` instead.
import { useEffect, useId, useState, useTransition } from "react";
import { searchPoliciesAction } from "@/lib/actions/policy-search";
import { ResultBanner } from "@/components/ui/banner";
import type { ActionResult } from "@/lib/actions/action-result";

export interface FoundPolicy {
  arn: string;
  policyName: string;
  awsManaged: boolean;
  description?: string;
}

type Found = ActionResult<{ items: FoundPolicy[]; isTruncated: boolean }>;

const typeOf = (p: FoundPolicy) => (p.awsManaged ? "AWS managed" : "Customer managed");

export function PolicyPicker({
  label,
  describedBy,
  name,
  multiple = true,
  max = 10,
  typeInCheckboxName = false,
  renderAction,
  isChosen = () => false,
  chosenLabel = "Attached",
  full = false,
}: {
  /** Names the search box. */
  label: string;
  describedBy?: string;
  /** Checkbox mode: the picked ARNs are submitted under this field name. */
  name?: string;
  /** Checkbox mode: more than one pick (up to `max`), or exactly one. */
  multiple?: boolean;
  max?: number;
  /** Checkbox mode: each checkbox is named "<policy> AWS managed" rather than just "<policy>". */
  typeInCheckboxName?: boolean;
  /** Action mode: what each match offers (a button or a small form). */
  renderAction?: (p: FoundPolicy) => React.ReactNode;
  /** Action mode: matches already chosen (attached, added) show `chosenLabel` instead of the action. */
  isChosen?: (arn: string) => boolean;
  chosenLabel?: string;
  /** The holder's limit is reached: say so next to the search. */
  full?: boolean;
}) {
  const id = useId();
  const [query, setQuery] = useState("");
  const [found, setFound] = useState<Found | null>(null);
  const [picked, setPicked] = useState<FoundPolicy[]>([]);
  const [searching, startSearch] = useTransition();

  useEffect(() => {
    let live = true;
    const q = query.trim();
    const timer = setTimeout(() => {
      startSearch(async () => {
        const r = await searchPoliciesAction({ nameContains: q || undefined, pageSize: 20 });
        if (!live) return;
        setFound(
          r.ok
            ? { ok: true, data: { items: r.data.items.map((p) => ({ arn: p.arn, policyName: p.policyName, awsManaged: p.awsManaged, description: p.description })), isTruncated: r.data.isTruncated } }
            : r,
        );
      });
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query]);

  const isPicked = (arn: string) => picked.some((p) => p.arn === arn);
  const toggle = (p: FoundPolicy) =>
    setPicked((now) => (now.some((x) => x.arn === p.arn) ? now.filter((x) => x.arn !== p.arn) : multiple ? (now.length >= max ? now : [...now, p]) : [p]));
  const limitReached = full || (name !== undefined && multiple && picked.length >= max);

  return (
    <div className="flex flex-col gap-2">
      <label htmlFor={`${id}-search`} className="font-medium">
        {label}
      </label>
      <input
        id={`${id}-search`}
        type="search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => e.key === "Enter" && e.preventDefault()}
        placeholder="Part of a policy name, e.g. ReadOnly"
        aria-describedby={describedBy}
        className="w-80 rounded border border-neutral-300 px-2 py-1.5 dark:border-neutral-700 dark:bg-neutral-900"
      />
      {name && picked.map((p) => <input key={p.arn} type="hidden" name={name} value={p.arn} />)}
      {name && picked.length > 0 && (
        <p className="text-sm" aria-live="polite">
          Selected: {picked.map((p) => p.policyName).join(", ")}
          {multiple ? ` (${picked.length} of ${max})` : ""}
        </p>
      )}
      {limitReached && <p className="text-xs text-amber-700 dark:text-amber-400">The limit of {max} managed policies is reached: remove one before adding another.</p>}
      {found && !found.ok && <ResultBanner result={found} />}
      {found?.ok && (
        <ul aria-label="Matching policies" aria-busy={searching} className="max-h-72 overflow-y-auto rounded border border-neutral-200 dark:border-neutral-800">
          {found.data.items.length === 0 && (
            <li className="px-2 py-1.5 text-sm text-neutral-600 dark:text-neutral-300">{query.trim() ? `No policy name contains "${query.trim()}".` : "No policies found."}</li>
          )}
          {found.data.items.map((p) => (
            <li key={p.arn} className="flex items-center justify-between gap-2 border-b border-neutral-100 px-2 py-1 last:border-0 dark:border-neutral-900">
              <span className="min-w-0">
                {name ? (
                  <label className="flex items-center gap-2">
                    <input type="checkbox" checked={isPicked(p.arn)} disabled={!isPicked(p.arn) && limitReached} onChange={() => toggle(p)} />
                    <span className="font-medium">{p.policyName}</span>
                    {typeInCheckboxName && <span className="text-xs text-neutral-500">{typeOf(p)}</span>}
                  </label>
                ) : (
                  <span className="font-medium">{p.policyName}</span>
                )}
                {p.description && <span className="block truncate text-xs text-neutral-500">{p.description}</span>}
              </span>
              <span className="flex shrink-0 items-center gap-2 text-xs text-neutral-500">
                {!(name && typeInCheckboxName) && typeOf(p)}
                {renderAction && (isChosen(p.arn) ? <span>{chosenLabel}</span> : renderAction(p))}
              </span>
            </li>
          ))}
          {found.data.isTruncated && <li className="px-2 py-1 text-xs text-neutral-500">More policies match: type more of the name.</li>}
        </ul>
      )}
    </div>
  );
}
