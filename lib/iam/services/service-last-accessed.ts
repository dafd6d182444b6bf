import "server-only";
// Service last accessed data over the API: GenerateServiceLastAccessedDetails
// starts a job for a user, group, role or managed policy; the job computes the
// report from the audit events with the console's Access Advisor
// (access-advisor.ts: the services the policies allow, and when each was last
// accessed and by whom), adds who accessed each service (for a group's members
// or a policy's users and roles) and, at ACTION_LEVEL, the last access of each
// tracked action; GetServiceLastAccessedDetails and
// GetServiceLastAccessedDetailsWithEntities page through the stored report.
// The job is IN_PROGRESS when its ID is returned and runs in the background
// (./access-report-job.ts), then COMPLETED (or FAILED), as AWS's clients poll for.
import crypto from "node:crypto";
import { z } from "zod";
import type { Tx } from "@/lib/db/client";
import { IamError, noSuchEntity } from "@/lib/iam/errors";
import type { OperationSpec } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";
import { awsString, cursor, pageSize } from "@/lib/iam/validation";
import { accessAdvice, resolve, type AdvisedEntity } from "./access-advisor";
import { startAccessReportJob } from "./access-report-job";
import { decodeCursor, encodeCursor } from "./common";

const optional = <S extends z.ZodType>(schema: S) => z.preprocess((x) => (x === "" || x === null ? undefined : x), schema.optional());
export const jobId = awsString("jobId", { min: 36, max: 36 });
const serviceNamespace = awsString("serviceNamespace", { min: 1, max: 64, pattern: /^[\w-]*$/, patternText: "[\\w-]*" });
const granularity = z.enum(["SERVICE_LEVEL", "ACTION_LEVEL"], {
  error: "1 validation error detected: Value at 'granularity' failed to satisfy constraint: Member must satisfy enum value set: [SERVICE_LEVEL, ACTION_LEVEL]",
});

export const GenerateServiceLastAccessedDetailsInput = z.object({ arn: awsString("arn", { min: 20, max: 2048 }), granularity: optional(granularity) });
export const GetServiceLastAccessedDetailsInput = z.object({ jobId, maxItems: optional(pageSize), marker: optional(cursor) });
export const GetServiceLastAccessedDetailsWithEntitiesInput = z.object({ jobId, serviceNamespace, maxItems: optional(pageSize), marker: optional(cursor) });

/** Services whose actions AWS tracks at ACTION_LEVEL that IAM Lab serves (AWS: EC2, IAM, Lambda, S3 management actions). */
const TRACKED_NAMESPACES = new Set(["iam", "ec2", "s3", "lambda"]);

export const JOB_KIND = "SERVICE_LAST_ACCESSED";

// ---------------------------------------------------------------- the entity an ARN names

const ENTITY_ARN = /^arn:aws:iam::(\d{12}|aws):(user|group|role|policy)(\/(?:[\u0021-\u007E]*\/)?)([\w+=,.@-]+)$/;

/** The user, group, role or managed policy an ARN names, in the caller's account (AWS-managed policies too). */
export function advisedEntityOf(principal: Principal, arn: string): AdvisedEntity {
  const m = ENTITY_ARN.exec(arn);
  if (!m) throw new IamError("InvalidInput", `ARN ${arn} is not valid: name a user, group, role or managed policy (e.g. arn:aws:iam::111122223333:user/alice).`);
  const [, account, kind, , name] = m as unknown as [string, string, "user" | "group" | "role" | "policy", string, string];
  if (account === "aws" ? kind !== "policy" : account !== principal.accountId) {
    throw noSuchEntity(`Entity ${arn} does not exist in account ${principal.accountId}.`);
  }
  return kind === "policy" ? { kind, arn } : { kind, name };
}

// ---------------------------------------------------------------- the report

