import "server-only";
// What every console page needs to know about who is signed in: the principal
// requests act as, the signed-in identity behind it, and the account to show.
import { cache } from "react";
import { redirect } from "next/navigation";
import { db } from "@/lib/db/client";
import type { Principal } from "@/lib/iam/principal";
import { currentPrincipal, signedInPrincipal } from "./current";

export interface ConsoleContext {
  principal: Principal;
  identity: Principal;
  account: { id: string; name: string; alias: string | null; color: string };
  /** Present while a role is switched into (or elevated). */
  role?: { displayName: string; color: string; expiresAt: Date; accountLabel: string };
}

/** For console pages: redirects the signed-out, and users who must first change their password. */
export const requireConsole = cache(async (): Promise<ConsoleContext> => {
  const [principal, identity] = await Promise.all([currentPrincipal(), signedInPrincipal()]);
  if (!principal || !identity) redirect("/signin");
  if (identity.passwordResetRequired) redirect("/change-password");
  const account = await db().account.findUniqueOrThrow({
    where: { id: principal.accountId },
    select: { id: true, name: true, alias: true, color: true },
  });
  let role: ConsoleContext["role"];
  if (principal.type === "AssumedRole" && principal.sessionId !== undefined) {
    const session = await db().roleSession.findUnique({ where: { id: principal.sessionId }, select: { displayName: true, color: true } });
    role = {
      displayName: session?.displayName || `${principal.roleName} @ ${account.alias ?? account.id}`,
      color: session?.color || account.color,
      expiresAt: principal.expiresAt,
      accountLabel: account.alias ?? account.id,
    };
  }
  return { principal, identity, account, role };
});
