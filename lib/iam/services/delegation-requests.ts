import "server-only";
// IAM delegation requests (AWS's temporary delegation for partners, 2025): a
// partner (the requestor account) asks for temporary access to a customer's
// account with CreateDelegationRequest; an identity of the customer's account
// associates the request (it becomes the owner), may pass it on for approval
// (UpdateDelegationRequest: PENDING_APPROVAL), accepts or rejects it, and sends
// the trade-in token (SendDelegationToken: FINALIZED) that the partner trades
// for credentials with sts:GetDelegatedAccessToken.
//
// States, as AWS names them: UNASSIGNED -> ASSIGNED -> (PENDING_APPROVAL) ->
// ACCEPTED -> FINALIZED; REJECTED from any state before FINALIZED; EXPIRED once
// past the expiration time without being finalized.
//
// Who sees a request (GetDelegationRequest, GetHumanReadableSummary): its
// requestor account; any account while it has no owner account; only the owner
// account once one is set (AWS: "only identities within that owner account").
//
// Partner policy templates are registered with AWS during onboarding; IAM Lab
// has no such registry, so PolicyTemplateArn names a managed policy the
// requestor can see, whose default version is the permission policy.
import crypto from "node:crypto";
import { z } from "zod";
import type { Tx } from "@/lib/db/client";
import { decryptSecret, digest, encryptSecret } from "@/lib/crypto/secrets";
import { IamError, noSuchEntity } from "@/lib/iam/errors";
import type { OperationSpec } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";
import { awsString, cursor, formBoolean, listOf, pageSize, validationMessage } from "@/lib/iam/validation";
import { decodeCursor, encodeCursor } from "./common";

const optional = <S extends z.ZodType>(schema: S) => z.preprocess((x) => (x === "" || x === null ? undefined : x), schema.optional());
const TEXT = /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/;
const TEXT_TEXT = "[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*";

export const delegationRequestId = awsString("delegationRequestId", { min: 16, max: 128, pattern: /^[\w-]+$/, patternText: "[\\w-]+" });
const notes = awsString("notes", { max: 500, pattern: TEXT, patternText: TEXT_TEXT });

const policyParameter = z.object({
  name: awsString("permissions.parameters.member.name", { min: 5, max: 256, pattern: /^[ -~]+$/, patternText: "[ -~]+" }),
  values: optional(listOf(awsString("permissions.parameters.member.values.member", { pattern: /^[ -~]+$/, patternText: "[ -~]+" }))),
  type: optional(z.enum(["string", "stringList"], { error: validationMessage("permissions.parameters.member.type", undefined, "Member must satisfy enum value set: [string, stringList]") })),
});

export const CreateDelegationRequestInput = z.object({
  ownerAccountId: optional(awsString("ownerAccountId", { pattern: /^\d{12}$/, patternText: "\\d{12}" })),
  description: awsString("description", { max: 1000, pattern: TEXT, patternText: TEXT_TEXT }),
  permissions: z.object(
    {
      policyTemplateArn: optional(awsString("permissions.policyTemplateArn", { min: 20, max: 2048 })),
      parameters: optional(listOf(policyParameter).refine((l) => l.length <= 50, validationMessage("permissions.parameters", undefined, "Member must have length less than or equal to 50"))),
    },
    { error: validationMessage("permissions", undefined, "Member must not be null") },
  ),
  requestMessage: optional(awsString("requestMessage", { max: 200, pattern: TEXT, patternText: TEXT_TEXT })),
  requestorWorkflowId: awsString("requestorWorkflowId", { min: 5, max: 400, pattern: /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]+$/, patternText: "[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]+" }),
  redirectUrl: optional(
    awsString("redirectUrl", {
      min: 1,
      max: 255,
      pattern: /^http(s?):\/\/[a-zA-Z0-9._/-]*(\?[a-zA-Z0-9._=&-]*)?(#[a-zA-Z0-9._/-]*)?$/,
      patternText: "^http(s?)://[a-zA-Z0-9._/-]*(\\?[a-zA-Z0-9._=&-]*)?(#[a-zA-Z0-9._/-]*)?$",
    }),
  ),
  notificationChannel: awsString("notificationChannel", { min: 2, max: 400, pattern: /^[a-zA-Z0-9:_.-]+$/, patternText: "^[a-zA-Z0-9:_.-]+$" }),
  sessionDuration: z.coerce
    .number({ error: validationMessage("sessionDuration", undefined, "Member must be a number") })
    .int(validationMessage("sessionDuration", undefined, "Member must be a whole number"))
    .min(300, { error: (i) => validationMessage("sessionDuration", String(i.input), "Member must have value greater than or equal to 300") })
    .max(43200, { error: (i) => validationMessage("sessionDuration", String(i.input), "Member must have value less than or equal to 43200") }),
  onlySendByOwner: optional(formBoolean),
});
export const DelegationRequestIdInput = z.object({ delegationRequestId });
export const GetDelegationRequestInput = z.object({ delegationRequestId, delegationPermissionCheck: optional(formBoolean) });
export const DelegationRequestNotesInput = z.object({ delegationRequestId, notes: optional(notes) });
export const ListDelegationRequestsInput = z.object({
  ownerId: optional(awsString("ownerId", { min: 20, max: 2048, pattern: /^[a-zA-Z0-9:/+=,.@_-]+$/, patternText: "^[a-zA-Z0-9:/+=,.@_-]+$" })),
  marker: optional(cursor),
  maxItems: optional(pageSize),
});

