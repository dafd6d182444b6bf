import "server-only";
// CloudTrail's "Event history" for the console: LookupEvents over the audit
// records of the caller's account, newest first, keyset-paged on (eventTime, id)
// so every page is one indexed range read however many events there are.
// Reading it is cloudtrail:LookupEvents, asked of the gate like any other read.
import type { OperationSpec } from "@/lib/iam/operation";
import type { Prisma } from "@/lib/db/client";
import { IamError } from "@/lib/iam/errors";

export const AUDIT_PAGE_SIZE = 50;

/** What the filter box understands: `ConsoleLogin user:bob error:AccessDenied access:write`. */
export interface AuditFilter {
  eventName?: string;
  /** A user name, or any identity ARN (user, role, assumed-role session). */
  user?: string;
  /** An error code, or "*" for any error. */
  errorCode?: string;
  readOnly?: boolean;
}

export const AUDIT_FILTER_HELP =
  "An event name (exact, e.g. ConsoleLogin), and any of user:NAME or user:ARN, error:CODE (error:* for any error), access:read or access:write.";

/** Parses the filter box. Unknown `key:` prefixes are refused, so a typo never silently shows everything. */
export function parseAuditFilter(q: string | undefined): AuditFilter {
  const filter: AuditFilter = {};
  for (const term of (q ?? "").trim().split(/\s+/).filter(Boolean)) {
    const m = /^(event|user|error|access):(.*)$/i.exec(term);
    if (!m) {
      filter.eventName = term;
      continue;
    }
    const key = m[1]!.toLowerCase();
    const value = m[2]!;
    if (!value) throw new IamError("InvalidInput", `The filter ${key}: needs a value. ${AUDIT_FILTER_HELP}`);
    if (key === "event") filter.eventName = value;
    else if (key === "user") filter.user = value;
    else if (key === "error") filter.errorCode = value;
    else if (/^(read|read-?only|true)$/i.test(value)) filter.readOnly = true;
    else if (/^(write|false)$/i.test(value)) filter.readOnly = false;
    else throw new IamError("InvalidInput", `access: takes read or write, not ${value}.`);
  }
  return filter;
}

function whereOf(accountId: string, f: AuditFilter): Prisma.AuditEventWhereInput {
  const where: Prisma.AuditEventWhereInput = { recipientAccountId: accountId };
  if (f.eventName) where.eventName = f.eventName;
  if (f.user) {
    if (f.user.startsWith("arn:")) where.OR = [{ identityArn: f.user }, { sessionIssuerArn: f.user }];
    else where.identityUserName = f.user;
  }
  if (f.errorCode === "*") where.errorCode = { not: null };
  else if (f.errorCode) where.errorCode = f.errorCode;
  if (f.readOnly !== undefined) where.readOnly = f.readOnly;
  return where;
}

// ---------------------------------------------------------------------------
// The rows and their CloudTrail shape

export interface AuditRow {
  id: string;
  eventTime: Date;
  eventSource: string;
  eventName: string;
  eventType: string;
  eventCategory: string;
  awsRegion: string;
  readOnly: boolean;
  requestId: string;
  recipientAccountId: string;
  identityType: string;
  identityArn: string | null;
  identityAccountId: string | null;
  identityPrincipalId: string | null;
  identityUserName: string | null;
  identityAccessKeyId: string | null;
  sessionIssuerArn: string | null;
  sessionCreationDate: Date | null;
  mfaAuthenticated: boolean;
  sourceIdentity: string | null;
  sourceIPAddress: string | null;
  userAgent: string | null;
  requestParameters: string | null;
  responseElements: string | null;
  resources: string | null;
  errorCode: string | null;
  errorMessage: string | null;
}

