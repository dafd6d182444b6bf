import Link from "next/link";

/** On every console page while the account's report-only switch is on (lib/iam/report-only.ts; the layout reads it with the session). */
export function ReportOnlyBanner({ enabled }: { enabled: boolean }) {
  if (!enabled) return null;
  return (
    <div data-testid="report-only-banner" role="note" className="border-b-2 border-amber-700 bg-amber-50 px-4 py-2 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-50">
      <strong>Report-only is on for this account.</strong> Requests that this account&apos;s policies deny are allowed and recorded as would-be denials.{" "}
      <Link href="/audit/report-only" className="font-medium underline">
        Report-only mode
      </Link>
    </div>
  );
}
