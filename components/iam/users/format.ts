// How the user and credential pages show dates and ages: one way everywhere.

const DATE = new Intl.DateTimeFormat("en-US", {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
  timeZoneName: "short",
});

export function formatDate(d: Date | string | null | undefined, never = "Never"): string {
  if (!d) return never;
  return DATE.format(typeof d === "string" ? new Date(d) : d);
}

export function daysAgo(d: Date | string | null | undefined, now = Date.now()): number | null {
  if (!d) return null;
  const t = typeof d === "string" ? Date.parse(d) : d.getTime();
  return Math.max(0, Math.floor((now - t) / 86_400_000));
}

export function formatDays(days: number | null | undefined, none = "None"): string {
  if (days === null || days === undefined) return none;
  if (days === 0) return "Today";
  return days === 1 ? "1 day" : `${days.toLocaleString("en-US")} days`;
}

/** AWS's console flags access keys older than 90 days. */
export const KEY_ROTATION_DAYS = 90;
