import "server-only";
// The console's lists load every page of an IAM List* call (as AWS's console
// does) so that the table can show an exact count and sort by any column; the
// table itself then pages through the rows with an offset cursor.
import { loadAs, type OperationSpec } from "@/lib/actions/define-action";
import type { ActionResult } from "@/lib/iam/errors";
import type { Principal } from "@/lib/iam/principal";
import type { Page } from "@/lib/iam/services/groups";

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
