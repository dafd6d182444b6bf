import "server-only";
// One pipeline for every operation, whichever door it came through (console
// server action now, AWS-compatible API later):
//   authorize (the gate) -> run the change -> write the audit record,
// all in one transaction. A refusal rolls the change back and is then audited
// on its own, so denials and failures leave a record and nothing else.
// A read (readOnly) changes nothing, so it holds no transaction: the gate and
// the read run on the client directly, through a view that refuses writes, and
// its audit record is written (and awaited) before the data is returned. An
// open transaction would hold a pooled connection, and on SQLite the one
// connection's lock, across every await of the request.
import { noteS3Access } from "@/lib/audit/access-log";
import { dataEventRecorded } from "@/lib/audit/data-events";
import { recordAudit, recordAuditGrouped } from "@/lib/audit/record";
import { countRefusal } from "@/lib/auth/throttle";
import { db, transaction, type Tx } from "@/lib/db/client";
import { assertSessionMayCall } from "@/lib/sts/session-type-rules";
import { assertAuthorized, resourceAccountOf, type ResourceRef } from "./authorize";
import { IamError } from "./errors";
import { gateRecordOfDenial, type GateRecord } from "./gate-record";
import type { Caller, Principal, RequestInfo } from "./principal";

export type Service = "iam" | "sts" | "s3" | "signin" | "cloudtrail" | "access-analyzer" | "ec2" | "iamlab";

export interface OperationContext {
  tx: Tx;
  principal: Caller;
  request: RequestInfo;
  /** A further check inside the operation (e.g. iam:PassRole, the trust policy side). */
  authorize(action: string, resource: ResourceRef, context?: Record<string, string | string[]>): Promise<void>;
}

export interface Operation<T> {
  /** Anonymous only for S3 requests without a signature. */
  principal: Caller;
  request: RequestInfo;
  service: Service;
  /** The API operation name, e.g. "CreateUser"; the IAM action is `${service}:${name}`. */
  name: string;
  /** The IAM action when it differs from `${service}:${name}` (e.g. s3:ListBucket for ListObjectsV2). */
  action?: string;
  readOnly: boolean;
  /** "Data" (S3 object-level calls): recorded only when a trail's data-event selector covers it (lib/audit/data-events). */
  category?: "Management" | "Data";
  /** The resource the action is on; a function when it must be looked up first. */
  resource: ResourceRef | ((tx: Tx) => Promise<ResourceRef>);
  context?: Record<string, string | string[]>;
  /**
   * Set only for the few calls AWS answers without any permission check
   * (sts:GetCallerIdentity, sts:GetSessionToken): they are still audited.
   */
  noPermissionRequired?: true;
  /** What the audit record shows as requestParameters (secrets are removed there). */
  parameters?: unknown;
  run(ctx: OperationContext): Promise<T>;
  /** Work the operation starts once its change is committed (a report built in the background); not run after a rollback. */
  afterCommit?(): void;
  /** What the audit record shows as responseElements. */
  response?(data: T): unknown;
  /**
   * How the service words the gate's denial of the operation's own action
   * (EC2: UnauthorizedOperation with an encoded authorization message); AccessDenied when absent.
   */
  denial?(err: IamError): IamError;
}

const EVENT_SOURCE: Record<Service, string> = {
  iam: "iam.amazonaws.com",
  sts: "sts.amazonaws.com",
  s3: "s3.amazonaws.com",
  signin: "signin.amazonaws.com",
  cloudtrail: "cloudtrail.amazonaws.com",
  "access-analyzer": "access-analyzer.amazonaws.com",
  ec2: "ec2.amazonaws.com",
  iamlab: "iamlab.local",
};

/** An operation as a builder declares it: who asks and from where is added by the door. */
export type OperationSpec<T> = Omit<Operation<T>, "principal" | "request">;

/**
 * A console composite (create a user with password, groups and key; delete a
 * role with everything in it): a sequence of real operations in one
 * transaction. Each step is gated and audited under its own AWS event name, as
 * AWS's console makes one API call per step; a failing step rolls every step
 * back and is audited on its own.
 */
export type Sequence<T> = (step: <S>(spec: OperationSpec<S>) => Promise<S>) => Promise<T>;

const actionOf = (op: OperationSpec<unknown>) => op.action ?? `${op.service}:${op.name}`;

const auditFields = (op: Operation<unknown>) => ({
  principal: op.principal,
  request: op.request,
  eventSource: EVENT_SOURCE[op.service],
  eventName: op.name,
  readOnly: op.readOnly,
  eventCategory: op.category,
  requestParameters: op.parameters,
});

/** Where a failing step stood, so its refusal can be audited after the rollback. */
interface Failing {
  op?: Operation<unknown>;
  resourceArn?: string;
  resourceAccountId?: string;
  /** The gate's decisions so far, in order (the audit record's gateDecisions). */
  decisions: GateRecord[];
}

/** Management events are always recorded; a data event only when a trail selects it. */
const isRecorded = (tx: Tx, op: Operation<unknown>, resourceArn: string | undefined, resourceAccountId?: string) =>
  op.category !== "Data" ||
  dataEventRecorded(tx, { resourceArn, readOnly: op.readOnly, accountIds: [op.principal.accountId, ...(resourceAccountId ? [resourceAccountId] : [])] });