interface EntityInfo {
  arn: string;
  name: string;
  type: "USER" | "ROLE";
  id: string;
  path: string;
}
interface TrackedAction {
  actionName: string;
  lastAccessedTime: string;
  lastAccessedEntity?: string;
  lastAccessedRegion?: string;
}
interface ServiceRow {
  serviceName: string;
  serviceNamespace: string;
  lastAuthenticated?: string;
  lastAuthenticatedEntity?: string;
  totalAuthenticatedEntities: number;
  trackedActionsLastAccessed?: TrackedAction[];
}
export interface ServiceLastAccessedReport {
  services: ServiceRow[];
  entities: EntityInfo[];
  /** Per service namespace: entity ARN -> last authenticated (ISO). */
  lastByEntity: Record<string, Record<string, string>>;
}

const CHUNK = 400;
const chunks = <T>(xs: T[]) => Array.from({ length: Math.ceil(xs.length / CHUNK) }, (_, i) => xs.slice(i * CHUNK, (i + 1) * CHUNK));
const namespaceOf = (eventSource: string) => eventSource.replace(/\.amazonaws\.com$/, "");
const iso = (d: Date) => d.toISOString();

async function buildReport(tx: Tx, accountId: string, entity: AdvisedEntity, level: "SERVICE_LEVEL" | "ACTION_LEVEL"): Promise<ServiceLastAccessedReport> {
  const advice = await accessAdvice(tx, accountId, entity);
  const who = await resolve(tx, accountId, entity);

  // Who could have used the permissions: the users and roles whose events count.
  const entities: EntityInfo[] = [];
  for (const arns of chunks(who.userArns)) {
    const users = await tx.iamUser.findMany({ where: { accountId, arn: { in: arns } }, select: { arn: true, name: true, id: true, path: true } });
    entities.push(...users.map((u) => ({ ...u, type: "USER" as const })));
  }
  for (const names of chunks(who.roleNames)) {
    const roles = await tx.role.findMany({ where: { accountId, name: { in: names } }, select: { arn: true, name: true, id: true, path: true } });
    entities.push(...roles.map((r) => ({ ...r, type: "ROLE" as const })));
  }
  const roleArnByName = new Map(entities.filter((e) => e.type === "ROLE").map((e) => [e.name, e.arn]));

  // Last access per (service, entity): one GROUP BY per chunk of identities.
  const lastByEntity: Record<string, Record<string, string>> = {};
  const note = (source: string, arn: string | undefined, at: Date | null) => {
    if (!arn || !at) return;
    const ns = (lastByEntity[namespaceOf(source)] ??= {});
    if (!ns[arn] || ns[arn]! < iso(at)) ns[arn] = iso(at);
  };
  for (const arns of chunks(who.userArns)) {
    const rows = await tx.auditEvent.groupBy({ by: ["eventSource", "identityArn"], where: { recipientAccountId: accountId, identityArn: { in: arns } }, _max: { eventTime: true } });
    for (const r of rows) note(r.eventSource, r.identityArn ?? undefined, r._max.eventTime);
  }
  for (const names of chunks(who.roleNames)) {
    const rows = await tx.auditEvent.groupBy({ by: ["eventSource", "roleName"], where: { recipientAccountId: accountId, roleName: { in: names } }, _max: { eventTime: true } });
    for (const r of rows) note(r.eventSource, r.roleName ? roleArnByName.get(r.roleName) : undefined, r._max.eventTime);
  }

  const services: ServiceRow[] = [];
  for (const s of advice.services) {
    const row: ServiceRow = {
      serviceName: s.serviceName,
      serviceNamespace: s.namespace,
      totalAuthenticatedEntities: Object.keys(lastByEntity[s.namespace] ?? {}).length,
      ...(s.lastAccessed ? { lastAuthenticated: iso(s.lastAccessed) } : {}),
      ...(s.lastAuthenticatedEntity ? { lastAuthenticatedEntity: s.lastAuthenticatedEntity } : {}),
    };
    if (level === "ACTION_LEVEL" && TRACKED_NAMESPACES.has(s.namespace)) row.trackedActionsLastAccessed = await trackedActions(tx, accountId, who, `${s.namespace}.amazonaws.com`);
    services.push(row);
  }
  return { services, entities, lastByEntity };
}

