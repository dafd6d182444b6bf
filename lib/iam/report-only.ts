import "server-only";
// Report-only: an account setting (Account.reportOnly, off by default) under
// which the gate lets through requests that the account's own policies would
// deny, and records each as a would-be denial, so a team can run an
// application against IAM Lab and then generate the policy it needs.
//
// What report-only lets through: a denial by an identity-based policy, a
// resource-based policy of the caller's own account, a permissions boundary or
// a session policy, implicit or explicit, for a principal of the account on a
// resource of the same account.
//
// What it never relaxes (each stays exactly as without it):
// - its own permission, and every other IAM Lab permission (iamlab:*): turning
//   it off, or on, always needs iamlab:SetReportOnlyMode for real;
// - anything outside the caller's account: a resource of another account
//   (its owner's policies govern it), and organization isolation (the gate's
//   refusal of another organization's resources, decided before any policy);
// - service control policies: the organization sets them above the account,
//   and an account cannot switch off its organization's guardrails;
// - authentication and the session: signatures, expired or revoked
//   credentials, MFA sign-in and a password that must be changed first;
// - AWS's built-in refusals (the engine's builtInRule): AWS managed policies
//   are read-only, Identity Center and service-linked roles are protected,
//   alias/aws/ is reserved, and a role can only be assumed where its trust
//   policy allows it (sts:AssumeRole and the other trust-policy actions are
//   never relaxed: a session minted in report-only outlives the switch);
// - refusals an operation makes itself (NoSuchEntity, LimitExceeded, a wrong
//   MFA code, a policy too large): those are not the gate's.
// The would-be denial is recorded on the audit event: AuditEvent.wouldBeDenied
// and, in AuditEvent.gateDecisions, the check with enforced: false and the
// decision, reason and deciding statement that would have been enforced; the
// event's CloudTrail JSON carries both as `iamLabAuthorization`
// (lib/audit/query.ts).
import type { Tx } from "@/lib/db/client";
import type { OperationSpec } from "./operation";
import { resourceAccountOf, type AuthorizeRequest, type GateDecision } from "./authorize";
import type { Principal } from "./principal";

/** The permission that changes the switch (never relaxed by it). */
export const SET_REPORT_ONLY_MODE = "iamlab:SetReportOnlyMode";
/** The resource the switch is: one per account. */
export const reportOnlyArn = (accountId: string) => `arn:aws:iamlab::${accountId}:report-only`;

/** Actions a trust policy governs: who may become a role is never relaxed. */
const TRUST_ACTIONS = new Set(["sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity", "sts:tagsession", "sts:setsourceidentity", "sts:setcontext"]);

/** The policy kinds whose denials report-only may let through. */
const RELAXED_KINDS = new Set(["identity", "resource", "boundary", "session"]);

/** Why report-only may not let this denial through, or null when it may (the account's switch decides then). */
export function neverRelaxed(req: Pick<AuthorizeRequest, "principal" | "action">, gate: Pick<GateDecision, "result">, resourceAccountId: string): string | null {
  const { principal, action } = req;
  if (action.toLowerCase().startsWith("iamlab:")) return "IAM Lab's own permissions are always enforced.";
  if (!/^\d{12}$/.test(principal.accountId)) return "Only principals of an account are covered.";
  if (resourceAccountId !== principal.accountId) return "Resources of other accounts are governed by their owners.";
  if (principal.passwordResetRequired) return "A password that must be changed first is always enforced.";
  if (TRUST_ACTIONS.has(action.toLowerCase())) return "A role's trust policy is always enforced.";
  const { result } = gate;
  if (result.builtInRule) return "AWS's built-in refusals are always enforced.";
  if (result.decision === "ExplicitlyDenied") {
    if (result.decisive.some((d) => d.effect === "Deny" && !RELAXED_KINDS.has(d.policyType))) return "Service control policies are always enforced.";
    return null;
  }
  if (result.decision === "ImplicitlyDenied") return result.deniedBy && RELAXED_KINDS.has(result.deniedBy) ? null : "Service control policies are always enforced.";
  return "Allowed.";
}

/** Whether the gate lets this denial through as a would-be denial: a relaxable denial in an account with report-only on. */
export async function reportOnlyLetsThrough(tx: Tx, req: AuthorizeRequest, gate: GateDecision): Promise<boolean> {
  if (neverRelaxed(req, gate, resourceAccountOf(req.resource, req.principal)) !== null) return false;
  const account = await tx.account.findUnique({ where: { id: req.principal.accountId }, select: { reportOnly: true } });
  return account?.reportOnly === true;
}

export interface ReportOnlyState {
  enabled: boolean;
  changedAt: Date | null;
}

/** The switch as it stands (no permission: everyone in the account is told by the console's banner). */
export async function reportOnlyState(tx: Tx, accountId: string): Promise<ReportOnlyState> {
  const row = await tx.account.findUnique({ where: { id: accountId }, select: { reportOnly: true, reportOnlyChangedAt: true } });
  return { enabled: row?.reportOnly ?? false, changedAt: row?.reportOnlyChangedAt ?? null };
}

/** Turns report-only on or off for the caller's account: iamlab:SetReportOnlyMode, audited. */
export function setReportOnlyMode(principal: Pick<Principal, "accountId">, input: { enabled: boolean }): OperationSpec<ReportOnlyState> {
  return {
    service: "iamlab",
    name: "SetReportOnlyMode",
    action: SET_REPORT_ONLY_MODE,
    readOnly: false,
    resource: { arn: reportOnlyArn(principal.accountId), accountId: principal.accountId },
    parameters: { enabled: input.enabled },
    async run({ tx }) {
      const row = await tx.account.update({
        where: { id: principal.accountId },
        data: { reportOnly: input.enabled, reportOnlyChangedAt: new Date() },
        select: { reportOnly: true, reportOnlyChangedAt: true },
      });
      return { enabled: row.reportOnly, changedAt: row.reportOnlyChangedAt };
    },
    response: (state) => ({ enabled: state.enabled }),
  };
}
