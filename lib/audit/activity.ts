// Activity over time for the event history's chart: events per hour (per day
// for long ranges), allowed vs denied vs failed, under the active filter. Each
// bucket is one grouped count over an indexed time range, so the cost follows
// the events in the window, never the whole history.
import type { Tx } from "@/lib/db/client";
import { auditWhere, type AuditFilter } from "./filter";

export interface ActivityBucket {
  start: Date;
  allowed: number;
  denied: number;
  failed: number;
}

export interface Activity {
  unit: "hour" | "day";
  from: Date;
  to: Date;
  buckets: ActivityBucket[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The chart's default window, and its longest. */
export const ACTIVITY_DEFAULT_SPAN = 24 * HOUR;
export const ACTIVITY_MAX_SPAN = 92 * DAY;

/** Refusals by a policy, as distinct from other failures. */
export const isDenial = (errorCode: string) => /AccessDenied|UnauthorizedOperation|Forbidden/i.test(errorCode);

/** The window and bucket size of a filter: its time range, or the last day; hours up to 3 days, days beyond. */
export function activityWindow(f: Pick<AuditFilter, "from" | "to">, now = new Date()): { from: Date; to: Date; unit: "hour" | "day"; step: number } {
  const to = f.to ?? now;
  let from = f.from ?? new Date(to.getTime() - ACTIVITY_DEFAULT_SPAN);
  if (to.getTime() - from.getTime() > ACTIVITY_MAX_SPAN) from = new Date(to.getTime() - ACTIVITY_MAX_SPAN);
  const unit = to.getTime() - from.getTime() <= 3 * DAY ? "hour" : "day";
  const step = unit === "hour" ? HOUR : DAY;
  return { from: new Date(Math.floor(from.getTime() / step) * step), to, unit, step };
}

export async function activityOf(tx: Tx, accountId: string, f: AuditFilter, now = new Date()): Promise<Activity> {
  const { from, to, unit, step } = activityWindow(f, now);
  const where = auditWhere(accountId, { ...f, from: undefined, to: undefined });
  const starts: number[] = [];
  for (let t = from.getTime(); t <= to.getTime(); t += step) starts.push(t);
  const buckets: ActivityBucket[] = [];
  for (const start of starts) {
    const lower = Math.max(start, f.from?.getTime() ?? start);
    const upper = Math.min(start + step, to.getTime() + 1);
    const groups = await tx.auditEvent.groupBy({
      by: ["errorCode"],
      where: { AND: [where, { eventTime: { gte: new Date(lower), lt: new Date(upper) } }] },
      _count: { _all: true },
    });
    const bucket: ActivityBucket = { start: new Date(start), allowed: 0, denied: 0, failed: 0 };
    for (const g of groups) {
      if (g.errorCode === null) bucket.allowed += g._count._all;
      else if (isDenial(g.errorCode)) bucket.denied += g._count._all;
      else bucket.failed += g._count._all;
    }
    buckets.push(bucket);
  }
  return { unit, from, to, buckets };
}
