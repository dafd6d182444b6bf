/**
 * AWS's policy evaluation logic (see README.md for the rules and their sources).
 * Never throws: a malformed input gives an ImplicitlyDenied result with the reason.
 */
import { builtInDeny, needsNoPermission, requiredResourcePolicy, rootIgnoresBucketPolicyDeny } from "./aws-rules";
import { evaluateCondition, negatedUnresolved } from "./conditions";
import {
  actionMatchIndex,
  arnService,
  cacheEpoch,
  candidateStatements,
  compilePolicy,
  requestKey,
  resourceApplies,
  resourceMatchIndex,
  serviceId,
  statementBody,
  type RequestKey,
  type ServiceCandidates,
  statementSpan,
  UNRESOLVED,
  type CompiledPolicy,
  type CompiledStatement,
} from "./compile";
import { buildContextLookup } from "./context";
import {
  excludedByNotPrincipal,
  matchPrincipal,
  parsePrincipalArn,
  type ParsedPrincipal,
  type PrincipalMatchKind,
} from "./principal";
import type {
  ConditionExplain,
  DecisiveStatement,
  EvaluatedPolicyType,
  EvaluateOptions,
  EvaluationInput,
  EvaluationResult,
  PolicyExplain,
  PolicyInput,
  StatementExplain,
} from "./types";
import type { ContextLookup } from "./variables";
import { orgLevelName } from "./org-level";

interface LoadedPolicy {
  type: EvaluatedPolicyType;
  id: string;
  versionId: string | undefined;
  orgIdentifier: string | undefined;
  compiled: CompiledPolicy;
  /** The policy string this was loaded from (for the per-input cache). */
  source: unknown;
  epoch: number;
  index: number;
  rawId: unknown;
  rawName: unknown;
  rawVersionId: unknown;
  /** The candidate statements for the request key candKey (set by the deny scan, read by the allow scan). */
  cand: ServiceCandidates | undefined;
  candKey: number;
}

interface Hit {
  policy: LoadedPolicy;
  st: CompiledStatement;
  /** For resource policies: how the principal matched. */
  kind?: PrincipalMatchKind;
}

interface Req {
  principal: ParsedPrincipal;
  actionLower: string;
  /** The action and the resource's service (for the policies' candidate memos). */
  rk: RequestKey;
  resource: string;
  lookup: ContextLookup;
  hasBoundary: boolean;
}

function policyText(p: PolicyInput): string {
  const v = p?.policy;
  if (typeof v === "string") return v;
  try {
    return JSON.stringify(v) ?? "";
  } catch {
    return "";
  }
}

/** Loaded policies per input object, so a caller that keeps its PolicyInput objects pays nothing. */
const loadedCache = new WeakMap<object, LoadedPolicy>();

function load(type: EvaluatedPolicyType, p: PolicyInput, i: number, orgIdentifier?: string): LoadedPolicy {
  const isObj = typeof p === "object" && p !== null;
  let compiled: CompiledPolicy | undefined;
  if (isObj) {
    const hit = loadedCache.get(p);
    // Reuse only if nothing that matters changed (policy text, ids, type, position, SCP level).
    if (hit !== undefined && hit.source === p.policy && hit.epoch === cacheEpoch) {
      if (
        hit.type === type &&
        hit.index === i &&
        hit.orgIdentifier === orgIdentifier &&
        hit.rawId === p.id &&
        hit.rawName === p.name &&
        hit.rawVersionId === p.versionId
      )
        return hit;
      // The same text in another place (a policy drawn at another position): its compiled form still holds.
      compiled = hit.compiled;
    }
  }
  const id = isObj ? (p.id ?? p.name ?? `${type}-${i}`) : `${type}-${i}`;
  const loaded: LoadedPolicy = {
    type,
    id: String(id),
    versionId: isObj && p.versionId !== undefined ? String(p.versionId) : undefined,
    orgIdentifier,
    compiled: compiled ?? compilePolicy(policyText(p)),
    source: isObj ? p.policy : undefined,
    epoch: cacheEpoch,
    index: i,
    rawId: isObj ? p.id : undefined,
    rawName: isObj ? p.name : undefined,
    rawVersionId: isObj ? p.versionId : undefined,
    cand: undefined,
    candKey: -1,
  };
  if (isObj && typeof p.policy === "string") loadedCache.set(p, loaded);
  return loaded;
}

