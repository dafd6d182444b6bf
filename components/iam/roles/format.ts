// Small shared formatting for the role pages.

export function formatDate(d: Date | string | undefined | null): string {
  if (!d) return "-";
  const date = typeof d === "string" ? new Date(d) : d;
  return date.toISOString().replace("T", " ").slice(0, 16) + " UTC";
}

/** "None" for never, else how long ago in days (the console's "Last activity"). */
export function lastActivity(d: Date | undefined | null, now = Date.now()): string {
  if (!d) return "None";
  const days = Math.floor((now - d.getTime()) / 86_400_000);
  return days <= 0 ? "Today" : days === 1 ? "Yesterday" : `${days} days ago`;
}

export function formatHours(seconds: number): string {
  const h = seconds / 3600;
  return `${Number.isInteger(h) ? h : h.toFixed(1)} hour${h === 1 ? "" : "s"}`;
}
