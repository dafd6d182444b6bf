import "server-only";
// The live policy stream: the account's requests as they are recorded, each with
// the permission it needed (action and resource), the gate's decision (allowed,
// denied, or would be denied under report-only) and the deciding statement.
//
// It reads the audit table, not the process's memory, so a request served by
// any server process (two servers on one PostgreSQL) appears on every stream.
// Rows are read in (eventTime, id) order from a watermark. An event's time is
// taken when its row is written, but the row becomes visible only when its
// transaction commits, so a later read can turn up an older time: each poll
// reads again a window behind the newest time seen (LIVE_LOOKBACK_MS) and drops
// the IDs it already sent. The window is one range read on the
// (recipientAccountId, eventTime, id) index, however many events the table holds.
//
// Opening a stream is cloudtrail:LookupEvents, through the pipeline (gated and
// audited once per connection, like opening the event history); while it is
// open the gate is asked again every LIVE_RECHECK_MS without an audit record,
// and the stream ends when the answer changes.
import type { Prisma, Tx } from "@/lib/db/client";
import { IamError } from "@/lib/iam/errors";
import { parseGateRecords, type GateRecord } from "@/lib/iam/gate-record";
import type { OperationSpec } from "@/lib/iam/operation";
import { resourcesOf, type AuditRow } from "./query";

/** How far behind the newest event each poll reads again (transactions that commit late). */
export const LIVE_LOOKBACK_MS = 30_000;
/** The most events one poll sends. */
export const LIVE_BATCH = 200;
/** How often the server looks for new events. */
export const LIVE_POLL_MS = 1_000;
/** How often an open stream asks the gate again. */
export const LIVE_RECHECK_MS = 10_000;
/** A stream is closed after this long; the browser reconnects (a new gated, audited LookupEvents). */
export const LIVE_MAX_MS = 5 * 60_000;

export type LiveOutcome = "allowed" | "denied" | "would-be-denied" | "no-permission-needed";

/** One request as the stream shows it. */
export interface LiveEvent {
  id: string;
  eventTime: string;
  eventSource: string;
  eventName: string;
  readOnly: boolean;
  identityArn: string | null;
  identityType: string;
  identityUserName: string | null;
  sourceIPAddress: string | null;
  userAgent: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  outcome: LiveOutcome;
  /** The permission the request needed (the operation's own check); further checks follow in `decisions`. */
  action: string | null;
  resource: string | null;
  decisions: GateRecord[];
}

export interface LiveFilter {
  /** Only requests of this principal: an ARN, a user, role or session name (a substring of the ARN). */
  principal?: string;
}

export const MAX_PRINCIPAL_FILTER = 256;

/** The stream's filter from a query string, validated. */
export function liveFilterOf(params: URLSearchParams): LiveFilter {
  const principal = params.get("principal")?.trim() ?? "";
  if (principal.length > MAX_PRINCIPAL_FILTER) throw new IamError("ValidationError", `A principal filter is at most ${MAX_PRINCIPAL_FILTER} characters.`);
  return principal ? { principal } : {};
}

function outcomeOf(row: Pick<AuditRow, "errorCode" | "wouldBeDenied">, decisions: GateRecord[]): LiveOutcome {
  if (row.wouldBeDenied) return "would-be-denied";
  if (row.errorCode === "AccessDenied" || decisions.some((d) => d.enforced && d.decision !== "Allowed")) return "denied";
  return decisions.length > 0 ? "allowed" : "no-permission-needed";
}

export function toLiveEvent(row: AuditRow): LiveEvent {
  const decisions = parseGateRecords(row.gateDecisions);
  const first = decisions[0];
  return {
    id: row.id,
    eventTime: row.eventTime.toISOString(),
    eventSource: row.eventSource,
    eventName: row.eventName,
    readOnly: row.readOnly,
    identityArn: row.identityArn,
    identityType: row.identityType,
    identityUserName: row.identityUserName,
    sourceIPAddress: row.sourceIPAddress,
    userAgent: row.userAgent,
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    outcome: outcomeOf(row, decisions),
    action: first?.action ?? null,
    resource: first?.resource ?? resourcesOf(row)[0]?.ARN ?? null,
    decisions,
  };
}

function liveWhere(accountId: string, filter: LiveFilter, since: Date): Prisma.AuditEventWhereInput {
  const where: Prisma.AuditEventWhereInput = { recipientAccountId: accountId, eventTime: { gte: since } };
  if (filter.principal) where.OR = [{ identityArn: { contains: filter.principal } }, { identityUserName: filter.principal }];
  return where;
}

