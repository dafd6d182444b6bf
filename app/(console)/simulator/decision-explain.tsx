"use client";
// Why the engine decided what it did: each evaluated policy, statement by
// statement (did the action, resource, principal and every condition match, and
// why), and the policy text with the decisive statements highlighted.
import { useState } from "react";
import { PolicyEditor } from "@/components/iam/policy-editor";
import type { ConditionExplain, Decision, DecisiveStatement, EvaluatedPolicyType, PolicyExplain, StatementExplain } from "@/lib/iam/policy/types";
import type { SimulatedPolicy, SimulationResultRow } from "@/lib/iam/services/simulator";
import { orgLevelName } from "@/lib/iam/policy/org-level";

const TYPE_LABEL: Record<EvaluatedPolicyType, string> = {
  identity: "Identity-based policy",
  boundary: "Permissions boundary",
  session: "Session policy",
  resource: "Resource-based policy",
  scp: "Service control policy",
};

const BADGE: Record<Decision, string> = {
  Allowed: "bg-green-100 text-green-900 border-green-700 dark:bg-green-950 dark:text-green-100",
  ExplicitlyDenied: "bg-red-100 text-red-900 border-red-700 dark:bg-red-950 dark:text-red-100",
  ImplicitlyDenied: "bg-amber-50 text-amber-900 border-amber-700 dark:bg-amber-950 dark:text-amber-100",
};

export function DecisionBadge({ decision }: { decision: Decision }) {
  return (
    <span data-testid="decision" className={`inline-block rounded border px-1.5 py-0.5 font-mono text-xs font-semibold ${BADGE[decision]}`}>
      {decision}
    </span>
  );
}

const isDecisive = (d: DecisiveStatement[], pe: PolicyExplain, s: StatementExplain) =>
  d.some((x) => x.policyType === pe.policyType && x.policyId === pe.policyId && x.statementIndex === s.statementIndex && (x.orgIdentifier ?? "") === (pe.orgIdentifier ?? ""));

function Match({ matched, what }: { matched: boolean; what: string }) {
  return matched ? (
    <span className="text-green-800 dark:text-green-300">
      <span aria-hidden>✓ </span>
      {what}
    </span>
  ) : (
    <span className="text-red-800 dark:text-red-300">
      <span aria-hidden>✗ </span>
      {what}
    </span>
  );
}

function part(p: { matched: boolean; pattern?: string; not?: boolean } | undefined, noun: string) {
  if (!p) return <span className="text-neutral-500">not used</span>;
  const via = p.pattern ? ` (${p.not ? "Not" : ""}${noun} ${p.pattern})` : "";
  if (p.not) return <Match matched={p.matched} what={p.matched ? `not excluded${via}` : `excluded${via}`} />;
  return <Match matched={p.matched} what={p.matched ? `matches${via}` : "no pattern matches"} />;
}

function ConditionLine({ c }: { c: ConditionExplain }) {
  const request = c.contextValues === "key missing" ? "key missing from the request" : `request has ${JSON.stringify(c.contextValues)}`;
  return (
    <li>
      <Match matched={c.matched} what={`${c.operator} ${c.key}: policy wants ${JSON.stringify(c.policyValues)}, ${request}`} />
      {c.note && <span className="ml-1 text-amber-800 dark:text-amber-300">({c.note})</span>}
    </li>
  );
}

/**
 * The editor shows text with \n line ends, while the engine's spans count each \r of a
 * stored \r\n (a form posts its text with \r\n): shift the spans to the text shown.
 */
function shownText(text: string, spans: { start: number; end: number }[]) {
  if (!text.includes("\r")) return { text, ranges: spans.map((s) => ({ from: s.start, to: s.end })) };
  const crBefore = (offset: number) => (text.slice(0, offset).match(/\r(?=\n)/g) ?? []).length;
  const shown = text.replace(/\r\n/g, "\n");
  const clamp = (n: number) => Math.max(0, Math.min(shown.length, n));
  return { text: shown, ranges: spans.map((s) => ({ from: clamp(s.start - crBefore(s.start)), to: clamp(s.end - crBefore(s.end)) })) };
}

