"use client";
// The live policy stream in the browser: Server-Sent Events from ./stream,
// newest first, filtered by principal (on the server), with pause and resume
// (events that arrive while paused are kept and shown on resume).
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import type { LiveEvent } from "@/lib/audit/live-stream";
import { DecidingStatement, DecisionBadge } from "../gate-decision";

/** The most requests kept on the page. */
const KEEP = 300;

type Status = { kind: "connecting" | "live" | "stopped"; message?: string };

const TIME = new Intl.DateTimeFormat("en-GB", { timeStyle: "medium", timeZone: "UTC" });

function addNewest(list: LiveEvent[], incoming: LiveEvent[]): LiveEvent[] {
  const known = new Set(list.map((e) => e.id));
  const fresh = incoming.filter((e) => !known.has(e.id)).reverse();
  return [...fresh, ...list].slice(0, KEEP);
}

export function LiveStreamView({ initialPrincipal }: { initialPrincipal: string }) {
  const [principal, setPrincipal] = useState(initialPrincipal);
  const [draft, setDraft] = useState(initialPrincipal);
  const [events, setEvents] = useState<LiveEvent[]>([]);
  const [held, setHeld] = useState<LiveEvent[]>([]);
  const [paused, setPaused] = useState(false);
  const [status, setStatus] = useState<Status>({ kind: "connecting" });
  const pausedRef = useRef(paused);
  pausedRef.current = paused;

  useEffect(() => {
    setEvents([]);
    setHeld([]);
    setStatus({ kind: "connecting" });
    const url = `/audit/live/stream${principal ? `?principal=${encodeURIComponent(principal)}` : ""}`;
    const source = new EventSource(url);
    source.onopen = () => setStatus({ kind: "live" });
    source.addEventListener("request", (m) => {
      const e = JSON.parse((m as MessageEvent<string>).data) as LiveEvent;
      if (pausedRef.current) setHeld((h) => [...h, e]);
      else setEvents((list) => addNewest(list, [e]));
    });
    source.addEventListener("end", (m) => {
      const { reason } = JSON.parse((m as MessageEvent<string>).data) as { reason: string };
      source.close();
      setStatus({ kind: "stopped", message: reason });
    });
    source.onerror = () => {
      // EventSource reconnects by itself after a closed stream; a refused reconnect ends it.
      if (source.readyState === EventSource.CLOSED) setStatus({ kind: "stopped", message: "The stream was refused or ended. Reload the page to try again." });
      else setStatus({ kind: "connecting" });
    };
    return () => source.close();
  }, [principal]);

  const resume = () => {
    setEvents((list) => addNewest(list, held));
    setHeld([]);
    setPaused(false);
  };

  return (
    <section aria-labelledby="stream-title" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end gap-3">
        <form
          role="search"
          className="flex flex-wrap items-end gap-2"
          onSubmit={(ev) => {
            ev.preventDefault();
            setPrincipal(draft.trim());
          }}
        >
          <label className="flex flex-col text-sm">
            <span>Principal</span>
            <input
              name="principal"
              value={draft}
              maxLength={256}
              onChange={(ev) => setDraft(ev.target.value)}
              aria-describedby="principal-help"
              placeholder="user name, role or ARN"
              className="w-72 rounded border border-neutral-300 px-2 py-1 text-sm dark:border-neutral-700 dark:bg-neutral-900"
            />
          </label>
          <Button type="submit" variant="secondary">
            Apply filter
          </Button>
          {principal && (
            <Button
              variant="link"
              onClick={() => {
                setDraft("");
                setPrincipal("");
              }}
            >
              Show every principal
            </Button>
          )}
        </form>
        <Button variant="secondary" aria-pressed={paused} onClick={() => (paused ? resume() : setPaused(true))}>
          {paused ? `Resume${held.length ? ` (${held.length} new)` : ""}` : "Pause"}
        </Button>
      </div>
      <p id="principal-help" className="text-xs text-neutral-600 dark:text-neutral-400">
        A user name, or any part of a principal&apos;s ARN (a role name, a session name). Up to 256 characters.
      </p>
      <p role="status" data-testid="stream-status" className="text-sm">
        <span
          aria-hidden="true"
          className={`mr-1 inline-block h-2 w-2 rounded-full ${status.kind === "live" ? (paused ? "bg-amber-500" : "bg-green-600") : status.kind === "stopped" ? "bg-red-600" : "bg-neutral-400"}`}
        />
        {status.kind === "live"
          ? paused
            ? `Paused: ${held.length} new request${held.length === 1 ? "" : "s"} waiting.`
            : `Live${principal ? `: requests of principals matching "${principal}"` : ""}.`
          : status.kind === "stopped"
            ? `Stopped. ${status.message ?? ""}`
            : "Connecting..."}
      </p>
      <h2 id="stream-title" className="sr-only">
        Requests
      </h2>
      <div className="overflow-x-auto rounded border border-neutral-200 dark:border-neutral-800">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Requests, newest first</caption>
          <thead className="bg-neutral-50 text-xs dark:bg-neutral-900">
            <tr>
              <th scope="col" className="px-2 py-1.5">Time (UTC)</th>
              <th scope="col" className="px-2 py-1.5">Principal</th>
              <th scope="col" className="px-2 py-1.5">Request</th>
              <th scope="col" className="px-2 py-1.5">Permission needed</th>
              <th scope="col" className="px-2 py-1.5">Decision</th>
              <th scope="col" className="px-2 py-1.5">Deciding statement</th>
            </tr>
          </thead>
          <tbody>
            {events.length === 0 && (
              <tr>
                <td colSpan={6} className="px-2 py-4 text-neutral-600 dark:text-neutral-300">
                  Waiting for requests. Use the console or the API in this account and they appear here.
                </td>
              </tr>
            )}
            {events.map((e) => {
              const checks = e.decisions.length ? e.decisions : [];
              const deciding = checks.find((d) => d.decision !== "Allowed") ?? checks[0];
              return (
                <tr key={e.id} data-testid="stream-row" data-event-name={e.eventName} className="border-t border-neutral-200 align-top dark:border-neutral-800">
                  <td className="whitespace-nowrap px-2 py-1.5 text-xs">
                    <time dateTime={e.eventTime}>{TIME.format(new Date(e.eventTime))}</time>
                  </td>
                  <td className="px-2 py-1.5 font-mono text-xs [overflow-wrap:anywhere]">{e.identityArn ?? e.identityUserName ?? e.identityType}</td>
                  <td className="px-2 py-1.5">
                    <a href={`/audit/events/${e.id}`} className="text-accent hover:underline">
                      {e.eventName}
                    </a>
                    <span className="block text-xs text-neutral-600 dark:text-neutral-300">
                      {e.eventSource}
                      {e.errorCode && <span className="ml-1 font-mono font-semibold text-red-700 dark:text-red-400">{e.errorCode}</span>}
                    </span>
                  </td>
                  <td className="px-2 py-1.5 text-xs">
                    {deciding ? (
                      <>
                        <span className="font-mono">{deciding.action}</span>
                        <span className="block font-mono text-neutral-600 [overflow-wrap:anywhere] dark:text-neutral-300">{deciding.resource}</span>
                        {checks.length > 1 && <span className="block text-neutral-600 dark:text-neutral-300">{checks.length} checks</span>}
                      </>
                    ) : (
                      <span className="text-neutral-600 dark:text-neutral-300">-</span>
                    )}
                  </td>
                  <td className="px-2 py-1.5">
                    <DecisionBadge outcome={e.outcome} />
                  </td>
                  <td className="px-2 py-1.5">{deciding ? <DecidingStatement record={deciding} /> : <span className="text-xs">-</span>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