export type DelegationState = "UNASSIGNED" | "ASSIGNED" | "PENDING_APPROVAL" | "ACCEPTED" | "REJECTED" | "FINALIZED" | "EXPIRED";

/** How long a request waits for its owner's decision, and a trade-in token for the partner. */
const REQUEST_LIFETIME_MS = 7 * 86_400_000;
const TRADE_IN_TOKEN_LIFETIME_MS = 15 * 60_000;
/** Open (not finalized, rejected or expired) requests one requestor account may have. */
const OPEN_REQUESTS_QUOTA = 100;

const SNS_TOPIC = /^arn:aws:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/;

type Row = NonNullable<Awaited<ReturnType<Tx["delegationRequest"]["findUnique"]>>>;

/** The state as the request is now: a request past its expiration time that was not finalized has expired. */
export function stateOf(row: Pick<Row, "state" | "expiresAt">, now = new Date()): DelegationState {
  const s = row.state as DelegationState;
  return s !== "FINALIZED" && s !== "EXPIRED" && row.expiresAt.getTime() <= now.getTime() ? "EXPIRED" : s;
}

/** A delegation request's ARN as the gate sees it, in the caller's account. */
export const delegationRequestArn = (accountId: string, id: string) => `arn:aws:iam::${accountId}:delegation-request/${id}`;

const notFound = (id: string) => noSuchEntity(`Delegation request ${id} not found.`);

/** The request when the caller's account may see it (see the header), NoSuchEntity otherwise. */
async function visibleRequest(tx: Tx, principal: Principal, id: string): Promise<Row> {
  const row = await tx.delegationRequest.findUnique({ where: { id } });
  if (!row) throw notFound(id);
  const mine = row.requestorAccountId === principal.accountId || row.ownerAccountId === null || row.ownerAccountId === principal.accountId;
  if (!mine) throw notFound(id);
  return row;
}

/** For the owner's decisions: the caller's account must own (or, unassigned, be allowed to own) the request. */
async function ownedRequest(tx: Tx, principal: Principal, id: string): Promise<Row> {
  const row = await visibleRequest(tx, principal, id);
  if (row.ownerAccountId !== principal.accountId || !row.ownerId) {
    throw new IamError("InvalidInput", `Delegation request ${id} is not associated with your account: call AssociateDelegationRequest first.`);
  }
  return row;
}

async function gateResource(tx: Tx, principal: Principal, id: string) {
  const row = await tx.delegationRequest.findUnique({ where: { id }, select: { ownerAccountId: true, ownerId: true } });
  return {
    // In the caller's account: the owner's, the partner's own, or (a request it may not see) answered NoSuchEntity after the gate.
    resource: { arn: delegationRequestArn(principal.accountId, id) },
    context: row?.ownerId ? { "iam:DelegationRequestOwner": row.ownerId } : undefined,
  };
}

/** The identity AWS records as owner or approver: the user, the root, or the role session's ARN. */
const identityArn = (p: Principal) => p.arn;

