import "server-only";
// What every console page needs to know about who is signed in: the principal
// requests act as, the signed-in identity behind it, and the account to show.
import { cache } from "react";
import { redirect } from "next/navigation";
import { db } from "@/lib/db/client";
import type { Principal } from "@/lib/iam/principal";
import { currentPrincipal, signedInSession } from "./current";

export interface ConsoleContext {
  principal: Principal;
  identity: Principal;
  account: { id: string; name: string; alias: string | null; color: string; reportOnly: boolean };
  /** False when the signed-in identity has never switched into a role (the account menu's history is empty). */
  mayHaveRoleHistory: boolean;
  /** Present while a role is switched into (or elevated). */
  role?: { displayName: string; color: string; expiresAt: Date; accountLabel: string; label: string };
}

/**
 * The role as the top bar names it: "Prod look in example-prod", or just the
 * display name when it names the account already (AWS's default display name,
 * "ProdReadOnly @ example-prod"), never "ProdReadOnly @ example-prod in example-prod".
 */
export function roleLabel(displayName: string, account: { id: string; alias: string | null }): string {
  const names = [account.alias, account.id].filter((n): n is string => Boolean(n));
  return names.some((n) => displayName.endsWith(`@ ${n}`)) ? displayName : `${displayName} in ${account.alias ?? account.id}`;
}

/** For console pages: redirects the signed-out, and users who must first change their password. */
export const requireConsole = cache(async (): Promise<ConsoleContext> => {
  const [principal, session] = await Promise.all([currentPrincipal(), signedInSession()]);
  if (!principal || !session) redirect("/signin");
  const identity = session.principal;
  if (identity.passwordResetRequired) redirect("/change-password");
  // The signed-in identity's own account came with its session; a role in another account needs its own.
  const account =
    principal.accountId === session.live.account.id
      ? session.live.account
      : await db().account.findUniqueOrThrow({
          where: { id: principal.accountId },
          select: { id: true, name: true, alias: true, color: true, reportOnly: true },
        });
  let role: ConsoleContext["role"];
  if (principal.type === "AssumedRole" && principal.sessionId !== undefined) {
    const session = await db().roleSession.findUnique({ where: { id: principal.sessionId }, select: { displayName: true, color: true } });
    const displayName = session?.displayName || `${principal.roleName} @ ${account.alias ?? account.id}`;
    role = {
      displayName,
      color: session?.color || account.color,
      expiresAt: principal.expiresAt,
      accountLabel: account.alias ?? account.id,
      label: roleLabel(displayName, account),
    };
  }
  return { principal, identity, account, role, mayHaveRoleHistory: session.live.mayHaveRoleHistory };
});
