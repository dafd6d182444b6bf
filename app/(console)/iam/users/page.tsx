import Link from "next/link";
import { daysAgo, formatDate, formatDays, KEY_ROTATION_DAYS } from "@/components/ui/format";
import { Banner } from "@/components/ui/banner";
import { DataTable, nextPageCursor, splitPageCursor, listParams, type Column } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, ErrorPanel } from "@/components/ui/panels";
import { loadAs, validationFailure } from "@/lib/actions/define-action";
import { requireConsole } from "@/lib/auth/console-context";
import { listUsers, type ListUsersResult, type UserColumns, type UserConsoleRow } from "@/lib/iam/services/users";
import { ListUsersInput } from "@/lib/iam/validation";
import { recentlyDeleted } from "@/lib/audit/recent-deletion";

export const metadata = { title: "Users" };

const COLUMNS: Column[] = [
  { key: "name", label: "User name", sortable: true },
  { key: "path", label: "Path" },
  { key: "groups", label: "Groups" },
  { key: "lastActivity", label: "Last activity", sortable: true },
  { key: "mfa", label: "MFA" },
  { key: "passwordAge", label: "Password age" },
  { key: "keyAge", label: "Active key age" },
  { key: "created", label: "Created", sortable: true },
];
const SORTS = ["name", "created", "lastActivity"] as const;

/** ListUsers' answer as the table's rows: each user's AWS members with the page's columns for it. */
function userRows({ Users, console }: ListUsersResult<UserConsoleRow & UserColumns>) {
  return Users.map((u) => ({ userName: u.UserName, path: u.Path, createDate: u.CreateDate, ...console!.users![u.UserId]! }));
}

export default async function UsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { principal } = await requireConsole();
  const sp = await searchParams;
  const params = listParams(sp);
  const deleted = await recentlyDeleted(principal, "DeleteUser", "userName", sp.deleted);
  const { offset, cursor } = splitPageCursor(params.cursor);
  const input = ListUsersInput.safeParse({
    nameContains: params.q,
    sortBy: SORTS.find((s) => s === params.sort),
    order: params.dir,
    cursor,
    withTotal: true,
  });
  const result = input.success ? await loadAs(principal, listUsers(principal, input.data, { columns: true })) : validationFailure(input.error);

  return (
    <>
      <PageHeader
        crumbs={[{ label: "IAM", href: "/iam" }, { label: "Users" }]}
        title="Users"
        actions={
          <Link href="/iam/users/create" className="rounded bg-accent px-3 py-1.5 text-sm font-medium text-white hover:bg-accent-strong">
            Create user
          </Link>
        }
      >
        <p className="text-neutral-600 dark:text-neutral-300">An IAM user is an identity with long-term credentials for one person or program.</p>
      </PageHeader>
      {deleted && (
        <div className="mb-3">
          <Banner kind="success">User {deleted} deleted.</Banner>
        </div>
      )}
      {!result.ok ? (
        <ErrorPanel result={result} />
      ) : (
        <DataTable
          caption="Users"
          base="/iam/users"
          params={params}
          columns={COLUMNS}
          total={result.data.console?.total ?? result.data.Users.length}
          offset={offset}
          nextCursor={nextPageCursor(offset, result.data.Users.length, result.data.Marker)}
          filterLabel="Filter users by name"
          empty={
            params.q ? (
              <EmptyState title={`No user name contains "${params.q}".`}>Clear the filter or try another part of the name.</EmptyState>
            ) : (
              <EmptyState title="No users yet.">
                <Link href="/iam/users/create" className="text-accent underline">
                  Create a user
                </Link>{" "}
                to give a person or a program access to this account.
              </EmptyState>
            )
          }
          rows={userRows(result.data).map((u) => {
            const keyOld = u.oldestActiveKeyAgeDays !== null && u.oldestActiveKeyAgeDays > KEY_ROTATION_DAYS;
            return {
              id: u.userName,
              cells: [
                <Link key="n" href={`/iam/users/${encodeURIComponent(u.userName)}`} className="font-medium text-accent hover:underline">
                  {u.userName}
                </Link>,
                <span key="p" className="font-mono text-xs">
                  {u.path}
                </span>,
                u.groups.length ? u.groups.join(", ") : <span className="text-neutral-500">None</span>,
                u.lastActivity ? `${formatDays(daysAgo(u.lastActivity))}${daysAgo(u.lastActivity) ? " ago" : ""}` : <span className="text-neutral-500">Never</span>,
                u.mfaEnabled ? "Virtual" : <span className="text-neutral-500">Not enabled</span>,
                u.consoleAccess ? formatDays(u.passwordAgeDays) : <span className="text-neutral-500">No console access</span>,
                u.oldestActiveKeyAgeDays === null ? (
                  <span className="text-neutral-500">None</span>
                ) : (
                  <span className={keyOld ? "font-semibold text-amber-700 dark:text-amber-400" : ""} title={keyOld ? `Older than ${KEY_ROTATION_DAYS} days: rotate it` : undefined}>
                    {keyOld && <span aria-hidden>⚠ </span>}
                    {formatDays(u.oldestActiveKeyAgeDays)}
                    {keyOld && <span className="sr-only"> (older than {KEY_ROTATION_DAYS} days)</span>}
                  </span>
                ),
                <span key="c" className="text-xs">
                  {formatDate(u.createDate)}
                </span>,
              ],
            };
          })}
        />
      )}
    </>
  );
}
