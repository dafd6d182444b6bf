import "server-only";
// Policy generation from activity, as IAM Access Analyzer does it from
// CloudTrail: StartPolicyGeneration names a user or role and a period (up to
// 90 days); GetGeneratedPolicy reads that principal's events of the period
// from the event history (a user's own calls; a role's by every session of
// it), in keyset pages of PAGE events so that no more than one page is ever in
// memory, turns each into the permissions it needed, and drafts the policy by
// the rule in ./policy-draft.ts.
//
// The permissions of a call: the gate's own record of it (AuditEvent.gateDecisions:
// the operation's action and every check made inside it, such as iam:PassRole)
// where the event has one, else the action its API call needs (./event-actions.ts).
// Allowed, denied (a denied call is one it needed) and report-only would-be
// denials all count. Sign-in events and calls that need no permission do not.
//
// The job holds no state: its ID carries the principal and the period (the end
// fixed when it started), so GetGeneratedPolicy answers the same for the same
// job while the events of the period stay. Reading stops after MAX_EVENTS
// events or MAX_DISTINCT distinct (action, resource) pairs; the result then
// says isComplete: false.
import { z } from "zod";
import type { Tx } from "@/lib/db/client";
import { IamError } from "@/lib/iam/errors";
import type { OperationSpec } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";
import { actionOfCall, resourcesOfCall, serviceOfSource } from "./event-actions";
import { draftPolicy, type ObservedCall, type PolicyDraft } from "./policy-draft";
import { splitPolicy } from "./policy-split";

export const MAX_PERIOD_DAYS = 90;
const DAY = 24 * 60 * 60 * 1000;
const PAGE = 500;
export const MAX_EVENTS = 200_000;
export const MAX_DISTINCT = 20_000;
const DENIAL_CODES = new Set(["AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "Client.UnauthorizedOperation"]);

const invalid = (message: string) => new IamError("ValidationException", message);

// ---------------------------------------------------------------- the job

export interface StartPolicyGenerationInput {
  policyGenerationDetails: { principalArn: string };
  cloudTrailDetails?: { startTime: Date; endTime?: Date; accessRole?: string; trails?: { cloudTrailArn: string; regions?: string[]; allRegions?: boolean }[] };
  clientToken?: string;
}

interface Job {
  /** The principal's ARN. */
  p: string;
  /** Period start and end (ms), and when the job started. */
  s: number;
  e: number;
  t: number;
}

const encodeJob = (j: Job) => Buffer.from(JSON.stringify(j), "utf8").toString("base64url");

const JobShape = z.object({ p: z.string().max(2048), s: z.number().int(), e: z.number().int(), t: z.number().int() });

export function decodeJobId(jobId: string): Job {
  try {
    const parsed = JobShape.safeParse(JSON.parse(Buffer.from(jobId, "base64url").toString("utf8")));
    if (parsed.success && parsed.data.s < parsed.data.e) return parsed.data;
  } catch {
    // fall through
  }
  throw invalid(`Job ${jobId.slice(0, 64)} does not exist. Start a policy generation and use the jobId it returns.`);
}

type Target = { kind: "user"; arn: string; name: string } | { kind: "role"; arn: string; name: string };

const PRINCIPAL_ARN = /^arn:aws:iam::(\d{12}):(user|role)\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]{1,128})$/;

/** The user or role of the caller's account the ARN names (ValidationException otherwise, as Access Analyzer answers). */
async function targetOf(tx: Tx, caller: Principal, principalArn: string): Promise<Target> {
  const m = PRINCIPAL_ARN.exec(principalArn);
  if (!m) throw invalid(`Invalid principalArn ${principalArn}: give the ARN of an IAM user or role, e.g. arn:aws:iam::${caller.accountId}:user/alice.`);
  if (m[1] !== caller.accountId) throw invalid(`The principal ${principalArn} is not in account ${caller.accountId}: policies are generated from this account's own events.`);
  if (m[2] === "user") {
    const u = await tx.iamUser.findUnique({ where: { arn: principalArn }, select: { arn: true, name: true } });
    if (!u) throw invalid(`The user ${principalArn} does not exist.`);
    return { kind: "user", arn: u.arn, name: u.name };
  }
  const r = await tx.role.findUnique({ where: { arn: principalArn }, select: { arn: true, name: true } });
  if (!r) throw invalid(`The role ${principalArn} does not exist.`);
  return { kind: "role", arn: r.arn, name: r.name };
}

