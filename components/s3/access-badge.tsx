import type { AccessSummary } from "@/lib/s3/rules";

/** The console's "Access" column: public buckets stand out, the rest stay calm. */
export function AccessBadge({ access }: { access: AccessSummary }) {
  const style =
    access === "Public"
      ? "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-100"
      : access === "Objects can be public"
        ? "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-100"
        : "bg-neutral-100 text-neutral-800 dark:bg-neutral-800 dark:text-neutral-100";
  return <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${style}`}>{access}</span>;
}
