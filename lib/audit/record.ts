import "server-only";
// Writes one CloudTrail-style record. Callers pass the transaction of the change,
// so the record and the change are written together or not at all; a record
// with no change to go with (a read's) is written by recordAuditGrouped.
import crypto from "node:crypto";
import { db, type Tx } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/sqlite/client";
import { anyWouldBeDenied, type GateRecord } from "@/lib/iam/gate-record";
import type { Caller, RequestInfo } from "@/lib/iam/principal";
import { redact } from "./redact";
import { resourceIdentityOf, roleArnOfParameters } from "./resource-names";

export interface AuditInput {
  principal: Caller | null;
  request: RequestInfo;
  eventSource: string; // iam.amazonaws.com ...
  eventName: string;
  readOnly: boolean;
  eventCategory?: "Management" | "Data";
  eventType?: "AwsApiCall" | "AwsConsoleSignIn";
  /** The account the event belongs to (defaults to the principal's). */
  recipientAccountId?: string;
  organizationId?: string;
  requestParameters?: unknown;
  responseElements?: unknown;
  resources?: { ARN: string; accountId?: string; type?: string }[];
  errorCode?: string;
  errorMessage?: string;
  /** For events without a resolved principal (failed sign-in): who was claimed. */
  claimedIdentity?: { type: string; arn?: string; accountId?: string; userName?: string };
  /** What the gate decided for each permission the request needed (lib/iam/gate-record.ts). */
  gateDecisions?: GateRecord[];
}

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(redact(v)));

type AuditResource = NonNullable<AuditInput["resources"]>[number];

/** The resources as CloudTrail lists them: each with its type; a refused AssumeRole names the role it asked for. */
function resourcesOf(e: AuditInput): AuditResource[] | undefined {
  const given = e.resources ?? (roleArnOfParameters(e.eventName, e.requestParameters) ? [{ ARN: roleArnOfParameters(e.eventName, e.requestParameters)! }] : undefined);
  return given?.map((r) => {
    const type = r.type ?? resourceIdentityOf(r.ARN)?.type;
    const accountId = r.accountId ?? (/^\d{12}$/.test(r.ARN.split(":")[4] ?? "") ? r.ARN.split(":")[4] : undefined);
    return { ARN: r.ARN, ...(accountId ? { accountId } : {}), ...(type ? { type } : {}) };
  });
}

/** The event's row; null when it belongs to no organization (nothing to attach it to). */
function auditRow(e: AuditInput): AuditRow | null {
  const p = e.principal;
  const resources = resourcesOf(e);
  const first = resources?.[0] ? resourceIdentityOf(resources[0].ARN) : null;
  const organizationId = e.organizationId ?? p?.organizationId;
  const recipientAccountId = e.recipientAccountId ?? p?.accountId ?? e.claimedIdentity?.accountId;
  if (!organizationId || !recipientAccountId) return null;
  return {
    id: crypto.randomUUID(),
    organizationId,
    recipientAccountId,
    eventTime: new Date(),
    eventSource: e.eventSource,
    eventName: e.eventName,
    awsRegion: e.request.region,
    readOnly: e.readOnly,
    eventCategory: e.eventCategory ?? "Management",
    eventType: e.eventType ?? "AwsApiCall",
    requestId: e.request.requestId,
    identityType: p?.type ?? e.claimedIdentity?.type ?? "Unknown",
    identityArn: p?.arn ?? e.claimedIdentity?.arn,
    identityAccountId: p?.accountId ?? e.claimedIdentity?.accountId,
    identityPrincipalId: p?.principalId,
    identityUserName: p?.type === "IAMUser" ? p.userName : e.claimedIdentity?.userName,
    identityAccessKeyId: p?.accessKeyId,
    sessionIssuerArn: p?.type === "AssumedRole" ? p.roleArn : null,
    sessionCreationDate: p?.tokenIssuedAt,
    mfaAuthenticated: p?.mfaAuthenticated ?? false,
    sourceIdentity: p?.type === "AssumedRole" ? (p.sourceIdentity ?? p.sourceArn) : null,
    sourceIPAddress: e.request.sourceIp,
    userAgent: e.request.userAgent?.slice(0, 1024),
    requestParameters: json(e.requestParameters),
    responseElements: json(e.responseElements),
    resources: resources ? JSON.stringify(resources) : null,
    errorCode: e.errorCode,
    errorMessage: e.errorMessage,
    roleName: p?.type === "AssumedRole" ? p.roleName : null,
    roleSessionName: p?.type === "AssumedRole" ? p.sessionName : null,
    resourceName: first?.name ?? null,
    resourceType: first?.type ?? null,
    gateDecisions: e.gateDecisions?.length ? JSON.stringify(redact(e.gateDecisions)) : null,
    wouldBeDenied: anyWouldBeDenied(e.gateDecisions),
  };
}

type AuditRow = Prisma.AuditEventCreateManyInput;

/** Every column of the row, in the order of the INSERT below. */
const COLUMNS = [
  "id", "organizationId", "recipientAccountId", "eventTime", "eventSource", "eventName", "awsRegion", "readOnly", "eventCategory", "eventType",
  "requestId", "identityType", "identityArn", "identityAccountId", "identityPrincipalId", "identityUserName", "identityAccessKeyId", "sessionIssuerArn",
  "sessionCreationDate", "mfaAuthenticated", "sourceIdentity", "sourceIPAddress", "userAgent", "requestParameters", "responseElements", "resources",
  "errorCode", "errorMessage", "roleName", "roleSessionName", "resourceName", "resourceType", "gateDecisions", "wouldBeDenied",
] as const satisfies readonly (keyof AuditRow)[];
const INTO = Prisma.raw(`INSERT INTO "AuditEvent" (${COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES `);

/**
 * The rows in one raw INSERT: a model create costs Prisma a query compilation
 * (~1.2 ms of CPU) on every call, a raw statement none, and this runs on every
 * request. auditRow fills every column, so no default of the model is skipped.
 */
function insertAudit(client: Tx, rows: AuditRow[]) {
  const values = rows.map((row) => Prisma.sql`(${Prisma.join(COLUMNS.map((c) => row[c] ?? null))})`);
  return client.$executeRaw`${INTO}${Prisma.join(values)}`;
}

export async function recordAudit(tx: Tx, e: AuditInput): Promise<void> {
  const data = auditRow(e);
  if (data) await insertAudit(tx, [data]);
}

/**
 * Group commit for records written on their own (a read's): each caller waits
 * until its record is written, and the records that arrive while one insert
 * runs go together in the next, so a busy server writes one statement for many
 * requests instead of one each, and an idle one waits for no timer.
 */
const waiting: { data: AuditRow; written: () => void; failed: (err: unknown) => void }[] = [];
let writing = false;

export function recordAuditGrouped(e: AuditInput): Promise<void> {
  const data = auditRow(e);
  if (!data) return Promise.resolve();
  return new Promise((written, failed) => {
    waiting.push({ data, written, failed });
    if (!writing) void writeWaiting();
  });
}

async function writeWaiting() {
  writing = true;
  try {
    while (waiting.length > 0) {
      const batch = waiting.splice(0, 500);
      try {
        await insertAudit(db() as unknown as Tx, batch.map((w) => w.data));
        for (const w of batch) w.written();
      } catch (err) {
        for (const w of batch) w.failed(err);
      }
    }
  } finally {
    writing = false;
  }
}
