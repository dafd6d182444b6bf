import "server-only";
// THE gate. Every console action, page data load and (later) API operation asks
// here whether its principal may perform an action on a resource. It loads the
// principal's policy set and the request context, and asks the policy engine.
import type { Tx } from "@/lib/db/client";
import { accessDenied, IamError, type DenialExplanation } from "./errors";
import { gateRecord, type GateRecord } from "./gate-record";
import { loadPolicySet, type PolicyRef, type PolicySet } from "./policy-set";
import { principalArnKey, type Caller, type RequestInfo } from "./principal";
import { evaluate, type EvaluatedPolicyType, type EvaluationInput, type EvaluationResult } from "./policy";
import { reportOnlyLetsThrough } from "./report-only";
import { storedContext } from "./request-context";

export interface ResourceRef {
  arn: string;
  /** The account that owns the resource; defaults to the account in the ARN, else the principal's. */
  accountId?: string;
  /** A resource-based policy (bucket policy, role trust policy) that applies. */
  policy?: PolicyRef;
}

export interface AuthorizeRequest {
  principal: Caller;
  request: RequestInfo;
  action: string;
  resource: ResourceRef;
  /** Request-specific context keys (iam:PolicyARN, s3:prefix, sts:ExternalId, ...). */
  context?: Record<string, string | string[]>;
  /**
   * One operation's checks (its own action, then iam:PassRole, sts:TagSession
   * ...) share the principal's policy set: loaded by the first, in the same
   * transaction, and reused by the others (lib/iam/operation.ts makes one per operation).
   */
  memo?: GateMemo;
}

/** What the checks of one operation share (see AuthorizeRequest.memo). */
export interface GateMemo {
  policySet?: Promise<PolicySet>;
}

export interface GateDecision {
  allowed: boolean;
  decision: EvaluationResult["decision"];
  /** The engine's answer: decisive statements and the reason, for messages and the simulator. */
  result: EvaluationResult;
  /** A denial as the caller is told it (decisive policy and statement). */
  explanation?: DenialExplanation;
  /** An allow: the statement that allowed it (an identity or resource policy's, before an SCP's), for the audit record. */
  allowedBy?: DenialExplanation;
}

/** Actions the role's trust policy governs: it must allow them, in the same account too (the engine applies the rule). */
const TRUST_POLICY_ACTIONS = new Set(["sts:assumerole", "sts:tagsession", "sts:setsourceidentity"]);
export const governedByTrustPolicy = (action: string) => TRUST_POLICY_ACTIONS.has(action.toLowerCase());

/** Actions a console user whose password must be reset may still perform (as in AWS). */
const ALLOWED_WHILE_RESET_REQUIRED = new Set(["iam:ChangePassword", "iam:GetAccountPasswordPolicy"]);

export function resourceAccountOf(resource: ResourceRef, principal: Caller): string {
  if (resource.accountId) return resource.accountId;
  const account = resource.arn.split(":")[4];
  return account && /^\d{12}$/.test(account) ? account : principal.accountId;
}

/** The global condition keys AWS puts in every request's context. */
export function requestContext(principal: Caller, request: RequestInfo, now = new Date()): Record<string, string | string[]> {
  if (principal.type === "Anonymous") return anonymousContext(request, now);
  // A federated user (GetFederationToken) is its IAM user under an sts federated-user ARN.
  const federated = /^arn:aws:sts::\d{12}:federated-user\//.test(principal.arn);
  const ctx: Record<string, string | string[]> = {
    "aws:CurrentTime": now.toISOString(),
    "aws:EpochTime": String(Math.floor(now.getTime() / 1000)),
    "aws:SecureTransport": String(request.secureTransport),
    "aws:PrincipalArn": principalArnKey(principal),
    "aws:PrincipalAccount": principal.accountId,
    "aws:PrincipalType": federated ? "FederatedUser" : principal.type === "IAMUser" ? "User" : principal.type === "Root" ? "Account" : "AssumedRole",
    "aws:userid": principal.principalId,
    "aws:MultiFactorAuthPresent": String(principal.mfaAuthenticated),
    "aws:RequestedRegion": request.region,
    "aws:ViaAWSService": "false",
  };
  if (principal.type === "IAMUser" && !federated) ctx["aws:username"] = principal.userName;
  if (request.sourceIp) ctx["aws:SourceIp"] = request.sourceIp;
  if (request.userAgent) ctx["aws:UserAgent"] = request.userAgent;
  if (principal.tokenIssuedAt) ctx["aws:TokenIssueTime"] = principal.tokenIssuedAt.toISOString();
  if (principal.mfaAuthenticated && principal.mfaAuthenticatedAt) {
    ctx["aws:MultiFactorAuthAge"] = String(Math.max(0, Math.floor((now.getTime() - principal.mfaAuthenticatedAt.getTime()) / 1000)));
  }
  if (principal.type === "AssumedRole" && principal.sourceIdentity) ctx["aws:SourceIdentity"] = principal.sourceIdentity;
  return ctx;
}

