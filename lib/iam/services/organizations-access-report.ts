import "server-only";
// Service last accessed data for AWS Organizations: GenerateOrganizationsAccessReport
// takes an entity path (o-.../r-...[/ou-...]...[/ACCOUNT]) and, optionally, one
// SCP, and reports for each service the SCPs allow there (the SCPs that apply
// to the entity, or the one named) the most recent access by any principal of
// the accounts in the entity, with the account's path and how many principals
// accessed it. GetOrganizationsAccessReport pages and sorts the stored report.
// Only the organization's management account may ask (AWS); the demo
// organization names none, and then any of its accounts may. The report is a
// job: IN_PROGRESS when generated, built in the background (./access-report-job.ts).
import crypto from "node:crypto";
import { z } from "zod";
import type { Tx } from "@/lib/db/client";
import { IamError, noSuchEntity } from "@/lib/iam/errors";
import type { OperationSpec } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";
import { awsString, cursor, pageSize } from "@/lib/iam/validation";
import { allowedNamespaces, SERVICE_NAMES } from "./access-advisor";
import { startAccessReportJob } from "./access-report-job";
import { jobId, pageOf } from "./service-last-accessed";

const optional = <S extends z.ZodType>(schema: S) => z.preprocess((x) => (x === "" || x === null ? undefined : x), schema.optional());
const SORT_KEYS = ["SERVICE_NAMESPACE_ASCENDING", "SERVICE_NAMESPACE_DESCENDING", "LAST_AUTHENTICATED_TIME_ASCENDING", "LAST_AUTHENTICATED_TIME_DESCENDING"] as const;

export const GenerateOrganizationsAccessReportInput = z.object({
  entityPath: awsString("entityPath", { min: 19, max: 427, pattern: /^o-[0-9a-z]{10,32}\/r-[0-9a-z]{4,32}[0-9a-z-/]*/, patternText: "^o-[0-9a-z]{10,32}\\/r-[0-9a-z]{4,32}[0-9a-z-\\/]*" }),
  organizationsPolicyId: optional(awsString("organizationsPolicyId", { pattern: /^p-[0-9a-zA-Z_]{8,128}$/, patternText: "^p-[0-9a-zA-Z_]{8,128}$" })),
});
export const GetOrganizationsAccessReportInput = z.object({
  jobId,
  maxItems: optional(pageSize),
  marker: optional(cursor),
  sortKey: optional(z.enum(SORT_KEYS, { error: `1 validation error detected: Value at 'sortKey' failed to satisfy constraint: Member must satisfy enum value set: [${SORT_KEYS.join(", ")}]` })),
});

const JOB_KIND = "ORGANIZATIONS";

interface AccessDetail {
  serviceName: string;
  serviceNamespace: string;
  region?: string;
  entityPath?: string;
  lastAuthenticatedTime?: string;
  totalAuthenticatedEntities?: number;
}
interface OrganizationsReport {
  accessDetails: AccessDetail[];
  numberOfServicesAccessible: number;
  numberOfServicesNotAccessed: number;
}

