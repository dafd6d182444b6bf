import Link from "next/link";
import { RecentRoles } from "./recent-roles";
import { ROLE_COLOR_HEXES } from "@/lib/sts/role-palette";
import { dismissEndedSessionAction, switchBackAction } from "@/lib/actions/switch-role";
import type { Action } from "@/lib/actions/define-action";
import type { ConsoleContext } from "@/lib/auth/console-context";
import { displayName } from "@/lib/iam/principal";
import { recentRoles } from "@/lib/sts/console-session";

/** The account menu: who is signed in, the last five roles (one click each) and "Switch role". */
export async function RoleMenu({ ctx }: { ctx: ConsoleContext }) {
  // Most people never switch roles: their history is known to be empty without a query.
  const recent = ctx.mayHaveRoleHistory ? await recentRoles(ctx.identity.arn) : [];
  return (
    <details className="relative">
      <summary className="cursor-pointer list-none rounded border border-white/40 px-2 py-1 text-xs hover:bg-white/10">Account menu</summary>
      <div className="absolute right-0 z-20 mt-1 w-72 rounded border border-neutral-300 bg-white py-2 text-sm text-neutral-900 shadow-lg dark:border-neutral-700 dark:bg-neutral-900 dark:text-neutral-100">
        <p className="px-3 pb-2 text-xs text-neutral-500">
          Signed in as <span className="font-medium text-neutral-900 dark:text-neutral-100">{displayName(ctx.identity)}</span>
        </p>
        <p className="px-3 pb-1 text-xs font-semibold uppercase tracking-wide text-neutral-500">Role history</p>
        <RecentRoles
          roles={recent.map((r) => ({
            accountId: r.accountId,
            accountLabel: r.accountAlias ?? r.accountId,
            roleName: r.roleName,
            displayName: r.displayName,
            // Only palette colours go back through the form; a role's own colour is applied by the server.
            color: ROLE_COLOR_HEXES.includes(r.color) ? r.color : "",
          }))}
        />
        <div className="mt-2 border-t border-neutral-200 px-3 pt-2 dark:border-neutral-800">
          <Link href="/switchrole" className="text-accent hover:underline">
            Switch role
          </Link>
        </div>
      </div>
    </details>
  );
}

/** A built action without input as a bare <form action>: React passes the form's (ignored) FormData and drops the result. */
const formAction = (action: Action<unknown>) => action as unknown as (form: FormData) => Promise<void>;

/** "Back to NAME" while a role is switched into (or elevated). */
export function BackToIdentity({ ctx }: { ctx: ConsoleContext }) {
  return (
    <form action={formAction(switchBackAction)}>
      <button type="submit" className="rounded border border-white/60 px-2 py-0.5 text-xs hover:bg-white/10">
        Back to {displayName(ctx.identity)}
      </button>
    </form>
  );
}

/** Shown when the role cookie is still here but its session is not live any more. */
export function RoleSessionEnded({ name, identity }: { name: string; identity: string }) {
  return (
    <div data-testid="role-session-ended" role="status" aria-live="polite" className="flex items-center justify-between gap-2 border-b border-amber-400 bg-amber-50 px-4 py-2 text-amber-950 dark:bg-amber-950 dark:text-amber-100">
      <p>
        Your role session for <strong>{name}</strong> ended. You are back to {identity}.
      </p>
      <form action={formAction(dismissEndedSessionAction)}>
        <button type="submit" className="rounded border border-amber-600 px-2 py-0.5 text-xs">
          Dismiss
        </button>
      </form>
    </div>
  );
}
