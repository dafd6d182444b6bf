import "server-only";
// sts:AssumeRoot: a privileged root session in a member account, started from
// the organization's management account once it has enabled root sessions
// (iam:EnableOrganizationsRootSessions, lib/iam/services/organizations-root.ts).
// The credentials act as the member account's root user (GetCallerIdentity
// answers its root ARN), limited by the task policy: one of AWS's managed
// policies under arn:aws:iam::aws:policy/root-task/, stored on the session row as
// its session policy (lib/iam/policy-set.ts), whose denies the engine applies
// to the root user. At most 900 seconds, 900 by default.
import { z } from "zod";
import { rootArn } from "@/lib/iam/arn";
import { IamError } from "@/lib/iam/errors";
import type { OperationSpec } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";
import { managedOrganization } from "@/lib/iam/services/organizations-root";
import { constraintError } from "./rules";
import { credentialsForAudit, issueSession, type Credentials } from "./sts";

const optional = <S extends z.ZodType>(schema: S) => z.preprocess((x) => (x === "" || x === null ? undefined : x), schema.optional());

/** Shapes only: the builder checks the values with AWS's messages. */
export const AssumeRootInput = z.object({
  targetPrincipal: z.string(),
  taskPolicyArn: z.object({ arn: z.string().optional() }),
  durationSeconds: optional(z.coerce.number()),
});
export type AssumeRootInput = z.output<typeof AssumeRootInput>;

export interface AssumeRootResult {
  Credentials: Credentials;
  SourceIdentity?: string;
  sessionId: string;
}

export const ROOT_TASK_POLICY_PREFIX = "arn:aws:iam::aws:policy/root-task/";
export const ASSUME_ROOT_MAX_SECONDS = 900;

/** RootDurationSecondsType: 0 to 900 seconds, 900 by default. */
export function assumeRootDuration(requested: number | undefined): number {
  if (requested === undefined) return ASSUME_ROOT_MAX_SECONDS;
  if (!Number.isInteger(requested)) throw constraintError("durationSeconds", requested, "Member must be an integer");
  if (requested < 0) throw constraintError("durationSeconds", requested, "Member must have value greater than or equal to 0");
  if (requested > ASSUME_ROOT_MAX_SECONDS) throw constraintError("durationSeconds", requested, `Member must have value less than or equal to ${ASSUME_ROOT_MAX_SECONDS}`);
  return requested;
}

/** TargetPrincipal: a member account's ID or its root user's ARN (12 to 2048 characters). */
export function targetAccountOf(targetPrincipal: string): string {
  if (targetPrincipal.length < 12) throw constraintError("targetPrincipal", targetPrincipal, "Member must have length greater than or equal to 12");
  if (targetPrincipal.length > 2048) throw constraintError("targetPrincipal", targetPrincipal, "Member must have length less than or equal to 2048");
  const m = /^(?:(\d{12})|arn:aws:iam::(\d{12}):root)$/.exec(targetPrincipal);
  if (!m) throw new IamError("ValidationError", `TargetPrincipal ${targetPrincipal} is not valid: give a member account's 12-digit ID or its root user's ARN (arn:aws:iam::ACCOUNT:root).`);
  return (m[1] ?? m[2])!;
}

const refused = (message: string) => new IamError("AccessDenied", message);

export function assumeRoot(principal: Principal, input: AssumeRootInput): OperationSpec<AssumeRootResult> {
  const taskPolicyArn = input.taskPolicyArn?.arn ?? "";
  let state: { target: string; seconds: number; taskPolicy: string } | undefined;
  return {
    service: "sts",
    name: "AssumeRoot",
    readOnly: false,
    context: { "sts:TaskPolicyArn": taskPolicyArn },
    parameters: { targetPrincipal: input.targetPrincipal, taskPolicyArn: { arn: taskPolicyArn }, durationSeconds: input.durationSeconds },
    resource: async (tx) => {
      const target = targetAccountOf(input.targetPrincipal);
      const seconds = assumeRootDuration(input.durationSeconds);
      if (!taskPolicyArn) throw constraintError("taskPolicyArn.arn", undefined, "Member must not be null");
      const policy = taskPolicyArn.startsWith(ROOT_TASK_POLICY_PREFIX)
        ? await tx.managedPolicy.findFirst({
            where: { arn: taskPolicyArn, accountId: null },
            select: { versions: { where: { isDefault: true }, select: { document: true } } },
          })
        : null;
      const taskPolicy = policy?.versions[0]?.document;
      if (!taskPolicy)
        throw new IamError(
          "ValidationError",
          `TaskPolicyArn ${taskPolicyArn} is not a root task policy: use one of AWS's managed policies under ${ROOT_TASK_POLICY_PREFIX} (IAMAuditRootUserCredentials, IAMCreateRootUserPassword, IAMDeleteRootUserCredentials, S3UnlockBucketPolicy, SQSUnlockQueuePolicy).`,
        );
      if (principal.type === "Root") throw refused("Cannot call AssumeRoot with root user credentials: sign in as an IAM user or role of the management account.");
      const org = await managedOrganization(tx, principal, () =>
        refused(`Account ${principal.accountId} is not the management account of organization ${principal.organizationId}: only the management account (or a delegated administrator for IAM) can call AssumeRoot.`),
      );
      if (!org.rootSessions)
        throw refused(`Root sessions are not enabled for organization ${org.id}: the management account enables them with EnableOrganizationsRootSessions.`);
      const member = await tx.account.findUnique({ where: { id: target }, select: { organizationId: true } });
      if (!member || member.organizationId !== org.id || target === principal.accountId || target === org.managementAccountId)
        throw refused(`Account ${target} is not a member account of organization ${org.id}: AssumeRoot starts a root session only in a member account.`);
      state = { target, seconds, taskPolicy };
      // The member's root user is the resource; the caller's own account decides (a management account's permission, no resource policy).
      return { arn: rootArn(target), accountId: principal.accountId };
    },
    run: async ({ tx }) => {
      const { target, seconds, taskPolicy } = state!;
      const sourceIdentity = principal.type === "AssumedRole" ? principal.sourceIdentity : undefined;
      const session = await issueSession(tx, seconds, new Date(), {
        accountId: target,
        kind: "AssumeRoot",
        arn: rootArn(target),
        sourcePrincipalArn: principal.arn,
        sourcePrincipalAccount: principal.accountId,
        sourceIdentity: sourceIdentity ?? null,
        sessionPolicy: taskPolicy,
        sessionPolicyArns: JSON.stringify([taskPolicyArn]),
      });
      return { Credentials: session.credentials, ...(sourceIdentity ? { SourceIdentity: sourceIdentity } : {}), sessionId: session.id };
    },
    response: (r) => ({ credentials: credentialsForAudit(r.Credentials), ...(r.SourceIdentity ? { sourceIdentity: r.SourceIdentity } : {}) }),
  };
}
