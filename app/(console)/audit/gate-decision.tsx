// The gate's decision on a request, as the event history and the live policy
// stream show it: a badge (allowed, denied, would be denied under report-only)
// and the deciding statement (policy name or ARN, and Sid or statement number).
import type { GateRecord } from "@/lib/iam/gate-record";

export type Outcome = "allowed" | "denied" | "would-be-denied" | "no-permission-needed";

const BADGE: Record<Outcome, { label: string; className: string }> = {
  allowed: { label: "Allowed", className: "bg-green-100 text-green-900 dark:bg-green-900 dark:text-green-100" },
  denied: { label: "Denied", className: "bg-red-100 text-red-900 dark:bg-red-900 dark:text-red-100" },
  "would-be-denied": { label: "Would be denied", className: "bg-amber-100 text-amber-950 ring-1 ring-amber-700 dark:bg-amber-900 dark:text-amber-50" },
  "no-permission-needed": { label: "No permission needed", className: "bg-neutral-100 text-neutral-800 dark:bg-neutral-800 dark:text-neutral-100" },
};

export function DecisionBadge({ outcome }: { outcome: Outcome }) {
  const b = BADGE[outcome];
  return (
    <span data-testid="decision" data-outcome={outcome} className={`whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-semibold ${b.className}`}>
      {b.label}
    </span>
  );
}

/** The deciding statement in words: "ReadOnlyAccess (arn:...), statement 1"; for an implicit deny, what was evaluated. */
export function decidingStatementText(r: GateRecord): string {
  if (r.policyName || r.policyId) {
    const policy = r.policyName && r.policyId && r.policyId !== r.policyName ? `${r.policyName} (${r.policyId})` : (r.policyName ?? r.policyId);
    return `${policy}${r.statement ? `, ${r.statement.startsWith("statement ") ? r.statement : `Sid ${r.statement}`}` : ""}`;
  }
  if (r.decision === "ImplicitlyDenied") {
    const kind = r.policyKind?.replace(/^an? /, "") ?? "policy";
    return `No ${kind} allows it${r.evaluated?.length ? ` (evaluated: ${r.evaluated.join(", ")})` : ""}`;
  }
  return r.reason ?? "-";
}

export function DecidingStatement({ record }: { record: GateRecord }) {
  return (
    <span data-testid="deciding-statement" className="text-xs [overflow-wrap:anywhere]">
      {record.policyKind && (record.policyName || record.policyId) && <span className="text-neutral-600 dark:text-neutral-300">{record.policyKind}: </span>}
      {decidingStatementText(record)}
    </span>
  );
}

/** Every check of one request: permission, decision and deciding statement. */
export function GateDecisions({ decisions }: { decisions: GateRecord[] }) {
  if (decisions.length === 0) return <span className="text-xs text-neutral-600 dark:text-neutral-300">No permission check recorded.</span>;
  return (
    <ul className="flex flex-col gap-1">
      {decisions.map((d, i) => (
        <li key={i} className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5 text-xs">
          <DecisionBadge outcome={d.decision === "Allowed" ? "allowed" : d.enforced ? "denied" : "would-be-denied"} />
          <span className="font-mono">{d.action}</span>
          <span className="text-neutral-600 dark:text-neutral-300">on</span>
          <span className="font-mono [overflow-wrap:anywhere]">{d.resource}</span>
          <span className="basis-full pl-1">
            <DecidingStatement record={d} />
          </span>
        </li>
      ))}
    </ul>
  );
}