/** Gate -> change -> audit record, inside the caller's transaction. */
async function runInTransaction<T>(tx: Tx, op: Operation<T>, failing: Failing, deferAudit?: (record: Parameters<typeof recordAudit>[1]) => void): Promise<T> {
  failing.op = op as Operation<unknown>;
  failing.resourceArn = undefined;
  failing.resourceAccountId = undefined;
  failing.decisions = [];
  assertSessionMayCall(op.service, op.name, op.principal, op.request);
  const resource = typeof op.resource === "function" ? await op.resource(tx) : op.resource;
  failing.resourceArn = resource.arn;
  failing.resourceAccountId = resourceAccountOf(resource, op.principal);
  // The operation's checks share one load of the principal's policy set.
  const gate = { principal: op.principal, request: op.request, memo: {} };
  if (!op.noPermissionRequired) failing.decisions.push(await assertAuthorized(tx, { ...gate, action: actionOf(op), resource, context: op.context }));
  const data = await op.run({
    tx,
    principal: op.principal,
    request: op.request,
    authorize: async (a, r, context) => void failing.decisions.push(await assertAuthorized(tx, { ...gate, action: a, resource: r, context })),
  });
  const record = {
    ...auditFields(op as Operation<unknown>),
    recipientAccountId: op.principal.type === "Anonymous" ? failing.resourceAccountId : op.principal.accountId,
    responseElements: op.response?.(data),
    resources: [{ ARN: resource.arn, accountId: resourceAccountOf(resource, op.principal) }],
    gateDecisions: [...failing.decisions],
  };
  if (!(await isRecorded(tx, op as Operation<unknown>, resource.arn, failing.resourceAccountId))) return data;
  if (deferAudit) deferAudit(record);
  else await recordAudit(tx, record);
  return data;
}

/** After a rollback: the refused or failed step gets its own audit record; the error goes on as AWS's. */
async function auditFailure(failing: Failing, err: unknown): Promise<never> {
  const op = failing.op;
  const refusal = err instanceof IamError ? err : null;
  const known = refusal && op?.denial && refusal.code === "AccessDenied" && refusal.denied?.action === actionOf(op) ? op.denial(refusal) : refusal;
  const action = op ? actionOf(op) : "operation";
  if (!known) console.error(`${action} failed unexpectedly${op ? ` (request ${op.request.requestId})` : ""}:`, (err as Error)?.message);
  if (op) {
    await transaction(async (tx) => {
      // A refusal that counts towards a throttle (a wrong MFA code or old password) is counted here, after the rollback.
      await countRefusal(tx, err);
      if (!(await isRecorded(tx, op, failing.resourceArn, failing.resourceAccountId))) return;
      await recordAudit(tx, {
        ...auditFields(op),
        ...(op.principal.type === "Anonymous" ? { recipientAccountId: failing.resourceAccountId } : {}),
        resources: failing.resourceArn ? [{ ARN: failing.resourceArn, accountId: failing.resourceAccountId }] : undefined,
        errorCode: known?.code ?? "InternalFailure",
        errorMessage: known?.message ?? "An internal error occurred.",
        gateDecisions: [...failing.decisions, ...(known?.denied ? [gateRecordOfDenial(known.denied)] : [])],
      });
    }).catch((auditErr) => console.error(`audit of a failed ${action} could not be written:`, (auditErr as Error)?.message));
  }
  throw known ?? new IamError("InternalFailure", "An internal error occurred. Try again; if it persists, check the server log.");
}

const WRITES = new Set(["create", "createMany", "createManyAndReturn", "update", "updateMany", "updateManyAndReturn", "upsert", "delete", "deleteMany"]);
const RAW_WRITES = new Set(["$executeRaw", "$executeRawUnsafe", "$transaction"]);
let readView: Tx | undefined;

/** The client for a read: every query goes through, any write throws (a read that writes is a bug, not a race). */
function readOnlyClient(): Tx {
  readView ??= new Proxy(db() as unknown as Tx, {
    get(client, prop, receiver) {
      if (typeof prop === "string" && RAW_WRITES.has(prop)) throw new Error(`a read-only operation may not call ${prop}`);
      const value = Reflect.get(client, prop, receiver);
      if (typeof prop !== "string" || prop.startsWith("$") || typeof value !== "object" || value === null) return value;
      return new Proxy(value, {
        get(delegate, method, r) {
          if (typeof method === "string" && WRITES.has(method)) throw new Error(`a read-only operation may not ${method} ${prop}`);
          return Reflect.get(delegate, method, r);
        },
      });
    },
  });
  return readView;
}

/** A read: gate and read without a transaction; its audit record is written (grouped with others) before it answers. */
async function runRead<T>(op: Operation<T>, failing: Failing): Promise<T> {
  let audit: Parameters<typeof recordAudit>[1] | undefined;
  const data = await runInTransaction(readOnlyClient(), op, failing, (record) => (audit = record));
  if (audit) await recordAuditGrouped(audit);
  return data;
}

export async function runOperation<T>(op: Operation<T>): Promise<T> {
  const failing: Failing = { decisions: [] };
  const startedAt = Date.now();
  try {
    const data = op.readOnly ? await runRead(op, failing) : await transaction((tx) => runInTransaction(tx, op, failing));
    noteS3Access(op as Operation<unknown>, { resourceArn: failing.resourceArn, startedAt });
    op.afterCommit?.();
    return data;
  } catch (err) {
    noteS3Access(op as Operation<unknown>, { resourceArn: failing.resourceArn, error: err, startedAt });
    return auditFailure(failing, err);
  }
}

/** Runs a console composite: every step through the gate and the audit, all in one transaction. */
export async function runSequence<T>(who: { principal: Principal; request: RequestInfo }, sequence: Sequence<T>): Promise<T> {
  const failing: Failing = { decisions: [] };
  try {
    return await transaction((tx) => sequence((spec) => runInTransaction(tx, { ...spec, ...who }, failing)));
  } catch (err) {
    return auditFailure(failing, err);
  }
}