const parseJson = (text: string | null): unknown => {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** eventTime as CloudTrail prints it: seconds precision, Z. */
const cloudTrailTime = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

export function resourcesOf(row: Pick<AuditRow, "resources">): { ARN: string; accountId?: string; type?: string }[] {
  const parsed = parseJson(row.resources);
  return Array.isArray(parsed) ? (parsed as { ARN: string; accountId?: string; type?: string }[]) : [];
}

/** The record as CloudTrail delivers it (userIdentity with sessionContext for role sessions). */
export function toCloudTrailRecord(row: AuditRow): Record<string, unknown> {
  const userIdentity: Record<string, unknown> = { type: row.identityType };
  if (row.identityPrincipalId) userIdentity.principalId = row.identityPrincipalId;
  if (row.identityArn) userIdentity.arn = row.identityArn;
  if (row.identityAccountId) userIdentity.accountId = row.identityAccountId;
  if (row.identityAccessKeyId) userIdentity.accessKeyId = row.identityAccessKeyId;
  if (row.identityUserName) userIdentity.userName = row.identityUserName;
  if (row.identityType !== "Unknown") {
    const sessionContext: Record<string, unknown> = {};
    if (row.sessionIssuerArn) {
      const roleId = row.identityPrincipalId?.split(":")[0];
      sessionContext.sessionIssuer = {
        type: "Role",
        ...(roleId ? { principalId: roleId } : {}),
        arn: row.sessionIssuerArn,
        accountId: row.sessionIssuerArn.split(":")[4],
        userName: row.sessionIssuerArn.split("/").pop(),
      };
    }
    sessionContext.attributes = {
      ...(row.sessionCreationDate ? { creationDate: cloudTrailTime(row.sessionCreationDate) } : {}),
      mfaAuthenticated: String(row.mfaAuthenticated),
    };
    if (row.sourceIdentity) sessionContext.sourceIdentity = row.sourceIdentity;
    userIdentity.sessionContext = sessionContext;
  }
  const record: Record<string, unknown> = {
    eventVersion: "1.09",
    userIdentity,
    eventTime: cloudTrailTime(row.eventTime),
    eventSource: row.eventSource,
    eventName: row.eventName,
    awsRegion: row.awsRegion,
    sourceIPAddress: row.sourceIPAddress,
    userAgent: row.userAgent,
  };
  if (row.errorCode) record.errorCode = row.errorCode;
  if (row.errorMessage) record.errorMessage = row.errorMessage;
  Object.assign(record, {
    requestParameters: parseJson(row.requestParameters),
    responseElements: parseJson(row.responseElements),
    requestID: row.requestId,
    eventID: row.id,
    readOnly: row.readOnly,
    ...(row.resources ? { resources: resourcesOf(row) } : {}),
    eventType: row.eventType,
    managementEvent: row.eventCategory === "Management",
    recipientAccountId: row.recipientAccountId,
    eventCategory: row.eventCategory,
  });
  return record;
}

// ---------------------------------------------------------------------------
// LookupEvents

export interface LookupEventsInput {
  q?: string;
  cursor?: string;
  pageSize?: number;
}

export interface LookupEventsResult {
  items: AuditRow[];
  total: number;
  /** How many events precede this page (for "51-100 of N"). */
  offset: number;
  nextCursor?: string;
  filter: AuditFilter;
}

type Cursor = { t: string; id: string; o: number };

function decodeAuditCursor(cursor: string | undefined): Cursor | undefined {
  if (!cursor) return undefined;
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as Cursor;
    if (typeof v.t === "string" && typeof v.id === "string" && Number.isInteger(v.o) && !Number.isNaN(Date.parse(v.t))) return v;
  } catch {
    // fall through
  }
  throw new IamError("InvalidInput", "The next token is not valid. Start again from the first page.");
}

const encodeAuditCursor = (c: Cursor) => Buffer.from(JSON.stringify(c), "utf8").toString("base64url");

const lookupSpec = <T>(parameters: unknown, run: OperationSpec<T>["run"], response?: (d: T) => unknown): OperationSpec<T> => ({
  service: "cloudtrail",
  name: "LookupEvents",
  readOnly: true,
  // LookupEvents has no resource-level permissions: AWS authorizes it on "*".
  resource: { arn: "*" },
  parameters,
  run,
  response,
});

export function lookupEvents(principal: { accountId: string }, input: LookupEventsInput): OperationSpec<LookupEventsResult> {
  const pageSize = Math.min(Math.max(input.pageSize ?? AUDIT_PAGE_SIZE, 1), 200);
  return lookupSpec(
    { lookupAttributes: input.q ?? null, maxResults: pageSize, ...(input.cursor ? { nextToken: input.cursor } : {}) },
    async ({ tx }) => {
      const filter = parseAuditFilter(input.q);
      const after = decodeAuditCursor(input.cursor);
      const where = whereOf(principal.accountId, filter);
      const t = after ? new Date(after.t) : undefined;
      const pageWhere: Prisma.AuditEventWhereInput =
        after && t ? { AND: [where, { OR: [{ eventTime: { lt: t } }, { eventTime: t, id: { lt: after.id } }] }] } : where;
      const [rows, total] = await Promise.all([
        tx.auditEvent.findMany({ where: pageWhere, orderBy: [{ eventTime: "desc" }, { id: "desc" }], take: pageSize + 1 }),
        tx.auditEvent.count({ where }),
      ]);
      const items = rows.slice(0, pageSize) as AuditRow[];
      const offset = after?.o ?? 0;
      const last = items[items.length - 1];
      const nextCursor =
        rows.length > pageSize && last ? encodeAuditCursor({ t: last.eventTime.toISOString(), id: last.id, o: offset + items.length }) : undefined;
      return { items, total, offset, filter, ...(nextCursor ? { nextCursor } : {}) };
    },
    (d) => ({ events: d.items.length, total: d.total }),
  );
}

/** One event (CloudTrail's LookupEvents with the EventId attribute), in the caller's account. */
export function getAuditEvent(principal: { accountId: string }, input: { eventId: string }): OperationSpec<AuditRow> {
  return lookupSpec({ lookupAttributes: [{ attributeKey: "EventId", attributeValue: input.eventId }] }, async ({ tx }) => {
    const row = await tx.auditEvent.findFirst({ where: { id: input.eventId, recipientAccountId: principal.accountId } });
    if (!row) throw new IamError("InvalidInput", `No event with ID ${input.eventId} in this account.`);
    return row as AuditRow;
  });
}