/** statementApplies: does not apply / applies (identity-side policy) / applies, principal matched as ... */
const NO = 0;
const YES = 1;
const KINDS: (PrincipalMatchKind | undefined)[] = [undefined, undefined, "direct", "role", "account"];
const KIND_CODE: Record<PrincipalMatchKind, number> = { direct: 2, role: 3, account: 4 };

/**
 * Does a statement whose action already matches apply to this request?
 * Unevaluable conditions count as not matching for Allow and as matching for Deny (fail closed).
 */
function statementApplies(st: CompiledStatement, isResourcePolicy: boolean, req: Req): number {
  if (st.pending !== null) statementBody(st);
  if (st.resource !== null && !resourceApplies(st.resource, req.resource, req.lookup)) return NO;
  let code = YES;
  if (isResourcePolicy) {
    const pr = st.principal;
    if (pr === null) return NO;
    if (pr.not) {
      const excluded = excludedByNotPrincipal(pr, req.principal, st.effect);
      // A Deny with NotPrincipal always applies to a principal that has a permissions boundary.
      if (excluded !== undefined && !(st.effect === "Deny" && req.hasBoundary)) return NO;
      code = KIND_CODE.direct;
    } else {
      const m = matchPrincipal(pr, req.principal);
      if (!m) return NO;
      code = KIND_CODE[m.kind];
    }
  }
  const conds = st.conditionsByCost;
  const allow = st.effect === "Allow";
  for (let k = 0; k < conds.length; k++) {
    const c = conds[k];
    if (c.unevaluable !== undefined) {
      if (allow) return NO;
      continue;
    }
    if (!evaluateCondition(c, req.lookup)) return NO;
  }
  if (allow && st.effectUnknown !== undefined) return NO;
  return code;
}

/** The Deny statements of one policy that apply (an unreadable policy denies as a whole). */
function scanDenies(policy: LoadedPolicy, req: Req, denies: Hit[]): void {
  const c = policy.compiled;
  if (c.error !== undefined) {
    denies.push({ policy, st: BROKEN_STATEMENT });
    return;
  }
  // The statements for this action that can match a resource of this service.
  const cand = candidateStatements(c, req.rk);
  policy.cand = cand;
  policy.candKey = req.rk.key;
  const sts = cand.deny;
  const isResourcePolicy = policy.type === "resource";
  for (let k = 0; k < sts.length; k++) if (statementApplies(sts[k], isResourcePolicy, req) !== NO) denies.push({ policy, st: sts[k] });
}

/** The Allow statements of one policy that apply, collected in `allows`; true when there is one. */
function scanAllows(policy: LoadedPolicy, req: Req, allows: Hit[]): boolean {
  const c = policy.compiled;
  if (c.error !== undefined) return false;
  const sts = (policy.candKey === req.rk.key && policy.cand !== undefined ? policy.cand : candidateStatements(c, req.rk)).allow;
  const isResourcePolicy = policy.type === "resource";
  let allowed = false;
  for (let k = 0; k < sts.length; k++) {
    const st = sts[k];
    const r = statementApplies(st, isResourcePolicy, req);
    if (r === NO) continue;
    allowed = true;
    allows.push(r === YES ? { policy, st } : { policy, st, kind: KINDS[r] });
  }
  return allowed;
}

const BROKEN_STATEMENT: CompiledStatement = {
  index: -1,
  effect: "Deny",
  actionNot: false,
  actionPatterns: ["*"],
  resource: null,
  services: null,
  principal: null,
  conditions: [],
  conditionsByCost: [],
  hasUnevaluable: true,
  pending: null,
  owner: null,
};

function decisive(h: Hit): DecisiveStatement {
  const d: DecisiveStatement = {
    policyType: h.policy.type,
    policyId: h.policy.id,
    statementIndex: h.st.index,
    effect: h.st.effect,
  };
  if (h.policy.versionId !== undefined) d.versionId = h.policy.versionId;
  if (h.st.sid !== undefined) d.sid = h.st.sid;
  if (h.policy.orgIdentifier !== undefined) d.orgIdentifier = h.policy.orgIdentifier;
  return d;
}

const principalCache = new Map<string, ParsedPrincipal>();
function cachedPrincipal(arn: string): ParsedPrincipal {
  if (typeof arn !== "string") return parsePrincipalArn(arn);
  let p = principalCache.get(arn);
  if (!p) {
    if (principalCache.size >= 10_000) principalCache.clear();
    p = parsePrincipalArn(arn);
    principalCache.set(arn, p);
  }
  return p;
}

