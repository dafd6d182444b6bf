import "server-only";
// What AssumeRoleWithWebIdentity and AssumeRoleWithSAML share: the caller is
// not an AWS identity but an identity provider's user, proved by a token the
// request carries (no SigV4). The role's trust policy alone decides, asked
// through the gate with the provider's ARN as the principal (a trust policy's
// Principal {"Federated": "<provider ARN>"}) and the provider's claims as
// context keys; the session is a RoleSession row like AssumeRole's.
import { db, type Tx } from "@/lib/db/client";
import { authorize } from "@/lib/iam/authorize";
import { IamError } from "@/lib/iam/errors";
import { anonymousPrincipal, type AnonymousPrincipal, type RequestInfo } from "@/lib/iam/principal";
import { assumeRoleDuration, assumedRoleArn, assumedRoleId, checkRoleSessionName, constraintError, packedPolicyPercent, parseRoleArn } from "./rules";
import { sessionPolicyDocument } from "./session-policy";
import { issueSession, roleResource, type Credentials } from "./sts";

/** The role a federated call names, or null (the caller is then refused as AWS does: not authorized). */
export async function federatedTargetRole(tx: Tx, roleArn: string) {
  const parsed = parseRoleArn(roleArn);
  if (!parsed) return null;
  return tx.role.findUnique({ where: { arn: roleArn }, select: { id: true, arn: true, name: true, accountId: true, trustPolicy: true, maxSessionDuration: true } });
}
export type FederatedRole = NonNullable<Awaited<ReturnType<typeof federatedTargetRole>>>;

/**
 * Who an unsigned AssumeRoleWithWebIdentity / AssumeRoleWithSAML request is
 * before its token is checked: an anonymous caller of the role's organization
 * (so its audit record lands there), or null when the role's account is unknown.
 */
export async function unsignedStsCaller(roleArn: string | undefined): Promise<AnonymousPrincipal | null> {
  const account = /^arn:aws:iam::(\d{12}):role\//.exec(roleArn ?? "")?.[1];
  if (!account) return null;
  const row = await db().account.findUnique({ where: { id: account }, select: { organizationId: true } });
  return row ? anonymousPrincipal(row.organizationId) : null;
}

/** AWS's refusal when the trust policy does not let the provider's user in. */
export const notAuthorized = (action: string) => new IamError("AccessDenied", `Not authorized to perform ${action}`);

/**
 * The trust policy's decision for the provider's user, asked of the gate: the
 * principal is the provider (its ARN), of the role's account and organization.
 */
export async function checkTrust(
  tx: Tx,
  args: { caller: AnonymousPrincipal; request: RequestInfo; role: FederatedRole; providerArn: string; principalId: string; action: string; context: Record<string, string | string[]> },
): Promise<void> {
  const principal: AnonymousPrincipal = { ...args.caller, arn: args.providerArn, principalId: args.principalId, accountId: args.role.accountId };
  const decision = await authorize(tx, { principal, request: args.request, action: args.action, resource: roleResource(args.role), context: args.context });
  if (!decision.allowed) throw notAuthorized(args.action);
}

export interface FederatedSessionArgs {
  role: FederatedRole;
  roleSessionName: string;
  durationSeconds?: number;
  /** Provider ARN (the session's source). */
  providerArn: string;
  sessionPolicy?: string;
  inlinePolicy?: string;
  policyArns?: { arn?: string }[];
  sourceIdentity?: string;
  /** Session tags the provider passed (SAML PrincipalTag attributes) and which of them are transitive. */
  sessionTags?: Record<string, string>;
  transitiveTagKeys?: string[];
  kind: "AssumeRoleWithWebIdentity" | "AssumeRoleWithSAML";
  region: string;
}

export interface FederatedSession {
  Credentials: Credentials;
  AssumedRoleUser: { AssumedRoleId: string; Arn: string };
  PackedPolicySize?: number;
  SourceIdentity?: string;
}

/** Request checks every federated call makes before the token: session name (when a parameter), duration, session policies. */
export async function checkFederatedRequest(
  tx: Tx,
  input: { roleArn: string; roleSessionName?: string; durationSeconds?: number; policy?: string; policyArns?: { arn?: string }[] },
  role: FederatedRole | null,
) {
  // AssumeRoleWithSAML takes its session name from the assertion (checked there).
  if (input.roleSessionName !== undefined) checkRoleSessionName(input.roleSessionName);
  if (input.durationSeconds !== undefined && input.durationSeconds > 43_200)
    throw constraintError("durationSeconds", input.durationSeconds, "Member must have value less than or equal to 43200");
  const seconds = role ? assumeRoleDuration({ requested: input.durationSeconds, roleMaxSessionDuration: role.maxSessionDuration, chained: false }) : 0;
  const sessionPolicy = await sessionPolicyDocument(tx, role?.accountId ?? "", input);
  return { seconds, sessionPolicy };
}

/** The role session itself, as AssumeRole writes one. */
export async function startFederatedSession(tx: Tx, args: FederatedSessionArgs & { seconds: number }): Promise<FederatedSession> {
  const now = new Date();
  const arn = assumedRoleArn(args.role.accountId, args.role.name, args.roleSessionName);
  const { credentials } = await issueSession(tx, args.seconds, now, {
    accountId: args.role.accountId,
    kind: args.kind,
    roleId: args.role.id,
    arn,
    sessionName: args.roleSessionName,
    sourcePrincipalArn: args.providerArn,
    sourcePrincipalAccount: args.role.accountId,
    sourceIdentity: args.sourceIdentity ?? null,
    sessionPolicy: args.sessionPolicy ?? null,
    sessionPolicyArns: args.policyArns?.length ? JSON.stringify(args.policyArns.map((p) => p.arn)) : null,
    sessionTags: args.sessionTags && Object.keys(args.sessionTags).length ? JSON.stringify(args.sessionTags) : null,
    transitiveTagKeys: args.transitiveTagKeys?.length ? JSON.stringify(args.transitiveTagKeys) : null,
  });
  await tx.role.update({ where: { id: args.role.id }, data: { lastUsedAt: now, lastUsedRegion: args.region } });
  const tags = args.sessionTags ?? {};
  const packed = args.inlinePolicy !== undefined || Object.keys(tags).length ? packedPolicyPercent(args.inlinePolicy, tags) : undefined;
  return {
    Credentials: credentials,
    AssumedRoleUser: { AssumedRoleId: assumedRoleId(args.role.id, args.roleSessionName), Arn: arn },
    ...(packed !== undefined ? { PackedPolicySize: packed } : {}),
    ...(args.sourceIdentity ? { SourceIdentity: args.sourceIdentity } : {}),
  };
}