/** The accounts under an entity path, each with its own path, and the SCP targets on the way (root, OUs, account). */
async function resolvePath(tx: Tx, principal: Principal, path: string): Promise<{ accounts: Map<string, string>; targets: string[] }> {
  const parts = path.replace(/\/$/, "").split("/");
  const [orgId, rootId, ...rest] = parts as [string, string, ...string[]];
  const org = await tx.organization.findUnique({ where: { id: orgId }, select: { id: true, rootId: true, managementAccountId: true } });
  const bad = (why: string) => new IamError("InvalidInput", `Entity path ${path} is not valid: ${why}`);
  if (!org || org.id !== principal.organizationId) throw bad(`${orgId} is not your organization.`);
  if (org.managementAccountId && org.managementAccountId !== principal.accountId) {
    throw new IamError("AccessDenied", `Organizations access reports can be generated only from the organization's management account (${org.managementAccountId}).`);
  }
  if (rootId !== org.rootId) throw bad(`${rootId} is not the root of ${orgId} (${org.rootId}).`);
  const targets = [org.rootId];
  let parent = org.rootId;
  let account: string | undefined;
  for (const [i, part] of rest.entries()) {
    if (/^\d{12}$/.test(part) && i === rest.length - 1) {
      const a = await tx.account.findUnique({ where: { id: part }, select: { organizationId: true, ouId: true } });
      if (!a || a.organizationId !== org.id || (a.ouId ?? org.rootId) !== parent) throw bad(`account ${part} is not directly under ${parent}.`);
      account = part;
      targets.push(part);
      continue;
    }
    const ou = await tx.organizationalUnit.findUnique({ where: { id: part }, select: { organizationId: true, parentId: true } });
    if (!ou || ou.organizationId !== org.id || ou.parentId !== parent) throw bad(`${part} is not an organizational unit under ${parent}.`);
    targets.push(part);
    parent = part;
  }
  const accounts = new Map<string, string>();
  if (account) accounts.set(account, parts.join("/"));
  else {
    // Every account in the subtree, with its path.
    const ous = await tx.organizationalUnit.findMany({ where: { organizationId: org.id }, select: { id: true, parentId: true } });
    const all = await tx.account.findMany({ where: { organizationId: org.id }, select: { id: true, ouId: true } });
    const base = parts.join("/");
    const pathOf = new Map<string, string>([[parent, base]]);
    const walk = (id: string) => {
      for (const child of ous.filter((o) => o.parentId === id)) {
        pathOf.set(child.id, `${pathOf.get(id)}/${child.id}`);
        walk(child.id);
      }
    };
    walk(parent);
    for (const a of all) {
      const home = pathOf.get(a.ouId ?? org.rootId);
      if (home) accounts.set(a.id, `${home}/${a.id}`);
    }
  }
  return { accounts, targets };
}

/** The SCP an OrganizationsPolicyId names, in the caller's organization, or NoSuchEntity. */
async function organizationScp(tx: Tx, principal: Principal, policyId: string) {
  const scp = await tx.serviceControlPolicy.findUnique({ where: { id: policyId }, select: { organizationId: true, document: true } });
  if (!scp || scp.organizationId !== principal.organizationId) throw noSuchEntity(`Policy ${policyId} does not exist in your organization.`);
  return scp;
}

async function buildReport(tx: Tx, principal: Principal, input: z.output<typeof GenerateOrganizationsAccessReportInput>): Promise<OrganizationsReport> {
  const { accounts, targets } = await resolvePath(tx, principal, input.entityPath);
  let documents: string[];
  if (input.organizationsPolicyId) {
    documents = [(await organizationScp(tx, principal, input.organizationsPolicyId)).document];
  } else {
    const attached = await tx.scpAttachment.findMany({ where: { targetId: { in: targets } }, select: { policy: { select: { document: true } } } });
    documents = attached.map((a) => a.policy.document);
  }
  const allowed = allowedNamespaces(documents);
  const namespaces = allowed.has("*") ? Object.keys(SERVICE_NAMES) : [...allowed];

  const accountIds = [...accounts.keys()];
  const details: AccessDetail[] = [];
  let notAccessed = 0;
  for (const ns of namespaces.sort()) {
    const eventSource = `${ns}.amazonaws.com`;
    const where = { recipientAccountId: { in: accountIds }, eventSource };
    const newest = await tx.auditEvent.findFirst({ where, orderBy: { eventTime: "desc" }, select: { eventTime: true, awsRegion: true, recipientAccountId: true } });
    const detail: AccessDetail = { serviceName: SERVICE_NAMES[ns] ?? ns, serviceNamespace: ns };
    if (newest) {
      const principals = await tx.auditEvent.groupBy({ by: ["identityArn"], where: { ...where, identityArn: { not: null } } });
      Object.assign(detail, {
        region: newest.awsRegion,
        entityPath: accounts.get(newest.recipientAccountId),
        lastAuthenticatedTime: newest.eventTime.toISOString(),
        totalAuthenticatedEntities: principals.length,
      });
    } else notAccessed++;
    details.push(detail);
  }
  return { accessDetails: details, numberOfServicesAccessible: namespaces.length, numberOfServicesNotAccessed: notAccessed };
}