export interface DelegationRequestView {
  delegationRequestId: string;
  ownerAccountId?: string;
  description: string;
  requestMessage?: string;
  permissions: { policyTemplateArn?: string; parameters?: { name: string; values?: string[]; type?: string }[] };
  permissionPolicy?: string;
  ownerId?: string;
  approverId?: string;
  state: DelegationState;
  expirationTime: Date;
  requestorId: string;
  requestorName: string;
  createDate: Date;
  sessionDuration: number;
  redirectUrl?: string;
  notes?: string;
  rejectionReason?: string;
  onlySendByOwner: boolean;
  updatedTime: Date;
}

export function viewOf(row: Row, now = new Date()): DelegationRequestView {
  const opt = <T>(v: T | null) => (v === null ? undefined : v);
  return {
    delegationRequestId: row.id,
    ownerAccountId: opt(row.ownerAccountId),
    description: row.description,
    requestMessage: opt(row.requestMessage),
    permissions: JSON.parse(row.permissions) as DelegationRequestView["permissions"],
    permissionPolicy: opt(row.permissionPolicy),
    ownerId: opt(row.ownerId),
    approverId: opt(row.approverId),
    state: stateOf(row, now),
    expirationTime: row.expiresAt,
    requestorId: row.requestorAccountId,
    requestorName: row.requestorName,
    createDate: row.createdAt,
    sessionDuration: row.sessionDuration,
    redirectUrl: opt(row.redirectUrl),
    notes: opt(row.notes),
    rejectionReason: opt(row.rejectionReason),
    onlySendByOwner: row.onlySendByOwner,
    updatedTime: row.updatedAt,
  };
}

/** What the audit shows of a request: its ID and state, never the permission policy or a token. */
const audited = (v: { delegationRequestId: string; state?: string }) => ({ delegationRequestId: v.delegationRequestId, ...(v.state ? { state: v.state } : {}) });

// ---------------------------------------------------------------------------
// The partner's side

export function createDelegationRequest(principal: Principal, input: z.output<typeof CreateDelegationRequestInput>): OperationSpec<{ delegationRequestId: string }> {
  const id = `dr-${crypto.randomBytes(12).toString("hex")}`;
  const context: Record<string, string> = { "iam:DelegationDuration": String(input.sessionDuration), "iam:NotificationChannel": input.notificationChannel };
  if (input.permissions.policyTemplateArn) context["iam:TemplateArn"] = input.permissions.policyTemplateArn;
  return {
    service: "iam",
    name: "CreateDelegationRequest",
    readOnly: false,
    resource: { arn: delegationRequestArn(principal.accountId, id) },
    context,
    parameters: { ...input, permissions: { policyTemplateArn: input.permissions.policyTemplateArn } },
    async run({ tx }) {
      if (!SNS_TOPIC.test(input.notificationChannel)) {
        throw new IamError("InvalidInput", `Invalid notification channel ${input.notificationChannel}: only Amazon SNS topic ARNs (arn:aws:sns:REGION:ACCOUNT:TOPIC) are accepted.`);
      }
      if (input.ownerAccountId && !(await tx.account.findUnique({ where: { id: input.ownerAccountId }, select: { id: true } }))) {
        throw new IamError("InvalidInput", `Owner account ${input.ownerAccountId} is not an account IAM Lab knows.`);
      }
      let permissionPolicy: string | null = null;
      if (input.permissions.policyTemplateArn) {
        const template = await tx.managedPolicy.findFirst({
          where: { arn: input.permissions.policyTemplateArn, OR: [{ accountId: null }, { accountId: principal.accountId }] },
          select: { versions: { where: { isDefault: true }, select: { document: true } } },
        });
        if (!template) throw new IamError("InvalidInput", `Policy template ${input.permissions.policyTemplateArn} was not found: name a managed policy your account can see.`);
        permissionPolicy = template.versions[0]?.document ?? null;
      }
      const now = new Date();
      const open = await tx.delegationRequest.count({
        where: { requestorAccountId: principal.accountId, state: { in: ["UNASSIGNED", "ASSIGNED", "PENDING_APPROVAL", "ACCEPTED"] }, expiresAt: { gt: now } },
      });
      if (open >= OPEN_REQUESTS_QUOTA) throw new IamError("LimitExceeded", `Cannot exceed quota for open delegation requests: ${OPEN_REQUESTS_QUOTA}`);
      const duplicate = await tx.delegationRequest.findUnique({
        where: { requestorAccountId_requestorWorkflowId: { requestorAccountId: principal.accountId, requestorWorkflowId: input.requestorWorkflowId } },
        select: { id: true },
      });
      if (duplicate) throw new IamError("EntityAlreadyExists", `A delegation request for workflow ${input.requestorWorkflowId} already exists: ${duplicate.id}.`);
      const account = await tx.account.findUniqueOrThrow({ where: { id: principal.accountId }, select: { name: true } });
      await tx.delegationRequest.create({
        data: {
          id,
          requestorAccountId: principal.accountId,
          requestorName: account.name.slice(0, 30),
          requestorWorkflowId: input.requestorWorkflowId,
          ownerAccountId: input.ownerAccountId ?? null,
          description: input.description,
          requestMessage: input.requestMessage ?? null,
          permissions: JSON.stringify({
            ...(input.permissions.policyTemplateArn ? { policyTemplateArn: input.permissions.policyTemplateArn } : {}),
            ...(input.permissions.parameters ? { parameters: input.permissions.parameters } : {}),
          }),
          permissionPolicy,
          redirectUrl: input.redirectUrl ?? null,
          notificationChannel: input.notificationChannel,
          sessionDuration: input.sessionDuration,
          onlySendByOwner: input.onlySendByOwner ?? false,
          state: "UNASSIGNED",
          expiresAt: new Date(now.getTime() + REQUEST_LIFETIME_MS),
          createdAt: now,
          updatedAt: now,
        },
      });
      return { delegationRequestId: id };
    },
    response: (r) => r,
  };
}

