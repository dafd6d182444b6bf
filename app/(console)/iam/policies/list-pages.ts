import "server-only";
// The console's lists load every page of an IAM List* call (as AWS's console
// does) so that the table can show an exact count and sort by any column; the
// table itself then pages through the rows with an offset cursor.
import { loadAs, type OperationSpec } from "@/lib/actions/define-action";
import type { ActionResult } from "@/lib/iam/errors";
import type { Principal } from "@/lib/iam/principal";
import type { Page } from "@/lib/iam/services/groups";

export const PAGE_SIZE = 50;
/**
 * Rows per List* call when loading everything. AWS allows 1,000, but the
 * services' per-page count queries bind one parameter per row and SQLite's
 * adapter refuses more than 999 parameters: stay well under.
 */
export const LOAD_PAGE_SIZE = 500;

/** Every item of a paged List* operation, each page through the gate and the audit log. */
export async function loadAllPages<T>(principal: Principal, page: (cursor: string | undefined) => OperationSpec<Page<T>>): Promise<ActionResult<T[]>> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const result = await loadAs(principal, page(cursor));
    if (!result.ok) return result;
    items.push(...result.data.items);
    cursor = result.data.isTruncated ? result.data.nextCursor : undefined;
  } while (cursor);
  return { ok: true, data: items };
}

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
