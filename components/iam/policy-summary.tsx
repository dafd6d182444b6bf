// A policy summary as AWS's console shows it: per service, what is allowed (or
// denied), the access level (Full access, or Limited: List, Read, ...), the
// resources and the request conditions; the actions behind each level on demand.
// Presentational only: the summary comes from the policy engine (the editor's
// check, or summarizePolicy on the server).
import type { PolicySummary, ServiceSummary } from "@/lib/iam/policy/types";

export function PolicySummaryView({ summary, title = "Policy summary" }: { summary: PolicySummary | null; title?: string }) {
  return (
    <section aria-label={title} data-testid="policy-summary" className="flex flex-col gap-2 rounded border border-neutral-200 p-3 dark:border-neutral-800">
      <h3 className="font-semibold">{title}</h3>
      {!summary ? (
        <p className="text-sm text-neutral-500">The summary appears when the policy is valid JSON that IAM accepts.</p>
      ) : (
        <>
          {(["Allow", "Deny"] as const).map((effect) => {
            const rows = summary.services.filter((s) => s.effect === effect);
            if (rows.length === 0) return null;
            return <EffectTable key={effect} effect={effect} rows={rows} />;
          })}
          {summary.services.length === 0 && <p className="text-sm text-neutral-500">This policy grants or denies no known actions.</p>}
          {summary.unknownServices.length > 0 && (
            <p className="text-sm text-amber-700 dark:text-amber-400">
              Unrecognized services (no permissions granted): {summary.unknownServices.join(", ")}
            </p>
          )}
        </>
      )}
    </section>
  );
}

function EffectTable({ effect, rows }: { effect: "Allow" | "Deny"; rows: ServiceSummary[] }) {
  const label = effect === "Allow" ? `Allow (${rows.length} ${rows.length === 1 ? "service" : "services"})` : `Explicit deny (${rows.length})`;
  return (
    <table className="w-full border-collapse text-left text-sm">
      <caption className="text-left font-medium">{label}</caption>
      <thead>
        <tr className="border-b border-neutral-200 dark:border-neutral-800">
          <th scope="col" className="px-1 py-1">Service</th>
          <th scope="col" className="px-1 py-1">Access level</th>
          <th scope="col" className="px-1 py-1">Resource</th>
          <th scope="col" className="px-1 py-1">Request condition</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((s) => (
          <tr key={`${s.effect}-${s.service}-${s.notAction ? "not" : ""}`} className="border-b border-neutral-100 align-top dark:border-neutral-900">
            <td className="px-1 py-1">{s.serviceName}</td>
            <td className="px-1 py-1">
              {s.levels.length > 0 ? (
                <details>
                  <summary className="cursor-pointer">{s.access}</summary>
                  <ul className="mt-1 flex flex-col gap-1 text-xs">
                    {s.levels.map((l) => (
                      <li key={l.level}>
                        <span className="font-medium">
                          {l.level} ({l.actions.length} of {l.total}):
                        </span>{" "}
                        <span className="font-mono">{l.actions.join(", ")}</span>
                      </li>
                    ))}
                  </ul>
                </details>
              ) : (
                s.access
              )}
            </td>
            <td className="break-all px-1 py-1 font-mono text-xs">{s.resources.join(", ") || "All resources"}</td>
            <td className="px-1 py-1 font-mono text-xs">{s.conditions.length ? s.conditions.join("; ") : "None"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
