// The event history's URL: ?q=...&readonly=1&from=...&to=...&cursor=..., read
// the same way by the page and by the export route.
import { IamError } from "@/lib/iam/errors";

export interface HistoryParams {
  q?: string;
  readonly?: string;
  from?: string;
  to?: string;
  cursor?: string;
}

export function historyParams(sp: Record<string, string | string[] | undefined> | URLSearchParams): HistoryParams {
  const one = (k: string) => {
    const v = sp instanceof URLSearchParams ? sp.get(k) : sp[k];
    return typeof v === "string" && v !== "" ? v.slice(0, 256) : undefined;
  };
  return { q: one("q")?.slice(0, 128), readonly: one("readonly") === "1" ? "1" : undefined, from: one("from"), to: one("to"), cursor: one("cursor") };
}

/** A time from a datetime-local field (read as UTC, the console's time zone) or an ISO time. */
export function parseTime(value: string | undefined, label: string): Date | undefined {
  if (!value) return undefined;
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00Z` : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(value) ? `${value}Z` : value;
  const d = new Date(iso);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(d.getTime())) throw new IamError("InvalidInput", `${label} is not a date and time (expected e.g. 2026-12-01T09:30).`);
  return d;
}

/** The lookup input of the URL (throws InvalidInput for a bad time). */
export function lookupInputOf(p: HistoryParams) {
  return { q: p.q, includeReadOnly: p.readonly === "1", from: parseTime(p.from, "From"), to: parseTime(p.to, "To") };
}

export function historyHref(base: string, p: HistoryParams, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...p, ...extra })) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `${base}?${s}` : base;
}
