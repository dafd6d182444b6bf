import Link from "next/link";
import { Banner } from "@/components/ui/banner";
import { DataTable, listParams, nextPageCursor, splitPageCursor } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, ErrorPanel } from "@/components/ui/panels";
import { requireConsole } from "@/lib/auth/console-context";
import { loadAs } from "@/lib/actions/define-action";
import { listGroups } from "@/lib/iam/services/groups";
import { groupRows } from "./group-rows";
import { formatDate, groupHref } from "@/components/ui/format";
import { recentlyDeleted } from "@/lib/audit/recent-deletion";

export const metadata = { title: "User groups" };

export default async function GroupsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { principal } = await requireConsole();
  const sp = await searchParams;
  const params = listParams(sp);
  const deleted = await recentlyDeleted(principal, "DeleteGroup", "groupName", sp.deleted);
  // One keyset page in name order (as ListGroups returns them) with the total.
  const { offset, cursor } = splitPageCursor(params.cursor);
  const loaded = await loadAs(principal, listGroups(principal, { nameContains: params.q || undefined, cursor, order: params.dir ?? "asc", pageSize: 50, withTotal: true }));
  const create = (
    <Link href="/iam/groups/create" className="rounded bg-accent px-3 py-1.5 text-sm font-medium text-white hover:bg-accent-strong">
      Create group
    </Link>
  );
  const header = (
    <PageHeader crumbs={[{ label: "IAM", href: "/iam" }, { label: "User groups" }]} title="User groups" actions={create}>
      {deleted && <Banner kind="success">User group {deleted} deleted.</Banner>}
    </PageHeader>
  );
  if (!loaded.ok)
    return (
      <>
        {header}
        <ErrorPanel result={loaded} />
      </>
    );
  const page = { items: groupRows(loaded.data), total: loaded.data.console.total, nextCursor: loaded.data.Marker };
  return (
    <>
      {header}
      <p className="mb-3 text-neutral-600 dark:text-neutral-300">
        A user group is a collection of IAM users. Permissions attached to a group apply to every user in it.
      </p>
      <DataTable
        caption="User groups"
        base="/iam/groups"
        params={params}
        filterLabel="Filter groups by name"
        columns={[
          { key: "name", label: "Group name", sortable: true },
          { key: "users", label: "Users" },
          { key: "permissions", label: "Permissions" },
          { key: "created", label: "Created" },
        ]}
        rows={page.items.map((g) => ({
          id: g.groupName,
          cells: [
            <Link key="n" href={groupHref(g.groupName)} className="text-accent hover:underline">
              {g.groupName}
            </Link>,
            g.memberCount,
            g.attachedPolicyCount + g.inlinePolicyCount === 0 ? "Not defined" : `Defined (${g.attachedPolicyCount} managed, ${g.inlinePolicyCount} inline)`,
            formatDate(g.createDate),
          ],
        }))}
        total={page.total ?? page.items.length}
        offset={offset}
        nextCursor={nextPageCursor(offset, page.items.length, page.nextCursor)}
        empty={
          params.q ? (
            <EmptyState title={`No groups match "${params.q}"`}>Clear the filter to see every group.</EmptyState>
          ) : (
            <EmptyState title="No user groups yet">
              <Link href="/iam/groups/create" className="text-accent underline">
                Create a group
              </Link>{" "}
              to give several users the same permissions.
            </EmptyState>
          )
        }
      />
    </>
  );
}
