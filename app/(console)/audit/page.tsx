import Link from "next/link";
import { Banner } from "@/components/ui/banner";
import { DataTable, type ListParams } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { ErrorPanel } from "@/components/ui/panels";
import { loadAs } from "@/lib/actions/define-action";
import { AUDIT_FILTER_HELP, lookupEvents, type LookupEventsResult } from "@/lib/audit/query";
import { requireConsole } from "@/lib/auth/console-context";
import { IamError } from "@/lib/iam/errors";
import { ActivityChart } from "./activity-chart";
import { eventCells } from "./event-row";
import { historyHref, historyParams, lookupInputOf } from "./history-params";

export const metadata = { title: "Event history" };

const QUICK_FILTERS = [
  { label: "Sign-ins", q: "ConsoleLogin" },
  { label: "Errors", q: "error:*" },
  { label: "Access denied", q: "error:AccessDenied" },
  // Report-only mode's would-be denials: allowed, and recorded as what policies would have denied.
  { label: "Would-be denied", q: "decision:would-be-denied" },
  { label: "Data events (S3 objects)", q: "type:AWS::S3::Object" },
];

const COLUMNS = [
  { key: "time", label: "Event time" },
  { key: "event", label: "Event name" },
  { key: "identity", label: "User identity" },
  { key: "ip", label: "Source IP address" },
  { key: "resources", label: "Resources", className: "min-w-48" },
  { key: "error", label: "Error code" },
];

const FIELD = "rounded border border-neutral-300 px-2 py-1 text-sm dark:border-neutral-700 dark:bg-neutral-900";

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { principal, account } = await requireConsole();
  const params = historyParams(await searchParams);
  let input: ReturnType<typeof lookupInputOf> | undefined;
  let badInput: IamError | undefined;
  try {
    input = lookupInputOf(params);
  } catch (err) {
    badInput = err as IamError;
  }
  const result = input ? await loadAs(principal, lookupEvents(principal, { ...input, cursor: params.cursor, withActivity: true })) : null;
  if (result && !result.ok && result.error.code === "AccessDenied") {
    return (
      <>
        <PageHeader crumbs={[{ label: "Audit" }, { label: "Event history" }]} title="Event history" />
        <ErrorPanel result={result} />
      </>
    );
  }
  const data: LookupEventsResult | null = result?.ok ? result.data : null;
  const error = badInput ? { code: badInput.code, message: badInput.message } : result && !result.ok ? result.error : null;
  const { cursor: _cursor, ...filterParams } = params;
  const filtered = Boolean(params.q || params.from || params.to);
  const showsReads = params.readonly === "1";
  return (
    <>
      <PageHeader crumbs={[{ label: "Audit", href: "/audit" }, { label: "Event history" }]} title="Event history">
        <p className="text-neutral-600 dark:text-neutral-300">
          Every request in account {account.alias ?? account.id} ({account.id}), from the console or the API, allowed or refused, newest first: the
          CloudTrail record written in the same transaction as the change. It opens on changes and errors; switch on read-only events to see every
          List and Get as well. S3 object reads and writes appear where a{" "}
          <Link href="/audit/trails" className="text-accent underline">
            trail
          </Link>{" "}
          selects them.
        </p>
      </PageHeader>
      {error && (
        <div className="mb-3">
          <Banner kind="error" code={error.code}>
            {error.message}
          </Banner>
        </div>
      )}
      <div className="mb-2 flex flex-wrap items-center gap-2 text-xs">
        <span className="text-neutral-500 dark:text-neutral-400">Quick filters:</span>
        {QUICK_FILTERS.map((f) => (
          <Link
            key={f.q}
            href={historyHref("/audit", { q: f.q, readonly: params.readonly })}
            aria-current={params.q === f.q ? "true" : undefined}
            className="rounded border border-neutral-300 px-2 py-0.5 hover:bg-neutral-100 aria-[current]:border-accent aria-[current]:text-accent dark:border-neutral-700 dark:hover:bg-neutral-800"
          >
            {f.label}
          </Link>
        ))}
        {filtered && (
          <Link href={historyHref("/audit", { readonly: params.readonly })} className="text-accent underline">
            Clear filter
          </Link>
        )}
        <span className="ml-auto flex gap-2">
          <a href={historyHref("/audit/export", filterParams, { format: "json" })} className="text-accent underline" download>
            Export JSON
          </a>
          <a href={historyHref("/audit/export", filterParams, { format: "csv" })} className="text-accent underline" download>
            Export CSV
          </a>
        </span>
      </div>
      <p id="audit-filter-help" className="mb-2 text-xs text-neutral-600 dark:text-neutral-400">
        Filter: {AUDIT_FILTER_HELP} Times are UTC.
      </p>
      {data?.activity && <ActivityChart activity={data.activity} />}
      <DataTable
        caption="Events"
        base="/audit"
        params={filterParams as ListParams & { cursor?: string }}
        columns={COLUMNS}
        rows={(data?.items ?? []).map((e) => ({ id: e.id, cells: eventCells(e) }))}
        total={data?.total ?? 0}
        totalIsLowerBound={data?.totalIsLowerBound}
        offset={data?.offset ?? 0}
        nextCursor={data?.nextCursor}
        filterLabel="Filter events"
        filterExtras={
          <>
            <label className="flex items-center gap-1 text-sm">
              <input type="checkbox" role="switch" name="readonly" value="1" defaultChecked={showsReads} />
              Include read-only events
            </label>
            <label className="flex items-center gap-1 text-sm">
              From
              <input type="datetime-local" name="from" defaultValue={params.from} className={FIELD} />
            </label>
            <label className="flex items-center gap-1 text-sm">
              To
              <input type="datetime-local" name="to" defaultValue={params.to} className={FIELD} />
            </label>
          </>
        }
        empty={
          filtered ? (
            <p>
              No events match this filter{showsReads ? "" : " among changes and errors (read-only events are hidden)"}.{" "}
              <Link href="/audit" className="text-accent underline">
                Show all changes and errors
              </Link>
            </p>
          ) : (
            <p>No changes or errors yet. Make a change, or switch on read-only events to see every page view&apos;s reads.</p>
          )
        }
      />
    </>
  );
}
