"use client";
// Policy generation's forms: choose a period (starts a generation and opens
// its result), and try the draft against every recorded request, plus one
// request you name, in the simulator. Decisions come from the server.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ResultBanner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useActionForm } from "@/components/ui/use-action-form";
import { startPolicyGenerationAction, tryGeneratedPolicyAction } from "@/lib/actions/policy-generation";
import type { TryResult } from "@/lib/audit/policy-generation-try";

const PERIODS = [
  { value: "1", label: "Last 1 day" },
  { value: "7", label: "Last 7 days" },
  { value: "30", label: "Last 30 days" },
  { value: "90", label: "Last 90 days" },
  { value: "custom", label: "Custom dates (up to 90 days)" },
];

export function GeneratePolicyForm({ principalArn, tabHref }: { principalArn: string; tabHref: string }) {
  const router = useRouter();
  const [period, setPeriod] = useState("7");
  const { result, pending, onSubmit, errorsFor } = useActionForm(startPolicyGenerationAction, {
    refresh: false,
    onSuccess: (r) => router.push(`${tabHref}&job=${encodeURIComponent(r.jobId)}`),
  });
  return (
    <form onSubmit={onSubmit} aria-label="Generate policy" className="flex max-w-3xl flex-col gap-3">
      <ResultBanner result={result && !result.ok ? result : null} />
      <input type="hidden" name="principalArn" value={principalArn} />
      <div className="flex flex-wrap items-end gap-3">
        <div className="flex flex-col gap-1">
          <label htmlFor="generation-period" className="font-medium">
            Activity period
          </label>
          <select
            id="generation-period"
            name="period"
            value={period}
            onChange={(e) => setPeriod(e.target.value)}
            className="rounded border border-neutral-300 bg-white px-2 py-1.5 dark:border-neutral-700 dark:bg-neutral-900"
          >
            {PERIODS.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
        </div>
        {period === "custom" && (
          <>
            <Field label="First day" name="startDate" type="date" rule="UTC, from 00:00." required errors={errorsFor("startDate")} />
            <Field label="Last day" name="endDate" type="date" rule="UTC, until 24:00; empty: up to now." errors={errorsFor("endDate")} />
          </>
        )}
        <Button type="submit" disabled={pending}>
          {pending ? "Generating…" : "Generate policy"}
        </Button>
      </div>
    </form>
  );
}

const DECISION_STYLE: Record<string, string> = {
  Allowed: "text-green-700 dark:text-green-400",
  ImplicitlyDenied: "text-red-700 dark:text-red-400",
  ExplicitlyDenied: "text-red-700 dark:text-red-400",
};
const DECISION_TEXT: Record<string, string> = { Allowed: "Allowed", ImplicitlyDenied: "Denied (implicitly)", ExplicitlyDenied: "Denied (explicitly)" };

export function TryDraft({ jobId, policyDocuments, editorHref }: { jobId: string; policyDocuments: string[]; editorHref: string }) {
  const [tried, setTried] = useState<TryResult | null>(null);
  const { result, pending, onSubmit, errorsFor } = useActionForm(tryGeneratedPolicyAction, { refresh: false, onSuccess: setTried });
  return (
    <section aria-labelledby="try-draft-heading" className="flex flex-col gap-3">
      <h3 id="try-draft-heading" className="text-base font-semibold">
        Try in simulator
      </h3>
      <p className="text-sm text-neutral-700 dark:text-neutral-300">
        Asks the policy simulator, with this draft as the only policy{policyDocuments.length > 1 ? ` (its ${policyDocuments.length} parts together)` : ""}, whether each recorded request would be allowed. Add a request the principal never made to see it denied.
      </p>
      <form onSubmit={onSubmit} aria-label="Try the draft" className="flex flex-wrap items-end gap-3">
        <input type="hidden" name="jobId" value={jobId} />
        <input type="hidden" name="policyDocuments" value={JSON.stringify(policyDocuments)} />
        <Field label="Also try action (optional)" name="extraAction" placeholder="s3:DeleteBucket" rule="service:Action" errors={errorsFor("extraAction")} />
        <Field label="On resource" name="extraResource" placeholder="arn:aws:s3:::example-bucket" rule="An ARN, or * for an action without a resource" errors={errorsFor("extraResource")} className="min-w-80" />
        <Button type="submit" disabled={pending}>
          {pending ? "Simulating…" : "Try in simulator"}
        </Button>
        <Link href={editorHref} className="text-sm text-accent underline underline-offset-2">
          Open in policy editor
        </Link>
      </form>
      <ResultBanner result={result && !result.ok ? result : null} />
      {tried && (
        <div className="flex flex-col gap-2">
          <p role="status" data-testid="try-summary" className={`text-sm font-medium ${tried.allowed === tried.recorded ? "text-green-700 dark:text-green-400" : "text-red-700 dark:text-red-400"}`}>
            The draft allows {tried.allowed} of {tried.recorded} recorded request{tried.recorded === 1 ? "" : "s"}.
            {tried.notTried > 0 && ` ${tried.notTried} less frequent requests were not tried.`}
          </p>
          <table className="w-full text-sm" aria-label="Simulated requests">
            <thead>
              <tr className="border-b border-neutral-200 text-left text-xs text-neutral-500 dark:border-neutral-800">
                <th className="py-1 pr-4 font-medium">Action</th>
                <th className="py-1 pr-4 font-medium">Resource</th>
                <th className="py-1 pr-4 font-medium">Recorded</th>
                <th className="py-1 pr-4 font-medium">With the draft</th>
                <th className="py-1 font-medium">Statement</th>
              </tr>
            </thead>
            <tbody>
              {tried.requests.map((r) => (
                <tr key={`${r.recorded}|${r.action}|${r.resource}`} data-testid="tried-request" className="border-b border-neutral-100 dark:border-neutral-900">
                  <td className="py-1 pr-4 font-mono">{r.action}</td>
                  <td className="py-1 pr-4 break-all font-mono text-xs">{r.resource}</td>
                  <td className="py-1 pr-4">
                    {r.recorded ? `${r.calls} call${r.calls === 1 ? "" : "s"}${r.denied ? `, ${r.denied} denied` : ""}${r.wouldBeDenied ? `, ${r.wouldBeDenied} would-be denied` : ""}` : "Never made"}
                  </td>
                  <td className={`py-1 pr-4 font-medium ${DECISION_STYLE[r.decision] ?? ""}`}>
                    {DECISION_TEXT[r.decision] ?? r.decision}
                    {r.alsoDecidedBy && <span className="block text-xs font-normal text-neutral-600 dark:text-neutral-400">Decided by another policy too: {r.alsoDecidedBy}</span>}
                  </td>
                  <td className="py-1 font-mono text-xs">{r.statement ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
