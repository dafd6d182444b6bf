import Link from "next/link";
import { DataTable, listParams, nextPageCursor, splitPageCursor } from "@/components/ui/data-table";
import { loadAs } from "@/lib/actions/define-action";
import { PageHeader } from "@/components/ui/page-header";
import { Banner } from "@/components/ui/banner";
import { EmptyState, ErrorPanel } from "@/components/ui/panels";
import { requireConsole } from "@/lib/auth/console-context";
import { consolePolicyView, listPolicies, type PolicyView } from "@/lib/iam/services/policies";
import { policyHref } from "@/components/ui/format";
import { KeepFilters } from "./keep-filters";
import { recentlyDeleted } from "@/lib/audit/recent-deletion";
import { awsManagedSummaryLines } from "@/lib/iam/services/aws-managed-summaries";

export const metadata = { title: "Policies" };

const TYPES = [
  { id: "all", label: "All types", scope: "All" },
  { id: "aws", label: "AWS managed", scope: "AWS" },
  { id: "customer", label: "Customer managed", scope: "Local" },
] as const;

function usedAs(p: PolicyView): string {
  const parts = [
    p.attachmentCount ? `Permissions policy (${p.attachmentCount})` : "",
    p.permissionsBoundaryUsageCount ? `Permissions boundary (${p.permissionsBoundaryUsageCount})` : "",
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : "None";
}

export default async function PoliciesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { principal } = await requireConsole();
  const sp = await searchParams;
  const type = TYPES.find((t) => t.id === sp.type) ?? TYPES[0];
  const attached = sp.attached === "1";
  const deleted = await recentlyDeleted(principal, "DeletePolicy", "policyArn", sp.deleted);
  const filters = { type: type.id === "all" ? undefined : type.id, attached: attached ? "1" : undefined };
  const params = { ...listParams(sp), ...filters };
  const linkWith = (change: Record<string, string | undefined>) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries({ q: params.q, ...filters, ...change })) if (v) q.set(k, v);
    const s = q.toString();
    return s ? `/iam/policies?${s}` : "/iam/policies";
  };

  // One keyset page in name order (as ListPolicies returns them) with the total.
  const { offset, cursor } = splitPageCursor(params.cursor);
  const loaded = await loadAs(
    principal,
    listPolicies(principal, { scope: type.scope, onlyAttached: attached, nameContains: params.q || undefined, cursor, order: params.dir ?? "asc", pageSize: 50, withTotal: true }),
  );
  const header = (
    <PageHeader
      crumbs={[{ label: "IAM", href: "/iam" }, { label: "Policies" }]}
      title="Policies"
      actions={
        <Link href="/iam/policies/create" className="rounded bg-accent px-3 py-1.5 text-sm font-medium text-white hover:bg-accent-strong">
          Create policy
        </Link>
      }
    >
      {deleted && <Banner kind="success">Policy {deleted} deleted.</Banner>}
    </PageHeader>
  );
  if (!loaded.ok)
    return (
      <>
        {header}
        <ErrorPanel result={loaded} />
      </>
    );
  const page = { items: loaded.data.Policies.map(consolePolicyView), total: loaded.data.console?.total, nextCursor: loaded.data.Marker };
  const grants = await awsManagedSummaryLines(page.items.filter((p) => p.awsManaged && !p.description));
  return (
    <>
      {header}
      <nav aria-label="Filter by type" className="mb-3 flex flex-wrap items-center gap-2">
        {TYPES.map((t) => (
          <Link
            key={t.id}
            href={linkWith({ type: t.id === "all" ? undefined : t.id })}
            aria-current={t.id === type.id ? "true" : undefined}
            className={`rounded border px-2 py-1 text-sm ${t.id === type.id ? "border-accent bg-blue-50 font-semibold text-accent dark:bg-blue-950" : "border-neutral-300 dark:border-neutral-700"}`}
          >
            {t.label}
          </Link>
        ))}
        <Link
          href={linkWith({ attached: attached ? undefined : "1" })}
          aria-pressed={attached}
          role="button"
          className={`rounded border px-2 py-1 text-sm ${attached ? "border-accent bg-blue-50 font-semibold text-accent dark:bg-blue-950" : "border-neutral-300 dark:border-neutral-700"}`}
        >
          {attached ? "✓ " : ""}Attached only
        </Link>
      </nav>
      <KeepFilters values={filters}>
        <DataTable
          caption="Policies"
          base="/iam/policies"
          params={params}
          filterLabel="Filter policies by name"
          columns={[
            { key: "name", label: "Policy name", sortable: true },
            { key: "type", label: "Type" },
            { key: "used", label: "Used as" },
            { key: "description", label: "Description", className: "max-w-md" },
          ]}
          rows={page.items.map((p) => ({
            id: p.arn,
            cells: [
              <Link key="n" href={policyHref(p.arn)} className="text-accent hover:underline">
                {p.policyName}
              </Link>,
              p.awsManaged ? "AWS managed" : "Customer managed",
              usedAs(p),
              <span
                key="d"
                className="line-clamp-2 text-sm text-neutral-600 dark:text-neutral-300"
                title={p.description || !grants.has(p.policyId) ? undefined : "What the policy grants, summarized from its default version (AWS's description is not in IAM Lab's catalogue)"}
              >
                {p.description || grants.get(p.policyId)}
              </span>,
            ],
          }))}
          total={page.total ?? page.items.length}
          offset={offset}
          nextCursor={nextPageCursor(offset, page.items.length, page.nextCursor)}
          empty={
            params.q || attached || type.id !== "all" ? (
              <EmptyState title="No policies match these filters">Clear the name filter or choose another type.</EmptyState>
            ) : (
              <EmptyState title="No policies">
                <Link href="/iam/policies/create" className="text-accent underline">
                  Create a policy
                </Link>{" "}
                to grant exactly the permissions you need.
              </EmptyState>
            )
          }
        />
      </KeepFilters>
    </>
  );
}
