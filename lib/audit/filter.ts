// The event history's filter: what the filter box understands, and the Prisma
// condition it becomes. Every term maps to an indexed column
// (prisma/schema.prisma, AuditEvent), so a filtered page stays one range read.
import type { Prisma } from "@/lib/db/client";
import { IamError } from "@/lib/iam/errors";
import { resourceIdentityOf } from "./resource-names";

/** What the filter box understands: `DeleteObject user:S3ElevatedAccess error:AccessDenied access:write decision:would-be-denied`. */
export interface AuditFilter {
  eventName?: string;
  /** A user name, role name or role-session name, or any identity ARN (user, role, assumed-role session). */
  user?: string;
  accessKeyId?: string;
  /** A resource's name (alice, my-bucket, my-bucket/key) or ARN. */
  resource?: string;
  /** A CloudTrail resource type, e.g. AWS::IAM::User, AWS::S3::Object. */
  resourceType?: string;
  /** An error code, or "*" for any error. */
  errorCode?: string;
  /** decision:would-be-denied: only requests report-only let through that policies would have denied. */
  wouldBeDenied?: boolean;
  /** access:read / access:write: only read-only events, or only changes. */
  readOnly?: boolean;
  /** Read-only events that succeeded are shown only when asked for (the switch, access:read, or an event name). */
  includeReadOnly?: boolean;
  from?: Date;
  to?: Date;
}

export const AUDIT_FILTER_HELP =
  "An event name (e.g. DeleteObject, any case), and any of user:NAME (user, role or session name, or an ARN), accesskey:ID, resource:NAME or resource:ARN, type:AWS::S3::Object, error:CODE (error:* for any error), access:read or access:write, decision:would-be-denied (report-only mode's would-be denials).";

const KEYS = ["event", "user", "accesskey", "resource", "type", "error", "access", "decision"] as const;

/** Parses the filter box. Unknown `key:` prefixes are refused, so a typo never silently shows everything. */
export function parseAuditFilter(q: string | undefined, extra: Pick<AuditFilter, "includeReadOnly" | "from" | "to"> = {}): AuditFilter {
  const filter: AuditFilter = {};
  for (const term of (q ?? "").trim().split(/\s+/).filter(Boolean)) {
    const m = /^([a-z]+):(.*)$/i.exec(term);
    const key = m?.[1]!.toLowerCase();
    if (!m) {
      filter.eventName = term;
      continue;
    }
    if (!(KEYS as readonly string[]).includes(key!)) throw new IamError("InvalidInput", `Unknown filter ${m[1]}:. ${AUDIT_FILTER_HELP}`);
    const value = m[2]!;
    if (!value) throw new IamError("InvalidInput", `The filter ${key}: needs a value. ${AUDIT_FILTER_HELP}`);
    if (key === "event") filter.eventName = value;
    else if (key === "user") filter.user = value;
    else if (key === "accesskey") filter.accessKeyId = value;
    else if (key === "resource") filter.resource = value;
    else if (key === "type") filter.resourceType = value;
    else if (key === "error") filter.errorCode = value;
    else if (key === "decision") {
      if (!/^would-?be-?denied$/i.test(value)) throw new IamError("InvalidInput", `decision: takes would-be-denied, not ${value}.`);
      filter.wouldBeDenied = true;
    }
    else if (/^(read|read-?only|true)$/i.test(value)) filter.readOnly = true;
    else if (/^(write|false)$/i.test(value)) filter.readOnly = false;
    else if (/^all$/i.test(value)) filter.includeReadOnly = true;
    else throw new IamError("InvalidInput", `access: takes read, write or all, not ${value}.`);
  }
  if (extra.includeReadOnly) filter.includeReadOnly = true;
  if (extra.from) filter.from = extra.from;
  if (extra.to) filter.to = extra.to;
  if (filter.from && filter.to && filter.from > filter.to) throw new IamError("InvalidInput", "The start of the time range is after its end.");
  return filter;
}

/** Whether the filter shows successful read-only events (otherwise the history shows changes and errors); a would-be denial is never hidden. */
export const showsReads = (f: AuditFilter) => f.includeReadOnly === true || f.readOnly === true || f.eventName !== undefined || f.wouldBeDenied === true;

/** The Prisma condition of a filter in one account. */
export function auditWhere(accountId: string, f: AuditFilter): Prisma.AuditEventWhereInput {
  const and: Prisma.AuditEventWhereInput[] = [{ recipientAccountId: accountId }];
  if (f.eventName) and.push({ eventName: f.eventName });
  if (f.user) {
    if (f.user.startsWith("arn:")) and.push({ OR: [{ identityArn: f.user }, { sessionIssuerArn: f.user }] });
    else and.push({ OR: [{ identityUserName: f.user }, { roleName: f.user }, { roleSessionName: f.user }] });
  }
  if (f.accessKeyId) and.push({ identityAccessKeyId: f.accessKeyId });
  if (f.resource) {
    const named = f.resource.startsWith("arn:") ? resourceIdentityOf(f.resource) : null;
    if (named) and.push({ resourceName: named.name, ...(named.type ? { resourceType: named.type } : {}) });
    else and.push({ resourceName: f.resource });
  }
  if (f.resourceType) and.push({ resourceType: f.resourceType });
  if (f.errorCode === "*") and.push({ errorCode: { not: null } });
  else if (f.errorCode) and.push({ errorCode: f.errorCode });
  if (f.wouldBeDenied) and.push({ wouldBeDenied: true });
  if (f.readOnly !== undefined) and.push({ readOnly: f.readOnly });
  else if (!showsReads(f)) and.push({ OR: [{ readOnly: false }, { errorCode: { not: null } }] });
  if (f.from || f.to) and.push({ eventTime: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lte: f.to } : {}) } });
  return and.length === 1 ? and[0]! : { AND: and };
}