// ---------------------------------------------------------------------------
// Reading

export function getDelegationRequest(
  principal: Principal,
  input: z.output<typeof GetDelegationRequestInput>,
): OperationSpec<{ delegationRequest: DelegationRequestView; permissionCheckStatus?: string; permissionCheckResult?: string }> {
  const context: Record<string, string> = {};
  return {
    service: "iam",
    name: "GetDelegationRequest",
    readOnly: true,
    resource: async (tx) => {
      const g = await gateResource(tx, principal, input.delegationRequestId);
      Object.assign(context, g.context);
      return g.resource;
    },
    context,
    parameters: input,
    async run({ tx, authorize }) {
      const row = await visibleRequest(tx, principal, input.delegationRequestId);
      const view = viewOf(row);
      if (!input.delegationPermissionCheck) return { delegationRequest: view };
      // Whether the caller's own permissions cover the request's permission policy (AWS: ALLOWED / DENIED / UNSURE).
      const result = await permissionCheck(view.permissionPolicy, (action, resource) => authorize(action, { arn: resource }).then(() => true, () => false));
      return { delegationRequest: view, permissionCheckStatus: "COMPLETE", permissionCheckResult: result };
    },
    response: (r) => audited(r.delegationRequest),
  };
}

/** ALLOWED when every concrete action on every concrete resource the policy allows is allowed to the caller; UNSURE for wildcards. */
async function permissionCheck(policy: string | undefined, allowed: (action: string, resource: string) => Promise<boolean>): Promise<"ALLOWED" | "DENIED" | "UNSURE"> {
  if (!policy) return "UNSURE";
  let statements: unknown[];
  try {
    const s = (JSON.parse(policy) as { Statement?: unknown }).Statement;
    statements = Array.isArray(s) ? s : [s];
  } catch {
    return "UNSURE";
  }
  let unsure = false;
  for (const st of statements as Record<string, unknown>[]) {
    if (!st || st.Effect !== "Allow") continue;
    const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === "string");
    if (st.NotAction !== undefined || st.NotResource !== undefined || st.Condition !== undefined) unsure = true;
    for (const action of list(st.Action)) {
      for (const resource of list(st.Resource)) {
        if (/[*?]/.test(action) || /[*?]/.test(resource) || resource.includes("${")) {
          unsure = true;
          continue;
        }
        if (!(await allowed(action, resource))) return "DENIED";
      }
    }
  }
  return unsure ? "UNSURE" : "ALLOWED";
}

const isOffset = (v: unknown): v is { o: number } => typeof v === "object" && v !== null && Number.isInteger((v as { o?: unknown }).o) && (v as { o: number }).o >= 0;

