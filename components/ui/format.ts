// How the console prints dates, ages and counts, and the links between IAM
// pages: one way everywhere. Plain functions (no "use client"), so server pages,
// client components and tests share them.

/** "2026-03-01 14:05 UTC": the same for every viewer, so tests and screenshots agree. `none` stands in for a missing date. */
export function formatDate(d: Date | string | null | undefined, none = "—"): string {
  if (!d) return none;
  const iso = (typeof d === "string" ? new Date(d) : d).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** Whole days since `d` (never negative), or null when there is no date. */
export function daysAgo(d: Date | string | null | undefined, now = Date.now()): number | null {
  if (!d) return null;
  const t = typeof d === "string" ? Date.parse(d) : d.getTime();
  return Math.max(0, Math.floor((now - t) / 86_400_000));
}

/** An age in days: "Today", "1 day", "1,234 days"; `none` when there is none. */
export function formatDays(days: number | null | undefined, none = "None"): string {
  if (days === null || days === undefined) return none;
  if (days === 0) return "Today";
  return days === 1 ? "1 day" : `${days.toLocaleString("en-US")} days`;
}

/** "None" for never, else how long ago in days (the console's "Last activity"). */
export function lastActivity(d: Date | string | undefined | null, now = Date.now()): string {
  const days = daysAgo(d, now);
  if (days === null) return "None";
  return days === 0 ? "Today" : days === 1 ? "Yesterday" : `${days} days ago`;
}

/** A duration in seconds as hours: "1 hour", "2 hours", "1.5 hours". */
export function formatHours(seconds: number): string {
  const h = seconds / 3600;
  return `${Number.isInteger(h) ? h : h.toFixed(1)} hour${h === 1 ? "" : "s"}`;
}

/** AWS's console flags access keys older than 90 days. */
export const KEY_ROTATION_DAYS = 90;

export const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

export const userHref = (name: string) => `/iam/users/${encodeURIComponent(name)}`;
export const groupHref = (name: string) => `/iam/groups/${encodeURIComponent(name)}`;
export const roleHref = (name: string) => `/iam/roles/${encodeURIComponent(name)}`;

const POLICY_ARN = /^arn:aws:iam::(aws|\d{12}):policy\/(.+)$/;

/**
 * A managed policy's page: /iam/policies/<account or "aws">/<path>/<name>, e.g.
 * /iam/policies/aws/service-role/AWSLambdaRole. Readable, and the ARN follows from it.
 */
export function policyHref(arn: string): string {
  const m = POLICY_ARN.exec(arn);
  if (!m) return "/iam/policies";
  return `/iam/policies/${m[1]}/${m[2]!.split("/").map(encodeURIComponent).join("/")}`;
}

/** The ARN a policy page's URL names (the inverse of policyHref). */
export function policyArnFromRoute(account: string, segments: string[]): string {
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return `arn:aws:iam::${decode(account)}:policy/${segments.map(decode).join("/")}`;
}
