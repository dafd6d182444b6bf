import { CopyButton } from "@/components/ui/copy-button";
import { PageHeader } from "@/components/ui/page-header";
import { ErrorPanel } from "@/components/ui/panels";
import { loadAs } from "@/lib/actions/define-action";
import { getAuditEvent, resourcesOf, toCloudTrailRecord } from "@/lib/audit/query";
import { requireConsole } from "@/lib/auth/console-context";
import { parseGateRecords } from "@/lib/iam/gate-record";
import { Arn, formatEventTime, UserIdentity } from "../../event-row";
import { GateDecisions } from "../../gate-decision";

export const metadata = { title: "Event record" };

export default async function EventPage({ params }: { params: Promise<{ eventId: string }> }) {
  const { principal } = await requireConsole();
  const { eventId } = await params;
  const result = await loadAs(principal, getAuditEvent(principal, { eventId: decodeURIComponent(eventId).slice(0, 64) }));
  const crumbs = [{ label: "Audit", href: "/audit" }, { label: "Event history", href: "/audit" }];
  if (!result.ok) {
    return (
      <>
        <PageHeader crumbs={[...crumbs, { label: "Event" }]} title="Event record" />
        <ErrorPanel result={result} />
      </>
    );
  }
  const e = result.data;
  const json = JSON.stringify(toCloudTrailRecord(e), null, 2);
  const facts: { label: string; value: React.ReactNode }[] = [
    { label: "Event time", value: formatEventTime(e.eventTime) },
    { label: "Event source", value: e.eventSource },
    { label: "Read only", value: e.readOnly ? "Yes" : "No" },
    { label: "User identity", value: <UserIdentity e={e} /> },
    { label: "Source IP address", value: e.sourceIPAddress ?? "-" },
    { label: "Event ID", value: <span className="font-mono text-xs">{e.id}</span> },
    { label: "Request ID", value: <span className="font-mono text-xs">{e.requestId}</span> },
    { label: "Resources", value: resourcesOf(e).length ? <span className="flex flex-col">{resourcesOf(e).map((r, i) => <Arn key={i} value={r.ARN} />)}</span> : "-" },
    { label: "Authorization", value: <GateDecisions decisions={parseGateRecords(e.gateDecisions)} /> },
    {
      label: "Error",
      value: e.errorCode ? (
        <span className="text-red-800 dark:text-red-300">
          <span className="font-mono font-semibold">{e.errorCode}</span> {e.errorMessage}
        </span>
      ) : (
        "None"
      ),
    },
  ];
  return (
    <>
      <PageHeader crumbs={[...crumbs, { label: e.eventName }]} title={e.eventName} />
      <section aria-label="Summary" className="mb-4 grid gap-3 rounded border border-neutral-200 p-4 md:grid-cols-3 dark:border-neutral-800">
        {facts.map((f) => (
          <div key={f.label} className={f.label === "Error" || f.label === "Resources" || f.label === "Authorization" ? "md:col-span-3" : ""}>
            <p className="text-xs text-neutral-500">{f.label}</p>
            <div>{f.value}</div>
          </div>
        ))}
      </section>
      <section aria-labelledby="record-title" className="flex flex-col gap-2">
        <div className="flex items-center justify-between">
          <h2 id="record-title" className="font-semibold">
            Event record (CloudTrail JSON)
          </h2>
          <CopyButton value={json} label="Copy JSON" />
        </div>
        <pre data-testid="event-json" className="overflow-x-auto rounded border border-neutral-200 bg-neutral-50 p-3 font-mono text-xs dark:border-neutral-800 dark:bg-neutral-900">
          {json}
        </pre>
      </section>
    </>
  );
}
