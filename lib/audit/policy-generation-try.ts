import "server-only";
// "Try in simulator" for a generated policy: every recorded request of the job
// (each distinct action and resource the principal used) asked of the engine
// with the draft alone, before anyone attaches it. A console composite: it
// reads the job (GetGeneratedPolicy, gated) and runs the simulator
// (iam:SimulateCustomPolicy, gated and audited) once per action over the
// resources that action was used on, all on the server.
import type { Sequence } from "@/lib/iam/operation";
import type { Decision } from "@/lib/iam/policy";
import type { Principal } from "@/lib/iam/principal";
import { validateIdentityPolicy } from "@/lib/iam/services/policy-document";
import { simulatePolicy } from "@/lib/iam/services/simulator";
import { getGeneratedPolicy } from "./policy-generation";

/** At most this many recorded requests are tried (the most called first). */
export const MAX_TRIED = 500;

export interface TriedRequest {
  /** false: a request asked for beside the recorded ones (one the principal never made). */
  recorded: boolean;
  action: string;
  resource: string;
  calls: number;
  denied: number;
  wouldBeDenied: number;
  decision: Decision;
  /** The statement that decided (its Sid, else "statement N"). */
  statement?: string;
}

export interface TryResult {
  requests: TriedRequest[];
  /** Recorded requests tried, and how many of them the draft allows. */
  recorded: number;
  allowed: number;
  /** Recorded requests left out past MAX_TRIED. */
  notTried: number;
}

/** At most this many requests can be asked for beside the recorded ones. */
export const MAX_EXTRA = 20;

export function tryGeneratedPolicy(principal: Principal, input: { jobId: string; policyDocument: string; extra?: { action: string; resource: string }[] }): Sequence<TryResult> {
  return async (step) => {
    validateIdentityPolicy(input.policyDocument);
    const generated = await step(getGeneratedPolicy(principal, { jobId: input.jobId }));
    const calls = [...generated.activity.calls].sort((a, b) => b.calls - a.calls).slice(0, MAX_TRIED);
    const extra = (input.extra ?? []).slice(0, MAX_EXTRA).map((e) => ({ ...e, calls: 0, denied: 0, wouldBeDenied: 0, recorded: false }));
    const byAction = new Map<string, Omit<TriedRequest, "decision" | "statement">[]>();
    for (const c of [...calls.map((c) => ({ ...c, recorded: true })), ...extra]) byAction.set(c.action, [...(byAction.get(c.action) ?? []), c]);
    const requests: TriedRequest[] = [];
    for (const [action, used] of byAction) {
      const result = await step(
        simulatePolicy(principal, {
          identityPolicies: [input.policyDocument],
          useResourcePolicy: false,
          actions: [action],
          resources: used.map((u) => u.resource),
          principalTags: [],
          resourceTags: [],
          context: [],
        }),
      );
      used.forEach((u, i) => {
        const row = result.results[i]!;
        const decisive = row.decisive[0];
        requests.push({
          ...u,
          decision: row.decision,
          ...(decisive ? { statement: decisive.sid ?? `statement ${decisive.statementIndex + 1}` } : {}),
        });
      });
    }
    requests.sort((a, b) => Number(b.recorded) - Number(a.recorded) || (a.action === b.action ? (a.resource < b.resource ? -1 : 1) : a.action < b.action ? -1 : 1));
    const recorded = requests.filter((r) => r.recorded);
    return { requests, recorded: recorded.length, allowed: recorded.filter((r) => r.decision === "Allowed").length, notTried: generated.activity.calls.length - calls.length };
  };
}