/** The period, as Access Analyzer checks it: a start, an end after it (now by default, never later), at most 90 days. */
function periodOf(input: StartPolicyGenerationInput, now: Date): { start: Date; end: Date } {
  const start = input.cloudTrailDetails?.startTime;
  if (!start) throw invalid("Choose the start of the period (cloudTrailDetails.startTime) whose activity the policy is generated from.");
  const end = input.cloudTrailDetails?.endTime && input.cloudTrailDetails.endTime < now ? input.cloudTrailDetails.endTime : now;
  if (start >= end) throw invalid("The start of the period must be before its end (and before now).");
  if (end.getTime() - start.getTime() > MAX_PERIOD_DAYS * DAY) throw invalid(`The period can be at most ${MAX_PERIOD_DAYS} days.`);
  return { start, end };
}

export function startPolicyGeneration(principal: Principal, input: StartPolicyGenerationInput): OperationSpec<{ jobId: string }> {
  return {
    service: "access-analyzer",
    name: "StartPolicyGeneration",
    readOnly: false,
    // StartPolicyGeneration has no resource type: AWS authorizes it on "*".
    resource: { arn: "*" },
    parameters: {
      policyGenerationDetails: { principalArn: input.policyGenerationDetails.principalArn },
      ...(input.cloudTrailDetails
        ? { cloudTrailDetails: { startTime: input.cloudTrailDetails.startTime.toISOString(), endTime: input.cloudTrailDetails.endTime?.toISOString() ?? null } }
        : {}),
    },
    async run({ tx, authorize }) {
      const now = new Date();
      const target = await targetOf(tx, principal, input.policyGenerationDetails.principalArn);
      const { start, end } = periodOf(input, now);
      // Access Analyzer reads the trail as the service role you pass it.
      const role = input.cloudTrailDetails?.accessRole;
      if (role) {
        if (!/^arn:aws:iam::\d{12}:role\/.{1,576}$/.test(role)) throw invalid(`Invalid accessRole ${role}: give a role ARN.`);
        await authorize("iam:PassRole", { arn: role }, { "iam:PassedToService": "access-analyzer.amazonaws.com" });
      }
      return { jobId: encodeJob({ p: target.arn, s: start.getTime(), e: end.getTime(), t: now.getTime() }) };
    },
    response: (r) => ({ jobId: r.jobId }),
  };
}

// ---------------------------------------------------------------- reading the activity

interface GateEntry {
  action: string;
  resource: string;
  decision?: string;
  enforced?: boolean;
}

function gateEntries(raw: string | null): GateEntry[] | null {
  if (!raw) return null;
  try {
    const list = JSON.parse(raw) as unknown;
    if (!Array.isArray(list)) return null;
    const out = list.filter((e): e is GateEntry => !!e && typeof e === "object" && typeof (e as GateEntry).action === "string" && typeof (e as GateEntry).resource === "string");
    return out.length ? out : null;
  } catch {
    return null;
  }
}

const parse = (raw: string | null): unknown => {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
};

type EventRow = {
  id: string;
  eventTime: Date;
  eventSource: string;
  eventName: string;
  eventType: string;
  errorCode: string | null;
  resources: string | null;
  requestParameters: string | null;
  gateDecisions: string | null;
  wouldBeDenied: boolean;
};

/** The permissions one recorded call needed: (action, resource, refused?, let through by report-only?). */
export function permissionsOfEvent(row: Omit<EventRow, "id" | "eventTime">): { action: string; resource: string; denied: boolean; wouldBeDenied: boolean }[] {
  if (row.eventType !== "AwsApiCall") return [];
  const service = serviceOfSource(row.eventSource);
  if (!service) return [];
  const gate = gateEntries(row.gateDecisions);
  const action = actionOfCall(service, row.eventName);
  const recorded = (parse(row.resources) as { ARN: string }[] | undefined) ?? [];
  const arns = resourcesOfCall(row.eventName, Array.isArray(recorded) ? recorded : [], parse(row.requestParameters));
  const denied = !!row.errorCode && DENIAL_CODES.has(row.errorCode);
  if (gate) {
    const out = gate.map((g) => ({
      action: g.action,
      resource: g.resource || "*",
      denied: g.enforced !== false && !!g.decision && g.decision !== "Allowed",
      wouldBeDenied: g.enforced === false && g.decision !== "Allowed",
    }));
    // A refused call stops at its first refusal: the resources it named past that one
    // (DeleteObjects' further keys) were asked for too, and are needed as much.
    if (action && denied)
      for (const arn of arns)
        if (!out.some((p) => p.resource === arn && p.action.toLowerCase() === action.toLowerCase())) out.push({ action, resource: arn, denied: true, wouldBeDenied: false });
    return out;
  }
  if (!action) return [];
  return (arns.length ? arns : ["*"]).map((resource) => ({ action, resource, denied, wouldBeDenied: row.wouldBeDenied }));
}

export interface Activity {
  calls: ObservedCall[];
  eventsRead: number;
  complete: boolean;
}

