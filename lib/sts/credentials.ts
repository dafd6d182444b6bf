import "server-only";
// Temporary credentials back to a principal: what the AWS-compatible API door
// does with an ASIA access key ID and its session token. Expired sessions answer
// ExpiredToken; unknown, mismatched or revoked ones InvalidClientTokenId, as AWS.
import crypto from "node:crypto";
import { decryptSecret, digest } from "@/lib/crypto/secrets";
import type { Tx } from "@/lib/db/client";
import { rootArn } from "@/lib/iam/arn";
import { IamError } from "@/lib/iam/errors";
import type { Principal, RolePrincipal } from "@/lib/iam/principal";
import { EXPIRED_TOKEN, federatedUserId, INVALID_TOKEN } from "./rules";

type SessionRow = {
  id: string;
  accessKeyId: string;
  accountId: string;
  kind: string;
  userId: string | null;
  arn: string;
  sessionName: string | null;
  issuedAt: Date;
  expiresAt: Date;
  sourcePrincipalArn: string;
  sourcePrincipalAccount: string;
  sourceIdentity: string | null;
  mfaAuthenticated: boolean;
  mfaAuthenticatedAt: Date | null;
  role: { id: string; name: string; arn: string } | null;
  user: { id: string; name: string; arn: string } | null;
  account: { organizationId: string };
};

const SESSION_SELECT = {
  id: true,
  accessKeyId: true,
  accountId: true,
  kind: true,
  userId: true,
  arn: true,
  sessionName: true,
  issuedAt: true,
  expiresAt: true,
  sourcePrincipalArn: true,
  sourcePrincipalAccount: true,
  sourceIdentity: true,
  mfaAuthenticated: true,
  mfaAuthenticatedAt: true,
  revokedAt: true,
  secretCiphertext: true,
  sessionTokenDigest: true,
  role: { select: { id: true, name: true, arn: true } },
  user: { select: { id: true, name: true, arn: true } },
  account: { select: { organizationId: true } },
} as const;

/** Session rows that act as the role: AssumeRole and its federated variants. */
const ROLE_SESSION_KINDS = new Set(["AssumeRole", "AssumeRoleWithWebIdentity", "AssumeRoleWithSAML"]);

/** The principal a session row acts as (an assumed role, or the user / root behind GetSessionToken). */
export function principalOfSession(s: SessionRow): Principal | null {
  const common = {
    organizationId: s.account.organizationId,
    accountId: s.accountId,
    mfaAuthenticated: s.mfaAuthenticated,
    mfaAuthenticatedAt: s.mfaAuthenticatedAt ?? undefined,
    tokenIssuedAt: s.issuedAt,
    accessKeyId: s.accessKeyId,
    sessionKind: s.kind,
  };
  // A delegated session (GetDelegatedAccessToken) acts as the role when a role session accepted the request.
  if (ROLE_SESSION_KINDS.has(s.kind) || (s.kind === "GetDelegatedAccessToken" && s.role)) {
    if (!s.role) return null;
    const p: RolePrincipal = {
      ...common,
      type: "AssumedRole",
      arn: s.arn,
      principalId: `${s.role.id}:${s.sessionName}`,
      roleId: s.role.id,
      roleName: s.role.name,
      roleArn: s.role.arn,
      sessionId: s.id,
      sessionName: s.sessionName ?? "",
      expiresAt: s.expiresAt,
      sourceIdentity: s.sourceIdentity ?? undefined,
      sourceArn: s.sourcePrincipalArn,
      sourceAccountId: s.sourcePrincipalAccount,
    };
    return p;
  }
  if (s.kind === "GetFederationToken") {
    // A federated user: the IAM user's (or root user's) identity under the federated ARN; its session policy limits it (lib/iam/policy-set.ts).
    const federated = { arn: s.arn, principalId: federatedUserId(s.accountId, s.sessionName ?? "") };
    if (!s.userId) return { ...common, ...federated, type: "Root" };
    if (!s.user) return null;
    return { ...common, ...federated, type: "IAMUser", userId: s.user.id, userName: s.user.name };
  }
  if (s.userId) {
    if (!s.user) return null;
    return { ...common, type: "IAMUser", arn: s.user.arn, principalId: s.user.id, userId: s.user.id, userName: s.user.name };
  }
  return { ...common, type: "Root", arn: rootArn(s.accountId), principalId: s.accountId };
}

/** A session's principal by its row id (console role cookie, tests), live sessions only. */
export async function principalForSession(tx: Tx, sessionId: string, now = new Date()): Promise<Principal | null> {
  const s = await tx.roleSession.findUnique({ where: { id: sessionId }, select: SESSION_SELECT });
  if (!s || s.revokedAt || s.expiresAt <= now) return null;
  return principalOfSession(s);
}

/** The principal behind a temporary key ID whatever the session's state (expired, revoked): for the record of a failed call. */
export async function principalOfAccessKey(tx: Tx, accessKeyId: string): Promise<Principal | null> {
  const s = await tx.roleSession.findUnique({ where: { accessKeyId }, select: SESSION_SELECT });
  return s ? principalOfSession(s) : null;
}

export interface ResolvedCredentials {
  principal: Principal;
  /** For the SigV4 signature check. */
  secretAccessKey: string;
  sessionId: string;
  expiresAt: Date;
}

/** Resolves ASIA credentials presented to the API, or throws AWS's error. */
export async function resolveTemporaryCredentials(tx: Tx, accessKeyId: string, sessionToken: string, now = new Date()): Promise<ResolvedCredentials> {
  const s = await tx.roleSession.findUnique({ where: { accessKeyId }, select: SESSION_SELECT });
  const presented = Buffer.from(digest(sessionToken ?? ""), "hex");
  const stored = Buffer.from(s?.sessionTokenDigest ?? "0".repeat(64), "hex");
  const tokenMatches = presented.length === stored.length && crypto.timingSafeEqual(presented, stored);
  if (!s || !tokenMatches || s.revokedAt) throw new IamError("InvalidClientTokenId", INVALID_TOKEN);
  if (s.expiresAt <= now) throw new IamError("ExpiredToken", EXPIRED_TOKEN);
  const principal = principalOfSession(s);
  if (!principal) throw new IamError("InvalidClientTokenId", INVALID_TOKEN);
  return { principal, secretAccessKey: decryptSecret(s.secretCiphertext), sessionId: s.id, expiresAt: s.expiresAt };
}
