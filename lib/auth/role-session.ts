import "server-only";
// Starting and ending a console role session (switch role and MFA elevation):
// AssumeRole runs from the SIGNED-IN identity (never from a role already
// switched into, as AWS's console does), through the gate and the audit, and the
// session is kept in the sealed role cookie that currentPrincipal() reads.
import { cookies } from "next/headers";
import { ROLE_COOKIE, currentPrincipal, signedInPrincipal } from "@/lib/auth/current";
import { seal } from "@/lib/auth/ticket";
import { isSecureRequest } from "@/lib/auth/request-info";
import { dropRoleSession, type SwitchRoleResult } from "@/lib/sts/console-session";

/** Plain (not secret) name of the live role session, so its end can be told to the person by name. */
export const ROLE_LABEL_COOKIE = "iamlab-role-label";
/**
 * The cookies outlive the session by this much. The session's own expiry (in
 * the database) decides whether it is live; the extra minutes only let the
 * console say "your role session ended" instead of silently changing identity.
 */
const ENDED_NOTICE_SECONDS = 300;

async function cookieOptions(maxAge: number) {
  const secure = await isSecureRequest();
  return { httpOnly: true, sameSite: "lax" as const, secure, path: "/", maxAge };
}

/**
 * Keeps a role session that switchRole or elevate (lib/sts/console-session)
 * started for the signed-in identity: from now on the console acts as it.
 */
export async function keepRoleSession(session: SwitchRoleResult): Promise<void> {
  const seconds = Math.max(1, Math.floor((session.expiresAt.getTime() - Date.now()) / 1000)) + ENDED_NOTICE_SECONDS;
  const jar = await cookies();
  jar.set(ROLE_COOKIE, seal("role-session", session.sessionId, seconds), await cookieOptions(seconds));
  jar.set(ROLE_LABEL_COOKIE, session.displayName, await cookieOptions(seconds));
}

/** Ends the live role session of this identity (if any) and forgets the cookies: back to the identity. */
export async function endRoleSession(): Promise<void> {
  const [identity, principal] = await Promise.all([signedInPrincipal(), currentPrincipal()]);
  if (identity && principal?.type === "AssumedRole") await dropRoleSession(principal.sessionId, identity.arn);
  await forgetRoleCookies();
}

export async function forgetRoleCookies(): Promise<void> {
  const jar = await cookies();
  jar.delete(ROLE_COOKIE);
  jar.delete(ROLE_LABEL_COOKIE);
}

/**
 * The name of a role session that ended (expired, or ended elsewhere) while its
 * cookie is still here; null when there is none or the session is still live.
 */
export async function endedRoleSession(live: boolean): Promise<string | null> {
  if (live) return null;
  const jar = await cookies();
  if (!jar.get(ROLE_COOKIE)) return null;
  return jar.get(ROLE_LABEL_COOKIE)?.value || "your role";
}