/** An anonymous request's keys: no principal ARN, account or MFA; aws:userid and aws:PrincipalType say "anonymous". */
function anonymousContext(request: RequestInfo, now: Date): Record<string, string | string[]> {
  const ctx: Record<string, string | string[]> = {
    "aws:CurrentTime": now.toISOString(),
    "aws:EpochTime": String(Math.floor(now.getTime() / 1000)),
    "aws:SecureTransport": String(request.secureTransport),
    "aws:PrincipalType": "Anonymous",
    "aws:userid": "anonymous",
    "aws:RequestedRegion": request.region,
    "aws:ViaAWSService": "false",
  };
  if (request.sourceIp) ctx["aws:SourceIp"] = request.sourceIp;
  if (request.userAgent) ctx["aws:UserAgent"] = request.userAgent;
  return ctx;
}

/**
 * Test hook: sees every engine input the gate builds (a copy: an observer can
 * neither change the request nor the decision). Returns the unsubscribe.
 * Used by the context-key coverage test (lib/iam/request-context.int.test.ts).
 */
export type GateObserver = (input: EvaluationInput) => void;
const gateObservers = new Set<GateObserver>();
export function observeGate(observer: GateObserver): () => void {
  gateObservers.add(observer);
  return () => void gateObservers.delete(observer);
}

export async function authorize(tx: Tx, req: AuthorizeRequest): Promise<GateDecision> {
  const { principal } = req;
  if (principal.passwordResetRequired && !ALLOWED_WHILE_RESET_REQUIRED.has(req.action)) {
    const result: EvaluationResult = {
      decision: "ImplicitlyDenied",
      decisive: [],
      reason: "The password must be changed before anything else can be done.",
      deniedBy: "identity",
    };
    return { allowed: false, decision: result.decision, result };
  }
  // Organizations are separate worlds (lab sandboxes side by side): a resource
  // of another organization's account is out of reach, whatever its policy says.
  const resourceAccount = resourceAccountOf(req.resource, principal);
  if (resourceAccount !== principal.accountId) {
    const owner = await tx.account.findUnique({ where: { id: resourceAccount }, select: { organizationId: true } });
    if (owner && owner.organizationId !== principal.organizationId) {
      const result: EvaluationResult = { decision: "ImplicitlyDenied", decisive: [], reason: "The resource belongs to another organization.", deniedBy: "resource" };
      return { allowed: false, decision: result.decision, result, explanation: { policyKind: POLICY_KIND.resource, evaluated: [], reason: result.reason } };
    }
  }
  // Principal tags, resource tags and the like come from the database; the
  // request's own keys (req.context) are added last.
  const stored = { principal, action: req.action, resourceArn: req.resource.arn, resourceAccount, given: req.context };
  const [policySet, known] = await Promise.all([policySetOf(tx, principal, req.memo), storedContext(tx, stored)]);
  const context = { ...requestContext(principal, req.request), ...known, ...req.context };
  const input = evaluationInput({ principal, policySet, action: req.action, resource: req.resource, context });
  for (const observe of gateObservers) observe(structuredClone(input));
  const result = evaluate(input);
  if (result.decision === "Allowed") return { allowed: true, decision: result.decision, result, allowedBy: explainAllow(input, result) };
  return { allowed: false, decision: result.decision, result, explanation: explainDenial(input, result) };
}

/** The principal's policy set, loaded once per memo (a failed load is not kept). */
function policySetOf(tx: Tx, principal: Caller, memo: GateMemo | undefined): Promise<PolicySet> {
  if (!memo) return loadPolicySet(tx, principal);
  memo.policySet ??= loadPolicySet(tx, principal).catch((err: unknown) => {
    memo.policySet = undefined;
    throw err;
  });
  return memo.policySet;
}

/** The policies of one type in an engine input, with their names. */
function policiesOfType(input: EvaluationInput, type: EvaluatedPolicyType): { id?: string; name?: string }[] {
  switch (type) {
    case "identity":
      return input.identityPolicies ?? [];
    case "boundary":
      return input.permissionBoundaries ?? [];
    case "session":
      return input.sessionPolicy ? [input.sessionPolicy] : [];
    case "resource":
      return input.resourcePolicy ? [input.resourcePolicy] : [];
    case "scp":
      return (input.serviceControlPolicies ?? []).flatMap((level) => level.policies);
  }
}

/**
 * What decided a denial, as AWS's enhanced AccessDenied messages tell the
 * caller: for an explicit deny the policy's type, name (or ARN) and statement
 * (its Sid, else its number counted from 1); for an implicit deny the kind of
 * policy that failed to allow, and those of that kind that were evaluated.
 */
export function explainDenial(input: EvaluationInput, result: EvaluationResult): DenialExplanation {
  const deciding = result.decision === "ExplicitlyDenied" ? result.decisive.find((d) => d.effect === "Deny") ?? result.decisive[0] : undefined;
  if (deciding) {
    const policy = policiesOfType(input, deciding.policyType).find((p) => p.id === deciding.policyId);
    return {
      policyKind: POLICY_KIND[deciding.policyType],
      policyName: policy?.name,
      policyId: deciding.policyId,
      statement: deciding.sid ? deciding.sid : `statement ${deciding.statementIndex + 1}`,
      reason: result.reason,
    };
  }
  const type = result.deniedBy ?? "identity";
  const evaluated = policiesOfType(input, type).map((p) => p.name ?? p.id ?? "");
  return { policyKind: POLICY_KIND[type], evaluated: evaluated.filter(Boolean).slice(0, 10), reason: result.reason };
}

