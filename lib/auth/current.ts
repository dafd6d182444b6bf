import "server-only";
// Resolves the signed-in principal from the session cookie AND the database, on
// every request: an ended console session (lib/auth/console-sessions.ts), a
// deleted user or a removed console password signs the session out; a switched
// role is honoured only while its session is live.
import { cache } from "react";
import { getToken } from "next-auth/jwt";
import { cookies, headers } from "next/headers";
import { db } from "@/lib/db/client";
import { rootArn } from "@/lib/iam/arn";
import type { Principal, RolePrincipal } from "@/lib/iam/principal";
import { sessionSecret } from "@/lib/crypto/keys";
import { decodeSessionToken } from "./session-token";
import type { SignedInIdentity } from "./config";
import { liveIdentity, type LiveIdentity } from "./console-sessions";
import { unseal } from "./ticket";
import { principalForSession } from "@/lib/sts/credentials";

/** The cookie that holds the switched-role (or elevated) session, sealed. */
export const ROLE_COOKIE = "iamlab-role-session";

/**
 * Who the session cookie says signed in (its signature and expiry checked), or
 * null. The cookie is only decoded: Auth.js's auth() would also issue a fresh
 * cookie, which a page cannot set, at the cost of a second encryption per page
 * (the session's end is the ConsoleSession row's, not the cookie's). The
 * cookie is the secure one when the sign-in was over HTTPS.
 */
export const signedInIdentity = cache(async (): Promise<SignedInIdentity | null> => {
  const h = await headers();
  const secureCookie = /(?:^|;\s*)__Secure-authjs\.session-token(?:\.0)?=/.test(h.get("cookie") ?? "");
  const token = await getToken({ req: { headers: h }, secret: sessionSecret(), secureCookie, decode: decodeSessionToken });
  return (token?.identity as SignedInIdentity | undefined) ?? null;
});

function identityPrincipal(identity: SignedInIdentity, live: LiveIdentity): Principal {
  const mfa = {
    mfaAuthenticated: identity.mfa,
    mfaAuthenticatedAt: identity.mfa && identity.mfaAt ? new Date(identity.mfaAt) : undefined,
    tokenIssuedAt: new Date(identity.signedInAt),
  };
  const { account, user } = live;
  if (!user) return { type: "Root", organizationId: account.organizationId, accountId: account.id, arn: rootArn(account.id), principalId: account.id, ...mfa };
  return {
    type: "IAMUser",
    organizationId: account.organizationId,
    accountId: account.id,
    arn: user.arn,
    principalId: user.id,
    userId: user.id,
    userName: user.name,
    passwordResetRequired: user.passwordResetRequired,
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

/** The signed-in identity's live session: its principal, and its account as the console shows it. */
export const signedInSession = cache(async (): Promise<{ principal: Principal; live: LiveIdentity } | null> => {
  const identity = await signedInIdentity();
  const live = identity ? await liveIdentity(identity) : null;
  return identity && live ? { principal: identityPrincipal(identity, live), live } : null;
});

/** The signed-in identity itself (never a switched role). */
export const signedInPrincipal = cache(async (): Promise<Principal | null> => (await signedInSession())?.principal ?? null);

/** The principal requests act as: the switched role while one is live, else the signed-in identity. */
export const currentPrincipal = cache(async (): Promise<Principal | null> => {
  const base = await signedInPrincipal();
  if (!base) return null;
  return (await switchedRole(base)) ?? base;
});