export function listDelegationRequests(
  principal: Principal,
  input: z.output<typeof ListDelegationRequestsInput>,
): OperationSpec<{ delegationRequests: DelegationRequestView[]; isTruncated: boolean; marker?: string }> {
  return {
    service: "iam",
    name: "ListDelegationRequests",
    readOnly: true,
    resource: { arn: "*" },
    context: { "iam:DelegationRequestOwner": input.ownerId ?? identityArn(principal) },
    parameters: input,
    async run({ tx }) {
      const offset = input.marker ? decodeCursor(input.marker, isOffset)?.o : 0;
      if (offset === undefined) throw new IamError("InvalidInput", "Invalid Marker: use the Marker a previous ListDelegationRequests returned.");
      const max = input.maxItems ?? 100;
      // AWS: a request without an owner is not listed, even when it names this account.
      const rows = await tx.delegationRequest.findMany({
        where: { ownerAccountId: principal.accountId, ownerId: input.ownerId ? input.ownerId : { not: null } },
        orderBy: [{ createdAt: "desc" }, { id: "asc" }],
        skip: offset,
        take: max + 1,
      });
      const truncated = rows.length > max;
      const now = new Date();
      return {
        delegationRequests: rows.slice(0, max).map((r) => viewOf(r, now)),
        isTruncated: truncated,
        ...(truncated ? { marker: encodeCursor({ o: offset + max }) } : {}),
      };
    },
    response: (r) => ({ count: r.delegationRequests.length, isTruncated: r.isTruncated }),
  };
}

// ---------------------------------------------------------------------------
// The owner's side

type Change = (row: Row, state: DelegationState, now: Date) => Promise<Partial<Row>> | Partial<Row>;

/** One state change, gated on the request's ARN with its owner as context; refused from the wrong state. */
function transition(
  principal: Principal,
  name: string,
  input: { delegationRequestId: string; notes?: string },
  load: (tx: Tx) => Promise<Row>,
  from: DelegationState[],
  change: Change,
  conflictCode: "InvalidInput" | "ConcurrentModification" = "InvalidInput",
  ownerOnly = false,
): OperationSpec<{ delegationRequestId: string; state: DelegationState }> {
  // Filled when the resource is looked up, before the gate reads it (the same object travels with the spec).
  const context: Record<string, string> = {};
  return {
    service: "iam",
    name,
    readOnly: false,
    resource: async (tx) => {
      const g = await gateResource(tx, principal, input.delegationRequestId);
      Object.assign(context, g.context);
      return g.resource;
    },
    context,
    // AWS's Service Authorization Reference has no action for it: the owner's own right, checked in run().
    ...(ownerOnly ? { noPermissionRequired: true as const } : {}),
    parameters: input,
    async run({ tx }) {
      const row = await load(tx);
      if (ownerOnly && row.ownerId !== identityArn(principal)) {
        throw new IamError("AccessDenied", `User: ${principal.arn} is not authorized to perform: ${name} on resource: delegation request ${row.id}: only its owner (${row.ownerId}) may.`);
      }
      const now = new Date();
      const state = stateOf(row, now);
      if (!from.includes(state)) {
        throw new IamError(conflictCode, `Delegation request ${row.id} is ${state}: ${name} needs it to be ${from.join(" or ")}.`);
      }
      const data = await change(row, state, now);
      // Optimistic: the row changes only if nobody changed its state meanwhile.
      const done = await tx.delegationRequest.updateMany({ where: { id: row.id, state: row.state, updatedAt: row.updatedAt }, data: { ...data, updatedAt: now } });
      if (done.count !== 1) throw new IamError("ConcurrentModification", `Delegation request ${row.id} was changed by another request. Read it again and retry.`);
      return { delegationRequestId: row.id, state: (data.state as DelegationState | undefined) ?? state };
    },
    response: (r) => audited(r),
  };
}

export function associateDelegationRequest(principal: Principal, input: z.output<typeof DelegationRequestIdInput>) {
  return transition(
    principal,
    "AssociateDelegationRequest",
    input,
    async (tx) => {
      const row = await visibleRequest(tx, principal, input.delegationRequestId);
      if (row.ownerId) throw new IamError("InvalidInput", `Delegation request ${row.id} is already associated with ${row.ownerId}.`);
      return row;
    },
    ["UNASSIGNED"],
    () => ({ ownerAccountId: principal.accountId, ownerId: identityArn(principal), state: "ASSIGNED" }),
  );
}

