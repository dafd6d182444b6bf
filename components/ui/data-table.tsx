import Link from "next/link";

export interface Column {
  key: string;
  label: string;
  /** Sortable columns link to ?sort=key&dir=asc|desc. */
  sortable?: boolean;
  className?: string;
}

export interface ListParams {
  q?: string;
  sort?: string;
  dir?: "asc" | "desc";
  cursor?: string;
}

/** Reads the list parameters every table page takes from searchParams. */
export function listParams(sp: Record<string, string | string[] | undefined>): ListParams {
  const one = (k: string) => (typeof sp[k] === "string" ? (sp[k] as string) : undefined);
  const dir = one("dir");
  return { q: one("q")?.slice(0, 128), sort: one("sort"), dir: dir === "desc" ? "desc" : dir === "asc" ? "asc" : undefined, cursor: one("cursor") };
}

/**
 * The URL's cursor carries the row offset and the service's keyset cursor
 * ("50~<service cursor>"), so a table reads "51-100 of N" while each page stays
 * one keyset query.
 */
export function splitPageCursor(cursor: string | undefined): { offset: number; cursor?: string } {
  const m = cursor?.match(/^(\d{1,9})~(.+)$/);
  return m ? { offset: Number(m[1]), cursor: m[2] } : { offset: 0 };
}

export function nextPageCursor(offset: number, rowsShown: number, serviceCursor: string | undefined | null): string | null {
  return serviceCursor ? `${offset + rowsShown}~${serviceCursor}` : null;
}

function href(base: string, params: ListParams, change: Partial<ListParams>): string {
  const merged = { ...params, ...change };
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(merged)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `${base}?${s}` : base;
}

/**
 * The console's list: filter box, sortable columns, cursor paging ("1-50 of 12,345"),
 * a count, optional row selection for bulk actions (checkboxes named `selected`,
 * submitted by a form with id `bulkFormId`), and an empty state.
 */
export function DataTable({
  caption,
  base,
  params,
  columns,
  rows,
  total,
  offset = 0,
  nextCursor,
  filterLabel = "Filter by name",
  empty,
  bulkFormId,
  filterExtras,
  totalIsLowerBound,
}: {
  caption: string;
  base: string;
  params: ListParams;
  columns: Column[];
  rows: { id: string; cells: React.ReactNode[] }[];
  total: number;
  /** How many rows came before this page (for "51-100 of N"). */
  offset?: number;
  nextCursor?: string | null;
  filterLabel?: string;
  empty: React.ReactNode;
  bulkFormId?: string;
  /** More controls inside the filter form (submitted with the filter box). */
  filterExtras?: React.ReactNode;
  /** The total was counted up to a limit: shown as "of 10,000+". */
  totalIsLowerBound?: boolean;
}) {
  const from = rows.length ? offset + 1 : 0;
  const to = offset + rows.length;
  return (
    <section aria-label={caption} className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <form role="search" action={base} className="flex items-center gap-2">
          <label htmlFor={`filter-${caption}`} className="sr-only">
            {filterLabel}
          </label>
          <input
            id={`filter-${caption}`}
            name="q"
            type="search"
            defaultValue={params.q}
            placeholder={filterLabel}
            className="w-64 rounded border border-neutral-300 px-2 py-1 dark:border-neutral-700 dark:bg-neutral-900"
          />
          {params.sort && <input type="hidden" name="sort" value={params.sort} />}
          {params.dir && <input type="hidden" name="dir" value={params.dir} />}
          {filterExtras}
          <button type="submit" className="rounded border border-neutral-300 px-2 py-1 dark:border-neutral-700">
            Filter
          </button>
        </form>
        <p data-testid="list-count" className="text-neutral-600 dark:text-neutral-300">
          {from}-{to} of {total.toLocaleString("en-US")}
          {totalIsLowerBound ? "+" : ""}
        </p>
      </div>
      {rows.length === 0 ? (
        <div className="rounded border border-dashed border-neutral-300 p-6 text-center dark:border-neutral-700">{empty}</div>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full border-collapse text-left">
            <caption className="sr-only">{caption}</caption>
            <thead>
              <tr className="border-b border-neutral-200 dark:border-neutral-800">
                {bulkFormId && (
                  <th scope="col" className="w-8 px-2 py-1.5">
                    <span className="sr-only">Select</span>
                  </th>
                )}
                {columns.map((c) => {
                  const active = params.sort === c.key;
                  const nextDir = active && params.dir !== "desc" ? "desc" : "asc";
                  return (
                    <th
                      key={c.key}
                      scope="col"
                      aria-sort={active ? (params.dir === "desc" ? "descending" : "ascending") : undefined}
                      className={`px-2 py-1.5 font-semibold ${c.className ?? ""}`}
                    >
                      {c.sortable ? (
                        <Link href={href(base, params, { sort: c.key, dir: nextDir, cursor: undefined })} className="hover:underline">
                          {c.label}
                          {active ? (params.dir === "desc" ? " ▼" : " ▲") : ""}
                        </Link>
                      ) : (
                        c.label
                      )}
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} className="border-b border-neutral-100 hover:bg-neutral-50 dark:border-neutral-900 dark:hover:bg-neutral-900">
                  {bulkFormId && (
                    <td className="px-2 py-1.5">
                      <input type="checkbox" name="selected" value={r.id} form={bulkFormId} aria-label={`Select ${r.id}`} />
                    </td>
                  )}
                  {r.cells.map((cell, i) => (
                    <td key={i} className={`px-2 py-1.5 ${columns[i]?.className ?? ""}`}>
                      {cell}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label="Pages" className="flex justify-end gap-2">
        {params.cursor && (
          <Link href={href(base, params, { cursor: undefined })} className="rounded border border-neutral-300 px-2 py-1 dark:border-neutral-700">
            First page
          </Link>
        )}
        {nextCursor && (
          <Link href={href(base, params, { cursor: nextCursor })} className="rounded border border-neutral-300 px-2 py-1 dark:border-neutral-700">
            Next page
          </Link>
        )}
      </nav>
    </section>
  );
}

/** The skeleton a list shows while loading (use from a route's loading.tsx). */
export function TableSkeleton({ rows = 8 }: { rows?: number }) {
  return (
    <div aria-busy="true" aria-label="Loading" className="flex animate-pulse flex-col gap-2">
      <div className="h-8 w-64 rounded bg-neutral-200 dark:bg-neutral-800" />
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="h-6 rounded bg-neutral-100 dark:bg-neutral-900" />
      ))}
    </div>
  );
}