const AWS_KINDS = new Set(["root", "user", "role", "assumed-role", "federated-user"]);

export function evaluate(input: EvaluationInput, options: EvaluateOptions = {}): EvaluationResult {
  try {
    return evaluateUnsafe(input, options);
  } catch (e) {
    return {
      decision: "ImplicitlyDenied",
      decisive: [],
      reason: `The request could not be evaluated: ${(e as Error)?.message ?? String(e)}`,
    };
  }
}

interface Collected {
  denies: Hit[];
  identityAllows: Hit[];
  boundaryAllows: Hit[];
  resourceAllows: Hit[];
  scpAllows: Hit[];
  sessionAllows: Hit[];
}

function evaluateUnsafe(input: EvaluationInput, options: EvaluateOptions): EvaluationResult {
  const request = input?.request;
  if (!request || typeof request !== "object") throw new Error("request is missing");
  if (typeof request.action !== "string" || !request.action.includes(":")) throw new Error("action must look like service:Action");
  const principal = cachedPrincipal(request.principal);
  const resourceArn = typeof request.resource === "string" ? (request.resource as string) : request.resource?.resource;
  if (typeof resourceArn !== "string" || resourceArn === "") throw new Error("resource is missing");
  const resourceAccount =
    (typeof request.resource === "object" ? request.resource.accountId : undefined) || arnAccount(resourceArn) || principal.accountId;

  const isAws = AWS_KINDS.has(principal.kind);
  const isRoot = principal.kind === "root";
  const identityApplies = isAws && !isRoot;
  const boundaryInputs = identityApplies ? (input.permissionBoundaries ?? EMPTY) : EMPTY;
  const rk = requestKey(request.action, requestService(resourceArn));
  const req: Req = {
    principal,
    actionLower: rk.actionLower,
    rk,
    resource: resourceArn,
    lookup: buildContextLookup(request.context, principal, resourceAccount),
    hasBoundary: boundaryInputs.length > 0,
  };

  const col: Collected = { denies: [], identityAllows: [], boundaryAllows: [], resourceAllows: [], scpAllows: [], sessionAllows: [] };

  // The governing policies: SCP levels, resource policy, identity policies, boundaries, session policy.
  const scpLevels: { org: string; policies: LoadedPolicy[] }[] = [];
  if (isAws && !input.principalIsManagementAccount && input.serviceControlPolicies) {
    const levels = input.serviceControlPolicies;
    for (let li = 0; li < levels.length; li++) {
      const org = String(levels[li]?.orgIdentifier ?? `level-${li}`);
      const pols = levels[li]?.policies ?? EMPTY;
      const loaded: LoadedPolicy[] = [];
      for (let i = 0; i < pols.length; i++) loaded.push(load("scp", pols[i], i, org));
      scpLevels.push({ org, policies: loaded });
    }
  }
  const resourcePolicy = input.resourcePolicy ? load("resource", input.resourcePolicy, 0) : undefined;
  const identity: LoadedPolicy[] = [];
  if (identityApplies) {
    const ids = input.identityPolicies ?? EMPTY;
    for (let i = 0; i < ids.length; i++) identity.push(load("identity", ids[i], i));
  }
  const boundaries: LoadedPolicy[] = [];
  for (let i = 0; i < boundaryInputs.length; i++) boundaries.push(load("boundary", boundaryInputs[i], i));
  // A root session (sts:AssumeRoot) carries its task policy as the session policy:
  // its explicit denies limit the root user, who needs no allow (rule 6).
  const session = (identityApplies || isRoot) && input.sessionPolicy ? load("session", input.sessionPolicy, 0) : undefined;

  // 1. Denies first: an explicit deny anywhere decides, whatever the allows.
  for (const level of scpLevels) for (const lp of level.policies) scanDenies(lp, req, col.denies);
  // The bucket owner's root user manages the bucket policy whatever it denies (aws-rules.ts).
  const rootOwnsPolicy = isRoot && resourceAccount === principal.accountId && rootIgnoresBucketPolicyDeny(req.actionLower);
  if (resourcePolicy && !rootOwnsPolicy) scanDenies(resourcePolicy, req, col.denies);
  for (const lp of identity) scanDenies(lp, req, col.denies);
  for (const lp of boundaries) scanDenies(lp, req, col.denies);
  if (session) scanDenies(session, req, col.denies);

  // 2. Allows, unless a deny already decided.
  let failedLevel: string | undefined;
  let boundaryOk = boundaries.length === 0;
  let sessionOk = true;
  if (col.denies.length === 0) {
    for (const level of scpLevels) {
      let ok = false;
      for (const lp of level.policies) if (scanAllows(lp, req, col.scpAllows)) ok = true;
      if (!ok && failedLevel === undefined) failedLevel = level.org;
    }
    if (resourcePolicy) scanAllows(resourcePolicy, req, col.resourceAllows);
    for (const lp of identity) scanAllows(lp, req, col.identityAllows);
    for (const lp of boundaries) if (scanAllows(lp, req, col.boundaryAllows)) boundaryOk = true;
    if (session) sessionOk = scanAllows(session, req, col.sessionAllows);
  }
  const evaluated: LoadedPolicy[] | null = options.explain
    ? [...scpLevels.flatMap((l) => l.policies), ...(resourcePolicy ? [resourcePolicy] : []), ...identity, ...boundaries, ...(session ? [session] : [])]
    : null;

  const required =
    input.resourcePolicyNotSimulated ? undefined : (requiredResourcePolicy(req.actionLower, resourceArn) ?? (input.resourcePolicyRequired ? "flag" : undefined));
  const r = decide({
    action: request.action,
    actionLower: req.actionLower,
    resource: resourceArn,
    principal,
    resourceAccount,
    isAws,
    isRoot,
    boundaryOk,
    sessionOk,
    failedLevel,
    col,
    required,
    hasResourcePolicy: !!input.resourcePolicy,
  });
  if (evaluated) r.explain = explainAll(evaluated, req);
  return r;
}

