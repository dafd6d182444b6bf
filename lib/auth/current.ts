import "server-only";
// Resolves the signed-in principal from the session cookie AND the database, on
// every request: an ended console session (lib/auth/console-sessions.ts), a
// deleted user or a removed console password signs the session out; a switched
// role is honoured only while its session is live.
import { cache } from "react";
import { cookies } from "next/headers";
import { db } from "@/lib/db/client";
import { rootArn } from "@/lib/iam/arn";
import type { Principal, RolePrincipal } from "@/lib/iam/principal";
import { auth } from "./index";
import type { SignedInIdentity } from "./config";
import { isLiveSession } from "./console-sessions";
import { unseal } from "./ticket";
import { principalForSession } from "@/lib/sts/credentials";

/** The cookie that holds the switched-role (or elevated) session, sealed. */
export const ROLE_COOKIE = "iamlab-role-session";

export const signedInIdentity = cache(async (): Promise<SignedInIdentity | null> => {
  const session = (await auth()) as { identity?: SignedInIdentity } | null;
  return session?.identity ?? null;
});

async function identityPrincipal(identity: SignedInIdentity): Promise<Principal | null> {
  if (!(await isLiveSession(identity))) return null;
  const mfa = {
    mfaAuthenticated: identity.mfa,
    mfaAuthenticatedAt: identity.mfa && identity.mfaAt ? new Date(identity.mfaAt) : undefined,
    tokenIssuedAt: new Date(identity.signedInAt),
  };
  if (identity.kind === "root") {
    const account = await db().account.findUnique({ where: { id: identity.accountId }, select: { organizationId: true } });
    if (!account) return null;
    return { type: "Root", organizationId: account.organizationId, accountId: identity.accountId, arn: rootArn(identity.accountId), principalId: identity.accountId, ...mfa };
  }
  const user = await db().iamUser.findUnique({
    where: { id: identity.userId! },
    select: { id: true, name: true, arn: true, accountId: true, account: { select: { organizationId: true } }, loginProfile: { select: { passwordResetRequired: true } } },
  });
  if (!user?.loginProfile) return null;
  return {
    type: "IAMUser",
    organizationId: user.account.organizationId,
    accountId: user.accountId,
    arn: user.arn,
    principalId: user.id,
    userId: user.id,
    userName: user.name,
    passwordResetRequired: user.loginProfile.passwordResetRequired,
    ...mfa,
  };
}

/** A live role session started by this identity from the console, if one is selected. */
async function switchedRole(identity: Principal): Promise<RolePrincipal | null> {
  const sealed = (await cookies()).get(ROLE_COOKIE)?.value;
  const sessionId = sealed ? unseal<string>("role-session", sealed) : null;
  if (!sessionId) return null;
  const session = await principalForSession(db(), sessionId);
  return session?.type === "AssumedRole" && session.sourceArn === identity.arn ? session : null;
}

/** The signed-in identity itself (never a switched role). */
export const signedInPrincipal = cache(async (): Promise<Principal | null> => {
  const identity = await signedInIdentity();
  return identity ? identityPrincipal(identity) : null;
});

/** The principal requests act as: the switched role while one is live, else the signed-in identity. */
export const currentPrincipal = cache(async (): Promise<Principal | null> => {
  const base = await signedInPrincipal();
  if (!base) return null;
  return (await switchedRole(base)) ?? base;
});