/** The last access of each action of one service by these identities (S3: management events only, as AWS tracks). */
async function trackedActions(tx: Tx, accountId: string, who: { userArns: string[]; roleNames: string[] }, eventSource: string): Promise<TrackedAction[]> {
  const filters = [...chunks(who.userArns).map((arns) => ({ identityArn: { in: arns } })), ...chunks(who.roleNames).map((names) => ({ roleName: { in: names } }))];
  const latest = new Map<string, { at: Date; filter: object }>();
  for (const f of filters) {
    const rows = await tx.auditEvent.groupBy({ by: ["eventName"], where: { recipientAccountId: accountId, eventSource, eventCategory: "Management", ...f }, _max: { eventTime: true } });
    for (const r of rows) {
      const at = r._max.eventTime;
      if (at && (!latest.get(r.eventName) || at > latest.get(r.eventName)!.at)) latest.set(r.eventName, { at, filter: f });
    }
  }
  const out: TrackedAction[] = [];
  for (const [name, { at, filter }] of [...latest].sort(([a], [b]) => a.localeCompare(b))) {
    const ev = await tx.auditEvent.findFirst({
      where: { recipientAccountId: accountId, eventSource, eventName: name, eventTime: at, ...filter },
      select: { identityArn: true, identityType: true, sessionIssuerArn: true, awsRegion: true },
    });
    const by = ev?.identityType === "AssumedRole" ? (ev.sessionIssuerArn ?? ev.identityArn) : ev?.identityArn;
    out.push({ actionName: name, lastAccessedTime: iso(at), ...(by ? { lastAccessedEntity: by } : {}), ...(ev?.awsRegion ? { lastAccessedRegion: ev.awsRegion } : {}) });
  }
  return out;
}

// ---------------------------------------------------------------- operations

export function generateServiceLastAccessedDetails(principal: Principal, input: z.output<typeof GenerateServiceLastAccessedDetailsInput>): OperationSpec<{ jobId: string }> {
  const level = input.granularity ?? "SERVICE_LEVEL";
  let job: { id: string; entity: AdvisedEntity } | undefined;
  return {
    service: "iam",
    name: "GenerateServiceLastAccessedDetails",
    readOnly: false,
    resource: { arn: input.arn },
    parameters: input,
    async run({ tx }) {
      const entity = advisedEntityOf(principal, input.arn);
      // The entity must exist now (NoSuchEntity from the call itself, as AWS answers); the report is built by the job.
      await resolve(tx, principal.accountId, entity);
      const id = crypto.randomUUID();
      await tx.accessReportJob.create({
        data: { id, accountId: principal.accountId, kind: JOB_KIND, callerArn: principal.arn, entityArn: input.arn, granularity: level, status: "IN_PROGRESS", createdAt: new Date() },
      });
      job = { id, entity };
      return { jobId: id };
    },
    afterCommit: () => {
      if (!job) return;
      const { id, entity } = job;
      startAccessReportJob(id, (tx) => buildReport(tx, principal.accountId, entity, level));
    },
    response: (r) => r,
  };
}

async function requireJob(tx: Tx, principal: Principal, id: string) {
  const job = await tx.accessReportJob.findUnique({ where: { id } });
  if (!job || job.accountId !== principal.accountId || job.kind !== JOB_KIND) throw noSuchEntity(`Job ${id} does not exist. Generate one with GenerateServiceLastAccessedDetails.`);
  return job;
}

const isIndex = (v: unknown): v is { i: number } => typeof v === "object" && v !== null && Number.isInteger((v as { i?: unknown }).i) && (v as { i: number }).i >= 0;

