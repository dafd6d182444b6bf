import Link from "next/link";
import type { ConsoleContext } from "@/lib/auth/console-context";
import { displayName } from "@/lib/iam/principal";
import { signOutAction } from "@/lib/auth/session-actions";
import { endedRoleSession } from "@/lib/auth/role-session";
import { Countdown } from "./countdown";
import { BackToIdentity, RoleMenu, RoleSessionEnded } from "./role-menu";

/** Identity is always visible: account (alias, ID, colour) and principal; a switched role colours the bar. */
export async function TopBar({ ctx }: { ctx: ConsoleContext }) {
  const { account, principal, identity, role } = ctx;
  const color = role?.color ?? account.color;
  const ended = await endedRoleSession(Boolean(role));
  return (
    <>
    <header
      data-testid="top-bar"
      className="flex flex-wrap items-center justify-between gap-2 px-4 py-2 text-white"
      style={{ backgroundColor: role ? color : "#171717", borderBottom: `4px solid ${color}` }}
    >
      <Link href="/iam" className="flex items-center gap-2 font-semibold">
        <img src="/logo.svg" alt="" width={20} height={20} />
        IAM Lab
      </Link>
      {role && (
        <p data-testid="role-banner" className="rounded bg-black/25 px-2 py-0.5">
          <span className="font-semibold">{role.displayName}</span>
          {role.label !== role.displayName && <> in {role.accountLabel}</>} · <Countdown until={role.expiresAt.toISOString()} /> left
        </p>
      )}
      {role && <BackToIdentity ctx={ctx} />}
      <div className="flex items-center gap-3">
        <p data-testid="identity" className="text-right leading-tight">
          <span className="block font-medium">
            {displayName(principal)}
          </span>
          <span className="block text-xs opacity-80">
            {account.name}
            {account.alias ? ` (${account.alias})` : ""} · <span className="font-mono">{account.id}</span>
            <span aria-hidden className="ml-1 inline-block h-2 w-2 rounded-full align-middle" style={{ backgroundColor: account.color }} />
          </span>
        </p>
        <RoleMenu ctx={ctx} />
        <form action={signOutAction}>
          <button type="submit" className="rounded border border-white/40 px-2 py-1 text-xs hover:bg-white/10">
            Sign out
          </button>
        </form>
      </div>
    </header>
    {ended && <RoleSessionEnded name={ended} identity={displayName(identity)} />}
    </>
  );
}
