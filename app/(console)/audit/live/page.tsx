import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { ErrorPanel } from "@/components/ui/panels";
import { toFailure } from "@/lib/actions/define-action";
import { requireConsole } from "@/lib/auth/console-context";
import { consoleRequestInfo } from "@/lib/auth/request-info";
import { db, type Tx } from "@/lib/db/client";
import { assertAuthorized } from "@/lib/iam/authorize";
import { LiveStreamView } from "./live-stream-view";

export const metadata = { title: "Live policy stream" };

const crumbs = [{ label: "Audit", href: "/audit" }, { label: "Live policy stream" }];

export default async function LiveStreamPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { principal, account } = await requireConsole();
  const principalFilter = (await searchParams).principal;
  // A question before the stream opens (the stream itself is gated and audited): a refusal is shown here, with its reason.
  const refused = await assertAuthorized(db() as unknown as Tx, { principal, request: await consoleRequestInfo(), action: "cloudtrail:LookupEvents", resource: { arn: "*" } }).then(
    () => null,
    (err: unknown) => toFailure(err),
  );
  return (
    <>
      <PageHeader crumbs={crumbs} title="Live policy stream">
        <p className="text-neutral-600 dark:text-neutral-300">
          Requests in account {account.alias ?? account.id} ({account.id}) as they happen, from the console and the API, on every server: the permission each
          needed, the decision, and the statement that decided it. Requests that{" "}
          <Link href="/audit/report-only" className="text-accent underline">
            report-only
          </Link>{" "}
          let through although a policy denies them show as <strong>Would be denied</strong>. Past events are in the{" "}
          <Link href="/audit" className="text-accent underline">
            event history
          </Link>
          .
        </p>
      </PageHeader>
      {refused && !refused.ok ? <ErrorPanel result={refused} /> : <LiveStreamView initialPrincipal={typeof principalFilter === "string" ? principalFilter.slice(0, 256) : ""} />}
    </>
  );
}
