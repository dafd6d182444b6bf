import "server-only";
// One pipeline for every operation, whichever door it came through (console
// server action now, AWS-compatible API later):
//   authorize (the gate) -> run the change -> write the audit record,
// all in one transaction. A refusal rolls the change back and is then audited
// on its own, so denials and failures leave a record and nothing else.
import { recordAudit } from "@/lib/audit/record";
import { transaction, type Tx } from "@/lib/db/client";
import { assertAuthorized, resourceAccountOf, type ResourceRef } from "./authorize";
import { IamError } from "./errors";
import type { Principal, RequestInfo } from "./principal";

export type Service = "iam" | "sts" | "s3" | "signin" | "cloudtrail";

export interface OperationContext {
  tx: Tx;
  principal: Principal;
  request: RequestInfo;
  /** A further check inside the operation (e.g. iam:PassRole, the trust policy side). */
  authorize(action: string, resource: ResourceRef, context?: Record<string, string | string[]>): Promise<void>;
}

export interface Operation<T> {
  principal: Principal;
  request: RequestInfo;
  service: Service;
  /** The API operation name, e.g. "CreateUser"; the IAM action is `${service}:${name}`. */
  name: string;
  /** The IAM action when it differs from `${service}:${name}` (e.g. s3:ListBucket for ListObjectsV2). */
  action?: string;
  readOnly: boolean;
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
  /** What the audit record shows as responseElements. */
  response?(data: T): unknown;
}

const EVENT_SOURCE: Record<Service, string> = {
  iam: "iam.amazonaws.com",
  sts: "sts.amazonaws.com",
  s3: "s3.amazonaws.com",
  signin: "signin.amazonaws.com",
  cloudtrail: "cloudtrail.amazonaws.com",
};

/** An operation as a builder declares it: who asks and from where is added by the door. */
export type OperationSpec<T> = Omit<Operation<T>, "principal" | "request">;

export async function runOperation<T>(op: Operation<T>): Promise<T> {
  const action = op.action ?? `${op.service}:${op.name}`;
  const audit = {
    principal: op.principal,
    request: op.request,
    eventSource: EVENT_SOURCE[op.service],
    eventName: op.name,
    readOnly: op.readOnly,
    eventCategory: op.category,
    requestParameters: op.parameters,
  };
  let resourceArn: string | undefined;
  try {
    return await transaction(async (tx) => {
      const resource = typeof op.resource === "function" ? await op.resource(tx) : op.resource;
      resourceArn = resource.arn;
      const gate = { principal: op.principal, request: op.request };
      if (!op.noPermissionRequired) await assertAuthorized(tx, { ...gate, action, resource, context: op.context });
      const data = await op.run({
        tx,
        principal: op.principal,
        request: op.request,
        authorize: (a, r, context) => assertAuthorized(tx, { ...gate, action: a, resource: r, context }),
      });
      await recordAudit(tx, {
        ...audit,
        recipientAccountId: op.principal.accountId,
        responseElements: op.response?.(data),
        resources: [{ ARN: resource.arn, accountId: resourceAccountOf(resource, op.principal) }],
      });
      return data;
    });
  } catch (err) {
    const known = err instanceof IamError ? err : null;
    if (!known) console.error(`${action} failed unexpectedly (request ${op.request.requestId}):`, (err as Error)?.message);
    await transaction((tx) =>
      recordAudit(tx, {
        ...audit,
        resources: resourceArn ? [{ ARN: resourceArn }] : undefined,
        errorCode: known?.code ?? "InternalFailure",
        errorMessage: known?.message ?? "An internal error occurred.",
      }),
    ).catch((auditErr) => console.error(`audit of a failed ${action} could not be written:`, (auditErr as Error)?.message));
    throw known ?? new IamError("InternalFailure", "An internal error occurred. Try again; if it persists, check the server log.");
  }
}