function PolicyBlock({ pe, policy, decisive }: { pe: PolicyExplain; policy?: SimulatedPolicy; decisive: DecisiveStatement[] }) {
  const decisiveHere = pe.statements.filter((s) => isDecisive(decisive, pe, s));
  const [showText, setShowText] = useState(decisiveHere.length > 0);
  const title = `${TYPE_LABEL[pe.policyType]}: ${policy?.name ?? pe.policyId}`;
  const shown = policy ? shownText(policy.text, decisiveHere.map((s) => s.span)) : null;
  return (
    <section aria-label={title} className="rounded border border-neutral-200 p-3 dark:border-neutral-800">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h4 className="font-semibold">
          {title}
          {pe.versionId && <span className="ml-1 font-normal text-neutral-500">({pe.versionId})</span>}
          {pe.orgIdentifier && <span className="ml-1 font-normal text-neutral-500">attached to {orgLevelName(pe.orgIdentifier)}</span>}
          {policy?.custom && <span className="ml-1 font-normal text-neutral-500">(pasted)</span>}
        </h4>
        {policy && (
          <button type="button" onClick={() => setShowText((v) => !v)} className="text-accent text-xs underline" aria-expanded={showText}>
            {showText ? "Hide policy text" : "Show policy text"}
          </button>
        )}
      </div>
      {pe.error && <p className="mt-1 text-red-800 dark:text-red-300">This policy could not be parsed ({pe.error}): it denies every request it governs.</p>}
      {pe.statements.length > 0 && (
        <table className="mt-2 w-full border-collapse text-left text-xs">
          <caption className="sr-only">Statements of {title}</caption>
          <thead>
            <tr className="border-b border-neutral-200 dark:border-neutral-800">
              <th scope="col" className="py-1 pr-2">Statement</th>
              <th scope="col" className="py-1 pr-2">Action</th>
              <th scope="col" className="py-1 pr-2">Resource</th>
              {pe.policyType === "resource" && <th scope="col" className="py-1 pr-2">Principal</th>}
              <th scope="col" className="py-1 pr-2">Conditions</th>
              <th scope="col" className="py-1">Applies</th>
            </tr>
          </thead>
          <tbody>
            {pe.statements.map((s) => {
              const key = isDecisive(decisive, pe, s);
              return (
                <tr key={s.statementIndex} data-decisive={key || undefined} className={`border-b border-neutral-100 align-top dark:border-neutral-900 ${key ? "bg-yellow-50 dark:bg-yellow-950" : ""}`}>
                  <td className="py-1 pr-2">
                    <span className="font-mono">{s.sid ?? `#${s.statementIndex + 1}`}</span> {s.effect}
                    {key && <span className="ml-1 rounded bg-yellow-200 px-1 font-semibold text-yellow-950">Decisive</span>}
                  </td>
                  <td className="py-1 pr-2">{part(s.action, "Action")}</td>
                  <td className="py-1 pr-2">{part(s.resource, "Resource")}</td>
                  {pe.policyType === "resource" && <td className="py-1 pr-2">{part(s.principal, "Principal")}</td>}
                  <td className="py-1 pr-2">
                    {s.conditions.length ? (
                      <ul className="flex flex-col gap-0.5">
                        {s.conditions.map((c, i) => (
                          <ConditionLine key={i} c={c} />
                        ))}
                      </ul>
                    ) : (
                      <span className="text-neutral-500">none</span>
                    )}
                  </td>
                  <td className="py-1">{s.applies ? <strong>Yes ({s.effect})</strong> : "No"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {showText && policy && shown && (
        <div className="mt-2">
          <PolicyEditor
            key={policy.key + decisiveHere.map((s) => s.statementIndex).join(",")}
            label={`${policy.name} policy text${decisiveHere.length ? " (decisive statements highlighted)" : ""}`}
            policyType={pe.policyType === "scp" ? "scp" : pe.policyType === "resource" ? "resource" : pe.policyType === "boundary" ? "boundary" : "identity"}
            defaultValue={shown.text}
            readOnly
            height={shown.text.split("\n").length > 30 ? "400px" : "auto"}
            highlight={shown.ranges}
          />
        </div>
      )}
    </section>
  );
}

/** The expandable explanation of one decision (one action on one resource). */
export function DecisionExplain({ result, policies, defaultOpen = false }: { result: SimulationResultRow; policies: SimulatedPolicy[]; defaultOpen?: boolean }) {
  const byKey = new Map(policies.map((p) => [p.key, p]));
  // Decisive policies first, then the others in the order they were evaluated.
  const ordered = [...result.explain].sort(
    (a, b) => Number(b.statements.some((s) => isDecisive(result.decisive, b, s))) - Number(a.statements.some((s) => isDecisive(result.decisive, a, s))),
  );
  return (
    <details open={defaultOpen} className="rounded border border-neutral-200 dark:border-neutral-800">
      <summary className="cursor-pointer px-3 py-1.5 text-sm font-medium">
        Explanation for {result.action} on {result.resource}
      </summary>
      <div className="flex flex-col gap-3 p-3">
        <p data-testid="decision-reason">
          <DecisionBadge decision={result.decision} /> <span className="ml-1">{result.reason}</span>
        </p>
        {result.decision === "ImplicitlyDenied" && result.decisive.length === 0 && (
          <p className="text-neutral-600 dark:text-neutral-300">No statement decided this: nothing that applies allows the request, so it is denied by default.</p>
        )}
        {result.alsoNeeds && <p className="text-neutral-600 dark:text-neutral-300">{result.alsoNeeds}</p>}
        {result.gateDisagrees && (
          <p role="note" className="rounded border border-red-700 bg-red-50 p-2 text-red-900 dark:bg-red-950 dark:text-red-100">
            {result.gateDisagrees}
          </p>
        )}
        {ordered.length === 0 && <p className="text-neutral-600 dark:text-neutral-300">No policy applies to this principal.</p>}
        {ordered.map((pe, i) => (
          <PolicyBlock key={`${pe.policyType}|${pe.policyId}|${pe.orgIdentifier ?? ""}|${i}`} pe={pe} policy={byKey.get(`${pe.policyType}|${pe.policyId}`)} decisive={result.decisive} />
        ))}
      </div>
    </details>
  );
}
