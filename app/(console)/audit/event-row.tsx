import Link from "next/link";
import { resourcesOf, type AuditRow } from "@/lib/audit/query";
import { DecisionBadge } from "./gate-decision";

const TIME = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

export const formatEventTime = (d: Date) => `${TIME.format(d)} UTC`;

export function MfaBadge() {
  return (
    <span title="Authenticated with MFA" className="rounded bg-green-100 px-1 text-xs font-semibold text-green-900 dark:bg-green-900 dark:text-green-100">
      MFA
    </span>
  );
}

/** An ARN that wraps only after its separators (":" and "/"), never inside a name. */
export function Arn({ value }: { value: string }) {
  const parts = value.split(/(?<=[:/])/);
  return (
    <span className="font-mono text-xs [overflow-wrap:normal] [word-break:keep-all]">
      {parts.map((p, i) => (
        <span key={i}>
          {p}
          {i < parts.length - 1 && <wbr />}
        </span>
      ))}
    </span>
  );
}

/** Who made the request: ARN, identity type, MFA, and the role behind a session. */
export function UserIdentity({ e }: { e: AuditRow }) {
  return (
    <div className="flex flex-col gap-0.5">
      {e.identityArn ? <Arn value={e.identityArn} /> : <span className="font-mono text-xs">{e.identityUserName ?? "unknown"}</span>}
      <span className="flex flex-wrap items-center gap-1 text-xs text-neutral-600 dark:text-neutral-300">
        {e.identityType}
        {e.mfaAuthenticated && <MfaBadge />}
        {e.sessionIssuerArn && <span>session of {e.sessionIssuerArn.split("/").pop()}</span>}
      </span>
    </div>
  );
}

/** The cells of one event row, in the order of the table's columns. */
export function eventCells(e: AuditRow): React.ReactNode[] {
  const resources = resourcesOf(e);
  return [
    <time key="t" dateTime={e.eventTime.toISOString()} className="whitespace-nowrap text-xs">
      {formatEventTime(e.eventTime)}
    </time>,
    <Link key="n" href={`/audit/events/${e.id}`} className="text-accent hover:underline">
      {e.eventName}
    </Link>,
    <UserIdentity key="u" e={e} />,
    <span key="ip" className="font-mono text-xs">
      {e.sourceIPAddress ?? "-"}
    </span>,
    <span key="r" data-testid="event-resources" className="flex flex-col gap-0.5">
      {resources.length ? resources.map((r, i) => <Arn key={i} value={r.ARN} />) : <span className="text-xs text-neutral-500">-</span>}
    </span>,
    e.wouldBeDenied ? (
      <DecisionBadge key="e" outcome="would-be-denied" />
    ) : e.errorCode ? (
      <span key="e" className="font-mono text-xs font-semibold text-red-700 dark:text-red-400">
        {e.errorCode}
      </span>
    ) : (
      <span key="e" className="text-xs text-neutral-500">
        -
      </span>
    ),
  ];
}