export function generateOrganizationsAccessReport(principal: Principal, input: z.output<typeof GenerateOrganizationsAccessReportInput>): OperationSpec<{ jobId: string }> {
  let jobId: string | undefined;
  return {
    service: "iam",
    name: "GenerateOrganizationsAccessReport",
    readOnly: false,
    resource: { arn: `arn:aws:iam::${principal.accountId}:access-report/${input.entityPath}` },
    context: input.organizationsPolicyId ? { "iam:OrganizationsPolicyId": input.organizationsPolicyId } : undefined,
    parameters: input,
    async run({ tx }) {
      // The path and the policy are checked now (AWS answers InvalidInput / NoSuchEntity from the call); the report is built by the job.
      await resolvePath(tx, principal, input.entityPath);
      if (input.organizationsPolicyId) await organizationScp(tx, principal, input.organizationsPolicyId);
      const id = crypto.randomUUID();
      await tx.accessReportJob.create({
        data: {
          id,
          accountId: principal.accountId,
          kind: JOB_KIND,
          callerArn: principal.arn,
          entityArn: input.entityPath,
          policyId: input.organizationsPolicyId ?? null,
          status: "IN_PROGRESS",
          createdAt: new Date(),
        },
      });
      jobId = id;
      return { jobId: id };
    },
    afterCommit: () => {
      if (jobId) startAccessReportJob(jobId, (tx) => buildReport(tx, principal, input));
    },
    response: (r) => r,
  };
}

const SORTS: Record<(typeof SORT_KEYS)[number], (a: AccessDetail, b: AccessDetail) => number> = {
  SERVICE_NAMESPACE_ASCENDING: (a, b) => a.serviceNamespace.localeCompare(b.serviceNamespace),
  SERVICE_NAMESPACE_DESCENDING: (a, b) => b.serviceNamespace.localeCompare(a.serviceNamespace),
  // Never accessed sorts as the oldest.
  LAST_AUTHENTICATED_TIME_ASCENDING: (a, b) => (a.lastAuthenticatedTime ?? "").localeCompare(b.lastAuthenticatedTime ?? "") || a.serviceNamespace.localeCompare(b.serviceNamespace),
  LAST_AUTHENTICATED_TIME_DESCENDING: (a, b) => (b.lastAuthenticatedTime ?? "").localeCompare(a.lastAuthenticatedTime ?? "") || a.serviceNamespace.localeCompare(b.serviceNamespace),
};

export function getOrganizationsAccessReport(
  principal: Principal,
  input: z.output<typeof GetOrganizationsAccessReportInput>,
): OperationSpec<OrganizationsReport & { jobStatus: string; jobCreationDate: Date; jobCompletionDate?: Date; isTruncated: boolean; marker?: string }> {
  return {
    service: "iam",
    name: "GetOrganizationsAccessReport",
    readOnly: true,
    resource: { arn: "*" },
    parameters: input,
    async run({ tx }) {
      const job = await tx.accessReportJob.findUnique({ where: { id: input.jobId } });
      if (!job || job.accountId !== principal.accountId || job.kind !== JOB_KIND) throw noSuchEntity(`Job ${input.jobId} does not exist. Generate one with GenerateOrganizationsAccessReport.`);
      const report = JSON.parse(job.report ?? '{"accessDetails":[],"numberOfServicesAccessible":0,"numberOfServicesNotAccessed":0}') as OrganizationsReport;
      // AWS: sorted by service namespace unless asked otherwise.
      const sorted = [...report.accessDetails].sort(SORTS[input.sortKey ?? "SERVICE_NAMESPACE_ASCENDING"]);
      const page = pageOf(sorted, input);
      return {
        jobStatus: job.status,
        jobCreationDate: job.createdAt,
        ...(job.completedAt ? { jobCompletionDate: job.completedAt } : {}),
        numberOfServicesAccessible: report.numberOfServicesAccessible,
        numberOfServicesNotAccessed: report.numberOfServicesNotAccessed,
        accessDetails: page.items,
        isTruncated: page.isTruncated,
        ...(page.marker ? { marker: page.marker } : {}),
      };
    },
    response: (r) => ({ jobStatus: r.jobStatus, services: r.accessDetails.length }),
  };
}
