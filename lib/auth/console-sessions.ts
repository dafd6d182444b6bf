import "server-only";
// Server-side console sessions. The session cookie (Auth.js's signed JWT) names
// a ConsoleSession row; the cookie is honoured only while that row is neither
// revoked nor expired. So a session ends at once, on every server, when:
// the person signs out; their password is changed (by them or reset by an
// admin); their login profile is removed; their MFA device is deactivated; an
// admin signs them out everywhere.
import crypto from "node:crypto";
import { db, type Tx } from "@/lib/db/client";
import type { OperationSpec } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";
import { requireUser, userResource } from "@/lib/iam/services/common";
import { SESSION_HOURS, type SignedInIdentity } from "./config";

export type EndReason = "SignOut" | "PasswordChanged" | "PasswordReset" | "LoginProfileDeleted" | "MfaDeactivated" | "SignedOutByAdmin";

/** The identity a session belongs to: an IAM user, or an account's root user. */
export type SessionOwner = { userId: string } | { rootOf: string };

export async function startConsoleSession(identity: Omit<SignedInIdentity, "sessionId">): Promise<string> {
  const id = crypto.randomBytes(32).toString("base64url");
  await db().consoleSession.create({
    data: {
      id,
      accountId: identity.accountId,
      userId: identity.kind === "user" ? identity.userId! : null,
      mfa: identity.mfa,
      createdAt: new Date(identity.signedInAt),
      expiresAt: new Date(identity.signedInAt + SESSION_HOURS * 3600_000),
    },
  });
  return id;
}

/** True while the session the cookie names is live and belongs to that identity. */
export async function isLiveSession(identity: SignedInIdentity, now = new Date()): Promise<boolean> {
  if (!identity.sessionId) return false;
  const row = await db().consoleSession.findUnique({
    where: { id: identity.sessionId },
    select: { accountId: true, userId: true, revokedAt: true, expiresAt: true },
  });
  if (!row || row.revokedAt || row.expiresAt <= now || row.accountId !== identity.accountId) return false;
  return identity.kind === "root" ? row.userId === null : row.userId === identity.userId;
}

export async function endConsoleSession(sessionId: string, reason: EndReason): Promise<void> {
  await db().consoleSession.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date(), revokedReason: reason } });
}

/** Ends every live console session of an identity, in the caller's transaction. Returns how many ended. */
export async function endConsoleSessions(tx: Tx, owner: SessionOwner, reason: EndReason): Promise<number> {
  const now = new Date();
  const who = "userId" in owner ? { userId: owner.userId } : { accountId: owner.rootOf, userId: null };
  const { count } = await tx.consoleSession.updateMany({
    where: { ...who, revokedAt: null, expiresAt: { gt: now } },
    data: { revokedAt: now, revokedReason: reason },
  });
  // Ended sessions are kept a while for the record; the long expired go.
  await tx.consoleSession.deleteMany({ where: { ...who, expiresAt: { lt: new Date(now.getTime() - 7 * 24 * 3600_000) } } });
  return count;
}

/**
 * An admin's "sign out everywhere" for an IAM user: ends every console session
 * of the user at once. AWS has no API for it (its console revokes role sessions
 * with a policy); the gate asks for iam:UpdateLoginProfile on the user, the
 * permission that already controls the user's console access.
 */
export function signOutEverywhere(principal: Principal, input: { userName: string }): OperationSpec<{ sessionsEnded: number }> {
  return {
    service: "iam",
    name: "RevokeConsoleSessions",
    action: "iam:UpdateLoginProfile",
    readOnly: false,
    resource: userResource(principal, input.userName),
    parameters: { userName: input.userName },
    async run({ tx }) {
      const user = await requireUser(tx, principal.accountId, input.userName);
      return { sessionsEnded: await endConsoleSessions(tx, { userId: user.id }, "SignedOutByAdmin") };
    },
  };
}
