import Link from "next/link";
import { DataTable, listParams, type ListParams } from "@/components/ui/data-table";
import { Banner } from "@/components/ui/banner";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, ErrorPanel } from "@/components/ui/panels";
import { formatDate, lastActivity } from "@/components/ui/format";
import { trustedEntities } from "@/lib/iam/roles/trusted-entities";
import { loadAs } from "@/lib/actions/define-action";
import { requireConsole } from "@/lib/auth/console-context";
import type { ActionResult } from "@/lib/actions/action-result";
import type { Principal } from "@/lib/iam/principal";
import { getRole, listRoles, type RoleView } from "@/lib/iam/roles/roles";
import { recentlyDeleted } from "@/lib/audit/recent-deletion";

export const metadata = { title: "Roles" };

const PAGE_SIZE = 50;
const SORTS = { name: (r: RoleView) => r.RoleName.toLowerCase(), created: (r: RoleView) => r.CreateDate.toISOString() } as const;

/** Every role whose name contains the filter (ListRoles pages of 1,000: an account holds 1,000 roles by default). */
async function allRoles(principal: Principal, nameContains: string | undefined): Promise<ActionResult<RoleView[]>> {
  const roles: RoleView[] = [];
  let marker: string | undefined;
  do {
    const page = await loadAs(principal, listRoles(principal, { nameContains, marker, maxItems: 1000 }));
    if (!page.ok) return page;
    roles.push(...page.data.Roles);
    marker = page.data.IsTruncated ? page.data.Marker : undefined;
  } while (marker);
  return { ok: true, data: roles };
}

function sortRoles(roles: RoleView[], params: ListParams): RoleView[] {
  const key = SORTS[(params.sort ?? "name") as keyof typeof SORTS] ?? SORTS.name;
  const dir = params.dir === "desc" ? -1 : 1;
  return [...roles].sort((a, b) => (key(a) < key(b) ? -dir : key(a) > key(b) ? dir : 0));
}

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { principal } = await requireConsole();
  const sp = await searchParams;
  const params = listParams(sp);
  const header = (
    <PageHeader
      crumbs={[{ label: "IAM", href: "/iam" }, { label: "Roles" }]}
      title="Roles"
      actions={
        <Link href="/iam/roles/create" className="rounded bg-accent px-3 py-1.5 text-sm font-medium text-white hover:bg-accent-strong">
          Create role
        </Link>
      }
    >
      <p className="text-neutral-600 dark:text-neutral-300">
        A role is an identity with permissions that trusted entities (users, accounts, AWS services) assume for a while, with temporary credentials.
      </p>
    </PageHeader>
  );
  const deleted = await recentlyDeleted(principal, "DeleteRole", "roleName", sp.deleted);
  const all = await allRoles(principal, params.q);
  if (!all.ok)
    return (
      <>
        {header}
        <ErrorPanel result={all} />
      </>
    );

  const sorted = sortRoles(all.data, params);
  const offset = Math.max(0, Math.min(Number.parseInt(params.cursor ?? "0", 10) || 0, Math.max(0, sorted.length - 1)));
  const page = sorted.slice(offset, offset + PAGE_SIZE);
  // ListRoles does not carry RoleLastUsed (nor does AWS's): GetRole for the rows shown, as AWS's console does.
  const details = await Promise.all(page.map((r) => loadAs(principal, getRole(principal, { roleName: r.RoleName }))));

  return (
    <>
      {header}
      {deleted && <Banner kind="success">Role {deleted} deleted.</Banner>}
      <DataTable
        caption="Roles"
        base="/iam/roles"
        params={params}
        filterLabel="Filter roles by name"
        columns={[
          { key: "name", label: "Role name", sortable: true },
          { key: "trusted", label: "Trusted entities" },
          { key: "activity", label: "Last activity" },
          { key: "created", label: "Created", sortable: true },
        ]}
        rows={page.map((r, i) => {
          const detail = details[i];
          return {
            id: r.RoleName,
            cells: [
              <Link key="n" href={`/iam/roles/${encodeURIComponent(r.RoleName)}`} className="text-accent hover:underline">
                {r.RoleName}
              </Link>,
              trustedEntities(r.AssumeRolePolicyDocument, principal.accountId).join(", ") || "-",
              detail?.ok ? lastActivity(detail.data.RoleLastUsed?.LastUsedDate) : "-",
              formatDate(r.CreateDate),
            ],
          };
        })}
        total={sorted.length}
        offset={offset}
        nextCursor={offset + PAGE_SIZE < sorted.length ? String(offset + PAGE_SIZE) : null}
        empty={
          <EmptyState title={params.q ? `No roles match "${params.q}"` : "No roles yet"}>
            {params.q ? (
              <Link href="/iam/roles" className="text-accent underline">
                Clear the filter
              </Link>
            ) : (
              <Link href="/iam/roles/create" className="text-accent underline">
                Create a role
              </Link>
            )}
          </EmptyState>
        }
      />
    </>
  );
}
