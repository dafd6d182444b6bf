"use client";
import { useActionState } from "react";
import { ResultBanner } from "@/components/ui/banner";
import { switchRoleAction } from "@/lib/actions/switch-role";

export interface RecentRoleItem {
  accountId: string;
  accountLabel: string;
  roleName: string;
  displayName: string;
  color: string;
}

/** The last roles switched into, each a one-click switch (AWS's "Role history"). */
export function RecentRoles({ roles }: { roles: RecentRoleItem[] }) {
  const [state, submit, pending] = useActionState(switchRoleAction, null);
  if (roles.length === 0) return <p className="px-3 py-1 text-neutral-500">No roles switched into yet.</p>;
  return (
    <>
      <ul aria-label="Recent roles">
        {roles.map((r) => (
          <li key={`${r.accountId}/${r.roleName}`}>
            <form action={submit}>
              <input type="hidden" name="account" value={r.accountId} />
              <input type="hidden" name="roleName" value={r.roleName} />
              <input type="hidden" name="displayName" value={r.displayName} />
              <input type="hidden" name="color" value={r.color} />
              <button
                type="submit"
                disabled={pending}
                className="flex w-full items-center gap-2 px-3 py-1.5 text-left hover:bg-neutral-100 focus-visible:bg-neutral-100 dark:hover:bg-neutral-800"
              >
                <span aria-hidden className="inline-block h-3 w-3 shrink-0 rounded-sm" style={{ backgroundColor: r.color }} />
                <span>
                  <span className="block font-medium">{r.displayName}</span>
                  <span className="block text-xs text-neutral-500">
                    {r.roleName} in {r.accountLabel}
                  </span>
                </span>
              </button>
            </form>
          </li>
        ))}
      </ul>
      {state && !state.ok && (
        <div className="px-3 py-1">
          <ResultBanner result={state} />
        </div>
      )}
    </>
  );
}
