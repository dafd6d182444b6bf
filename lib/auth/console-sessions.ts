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
import { rawBoolean, rawDate } from "@/lib/db/raw-values";
import { rootArn } from "@/lib/iam/arn";
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

/** The identity behind a live console session, and what every console page shows of its account. */
export interface LiveIdentity {
  account: { id: string; organizationId: string; name: string; alias: string | null; color: string; reportOnly: boolean };
  /** Absent for an account's root user. */
  user?: { id: string; name: string; arn: string; passwordResetRequired: boolean };
  /**
   * False when the identity has never switched into a role from the console
   * (the account menu's role history is then empty without asking); true when
   * it may have (lib/sts/console-session.ts recentRoles decides).
   */
  mayHaveRoleHistory: boolean;
}

interface LiveRow {
  expiresAt: Date | string | number;
  sessionUserId: string | null;
  accountId: string;
  organizationId: string;
  accountName: string;
  alias: string | null;
  color: string;
  reportOnly: unknown;
  userName: string | null;
  userArn: string | null;
  hasLoginProfile: unknown;
  passwordResetRequired: unknown;
  roleHistory: unknown;
}


/**
 * The live session's identity, or null when the session the cookie names is
 * revoked, expired, unknown, or belongs to another identity, or the user has
 * no console password any more. One statement (it runs on every console page
 * and action): the session, its user and login profile, the account, and
 * whether there is any role history, where model queries took five.
 */
export async function liveIdentity(identity: SignedInIdentity, now = new Date()): Promise<LiveIdentity | null> {
  if (!identity.sessionId) return null;
  const [row] = await db().$queryRaw<LiveRow[]>`SELECT s."expiresAt" AS "expiresAt", s."userId" AS "sessionUserId",
      a."id" AS "accountId", a."organizationId" AS "organizationId", a."name" AS "accountName", a."alias" AS "alias", a."color" AS "color", a."reportOnly" AS "reportOnly",
      u."name" AS "userName", u."arn" AS "userArn",
      CASE WHEN lp."userId" IS NULL THEN 0 ELSE 1 END AS "hasLoginProfile", lp."passwordResetRequired" AS "passwordResetRequired",
      CASE WHEN EXISTS (SELECT 1 FROM "RoleSession" rs WHERE rs."sourcePrincipalArn" = COALESCE(u."arn", ${rootArn(identity.accountId)})
        AND rs."kind" = 'AssumeRole' AND rs."displayName" IS NOT NULL AND rs."roleId" IS NOT NULL) THEN 1 ELSE 0 END AS "roleHistory"
    FROM "ConsoleSession" s JOIN "Account" a ON a."id" = s."accountId"
    LEFT JOIN "IamUser" u ON u."id" = s."userId" LEFT JOIN "LoginProfile" lp ON lp."userId" = u."id"
    WHERE s."id" = ${identity.sessionId} AND s."revokedAt" IS NULL`;
  if (!row || rawDate(row.expiresAt) <= now || row.accountId !== identity.accountId) return null;
  if (identity.kind === "root" ? row.sessionUserId !== null : row.sessionUserId !== identity.userId) return null;
  const account = { id: row.accountId, organizationId: row.organizationId, name: row.accountName, alias: row.alias, color: row.color, reportOnly: rawBoolean(row.reportOnly) };
  const mayHaveRoleHistory = rawBoolean(row.roleHistory);
  if (identity.kind === "root") return { account, mayHaveRoleHistory };
  if (!rawBoolean(row.hasLoginProfile) || !row.userName || !row.userArn) return null;
  return { account, user: { id: row.sessionUserId!, name: row.userName, arn: row.userArn, passwordResetRequired: rawBoolean(row.passwordResetRequired) }, mayHaveRoleHistory };
}

/** True while the session the cookie names is live and belongs to that identity. */
export async function isLiveSession(identity: SignedInIdentity, now = new Date()): Promise<boolean> {
  return (await liveIdentity(identity, now)) !== null;
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
