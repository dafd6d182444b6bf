"use client";
// Picks managed policies by searching their names (AWS's ~1,600 are too many to
// list): the chosen ones are submitted as hidden inputs named `name`.
import { useEffect, useId, useState } from "react";
import { searchPoliciesAction } from "@/app/(console)/iam/policies/actions";

export interface PickedPolicy {
  arn: string;
  name: string;
  awsManaged: boolean;
}

export function PolicyPicker({
  name,
  label,
  multiple = true,
  max = 10,
  initial = [],
  describedBy,
}: {
  name: string;
  label: string;
  multiple?: boolean;
  max?: number;
  initial?: PickedPolicy[];
  describedBy?: string;
}) {
  const id = useId();
  const [q, setQ] = useState("");
  const [results, setResults] = useState<PickedPolicy[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [picked, setPicked] = useState<PickedPolicy[]>(initial);

  useEffect(() => {
    let live = true;
    const t = setTimeout(async () => {
      const r = await searchPoliciesAction({ nameContains: q || undefined, pageSize: 20 });
      if (!live) return;
      if (r.ok) {
        setError(null);
        setResults(r.data.items.map((p) => ({ arn: p.arn, name: p.policyName, awsManaged: p.awsManaged })));
      } else setError(`${r.error.code}: ${r.error.message}`);
    }, 250);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [q]);

  const isPicked = (arn: string) => picked.some((p) => p.arn === arn);
  const toggle = (p: PickedPolicy) =>
    setPicked((now) => (now.some((x) => x.arn === p.arn) ? now.filter((x) => x.arn !== p.arn) : multiple ? (now.length >= max ? now : [...now, p]) : [p]));

  return (
    <div className="flex flex-col gap-2" role="group" aria-labelledby={`${id}-label`} aria-describedby={describedBy}>
      <p id={`${id}-label`} className="font-medium">
        {label}
      </p>
      {picked.map((p) => (
        <input key={p.arn} type="hidden" name={name} value={p.arn} />
      ))}
      {picked.length > 0 && (
        <p className="text-xs text-neutral-600 dark:text-neutral-300" aria-live="polite">
          Selected: {picked.map((p) => p.name).join(", ")}
          {multiple ? ` (${picked.length} of ${max})` : ""}
        </p>
      )}
      <label htmlFor={`${id}-search`} className="sr-only">
        Search {label.toLowerCase()}
      </label>
      <input
        id={`${id}-search`}
        type="search"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        onKeyDown={(e) => e.key === "Enter" && e.preventDefault()}
        placeholder="Search policies by name"
        className="w-80 rounded border border-neutral-300 px-2 py-1 dark:border-neutral-700 dark:bg-neutral-900"
      />
      {error && <p className="text-xs text-red-700 dark:text-red-400">{error}</p>}
      <ul className="max-h-64 overflow-y-auto rounded border border-neutral-200 dark:border-neutral-800">
        {results.map((p) => (
          <li key={p.arn} className="border-b border-neutral-100 px-2 py-1 last:border-0 dark:border-neutral-900">
            <label className="flex items-center gap-2">
              <input type="checkbox" checked={isPicked(p.arn)} onChange={() => toggle(p)} />
              <span>{p.name}</span>
              <span className="text-xs text-neutral-500">{p.awsManaged ? "AWS managed" : "Customer managed"}</span>
            </label>
          </li>
        ))}
        {results.length === 0 && !error && <li className="px-2 py-1 text-neutral-500">No policies match.</li>}
      </ul>
    </div>
  );
}