/**
 * A stream's position: the newest event time sent and the IDs sent within the
 * look-back window. `next()` returns the events recorded since, oldest first.
 */
export class LiveFeed {
  private newest: Date;
  /** Events before this are history, not news: the stream shows what happens after it opened (or after the last event a reconnect got). */
  private readonly floor: Date;
  private readonly sent = new Map<string, number>();

  constructor(
    private readonly accountId: string,
    private readonly filter: LiveFilter,
    /** Where to start: now for a new stream, the last event's time for a reconnect. */
    start: Date,
    /** IDs already sent (a reconnect's Last-Event-ID). */
    alreadySent: string[] = [],
  ) {
    this.newest = start;
    this.floor = start;
    for (const id of alreadySent) this.sent.set(id, start.getTime());
  }

  async next(tx: Tx): Promise<LiveEvent[]> {
    const since = new Date(Math.max(this.floor.getTime(), this.newest.getTime() - LIVE_LOOKBACK_MS));
    const rows = (await tx.auditEvent.findMany({
      where: liveWhere(this.accountId, this.filter, since),
      orderBy: [{ eventTime: "asc" }, { id: "asc" }],
      take: LIVE_BATCH + this.sent.size,
    })) as AuditRow[];
    const fresh = rows.filter((r) => !this.sent.has(r.id) && r.eventTime.getTime() >= since.getTime()).slice(0, LIVE_BATCH);
    for (const r of fresh) {
      this.sent.set(r.id, r.eventTime.getTime());
      if (r.eventTime > this.newest) this.newest = r.eventTime;
    }
    const horizon = this.newest.getTime() - LIVE_LOOKBACK_MS;
    for (const [id, t] of this.sent) if (t < horizon) this.sent.delete(id);
    return fresh.map(toLiveEvent);
  }
}

/** Opening the stream: cloudtrail:LookupEvents on "*", gated and audited like the event history. */
export function openLiveStream(principal: { accountId: string }, filter: LiveFilter): OperationSpec<{ accountId: string; filter: LiveFilter }> {
  return {
    service: "cloudtrail",
    name: "LookupEvents",
    readOnly: true,
    // LookupEvents has no resource-level permissions: AWS authorizes it on "*".
    resource: { arn: "*" },
    parameters: { live: true, ...(filter.principal ? { lookupAttributes: [{ attributeKey: "Principal", attributeValue: filter.principal }] } : {}) },
    run: async () => ({ accountId: principal.accountId, filter }),
  };
}

/** One Server-Sent Events message. */
export const sseMessage = (e: LiveEvent) => `id: ${e.id}\nevent: request\ndata: ${JSON.stringify(e)}\n\n`;

/**
 * The stream as Server-Sent Events: new events every LIVE_POLL_MS; the gate
 * asked again every LIVE_RECHECK_MS (`stillAllowed`), ending the stream with an
 * `end` event when it refuses; closed after LIVE_MAX_MS (the browser reconnects
 * with Last-Event-ID, through the gate and the audit again).
 */
export function liveEventStream(args: { feed: LiveFeed; tx: () => Tx; stillAllowed: () => Promise<boolean> }): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const opened = Date.now();
      let checkedAt = opened;
      let wroteAt = opened;
      const send = (text: string) => {
        if (closed) return;
        controller.enqueue(encoder.encode(text));
        wroteAt = Date.now();
      };
      const end = (reason?: string) => {
        if (reason) send(`event: end\ndata: ${JSON.stringify({ reason })}\n\n`);
        closed = true;
        controller.close();
      };
      const tick = async () => {
        if (closed) return;
        try {
          const now = Date.now();
          if (now - opened > LIVE_MAX_MS) return end();
          if (now - checkedAt >= LIVE_RECHECK_MS) {
            checkedAt = now;
            if (!(await args.stillAllowed())) return end("You may no longer read this account's events (cloudtrail:LookupEvents), or your session ended.");
          }
          const events = await args.feed.next(args.tx());
          for (const e of events) send(sseMessage(e));
          if (events.length === 0 && now - wroteAt > 15_000) send(": keep-alive\n\n");
        } catch (err) {
          console.error("live policy stream: reading new events failed:", (err as Error)?.message);
        }
        if (!closed) timer = setTimeout(tick, LIVE_POLL_MS);
      };
      send("retry: 2000\n\n");
      void tick();
    },
    cancel() {
      closed = true;
      clearTimeout(timer);
    },
  });
}
