import Link from "next/link";
import { Banner } from "@/components/ui/banner";
import { DataTable, listParams } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { ErrorPanel } from "@/components/ui/panels";
import { loadAs } from "@/lib/actions/define-action";
import { AUDIT_FILTER_HELP, lookupEvents, type LookupEventsResult } from "@/lib/audit/query";
import { requireConsole } from "@/lib/auth/console-context";
import { eventCells } from "./event-row";

export const metadata = { title: "Event history" };

const QUICK_FILTERS = [
  { label: "Sign-ins", q: "ConsoleLogin" },
  { label: "Errors", q: "error:*" },
  { label: "Access denied", q: "error:AccessDenied" },
  { label: "Changes (write events)", q: "access:write" },
];

const COLUMNS = [
  { key: "time", label: "Event time" },
  { key: "event", label: "Event name" },
  { key: "identity", label: "User identity" },
  { key: "ip", label: "Source IP address" },
  { key: "resources", label: "Resources" },
  { key: "error", label: "Error code" },
];

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { principal, account } = await requireConsole();
  const params = listParams(await searchParams);
  const result = await loadAs(principal, lookupEvents(principal, { q: params.q, cursor: params.cursor }));
  if (!result.ok && result.error.code === "AccessDenied") {
    return (
      <>
        <PageHeader crumbs={[{ label: "Audit" }, { label: "Event history" }]} title="Event history" />
        <ErrorPanel result={result} />
      </>
    );
  }
  const data: LookupEventsResult | null = result.ok ? result.data : null;
  return (
    <>
      <PageHeader crumbs={[{ label: "Audit", href: "/audit" }, { label: "Event history" }]} title="Event history">
        <p className="text-neutral-600 dark:text-neutral-300">
          Every console request in account {account.alias ?? account.id} ({account.id}), allowed or refused, newest first: the CloudTrail record written in
          the same transaction as the change.
        </p>
      </PageHeader>
      {!result.ok && (
        <div className="mb-3">
          <Banner kind="error" code={result.error.code}>
            {result.error.message}
          </Banner>
        </div>
      )}
      <div className="mb-2 flex flex-wrap items-center gap-2 text-xs">
        <span className="text-neutral-500">Quick filters:</span>
        {QUICK_FILTERS.map((f) => (
          <Link
            key={f.q}
            href={`/audit?q=${encodeURIComponent(f.q)}`}
            aria-current={params.q === f.q ? "true" : undefined}
            className="rounded border border-neutral-300 px-2 py-0.5 hover:bg-neutral-100 aria-[current]:border-accent aria-[current]:text-accent dark:border-neutral-700 dark:hover:bg-neutral-800"
          >
            {f.label}
          </Link>
        ))}
        {params.q && (
          <Link href="/audit" className="text-accent underline">
            Clear filter
          </Link>
        )}
      </div>
      <p id="audit-filter-help" className="mb-2 text-xs text-neutral-500 dark:text-neutral-400">
        Filter: {AUDIT_FILTER_HELP}
      </p>
      <DataTable
        caption="Events"
        base="/audit"
        params={{ q: params.q, cursor: params.cursor }}
        columns={COLUMNS}
        rows={(data?.items ?? []).map((e) => ({ id: e.id, cells: eventCells(e) }))}
        total={data?.total ?? 0}
        offset={data?.offset ?? 0}
        nextCursor={data?.nextCursor}
        filterLabel="Filter events"
        empty={
          params.q ? (
            <p>
              No events match <span className="font-mono">{params.q}</span>. Event names are exact (ConsoleLogin, CreateUser, ...).{" "}
              <Link href="/audit" className="text-accent underline">
                Show all events
              </Link>
            </p>
          ) : (
            <p>No events yet. Sign in, open a page or make a change: each request is recorded here.</p>
          )
        }
      />
    </>
  );
}