/** The principal's calls of the period, aggregated per (action, resource), read in keyset pages oldest first. */
export async function activityOf(tx: Tx, accountId: string, target: Target, start: Date, end: Date): Promise<Activity> {
  const who = target.kind === "user" ? { identityArn: target.arn } : { roleName: target.name, sessionIssuerArn: target.arn };
  const where = { recipientAccountId: accountId, ...who, eventTime: { gte: start, lt: end } };
  const calls = new Map<string, ObservedCall>();
  let after: { t: Date; id: string } | undefined;
  let eventsRead = 0;
  let complete = true;
  for (;;) {
    const rows: EventRow[] = await tx.auditEvent.findMany({
      where: after ? { AND: [where, { OR: [{ eventTime: { gt: after.t } }, { eventTime: after.t, id: { gt: after.id } }] }] } : where,
      orderBy: [{ eventTime: "asc" }, { id: "asc" }],
      take: PAGE,
      select: { id: true, eventTime: true, eventSource: true, eventName: true, eventType: true, errorCode: true, resources: true, requestParameters: true, gateDecisions: true, wouldBeDenied: true },
    });
    for (const row of rows) {
      eventsRead++;
      for (const p of permissionsOfEvent(row)) {
        const key = `${p.action.toLowerCase()}\n${p.resource}`;
        let c = calls.get(key);
        if (!c) {
          if (calls.size >= MAX_DISTINCT) {
            complete = false;
            continue;
          }
          c = { action: p.action, resource: p.resource, calls: 0, denied: 0, wouldBeDenied: 0 };
          calls.set(key, c);
        }
        c.calls++;
        if (p.denied) c.denied++;
        if (p.wouldBeDenied) c.wouldBeDenied++;
      }
    }
    if (rows.length < PAGE) break;
    if (eventsRead >= MAX_EVENTS) {
      complete = false;
      break;
    }
    const last = rows[rows.length - 1]!;
    after = { t: last.eventTime, id: last.id };
  }
  return { calls: [...calls.values()], eventsRead, complete };
}

// ---------------------------------------------------------------- the result

export interface GeneratedPolicyResponse {
  jobDetails: { jobId: string; status: "SUCCEEDED"; startedOn: Date; completedOn: Date };
  generatedPolicyResult: {
    properties: { isComplete: boolean; principalArn: string; cloudTrailProperties: { trailProperties: never[]; startTime: Date; endTime: Date } };
    generatedPolicies: { policy: string }[];
  };
  /** IAM Lab's own: what the draft was made from (the recorded calls, per statement). */
  activity: {
    principal: Target;
    eventsRead: number;
    calls: ObservedCall[];
    evidence: PolicyDraft["evidence"];
    unknownActions: string[];
  };
}

export interface GetGeneratedPolicyInput {
  jobId: string;
  includeResourcePlaceholders?: boolean;
  includeServiceLevelTemplate?: boolean;
}

export function getGeneratedPolicy(principal: Principal, input: GetGeneratedPolicyInput): OperationSpec<GeneratedPolicyResponse> {
  return {
    service: "access-analyzer",
    name: "GetGeneratedPolicy",
    readOnly: true,
    resource: { arn: "*" },
    parameters: { jobId: input.jobId },
    async run({ tx, authorize }) {
      const job = decodeJobId(input.jobId);
      // The activity is the event history: reading it is cloudtrail:LookupEvents.
      await authorize("cloudtrail:LookupEvents", { arn: "*" });
      const target = await targetOf(tx, principal, job.p);
      const start = new Date(job.s);
      const end = new Date(job.e);
      const activity = await activityOf(tx, principal.accountId, target, start, end);
      const draft = await draftPolicy(activity.calls, principal.accountId);
      const calls = [...activity.calls].sort((a, b) => (a.action === b.action ? (a.resource < b.resource ? -1 : 1) : a.action < b.action ? -1 : 1));
      return {
        jobDetails: { jobId: input.jobId, status: "SUCCEEDED", startedOn: new Date(job.t), completedOn: new Date() },
        generatedPolicyResult: {
          properties: { isComplete: activity.complete, principalArn: target.arn, cloudTrailProperties: { trailProperties: [], startTime: start, endTime: end } },
          // Several when one would exceed a managed policy's size (./policy-split.ts), as Access Analyzer answers.
          generatedPolicies: splitPolicy(draft.document).map((d) => ({ policy: JSON.stringify(d, null, 2) })),
        },
        activity: { principal: target, eventsRead: activity.eventsRead, calls, evidence: draft.evidence, unknownActions: draft.unknownActions },
      };
    },
    response: (r) => ({ jobDetails: { status: r.jobDetails.status }, generatedPolicies: r.generatedPolicyResult.generatedPolicies.length }),
  };
}
