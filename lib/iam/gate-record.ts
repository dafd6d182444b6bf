// What the gate decided for one permission a request needed, as the audit event
// keeps it (AuditEvent.gateDecisions, a JSON array in the order the checks ran:
// the operation's own action first, then checks made inside it such as
// iam:PassRole) and the live policy stream shows it. Nothing secret goes in:
// the action, the resource ARN, the decision, and the deciding policy's kind,
// name or ARN and statement (its Sid, else "statement N" counted from 1).
import type { DeniedRequest, DenialExplanation } from "./errors";
import type { EvaluationResult } from "./policy";

export type GateDecisionKind = EvaluationResult["decision"];

export interface GateRecord {
  action: string;
  resource: string;
  decision: GateDecisionKind;
  /**
   * false when the account's report-only switch let a denial through: the
   * request went on as if allowed, and `decision` is what would have been
   * enforced (lib/iam/report-only.ts).
   */
  enforced: boolean;
  /** The engine's sentence. */
  reason?: string;
  /** "an identity-based policy", "a resource-based policy", ... */
  policyKind?: string;
  /** The deciding policy: its name, and its ID (a managed policy's ARN; "user/NAME/POLICY" for an inline one). */
  policyName?: string;
  policyId?: string;
  /** The deciding statement: its Sid, else "statement N". */
  statement?: string;
  /** An implicit deny names no statement: the policies of the failing kind that were evaluated. */
  evaluated?: string[];
}

/** A decision made at the gate: what was asked, the answer, and what decided it. */
export function gateRecord(
  asked: { action: string; resource: { arn: string } },
  decided: { decision: GateDecisionKind; explanation?: DenialExplanation },
  enforced: boolean,
): GateRecord {
  const e = decided.explanation;
  return {
    action: asked.action,
    resource: asked.resource.arn,
    decision: decided.decision,
    enforced,
    ...(e?.reason ? { reason: e.reason } : {}),
    ...(e?.policyKind ? { policyKind: e.policyKind } : {}),
    ...(e?.policyName ? { policyName: e.policyName } : {}),
    ...(e?.policyId ? { policyId: e.policyId } : {}),
    ...(e?.statement ? { statement: e.statement } : {}),
    ...(e?.evaluated?.length ? { evaluated: e.evaluated } : {}),
  };
}

/** A refusal as the AccessDenied error carries it (the gate sets `denied` on it). */
export function gateRecordOfDenial(denied: DeniedRequest): GateRecord {
  return gateRecord({ action: denied.action, resource: { arn: denied.resource } }, { decision: denied.decision ?? "ImplicitlyDenied", explanation: denied.explanation }, true);
}

/** Whether any check of the request was a denial that report-only let through. */
export const anyWouldBeDenied = (records: readonly GateRecord[] | undefined) => (records ?? []).some((r) => !r.enforced && r.decision !== "Allowed");

/** Parses AuditEvent.gateDecisions (null, or unreadable: none). */
export function parseGateRecords(text: string | null | undefined): GateRecord[] {
  if (!text) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? (parsed as GateRecord[]) : [];
  } catch {
    return [];
  }
}