export function updateDelegationRequest(principal: Principal, input: z.output<typeof DelegationRequestNotesInput>) {
  return transition(
    principal,
    "UpdateDelegationRequest",
    input,
    (tx) => ownedRequest(tx, principal, input.delegationRequestId),
    ["ASSIGNED", "PENDING_APPROVAL"],
    () => ({ state: "PENDING_APPROVAL", ...(input.notes !== undefined ? { notes: input.notes } : {}) }),
    "InvalidInput",
    true,
  );
}

export function acceptDelegationRequest(principal: Principal, input: z.output<typeof DelegationRequestIdInput>) {
  return transition(
    principal,
    "AcceptDelegationRequest",
    input,
    (tx) => ownedRequest(tx, principal, input.delegationRequestId),
    ["ASSIGNED", "PENDING_APPROVAL"],
    // AWS records the identity that accepted: it is the one the delegated credentials act as.
    () => ({ state: "ACCEPTED", approverId: identityArn(principal) }),
    "ConcurrentModification",
  );
}

export function rejectDelegationRequest(principal: Principal, input: z.output<typeof DelegationRequestNotesInput>) {
  return transition(
    principal,
    "RejectDelegationRequest",
    input,
    (tx) => ownedRequest(tx, principal, input.delegationRequestId),
    ["ASSIGNED", "PENDING_APPROVAL", "ACCEPTED"],
    // AWS: rejected requests expire after 7 days.
    (_row, _state, now) => ({ state: "REJECTED", rejectionReason: input.notes ?? null, expiresAt: new Date(now.getTime() + REQUEST_LIFETIME_MS) }),
  );
}

/**
 * FINALIZED, and a trade-in token for the partner: sent to the request's
 * notification channel (IAM Lab keeps it sealed for delivery, see
 * deliveredTradeInToken) and looked up by its digest when the partner calls
 * sts:GetDelegatedAccessToken. The token never appears in a response or audit record.
 */
export function sendDelegationToken(principal: Principal, input: z.output<typeof DelegationRequestIdInput>) {
  return transition(
    principal,
    "SendDelegationToken",
    input,
    async (tx) => {
      const row = await ownedRequest(tx, principal, input.delegationRequestId);
      if (row.onlySendByOwner && row.ownerId !== identityArn(principal)) {
        throw new IamError("AccessDenied", `Only the owner of delegation request ${row.id} (${row.ownerId}) may send its token.`);
      }
      return row;
    },
    ["ACCEPTED"],
    (_row, _state, now) => {
      const token = newTradeInToken();
      return {
        state: "FINALIZED",
        tokenSentAt: now,
        tradeInTokenDigest: digest(token),
        tradeInTokenSealed: encryptSecret(token),
        tradeInTokenExpiresAt: new Date(now.getTime() + TRADE_IN_TOKEN_LIFETIME_MS),
      };
    },
  );
}

const newTradeInToken = () => `dtt-${crypto.randomBytes(32).toString("base64url")}`;

// ---------------------------------------------------------------------------
// For sts:GetDelegatedAccessToken (the sts engineer's side) and the partner's delivery

export interface RedeemableDelegation {
  delegationRequestId: string;
  ownerAccountId: string;
  /** The identity that accepted the request: the delegated credentials act as it. */
  approverId: string;
  permissionPolicy: string | null;
  sessionDuration: number;
  tokenExpiresAt: Date;
  tokenUsedAt: Date | null;
}

/** The finalized request a trade-in token belongs to (null: no such token). The caller checks expiry and single use. */
export async function findDelegationByTradeInToken(tx: Tx, token: string): Promise<RedeemableDelegation | null> {
  const row = await tx.delegationRequest.findUnique({ where: { tradeInTokenDigest: digest(token) } });
  if (!row || row.state !== "FINALIZED" || !row.ownerAccountId || !row.approverId || !row.tradeInTokenExpiresAt) return null;
  return {
    delegationRequestId: row.id,
    ownerAccountId: row.ownerAccountId,
    approverId: row.approverId,
    permissionPolicy: row.permissionPolicy,
    sessionDuration: row.sessionDuration,
    tokenExpiresAt: row.tradeInTokenExpiresAt,
    tokenUsedAt: row.tradeInTokenUsedAt,
  };
}