/** What allowed a request: the first allowing statement of the identity, resource, boundary or session policies (an SCP's only when none). */
export function explainAllow(input: EvaluationInput, result: EvaluationResult): DenialExplanation | undefined {
  const deciding = result.decisive.find((d) => d.effect === "Allow" && d.policyType !== "scp") ?? result.decisive.find((d) => d.effect === "Allow");
  if (!deciding) return result.reason ? { policyKind: "", reason: result.reason } : undefined;
  const policy = policiesOfType(input, deciding.policyType).find((p) => p.id === deciding.policyId);
  return {
    policyKind: POLICY_KIND[deciding.policyType],
    policyName: policy?.name,
    policyId: deciding.policyId,
    statement: deciding.sid ? deciding.sid : `statement ${deciding.statementIndex + 1}`,
    reason: result.reason,
  };
}

const POLICY_KIND: Record<EvaluatedPolicyType, string> = {
  identity: "an identity-based policy",
  resource: "a resource-based policy",
  boundary: "a permissions boundary",
  session: "a session policy",
  scp: "a service control policy",
};

/** AWS's wording of why: "with an explicit deny in a service control policy", "because no ... allows ...". */
export function deniedBecause(result: EvaluationResult, action: string): string {
  if (result.decision === "ExplicitlyDenied") return `with an explicit deny in ${POLICY_KIND[result.decisive[0]?.policyType ?? "identity"]}`;
  // AWS's own refusals: no policy failed to allow, whatever the policies say the answer is no.
  if (result.builtInRule === "aws-managed-policy") return "because AWS managed policies are read-only";
  if (result.builtInRule === "reserved-kms-alias") return "because the alias/aws/ prefix is reserved for AWS managed keys";
  const kind = POLICY_KIND[result.deniedBy ?? "identity"].replace(/^an? /, "");
  return `because no ${kind} allows the ${action} action`;
}

/**
 * The error AWS answers for a denial: UnmodifiableEntity for a change to a role only AWS may
 * change (IAM Identity Center's roles, service-linked roles), with AWS's message; else AccessDenied.
 */
export function denialError(req: Pick<AuthorizeRequest, "principal" | "action" | "resource">, gate: GateDecision): IamError {
  const rule = gate.result.builtInRule;
  if (rule === "protected-sso-role" || rule === "service-linked-role") {
    const roleName = req.resource.arn.slice(req.resource.arn.lastIndexOf("/") + 1);
    return new IamError("UnmodifiableEntity", `Cannot perform the operation on the protected role '${roleName}' - this role is only modifiable by AWS`);
  }
  return accessDenied(
    {
      principalArn: req.principal.arn,
      action: req.action,
      resource: req.resource.arn,
      decision: gate.decision === "Allowed" ? undefined : gate.decision,
      explanation: gate.explanation,
    },
    deniedBecause(gate.result, req.action),
  );
}

/**
 * The engine's input for one request: the gate builds it, and so does the policy
 * simulator, so the two can never disagree on what is evaluated.
 */
export function evaluationInput(args: {
  principal: Caller;
  policySet: PolicySet;
  action: string;
  resource: ResourceRef;
  context: Record<string, string | string[]>;
}): EvaluationInput {
  const { principal, policySet, action, resource } = args;
  const resourceAccount = resourceAccountOf(resource, principal);
  // S3 RestrictPublicBuckets: the policy grants nothing outside the owner's account.
  const resourcePolicy = resource.policy?.ownerAccountOnly && principal.accountId !== resourceAccount ? undefined : resource.policy;
  return {
    request: { principal: principal.arn, action, resource: { resource: resource.arn, accountId: resourceAccount }, context: args.context },
    identityPolicies: policySet.identityPolicies,
    permissionBoundaries: policySet.permissionBoundaries,
    sessionPolicy: policySet.sessionPolicy,
    resourcePolicy,
    serviceControlPolicies: policySet.serviceControlPolicies,
    principalIsManagementAccount: policySet.principalIsManagementAccount,
  };
}

/**
 * Throws AWS's AccessDenied (UnmodifiableEntity for a role only AWS may change) unless the request is allowed, or the account's
 * report-only switch lets this denial through (lib/iam/report-only.ts says
 * which denials it never relaxes). Returns the decision for the audit record.
 */
export async function assertAuthorized(tx: Tx, req: AuthorizeRequest): Promise<GateRecord> {
  const gate = await authorize(tx, req);
  if (gate.allowed) return gateRecord(req, { decision: gate.decision, explanation: gate.allowedBy }, true);
  if (await reportOnlyLetsThrough(tx, req, gate)) return gateRecord(req, gate, false);
  throw denialError(req, gate);
}