/** One page of a list by a marker this operation returned. */
export function pageOf<T>(items: T[], input: { maxItems?: number; marker?: string }): { items: T[]; isTruncated: boolean; marker?: string } {
  const start = input.marker === undefined ? 0 : decodeCursor(input.marker, isIndex)?.i;
  if (start === undefined) throw new IamError("InvalidInput", "Invalid Marker: use the Marker a previous call of this operation returned.");
  const max = input.maxItems ?? 100;
  const truncated = start + max < items.length;
  return { items: items.slice(start, start + max), isTruncated: truncated, ...(truncated ? { marker: encodeCursor({ i: start + max }) } : {}) };
}

const jobStatus = (job: { status: string; createdAt: Date; completedAt: Date | null; errorCode: string | null; errorMessage: string | null }) => ({
  jobStatus: job.status,
  jobCreationDate: job.createdAt,
  jobCompletionDate: job.completedAt ?? job.createdAt,
  ...(job.errorCode ? { error: { code: job.errorCode, message: job.errorMessage ?? "" } } : {}),
});

export interface GetServiceLastAccessedDetailsResult {
  jobStatus: string;
  jobType: string;
  jobCreationDate: Date;
  jobCompletionDate: Date;
  servicesLastAccessed: ServiceRow[];
  isTruncated: boolean;
  marker?: string;
}

export function getServiceLastAccessedDetails(principal: Principal, input: z.output<typeof GetServiceLastAccessedDetailsInput>): OperationSpec<GetServiceLastAccessedDetailsResult> {
  return {
    service: "iam",
    name: "GetServiceLastAccessedDetails",
    readOnly: true,
    resource: { arn: "*" },
    parameters: input,
    async run({ tx }) {
      const job = await requireJob(tx, principal, input.jobId);
      const report = JSON.parse(job.report ?? '{"services":[]}') as ServiceLastAccessedReport;
      const page = pageOf(report.services, input);
      return { ...jobStatus(job), jobType: job.granularity ?? "SERVICE_LEVEL", servicesLastAccessed: page.items, isTruncated: page.isTruncated, ...(page.marker ? { marker: page.marker } : {}) };
    },
    response: (r) => ({ jobStatus: r.jobStatus, services: r.servicesLastAccessed.length }),
  };
}

export interface EntityDetails {
  entityInfo: EntityInfo;
  lastAuthenticated?: string;
}

export function getServiceLastAccessedDetailsWithEntities(
  principal: Principal,
  input: z.output<typeof GetServiceLastAccessedDetailsWithEntitiesInput>,
): OperationSpec<{ jobStatus: string; jobCreationDate: Date; jobCompletionDate: Date; entityDetailsList: EntityDetails[]; isTruncated: boolean; marker?: string }> {
  return {
    service: "iam",
    name: "GetServiceLastAccessedDetailsWithEntities",
    readOnly: true,
    resource: { arn: "*" },
    parameters: input,
    async run({ tx }) {
      const job = await requireJob(tx, principal, input.jobId);
      const report = JSON.parse(job.report ?? '{"entities":[],"lastByEntity":{}}') as ServiceLastAccessedReport;
      const last = report.lastByEntity[input.serviceNamespace.toLowerCase()] ?? {};
      // AWS: the most recent access first; entities that never accessed the service last.
      const details = report.entities
        .map((e) => ({ entityInfo: e, ...(last[e.arn] ? { lastAuthenticated: last[e.arn] } : {}) }))
        .sort((a, b) => (b.lastAuthenticated ?? "").localeCompare(a.lastAuthenticated ?? "") || a.entityInfo.arn.localeCompare(b.entityInfo.arn));
      const page = pageOf(details, input);
      return { ...jobStatus(job), entityDetailsList: page.items, isTruncated: page.isTruncated, ...(page.marker ? { marker: page.marker } : {}) };
    },
    response: (r) => ({ jobStatus: r.jobStatus, entities: r.entityDetailsList.length }),
  };
}