/** Marks a trade-in token used (once): false when it was already used. */
export async function markTradeInTokenUsed(tx: Tx, delegationRequestId: string, at = new Date()): Promise<boolean> {
  const done = await tx.delegationRequest.updateMany({ where: { id: delegationRequestId, tradeInTokenUsedAt: null }, data: { tradeInTokenUsedAt: at } });
  return done.count === 1;
}

/**
 * What the partner's notification channel received: the trade-in token of a
 * finalized request of the requestor account (IAM Lab simulates no SNS; this
 * is the topic's message). Null when there is none.
 */
export async function deliveredTradeInToken(tx: Tx, requestorAccountId: string, delegationRequestId: string): Promise<string | null> {
  const row = await tx.delegationRequest.findUnique({ where: { id: delegationRequestId }, select: { requestorAccountId: true, tradeInTokenSealed: true } });
  if (!row || row.requestorAccountId !== requestorAccountId || !row.tradeInTokenSealed) return null;
  return decryptSecret(row.tradeInTokenSealed);
}

// ---------------------------------------------------------------------------
// GetHumanReadableSummary: AWS writes it with a language model; IAM Lab writes it from the request's fields.

export const GetHumanReadableSummaryInput = z.object({
  entityArn: awsString("entityArn", { min: 20, max: 2048 }),
  locale: optional(awsString("locale", { min: 2, max: 12 })),
});

const DELEGATION_ARN = /^arn:aws:iam::(\d{12}):delegation-request\/([\w-]{16,128})$/;

export function getHumanReadableSummary(
  principal: Principal,
  input: z.output<typeof GetHumanReadableSummaryInput>,
): OperationSpec<{ summaryContent?: string; locale: string; summaryState: "AVAILABLE" | "NOT_AVAILABLE" | "NOT_SUPPORTED" | "FAILED" }> {
  const match = DELEGATION_ARN.exec(input.entityArn);
  const context: Record<string, string> = {};
  return {
    service: "iam",
    name: "GetHumanReadableSummary",
    readOnly: true,
    resource: async (tx) => {
      if (!match) return { arn: input.entityArn };
      const g = await gateResource(tx, principal, match[2]!);
      Object.assign(context, g.context);
      return g.resource;
    },
    context,
    parameters: input,
    async run({ tx }) {
      if (!match) throw new IamError("InvalidInput", `Entity ${input.entityArn} has no summary: the only supported entity type is delegation-request (arn:aws:iam::ACCOUNT:delegation-request/ID).`);
      const locale = input.locale ?? "en";
      const row = await visibleRequest(tx, principal, match[2]!);
      if (!/^en([-_][A-Za-z]{2})?$/.test(locale)) return { locale, summaryState: "NOT_SUPPORTED" };
      return { summaryContent: summarize(viewOf(row)), locale, summaryState: "AVAILABLE" };
    },
    response: (r) => ({ locale: r.locale, summaryState: r.summaryState }),
  };
}

function summarize(v: DelegationRequestView): string {
  const hours = Math.round((v.sessionDuration / 3600) * 10) / 10;
  const lines = [
    `${v.requestorName} (account ${v.requestorId}) asks for temporary access${v.ownerAccountId ? ` to account ${v.ownerAccountId}` : ""}: ${v.description}`,
    v.requestMessage ? `Their message: ${v.requestMessage}` : "",
    `Each session it can open lasts up to ${hours} hour${hours === 1 ? "" : "s"}.`,
  ];
  if (v.permissionPolicy) {
    try {
      const st = (JSON.parse(v.permissionPolicy) as { Statement?: unknown }).Statement;
      const statements = (Array.isArray(st) ? st : [st]) as { Effect?: string; Action?: string | string[]; Resource?: string | string[] }[];
      for (const s of statements) {
        const list = (x: string | string[] | undefined) => (Array.isArray(x) ? x : x ? [x] : []).join(", ");
        lines.push(`${s.Effect === "Deny" ? "Denies" : "Allows"} ${list(s.Action) || "no actions"} on ${list(s.Resource) || "no resources"}.`);
      }
    } catch {
      lines.push("Its permission policy could not be read.");
    }
  } else lines.push("It names no permission policy.");
  lines.push(`State: ${v.state}; it expires ${v.expirationTime.toISOString()}.`);
  return lines.filter(Boolean).join("\n");
}
