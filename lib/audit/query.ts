import "server-only";
// CloudTrail's "Event history" for the console: LookupEvents over the audit
// records of the caller's account, newest first, keyset-paged on (eventTime, id)
// so every page is one indexed range read however many events there are.
// Reading it is cloudtrail:LookupEvents, asked of the gate like any other read.
import type { OperationSpec } from "@/lib/iam/operation";
import type { Prisma, Tx } from "@/lib/db/client";
import { IamError } from "@/lib/iam/errors";
import { parseGateRecords } from "@/lib/iam/gate-record";
import { activityOf, type Activity } from "./activity";
import { canonicalEventName } from "./event-names";
import { auditWhere, parseAuditFilter, type AuditFilter } from "./filter";

export const AUDIT_PAGE_SIZE = 50;
/** Counting stops here: "1-50 of 10,000+" costs the same at 5 million events as at 10 thousand. */
export const AUDIT_COUNT_LIMIT = 10_000;

export { AUDIT_FILTER_HELP, parseAuditFilter, type AuditFilter } from "./filter";

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
  roleName?: string | null;
  roleSessionName?: string | null;
  resourceName?: string | null;
  resourceType?: string | null;
  /** The gate's decisions (lib/iam/gate-record.ts), JSON. */
  gateDecisions?: string | null;
  /** Report-only let a denial through (lib/iam/report-only.ts). */
  wouldBeDenied?: boolean;
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
  // An unsigned request: CloudTrail names no principal, only the "anonymous" account.
  if (row.identityType === "Anonymous") return cloudTrailRecord(row, { type: "AWSAccount", principalId: "", accountId: "anonymous" });
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
  return cloudTrailRecord(row, userIdentity);
}

function cloudTrailRecord(row: AuditRow, userIdentity: Record<string, unknown>): Record<string, unknown> {
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
  // IAM Lab's own field (not CloudTrail's): what the gate decided for each
  // permission the request needed; wouldBeDenied marks a request that the
  // account's report-only switch let through although a policy denied it.
  const decisions = parseGateRecords(row.gateDecisions);
  if (decisions.length > 0 || row.wouldBeDenied) record.iamLabAuthorization = { wouldBeDenied: row.wouldBeDenied ?? false, decisions };
  return record;
}

// ---------------------------------------------------------------------------
// LookupEvents

export interface LookupEventsInput {
  q?: string;
  /** The switch: show successful read-only events too (the history opens on changes and errors). */
  includeReadOnly?: boolean;
  from?: Date;
  to?: Date;
  cursor?: string;
  pageSize?: number;
  /** Also count events per hour (allowed vs denied) under the same filter, for the activity chart. */
  withActivity?: boolean;
}

export interface LookupEventsResult {
  items: AuditRow[];
  /** How many events match, counted up to AUDIT_COUNT_LIMIT (see totalIsLowerBound). */
  total: number;
  totalIsLowerBound: boolean;
  /** How many events precede this page (for "51-100 of N"). */
  offset: number;
  nextCursor?: string;
  filter: AuditFilter;
  activity?: Activity;
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

/** The next token of a page that starts after (eventTime, id), `offset` events in (for benchmarks and links into the past). */
export const auditCursorAt = (eventTime: Date, id: string, offset: number) => encodeAuditCursor({ t: eventTime.toISOString(), id, o: offset });

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

/** The filter of a lookup, with the event name in AWS's spelling. */
export async function resolveFilter(input: Pick<LookupEventsInput, "q" | "includeReadOnly" | "from" | "to">): Promise<AuditFilter> {
  const filter = parseAuditFilter(input.q, input);
  if (filter.eventName) filter.eventName = await canonicalEventName(filter.eventName);
  return filter;
}

/** Rows after a (time, id) position, newest first: one keyset range read on an index ending in eventTime. */
export function pageAfter(tx: Tx, where: Prisma.AuditEventWhereInput, after: { t: Date; id: string } | undefined, take: number) {
  // The bound eventTime <= t lets the database seek its (…, eventTime) index to the cursor;
  // the OR alone made SQLite walk every newer entry (2 s for a page 90% back at 5M events).
  const pageWhere: Prisma.AuditEventWhereInput = after
    ? { AND: [where, { eventTime: { lte: after.t } }, { OR: [{ eventTime: { lt: after.t } }, { eventTime: after.t, id: { lt: after.id } }] }] }
    : where;
  return tx.auditEvent.findMany({ where: pageWhere, orderBy: [{ eventTime: "desc" }, { id: "desc" }], take }) as Promise<AuditRow[]>;
}

const lookupParameters = (input: LookupEventsInput, pageSize?: number) => ({
  lookupAttributes: input.q ?? null,
  ...(input.includeReadOnly ? { includeReadOnly: true } : {}),
  ...(input.from ? { startTime: input.from } : {}),
  ...(input.to ? { endTime: input.to } : {}),
  ...(pageSize ? { maxResults: pageSize } : {}),
  ...(input.cursor ? { nextToken: input.cursor } : {}),
});

export function lookupEvents(principal: { accountId: string }, input: LookupEventsInput): OperationSpec<LookupEventsResult> {
  const pageSize = Math.min(Math.max(input.pageSize ?? AUDIT_PAGE_SIZE, 1), 200);
  return lookupSpec(
    lookupParameters(input, pageSize),
    async ({ tx }) => {
      const filter = await resolveFilter(input);
      const after = decodeAuditCursor(input.cursor);
      const where = auditWhere(principal.accountId, filter);
      const [rows, counted, activity] = await Promise.all([
        pageAfter(tx, where, after ? { t: new Date(after.t), id: after.id } : undefined, pageSize + 1),
        // In the page's own order: a capped count without it is ordered by id, which at
        // millions of events made SQLite walk the primary key (4 s instead of 4 ms at 5M).
        tx.auditEvent.count({ where, take: AUDIT_COUNT_LIMIT + 1, orderBy: [{ eventTime: "desc" }, { id: "desc" }] }),
        input.withActivity ? activityOf(tx, principal.accountId, filter) : undefined,
      ]);
      const items = rows.slice(0, pageSize);
      const offset = after?.o ?? 0;
      const last = items[items.length - 1];
      const nextCursor =
        rows.length > pageSize && last ? encodeAuditCursor({ t: last.eventTime.toISOString(), id: last.id, o: offset + items.length }) : undefined;
      // Past the counting limit, the offset of a deep page is still a true lower bound.
      const total = Math.max(Math.min(counted, AUDIT_COUNT_LIMIT), offset + items.length);
      return {
        items,
        total,
        totalIsLowerBound: counted > AUDIT_COUNT_LIMIT,
        offset,
        filter,
        ...(nextCursor ? { nextCursor } : {}),
        ...(activity ? { activity } : {}),
      };
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
