import "server-only";
// The "Generate policy" tab of the user and role pages: pick a period, and IAM
// Lab drafts the least-privilege policy from the principal's recorded activity
// (Access Analyzer's StartPolicyGeneration / GetGeneratedPolicy over the event
// history), shows what it was drafted from, opens it in the policy editor, and
// tries it in the simulator against every recorded request.
import { formatDate } from "@/components/ui/format";
import { ErrorPanel } from "@/components/ui/panels";
import { loadAs } from "@/lib/actions/define-action";
import Link from "next/link";
import { getGeneratedPolicy } from "@/lib/audit/policy-generation";
import { MANAGED_POLICY_LIMIT } from "@/lib/audit/policy-split";
import { sizeWithoutWhitespace } from "@/lib/iam/policy";
import type { Principal } from "@/lib/iam/principal";
import { GeneratePolicyForm, TryDraft } from "./policy-generation-forms";

export const GENERATE_POLICY_TAB = { id: "generate-policy", label: "Generate policy" };

/** The job of ?job= (a string, or none). */
export function generationJob(raw: string | string[] | undefined): string | undefined {
  return typeof raw === "string" && raw.length > 0 && raw.length <= 4096 ? raw : undefined;
}

export async function PolicyGenerationTab({ principal, entity, jobId, base }: { principal: Principal; entity: { kind: "user" | "role"; arn: string }; jobId?: string; base: string }) {
  const tabHref = `${base}?tab=${GENERATE_POLICY_TAB.id}`;
  return (
    <section aria-label="Generate policy" className="flex max-w-5xl flex-col gap-4">
      <p className="text-sm text-neutral-700 dark:text-neutral-300">
        Drafts a least-privilege identity policy from this {entity.kind}&apos;s recorded activity{entity.kind === "role" ? " (every session of the role)" : ""}: the actions it
        called, allowed or denied, on the resources it used. Objects are wildcarded only where three or more were used in one folder; &quot;*&quot; only for actions that
        have no resource. S3 object calls count only where a trail records them.
      </p>
      <GeneratePolicyForm principalArn={entity.arn} tabHref={tabHref} />
      {jobId && <GeneratedPolicy principal={principal} jobId={jobId} />}
    </section>
  );
}

async function GeneratedPolicy({ principal, jobId }: { principal: Principal; jobId: string }) {
  const generated = await loadAs(principal, getGeneratedPolicy(principal, { jobId }));
  if (!generated.ok) return <ErrorPanel result={generated} />;
  const g = generated.data;
  const { properties } = g.generatedPolicyResult;
  const policies = g.generatedPolicyResult.generatedPolicies.map((p) => p.policy);
  const editorHref = (part: number) => `/iam/policies/create?generationJob=${encodeURIComponent(jobId)}${part > 0 ? `&generationPart=${part + 1}` : ""}`;
  const period = `${formatDate(properties.cloudTrailProperties.startTime)} – ${formatDate(properties.cloudTrailProperties.endTime)}`;
  return (
    <section aria-labelledby="generated-heading" className="flex flex-col gap-3">
      <h2 id="generated-heading" className="text-lg font-semibold">
        Generated policy
      </h2>
      <p className="text-sm" data-testid="generation-summary">
        From {g.activity.eventsRead.toLocaleString("en-US")} recorded event{g.activity.eventsRead === 1 ? "" : "s"} of {period}: {g.activity.calls.length} distinct request
        {g.activity.calls.length === 1 ? "" : "s"}.
        {!properties.isComplete && " The activity was too large to read in full: the draft covers what was read."}
      </p>
      {g.activity.unknownActions.length > 0 && (
        <p className="text-sm text-amber-800 dark:text-amber-300">Left out (not actions AWS knows): {g.activity.unknownActions.join(", ")}.</p>
      )}
      {policies.length > 0 ? (
        <>
          <table className="w-full text-sm" aria-label="Statements and their evidence">
            <thead>
              <tr className="border-b border-neutral-200 text-left text-xs text-neutral-500 dark:border-neutral-800">
                <th className="py-1 pr-4 font-medium">Statement</th>
                <th className="py-1 pr-4 font-medium">Calls</th>
                <th className="py-1 pr-4 font-medium">Denied</th>
                <th className="py-1 pr-4 font-medium">Would-be denied</th>
                <th className="py-1 font-medium">Resources used</th>
              </tr>
            </thead>
            <tbody>
              {g.activity.evidence.map((e) => (
                <tr key={e.sid} className="border-b border-neutral-100 dark:border-neutral-900">
                  <td className="py-1 pr-4 font-mono">{e.sid}</td>
                  <td className="py-1 pr-4">{e.calls}</td>
                  <td className="py-1 pr-4">{e.denied}</td>
                  <td className="py-1 pr-4">{e.wouldBeDenied}</td>
                  <td className="py-1">{e.resourcesUsed}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {policies.length > 1 && (
            <p className="text-sm" data-testid="generated-policy-parts">
              The draft is larger than one managed policy may be ({MANAGED_POLICY_LIMIT.toLocaleString("en-US")} characters without whitespace): it is split into {policies.length} policies,
              each within the limit, that together allow what it allows. Create and attach them all.
            </p>
          )}
          {policies.map((policy, i) => (
            <div key={i} className="flex flex-col gap-1">
              {policies.length > 1 && (
                <div className="flex items-baseline gap-3">
                  <h3 className="text-base font-semibold">
                    Policy {i + 1} of {policies.length}
                  </h3>
                  <span className="text-xs text-neutral-600 dark:text-neutral-400">{sizeWithoutWhitespace(policy).toLocaleString("en-US")} characters</span>
                  <Link href={editorHref(i)} className="text-sm text-accent underline underline-offset-2">
                    Open policy {i + 1} in policy editor
                  </Link>
                </div>
              )}
              <pre
                data-testid="generated-policy"
                tabIndex={0}
                aria-label={policies.length > 1 ? `Generated policy document ${i + 1} of ${policies.length}` : "Generated policy document"}
                className="max-h-96 overflow-auto rounded border border-neutral-200 bg-neutral-50 p-3 font-mono text-xs dark:border-neutral-800 dark:bg-neutral-950"
              >
                {policy}
              </pre>
            </div>
          ))}
          <TryDraft jobId={jobId} policyDocuments={policies} editorHref={editorHref(0)} />
        </>
      ) : (
        <p className="text-sm text-neutral-600 dark:text-neutral-400">No activity in this period needed a permission: there is nothing to draft. Choose a longer period.</p>
      )}
    </section>
  );
}