const EMPTY: never[] = [];

function requestService(resource: string): number {
  const svc = arnService(resource);
  return svc === undefined ? -2 : serviceId(svc);
}

/** The 12-digit account in an ARN's fifth field, without splitting the whole string. */
function arnAccount(arn: string): string | undefined {
  if (!arn.startsWith("arn:")) return undefined;
  let idx = 3;
  for (let k = 0; k < 3; k++) {
    idx = arn.indexOf(":", idx + 1);
    if (idx < 0) return undefined;
  }
  const end = arn.indexOf(":", idx + 1);
  if (end < 0) return undefined;
  const acct = arn.slice(idx + 1, end);
  return acct.length === 12 && ACCOUNT_DIGITS.test(acct) ? acct : undefined;
}
const ACCOUNT_DIGITS = /^\d{12}$/;

function allowedResult(col: Collected, hits: Hit[], reason: string): EvaluationResult {
  const decisiveList: DecisiveStatement[] = [];
  for (const h of col.scpAllows) decisiveList.push(decisive(h));
  for (const h of hits) decisiveList.push(decisive(h));
  return { decision: "Allowed", decisive: decisiveList, reason };
}

function implicitResult(reason: string, deniedBy: EvaluatedPolicyType): EvaluationResult {
  return { decision: "ImplicitlyDenied", decisive: [], reason, deniedBy };
}

interface DecideArgs {
  action: string;
  actionLower: string;
  resource: string;
  principal: ParsedPrincipal;
  resourceAccount: string | undefined;
  isAws: boolean;
  isRoot: boolean;
  boundaryOk: boolean;
  sessionOk: boolean;
  failedLevel: string | undefined;
  col: Collected;
  /** A resource-based policy that must allow whatever the accounts (see aws-rules.ts). */
  required: "trust" | "key" | "flag" | undefined;
  hasResourcePolicy: boolean;
}

