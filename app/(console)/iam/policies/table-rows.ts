// Paging and sorting of a console table's rows in memory (pure: the pages load
// the rows with loadAllPages, then show one page of them).

export const PAGE_SIZE = 50;
/**
 * Rows per List* call when loading everything. AWS allows 1,000, but the
 * services' per-page count queries bind one parameter per row and SQLite's
 * adapter refuses more than 999 parameters: stay well under.
 */
export const LOAD_PAGE_SIZE = 500;

/** One table page of already-sorted rows; the cursor is the offset of the page's first row. */
export function tablePage<T>(rows: T[], cursor: string | undefined, size = PAGE_SIZE) {
  const parsed = cursor && /^\d{1,7}$/.test(cursor) ? Number(cursor) : 0;
  const offset = parsed < rows.length ? parsed - (parsed % size) : 0;
  const next = offset + size;
  return { rows: rows.slice(offset, next), offset, total: rows.length, nextCursor: next < rows.length ? String(next) : null };
}

/** Sorts rows by one of the named keys (a missing or unknown key keeps the given order). */
export function sortRows<T>(rows: T[], keys: Record<string, (row: T) => string | number>, sort: string | undefined, dir: "asc" | "desc" | undefined): T[] {
  const key = sort ? keys[sort] : undefined;
  if (!key) return rows;
  const sign = dir === "desc" ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    const c = typeof x === "number" && typeof y === "number" ? x - y : String(x).toLowerCase().localeCompare(String(y).toLowerCase());
    return sign * c;
  });
}
