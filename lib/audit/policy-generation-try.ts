import "server-only";
// "Try in simulator" for a generated policy: every recorded request of the job
// (each distinct action and resource the principal used) asked of the engine
// with the draft alone (all its parts, when it was split to fit managed
// policies), before anyone attaches it. A console composite: it
// reads the job (GetGeneratedPolicy, gated) and runs the simulator
// (iam:SimulateCustomPolicy, gated and audited) once per action over the
// resources that action was used on, all on the server.
//
// What is tried is the draft: the policy the principal would be given. Some
// requests are decided by a second policy the draft neither holds nor changes:
// a role's trust policy (sts:AssumeRole, same account too), the resource-based
// policy of a resource in another account. The simulator, like AWS's, answers
// sts:AssumeRole* from the identity policy alone and says the trust policy
// decides too (alsoNeeds). For another account's resource it refuses for want
// of its policy, where AWS's simulator takes resources to be the caller's
// account's unless told otherwise (ResourceOwner); so such a request counts as
// allowed by the draft when a statement of the draft applies to it (the
// engine's own match, conditions included) and nothing in the draft denies
// it; the row keeps the simulator's reason, which names the other policy.
import { IamError } from "@/lib/iam/errors";
import type { Sequence } from "@/lib/iam/operation";
import type { Decision } from "@/lib/iam/policy";
import type { Principal } from "@/lib/iam/principal";
import { validateIdentityPolicy } from "@/lib/iam/services/policy-document";
import { simulatePolicy, type SimulationResultRow } from "@/lib/iam/services/simulator";
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
  /**
   * Set when the draft allows the request but a policy outside it decides too
   * (a role's trust policy, another account's resource policy): the simulator's
   * reason for refusing it with the draft alone. `decision` is then "Allowed".
   */
  alsoDecidedBy?: string;
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

/**
 * For a request the simulator refused with the draft alone: the draft's Allow
 * statement that applies to it, when one does and none of its Deny statements
 * do. The draft is the only policy of the simulation (no SCPs, boundary or
 * session policy), so the refusal then came from a policy outside it.
 */
function draftAllowOutsideDecides(row: SimulationResultRow): { sid?: string; statementIndex: number } | undefined {
  const draft = row.explain.filter((p) => p.policyType === "identity" && !p.error);
  const applies = draft.flatMap((p) => p.statements.filter((s) => s.applies));
  if (applies.some((s) => s.effect === "Deny")) return undefined;
  return applies.find((s) => s.effect === "Allow");
}

/** At most this many policies are tried together (a generated policy split in parts, as attached side by side). */
export const MAX_POLICIES = 10;

export function tryGeneratedPolicy(principal: Principal, input: { jobId: string; policyDocuments: string[]; extra?: { action: string; resource: string }[] }): Sequence<TryResult> {
  return async (step) => {
    if (input.policyDocuments.length === 0 || input.policyDocuments.length > MAX_POLICIES)
      throw new IamError("InvalidInput", `Try between 1 and ${MAX_POLICIES} policies together (the parts of a generated policy).`);
    input.policyDocuments.forEach((d) => validateIdentityPolicy(d));
    const generated = await step(getGeneratedPolicy(principal, { jobId: input.jobId }));
    const calls = [...generated.activity.calls].sort((a, b) => b.calls - a.calls).slice(0, MAX_TRIED);
    const extra = (input.extra ?? []).slice(0, MAX_EXTRA).map((e) => ({ ...e, calls: 0, denied: 0, wouldBeDenied: 0, recorded: false }));
    const byAction = new Map<string, Omit<TriedRequest, "decision" | "statement">[]>();
    for (const c of [...calls.map((c) => ({ ...c, recorded: true })), ...extra]) byAction.set(c.action, [...(byAction.get(c.action) ?? []), c]);
    const requests: TriedRequest[] = [];
    for (const [action, used] of byAction) {
      const result = await step(
        simulatePolicy(principal, {
          identityPolicies: input.policyDocuments,
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
        const applying = row.decision === "ImplicitlyDenied" ? draftAllowOutsideDecides(row) : undefined;
        const decisive = applying ?? row.decisive[0];
        requests.push({
          ...u,
          decision: applying ? "Allowed" : row.decision,
          ...(decisive ? { statement: decisive.sid ?? `statement ${decisive.statementIndex + 1}` } : {}),
          ...(applying ? { alsoDecidedBy: row.reason } : row.alsoNeeds ? { alsoDecidedBy: row.alsoNeeds } : {}),
        });
      });
    }
    requests.sort((a, b) => Number(b.recorded) - Number(a.recorded) || (a.action === b.action ? (a.resource < b.resource ? -1 : 1) : a.action < b.action ? -1 : 1));
    const recorded = requests.filter((r) => r.recorded);
    return { requests, recorded: recorded.length, allowed: recorded.filter((r) => r.decision === "Allowed").length, notTried: generated.activity.calls.length - calls.length };
  };
}
