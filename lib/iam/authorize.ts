import "server-only";
// THE gate. Every console action, page data load and (later) API operation asks
// here whether its principal may perform an action on a resource. It loads the
// principal's policy set and the request context, and asks the policy engine.
import type { Tx } from "@/lib/db/client";
import { accessDenied } from "./errors";
import { loadPolicySet, type PolicyRef } from "./policy-set";
import { principalArnKey, type Principal, type RequestInfo } from "./principal";
import { ADMINISTRATOR_ACCESS_ARN } from "./arn";

export interface ResourceRef {
  arn: string;
  /** The account that owns the resource; defaults to the account in the ARN, else the principal's. */
  accountId?: string;
  /** A resource-based policy (bucket policy, role trust policy) that applies. */
  policy?: PolicyRef;
}

export interface AuthorizeRequest {
  principal: Principal;
  request: RequestInfo;
  action: string;
  resource: ResourceRef;
  /** Request-specific context keys (iam:PolicyARN, s3:prefix, sts:ExternalId, ...). */
  context?: Record<string, string | string[]>;
}

export interface GateDecision {
  allowed: boolean;
  decision: "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";
}

/** Actions a console user whose password must be reset may still perform (as in AWS). */
const ALLOWED_WHILE_RESET_REQUIRED = new Set(["iam:ChangePassword", "iam:GetAccountPasswordPolicy"]);

export function resourceAccountOf(resource: ResourceRef, principal: Principal): string {
  if (resource.accountId) return resource.accountId;
  const account = resource.arn.split(":")[4];
  return account && /^\d{12}$/.test(account) ? account : principal.accountId;
}

/** The global condition keys AWS puts in every request's context. */
export function requestContext(principal: Principal, request: RequestInfo, now = new Date()): Record<string, string | string[]> {
  const ctx: Record<string, string | string[]> = {
    "aws:CurrentTime": now.toISOString(),
    "aws:EpochTime": String(Math.floor(now.getTime() / 1000)),
    "aws:SecureTransport": String(request.secureTransport),
    "aws:PrincipalArn": principalArnKey(principal),
    "aws:PrincipalAccount": principal.accountId,
    "aws:PrincipalType": principal.type === "IAMUser" ? "User" : principal.type === "Root" ? "Account" : "AssumedRole",
    "aws:userid": principal.principalId,
    "aws:MultiFactorAuthPresent": String(principal.mfaAuthenticated),
    "aws:RequestedRegion": request.region,
    "aws:ViaAWSService": "false",
  };
  if (principal.type === "IAMUser") ctx["aws:username"] = principal.userName;
  if (request.sourceIp) ctx["aws:SourceIp"] = request.sourceIp;
  if (request.userAgent) ctx["aws:UserAgent"] = request.userAgent;
  if (principal.tokenIssuedAt) ctx["aws:TokenIssueTime"] = principal.tokenIssuedAt.toISOString();
  if (principal.mfaAuthenticated && principal.mfaAuthenticatedAt) {
    ctx["aws:MultiFactorAuthAge"] = String(Math.max(0, Math.floor((now.getTime() - principal.mfaAuthenticatedAt.getTime()) / 1000)));
  }
  if (principal.type === "AssumedRole" && principal.sourceIdentity) ctx["aws:SourceIdentity"] = principal.sourceIdentity;
  return ctx;
}

async function principalTags(tx: Tx, principal: Principal): Promise<Record<string, string>> {
  const arn = principal.type === "AssumedRole" ? principal.roleArn : principal.type === "IAMUser" ? principal.arn : null;
  if (!arn) return {};
  const tags = await tx.tag.findMany({ where: { resourceArn: arn }, select: { key: true, value: true } });
  return Object.fromEntries(tags.map((t) => [`aws:PrincipalTag/${t.key}`, t.value]));
}

export async function authorize(tx: Tx, req: AuthorizeRequest): Promise<GateDecision> {
  const { principal } = req;
  if (principal.passwordResetRequired && !ALLOWED_WHILE_RESET_REQUIRED.has(req.action)) {
    return { allowed: false, decision: "ImplicitlyDenied" };
  }
  const policySet = await loadPolicySet(tx, principal);
  const context = { ...requestContext(principal, req.request), ...(await principalTags(tx, principal)), ...req.context };
  void context;
  // Interim rule until the policy engine is wired in: the root user may act in its
  // own account, and so may identities with AdministratorAccess attached.
  const sameAccount = resourceAccountOf(req.resource, principal) === principal.accountId;
  const admin = policySet.identityPolicies.some((p) => p.id === ADMINISTRATOR_ACCESS_ARN);
  const allowed = sameAccount && (principal.type === "Root" || admin);
  return { allowed, decision: allowed ? "Allowed" : "ImplicitlyDenied" };
}

/** Throws AWS's AccessDenied unless the request is allowed. */
export async function assertAuthorized(tx: Tx, req: AuthorizeRequest): Promise<void> {
  const result = await authorize(tx, req);
  if (!result.allowed) {
    throw accessDenied({
      principalArn: req.principal.arn,
      action: req.action,
      resource: req.resource.arn,
      decision: result.decision === "Allowed" ? undefined : result.decision,
    });
  }
}
