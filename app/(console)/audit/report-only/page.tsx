import Link from "next/link";
import { FlashProvider } from "@/components/ui/flash";
import { PageHeader } from "@/components/ui/page-header";
import { requireConsole } from "@/lib/auth/console-context";
import { db, type Tx } from "@/lib/db/client";
import { reportOnlyState, SET_REPORT_ONLY_MODE } from "@/lib/iam/report-only";
import { ReportOnlySwitch } from "./report-only-switch";

export const metadata = { title: "Report-only mode" };

const TIME = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

export default async function ReportOnlyPage() {
  const { account } = await requireConsole();
  const state = await reportOnlyState(db() as unknown as Tx, account.id);
  const name = account.alias ?? account.id;
  return (
    <FlashProvider>
      <PageHeader crumbs={[{ label: "Audit", href: "/audit" }, { label: "Report-only mode" }]} title="Report-only mode">
        <p className="text-neutral-600 dark:text-neutral-300">
          Run an application against this account with report-only on: requests its policies would deny go through and are recorded as would-be denials, in the{" "}
          <Link href="/audit/live" className="text-accent underline">
            live policy stream
          </Link>{" "}
          and the{" "}
          <Link href="/audit" className="text-accent underline">
            event history
          </Link>
          . Then generate the policy it needs from that activity, and turn report-only off.
        </p>
      </PageHeader>
      <section aria-labelledby="state-title" className="mb-6 flex flex-col gap-2 rounded border border-neutral-200 p-4 dark:border-neutral-800">
        <h2 id="state-title" className="text-lg font-semibold">
          Account {name}
        </h2>
        <p data-testid="report-only-state">
          Report-only is <strong>{state.enabled ? "on" : "off"}</strong>
          {state.changedAt ? ` (since ${TIME.format(state.changedAt)} UTC)` : " (never turned on)"}.
        </p>
        <div>
          <ReportOnlySwitch enabled={state.enabled} account={name} />
        </div>
        <p className="text-xs text-neutral-600 dark:text-neutral-400">
          Changing it needs <code className="font-mono">{SET_REPORT_ONLY_MODE}</code> on <code className="font-mono">arn:aws:iamlab::{account.id}:report-only</code>, and
          is recorded as a SetReportOnlyMode event.
        </p>
      </section>
      <section aria-labelledby="scope-title" className="grid gap-4 md:grid-cols-2">
        <h2 id="scope-title" className="sr-only">
          What report-only covers
        </h2>
        <div>
          <h3 className="font-semibold">Recorded, not enforced</h3>
          <ul className="mt-1 list-disc pl-5 text-sm">
            <li>Denials by identity-based policies (users, groups, roles), implicit or explicit</li>
            <li>Denials by resource-based policies of this account&apos;s own resources (bucket policies)</li>
            <li>Permissions boundaries and session policies</li>
          </ul>
        </div>
        <div>
          <h3 className="font-semibold">Always enforced</h3>
          <ul className="mt-1 list-disc pl-5 text-sm">
            <li>The permission to change report-only itself, and every other IAM Lab permission</li>
            <li>Anything outside this account: other accounts&apos; resources, and other organizations entirely</li>
            <li>Service control policies set by the organization</li>
            <li>Role trust policies (who may assume a role)</li>
            <li>Sign-in, signatures, MFA, expired or revoked credentials, and a password that must be changed</li>
            <li>AWS&apos;s built-in refusals: AWS managed policies are read-only, protected and service-linked roles</li>
            <li>Errors an operation makes itself (no such entity, limits, invalid input)</li>
          </ul>
        </div>
      </section>
    </FlashProvider>
  );
}