function decide(a: DecideArgs): EvaluationResult {
  const { action, principal, resourceAccount, isAws, isRoot, boundaryOk, sessionOk, failedLevel, col } = a;
  const { denies, identityAllows, resourceAllows } = col;
  // 0. Actions that need no permission (sts:GetCallerIdentity): allowed even under an explicit deny.
  if (isAws && needsNoPermission(a.actionLower))
    return {
      decision: "Allowed",
      decisive: [],
      reason: `${action} needs no permission: AWS answers it for any signed request, even when a policy denies it explicitly.`,
      builtInRule: "no-permission-required",
    };
  // 1. An explicit deny in any policy wins.
  if (denies.length > 0) {
    const broken = denies.find((d) => d.st.index === -1);
    return {
      decision: "ExplicitlyDenied",
      decisive: denies.map(decisive),
      reason: broken
        ? `The ${broken.policy.type} policy ${broken.policy.id} cannot be read (${broken.policy.compiled.error}); an unreadable policy denies.`
        : `Explicitly denied by ${describe(denies[0])}.`,
    };
  }
  // AWS's own rules on protected resources: an implicit deny whatever the policies allow.
  const builtIn = builtInDeny(a.actionLower, a.resource);
  if (builtIn) return { decision: "ImplicitlyDenied", decisive: [], reason: builtIn.reason, builtInRule: builtIn.rule };

  // 2. Every level of the organization must allow through its SCPs.
  if (failedLevel !== undefined) return implicitResult(`No service control policy attached to ${orgLevelName(failedLevel)} allows ${action}.`, "scp");

  // A role's trust policy and a KMS key's key policy must allow, in the same account too.
  if (a.required && resourceAllows.length === 0) {
    const r = requiredMissing(a.required, action, a.hasResourcePolicy);
    if (a.required !== "flag") r.builtInRule = a.required === "trust" ? "trust-policy-required" : "key-policy-required";
    return r;
  }

  // Services and anonymous callers: only a resource-based policy can grant.
  if (!isAws)
    return resourceAllows.length > 0
      ? allowedResult(col, resourceAllows, "Allowed by the resource-based policy.")
      : implicitResult("No resource-based policy statement allows this principal.", "resource");

  const crossAccount = !!resourceAccount && principal.accountId !== resourceAccount;
  if (isRoot) {
    if (!crossAccount) return allowedResult(col, EMPTY, "The root user is not limited by identity-based policies.");
    return resourceAllows.length > 0
      ? allowedResult(col, resourceAllows, "Cross-account: the resource-based policy allows the account's root user.")
      : implicitResult("Cross-account access needs an allow in the resource-based policy.", "resource");
  }
  const limit = !boundaryOk ? "the permissions boundary does not allow it" : !sessionOk ? "the session policy does not allow it" : undefined;
  const limitedBy: EvaluatedPolicyType | undefined = !boundaryOk ? "boundary" : !sessionOk ? "session" : undefined;

  if (crossAccount) {
    if (resourceAllows.length === 0) return implicitResult("Cross-account access needs an allow in the resource-based policy of the resource's account.", "resource");
    if (identityAllows.length === 0) return implicitResult("Cross-account access needs an allow in the caller's identity-based policies too.", "identity");
    if (limit) return implicitResult(`Implicitly denied: ${limit}.`, limitedBy!);
    return allowedResult(
      col,
      [...identityAllows, ...col.boundaryAllows, ...col.sessionAllows, ...resourceAllows],
      "Allowed by both the identity-based and the resource-based policy (cross-account).",
    );
  }

  // Same account. A resource policy naming this exact user or session grants on its own.
  let direct: Hit[] | undefined;
  let roleGrants: Hit[] | undefined;
  for (const h of resourceAllows) {
    if (h.kind === "direct") (direct ??= []).push(h);
    else if (h.kind === "role") (roleGrants ??= []).push(h);
  }
  if (direct) return allowedResult(col, direct, "Allowed by the resource-based policy, which names this principal.");
  // A grant to the role ARN adds to the role's identity-based permissions; a grant to the
  // account needs an identity-based allow as well.
  if (identityAllows.length === 0 && !roleGrants) return implicitResult("No identity-based or resource-based policy allows this request.", "identity");
  if (limit) return implicitResult(`Implicitly denied: ${limit}.`, limitedBy!);
  const grants = identityAllows.length > 0 ? [...identityAllows, ...resourceAllows] : roleGrants!;
  return allowedResult(
    col,
    [...grants, ...col.boundaryAllows, ...col.sessionAllows],
    roleGrants ? "Allowed by identity-based policy and the resource-based policy." : "Allowed by identity-based policy.",
  );
}

function requiredMissing(required: "trust" | "key" | "flag", action: string, given: boolean): EvaluationResult {
  if (required === "trust")
    return implicitResult(
      given
        ? `The role's trust policy does not allow this principal ${action}: a role's trust policy must allow it, in the same account too.`
        : `No trust policy was given for the role: a role's trust policy must allow ${action}, in the same account too.`,
      "resource",
    );
  if (required === "key")
    return implicitResult(
      given
        ? "The key policy does not allow this principal: IAM policies grant access to a KMS key only when its key policy allows (naming the principal, or the account to enable IAM policies)."
        : "No key policy was given: every KMS key has one, and without its allow IAM policies have no effect on the key.",
      "resource",
    );
  return implicitResult("The resource-based policy must allow this request, and it does not.", "resource");
}

