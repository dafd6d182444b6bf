"use client";
// The group's users: remove one, or search the account's users and add one.
import Link from "next/link";
import { useEffect, useState, useTransition } from "react";
import { ResultBanner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/panels";
import type { ActionResult } from "@/lib/actions/action-result";
import { userHref } from "@/components/ui/format";
import { useActionForm, type FormAction } from "@/components/ui/use-action-form";
import { addUserToGroupAction, removeUserFromGroupAction, searchUsersAction } from "../actions";

export function GroupMembers({ groupName, members }: { groupName: string; members: { userName: string; createDate: string }[] }) {
  const [done, setDone] = useState<string | null>(null);
  const run: FormAction = async (state, form) => {
    const removing = form.get("op") === "remove";
    const r = await (removing ? removeUserFromGroupAction : addUserToGroupAction)(state, form);
    setDone(r.ok ? (removing ? `Removed ${form.get("userName")} from ${groupName}.` : `Added ${form.get("userName")} to ${groupName}.`) : null);
    return r;
  };
  const { result, pending, onSubmit } = useActionForm(run);
  const memberSet = new Set(members.map((m) => m.userName.toLowerCase()));
  const hidden = (userName: string, op: "add" | "remove") => (
    <>
      <input type="hidden" name="groupName" value={groupName} />
      <input type="hidden" name="userName" value={userName} />
      <input type="hidden" name="op" value={op} />
    </>
  );
  return (
    <section aria-labelledby="members-title" className="flex flex-col gap-3">
      <h2 id="members-title" className="text-lg font-semibold">
        Users in this group ({members.length})
      </h2>
      <ResultBanner result={result} success={done} />
      {members.length === 0 ? (
        <EmptyState title="No users in this group">Add users below; they get the group&apos;s permissions at once.</EmptyState>
      ) : (
        <table className="w-full max-w-2xl border-collapse text-left">
          <caption className="sr-only">Users in {groupName}</caption>
          <thead>
            <tr className="border-b border-neutral-200 dark:border-neutral-800">
              <th scope="col" className="px-2 py-1.5">User name</th>
              <th scope="col" className="px-2 py-1.5">Created</th>
              <th scope="col" className="px-2 py-1.5"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.userName} className="border-b border-neutral-100 dark:border-neutral-900">
                <td className="px-2 py-1.5">
                  <Link href={userHref(m.userName)} className="text-accent hover:underline">
                    {m.userName}
                  </Link>
                </td>
                <td className="px-2 py-1.5">{m.createDate}</td>
                <td className="px-2 py-1.5 text-right">
                  <form onSubmit={onSubmit}>
                    {hidden(m.userName, "remove")}
                    <Button type="submit" variant="secondary" disabled={pending} aria-label={`Remove ${m.userName} from group`}>
                      Remove
                    </Button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <UserPicker
        isMember={(name) => memberSet.has(name.toLowerCase())}
        renderAdd={(userName) => (
          <form onSubmit={onSubmit}>
            {hidden(userName, "add")}
            <Button type="submit" variant="secondary" disabled={pending} aria-label={`Add ${userName} to group`}>
              Add
            </Button>
          </form>
        )}
      />
    </section>
  );
}

function UserPicker({ isMember, renderAdd }: { isMember: (name: string) => boolean; renderAdd: (userName: string) => React.ReactNode }) {
  const [query, setQuery] = useState("");
  const [found, setFound] = useState<ActionResult<{ names: string[]; more: boolean }> | null>(null);
  const [searching, startSearch] = useTransition();
  useEffect(() => {
    const timer = setTimeout(() => {
      startSearch(async () => {
        const r = await searchUsersAction({ nameContains: query || undefined, pageSize: 20 });
        setFound(r.ok ? { ok: true, data: { names: r.data.Users.map((u) => u.UserName), more: r.data.IsTruncated } } : r);
      });
    }, 250);
    return () => clearTimeout(timer);
  }, [query]);
  return (
    <div className="flex max-w-2xl flex-col gap-2 rounded border border-neutral-200 p-3 dark:border-neutral-800">
      <label htmlFor="user-picker-search" className="font-medium">
        Search users to add
      </label>
      <input
        id="user-picker-search"
        type="search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        className="w-80 rounded border border-neutral-300 px-2 py-1 dark:border-neutral-700 dark:bg-neutral-900"
      />
      {found && !found.ok && <ResultBanner result={found} />}
      {found?.ok && (
        <ul aria-label="Matching users" aria-busy={searching} className="flex flex-col">
          {found.data.names.length === 0 && <li className="text-neutral-600 dark:text-neutral-300">No user name contains &quot;{query}&quot;.</li>}
          {found.data.names.map((name) => (
            <li key={name} className="flex items-center justify-between border-b border-neutral-100 py-1 dark:border-neutral-900">
              <span>{name}</span>
              {isMember(name) ? <span className="text-xs text-neutral-500">In this group</span> : renderAdd(name)}
            </li>
          ))}
          {found.data.more && <li className="py-1 text-xs text-neutral-500">More users match: type more of the name.</li>}
        </ul>
      )}
    </div>
  );
}