const POLICY_KIND: Record<EvaluatedPolicyType, string> = {
  identity: "identity-based policy",
  boundary: "permissions boundary",
  session: "session policy",
  resource: "resource-based policy",
  scp: "service control policy",
};

/** A statement as a person reads it: by its Sid, else its number counted from 1, in the policy named (not its internal ID). */
function describe(h: Hit): string {
  const name = typeof h.policy.rawName === "string" && h.policy.rawName ? h.policy.rawName : h.policy.id;
  const where = h.policy.type === "scp" && h.policy.orgIdentifier ? `, attached to ${orgLevelName(h.policy.orgIdentifier)}` : "";
  return `statement ${h.st.sid ?? h.st.index + 1} of the ${POLICY_KIND[h.policy.type]} ${name}${where}`;
}

// ---------------------------------------------------------------- explain (only on request)

function explainAll(policies: LoadedPolicy[], req: Req): PolicyExplain[] {
  return policies.map((p) => {
    const pe: PolicyExplain = { policyType: p.type, policyId: p.id, statements: [] };
    if (p.versionId !== undefined) pe.versionId = p.versionId;
    if (p.orgIdentifier !== undefined) pe.orgIdentifier = p.orgIdentifier;
    if (p.compiled.error !== undefined) {
      pe.error = p.compiled.error;
      return pe;
    }
    pe.statements = p.compiled.statements.map((st) => explainStatement(st, p, req));
    return pe;
  });
}

function explainStatement(st: CompiledStatement, p: LoadedPolicy, req: Req): StatementExplain {
  statementBody(st);
  const ai = actionMatchIndex(st, req.actionLower);
  const action = { matched: (ai >= 0) !== st.actionNot, not: st.actionNot, ...(ai >= 0 ? { pattern: st.actionPatterns[ai] } : {}) };
  let resource: StatementExplain["resource"] = { matched: true };
  if (st.resource) {
    const ri = resourceMatchIndex(st.resource, req.resource, req.lookup);
    resource = { matched: st.resource.not ? ri === -1 : ri >= 0, not: st.resource.not, ...(ri >= 0 ? { pattern: st.resource.raw[ri] } : {}) };
    if (ri === UNRESOLVED && st.resource.not) resource.note = "a policy variable in NotResource has no value in this request: the statement cannot apply";
  }
  let principal: StatementExplain["principal"];
  if (p.type === "resource") {
    if (!st.principal) principal = { matched: false };
    else if (st.principal.not) {
      const ex = excludedByNotPrincipal(st.principal, req.principal, st.effect);
      const forced = st.effect === "Deny" && req.hasBoundary;
      principal = { matched: ex === undefined || forced, not: true, ...(ex !== undefined ? { pattern: ex } : {}) };
    } else {
      const m = matchPrincipal(st.principal, req.principal);
      principal = { matched: !!m, ...(m ? { pattern: m.entry } : {}) };
    }
  }
  const conditions: ConditionExplain[] = st.conditions.map((c) => {
    const vals = req.lookup(c.keyLower);
    const ce: ConditionExplain = {
      operator: c.operator,
      key: c.key,
      contextValues: vals === undefined ? "key missing" : vals,
      policyValues: c.values,
      matched: c.unevaluable !== undefined ? st.effect === "Deny" : evaluateCondition(c, req.lookup),
    };
    if (c.unevaluable !== undefined)
      ce.note = `cannot be evaluated (${c.unevaluable}): treated as ${st.effect === "Deny" ? "matching, so the Deny applies" : "not matching, so the Allow does not apply"}`;
    else if (negatedUnresolved(c, req.lookup)) ce.note = "a policy variable in a value has no value in this request: the negated condition cannot match";
    return ce;
  });
  const applies =
    action.matched &&
    resource.matched &&
    (principal?.matched ?? true) &&
    conditions.every((c) => c.matched) &&
    !(st.effect === "Allow" && st.effectUnknown !== undefined);
  const se: StatementExplain = { statementIndex: st.index, effect: st.effect, span: statementSpan(p.compiled, st.index), action, resource, conditions, applies };
  if (st.sid !== undefined) se.sid = st.sid;
  if (principal) se.principal = principal;
  return se;
}
