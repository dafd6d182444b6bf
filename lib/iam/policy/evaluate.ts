/**
 * AWS's policy evaluation logic (see README.md for the rules and their sources).
 * Never throws: a malformed input gives an ImplicitlyDenied result with the reason.
 */
import { evaluateCondition } from "./conditions";
import { actionMatchIndex, compilePolicy, resourceMatchIndex, statementsForAction, type CompiledPolicy, type CompiledStatement } from "./compile";
import { buildContextLookup } from "./context";
import {
  excludedByNotPrincipal,
  matchPrincipal,
  parsePrincipalArn,
  splitArn,
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

interface LoadedPolicy {
  type: EvaluatedPolicyType;
  id: string;
  versionId?: string;
  orgIdentifier?: string;
  compiled: CompiledPolicy;
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

function load(type: EvaluatedPolicyType, p: PolicyInput, i: number, orgIdentifier?: string): LoadedPolicy {
  const id = p?.id ?? p?.name ?? `${type}-${i}`;
  return {
    type,
    id: String(id),
    ...(p?.versionId !== undefined ? { versionId: String(p.versionId) } : {}),
    ...(orgIdentifier !== undefined ? { orgIdentifier } : {}),
    compiled: compilePolicy(policyText(p)),
  };
}

/**
 * Does a statement whose action already matches apply to this request?
 * Unevaluable conditions count as not matching for Allow and as matching for Deny (fail closed).
 */
function statementApplies(st: CompiledStatement, policy: LoadedPolicy, req: Req): PrincipalMatchKind | boolean {
  if (st.resource) {
    const idx = resourceMatchIndex(st.resource.entries, req.resource, req.lookup);
    if ((idx >= 0) === st.resource.not) return false;
  }
  let kind: PrincipalMatchKind | undefined;
  if (policy.type === "resource") {
    if (!st.principal) return false;
    if (st.principal.not) {
      const excluded = excludedByNotPrincipal(st.principal, req.principal);
      // A Deny with NotPrincipal always applies to a principal that has a permissions boundary.
      if (excluded !== undefined && !(st.effect === "Deny" && req.hasBoundary)) return false;
      kind = "direct";
    } else {
      const m = matchPrincipal(st.principal, req.principal);
      if (!m) return false;
      kind = m.kind;
    }
  }
  const conds = st.conditions;
  for (let k = 0; k < conds.length; k++) {
    const c = conds[k];
    if (c.unevaluable !== undefined) {
      if (st.effect === "Allow") return false;
      continue;
    }
    if (!evaluateCondition(c, req.lookup)) return false;
  }
  if (st.effect === "Allow" && st.effectUnknown !== undefined) return false;
  return kind ?? true;
}

/** Matching Allow and Deny statements of one policy. */
function scan(policy: LoadedPolicy, req: Req, allows: Hit[] | null, denies: Hit[]): boolean {
  const c = policy.compiled;
  if (c.error !== undefined) {
    denies.push({ policy, st: BROKEN_STATEMENT });
    return false;
  }
  let allowed = false;
  const cands = statementsForAction(c, req.actionLower);
  for (let k = 0; k < cands.length; k++) {
    const st = cands[k];
    const r = statementApplies(st, policy, req);
    if (r === false) continue;
    if (st.effect === "Deny") denies.push({ policy, st });
    else {
      allowed = true;
      if (allows) allows.push(typeof r === "string" ? { policy, st, kind: r } : { policy, st });
    }
  }
  return allowed;
}

const BROKEN_STATEMENT: CompiledStatement = {
  index: -1,
  effect: "Deny",
  span: { start: 0, end: 0 },
  actionNot: false,
  actionPatterns: ["*"],
  actionMatchers: [],
  resource: null,
  principal: null,
  conditions: [],
  hasUnevaluable: true,
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

function evaluateUnsafe(input: EvaluationInput, options: EvaluateOptions): EvaluationResult {
  const request = input?.request;
  if (!request || typeof request !== "object") throw new Error("request is missing");
  if (typeof request.action !== "string" || !request.action.includes(":")) throw new Error("action must look like service:Action");
  const principal = parsePrincipalArn(request.principal);
  const resourceArn = typeof request.resource === "string" ? request.resource : request.resource?.resource;
  if (typeof resourceArn !== "string" || resourceArn === "") throw new Error("resource is missing");
  const arnAccount = splitArn(resourceArn)?.account;
  const resourceAccount =
    (typeof request.resource === "object" ? request.resource.accountId : undefined) ||
    (arnAccount && /^\d{12}$/.test(arnAccount) ? arnAccount : undefined) ||
    principal.accountId;

  const isAws = AWS_KINDS.has(principal.kind);
  const isRoot = principal.kind === "root";
  const identityApplies = isAws && !isRoot;
  const boundaries = identityApplies ? (input.permissionBoundaries ?? []) : [];
  const req: Req = {
    principal,
    actionLower: request.action.toLowerCase(),
    resource: resourceArn,
    lookup: buildContextLookup(request.context, principal, resourceAccount),
    hasBoundary: boundaries.length > 0,
  };

  // Load every policy that governs this principal.
  const identity = identityApplies ? (input.identityPolicies ?? []).map((p, i) => load("identity", p, i)) : [];
  const boundary = boundaries.map((p, i) => load("boundary", p, i));
  const session = identityApplies && input.sessionPolicy ? load("session", input.sessionPolicy, 0) : undefined;
  const resource = input.resourcePolicy ? load("resource", input.resourcePolicy, 0) : undefined;
  const scpApplies = isAws && !input.principalIsManagementAccount;
  const scpLevels = scpApplies
    ? (input.serviceControlPolicies ?? []).map((lvl, li) => ({
        org: String(lvl?.orgIdentifier ?? `level-${li}`),
        policies: (lvl?.policies ?? []).map((p, i) => load("scp", p, i, String(lvl?.orgIdentifier ?? `level-${li}`))),
      }))
    : [];

  const denies: Hit[] = [];
  const identityAllows: Hit[] = [];
  const boundaryAllows: Hit[] = [];
  const resourceAllows: Hit[] = [];
  const scpAllows: Hit[] = [];
  const sessionAllows: Hit[] = [];
  const scpLevelOk: boolean[] = [];

  for (const lvl of scpLevels) {
    let ok = false;
    for (const p of lvl.policies) if (scan(p, req, scpAllows, denies)) ok = true;
    scpLevelOk.push(ok);
  }
  if (resource) scan(resource, req, resourceAllows, denies);
  for (const p of identity) scan(p, req, identityAllows, denies);
  let boundaryOk = boundary.length === 0;
  for (const p of boundary) if (scan(p, req, boundaryAllows, denies)) boundaryOk = true;
  const sessionOk = session ? scan(session, req, sessionAllows, denies) : true;

  const finish = (r: EvaluationResult): EvaluationResult => {
    if (options.explain) r.explain = explainAll([...scpLevels.flatMap((l) => l.policies), ...(resource ? [resource] : []), ...identity, ...boundary, ...(session ? [session] : [])], req);
    return r;
  };

  // 1. An explicit deny in any policy wins.
  if (denies.length > 0) {
    const broken = denies.find((d) => d.st.index === -1);
    return finish({
      decision: "ExplicitlyDenied",
      decisive: denies.map(decisive),
      reason: broken
        ? `The ${broken.policy.type} policy ${broken.policy.id} cannot be read (${broken.policy.compiled.error}); an unreadable policy denies.`
        : `Explicitly denied by ${describe(denies[0])}.`,
    });
  }
  // 2. Every level of the organization must allow through its SCPs.
  const failedLevel = scpLevelOk.indexOf(false);
  if (failedLevel >= 0)
    return finish({
      decision: "ImplicitlyDenied",
      decisive: [],
      reason: `No service control policy at ${scpLevels[failedLevel].org} allows ${request.action}.`,
    });

  const allowed = (hits: Hit[], reason: string): EvaluationResult =>
    finish({ decision: "Allowed", decisive: [...scpAllows, ...hits].map(decisive), reason });
  const implicit = (reason: string): EvaluationResult => finish({ decision: "ImplicitlyDenied", decisive: [], reason });

  // Services and anonymous callers: only a resource-based policy can grant.
  if (!isAws) {
    return resourceAllows.length > 0
      ? allowed(resourceAllows, "Allowed by the resource-based policy.")
      : implicit("No resource-based policy statement allows this principal.");
  }
  const crossAccount = !!resourceAccount && principal.accountId !== resourceAccount;
  if (isRoot) {
    if (!crossAccount) return allowed([], "The root user is not limited by identity-based policies.");
    return resourceAllows.length > 0
      ? allowed(resourceAllows, "Cross-account: the resource-based policy allows the account's root user.")
      : implicit("Cross-account access needs an allow in the resource-based policy.");
  }

  const limits = (): string | undefined => {
    if (!boundaryOk) return "the permissions boundary does not allow it";
    if (!sessionOk) return "the session policy does not allow it";
    return undefined;
  };
  const limitHits = (): Hit[] => [...boundaryAllows, ...sessionAllows];

  if (crossAccount) {
    if (resourceAllows.length === 0) return implicit("Cross-account access needs an allow in the resource-based policy of the resource's account.");
    if (identityAllows.length === 0) return implicit("Cross-account access needs an allow in the caller's identity-based policies too.");
    const lim = limits();
    if (lim) return implicit(`Implicitly denied: ${lim}.`);
    return allowed([...identityAllows, ...limitHits(), ...resourceAllows], "Allowed by both the identity-based and the resource-based policy (cross-account).");
  }

  // Same account. A resource policy naming this exact user or session grants on its own.
  const direct = resourceAllows.filter((h) => h.kind === "direct");
  if (direct.length > 0) return allowed(direct, "Allowed by the resource-based policy, which names this principal.");
  // A grant to the role ARN adds to the role's identity-based permissions; a grant to the
  // account needs an identity-based allow as well.
  const roleGrants = resourceAllows.filter((h) => h.kind === "role");
  if (identityAllows.length === 0 && roleGrants.length === 0)
    return implicit("No identity-based or resource-based policy allows this request.");
  const lim = limits();
  if (lim) return implicit(`Implicitly denied: ${lim}.`);
  const grants = identityAllows.length > 0 ? [...identityAllows, ...resourceAllows] : roleGrants;
  return allowed([...grants, ...limitHits()], "Allowed by identity-based policy" + (roleGrants.length ? " and the resource-based policy." : "."));
}

function describe(h: Hit): string {
  return `statement ${h.st.index}${h.st.sid ? ` (${h.st.sid})` : ""} of ${h.policy.type} policy ${h.policy.id}`;
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
  const ai = actionMatchIndex(st, req.actionLower);
  const action = { matched: (ai >= 0) !== st.actionNot, not: st.actionNot, ...(ai >= 0 ? { pattern: st.actionPatterns[ai] } : {}) };
  let resource: StatementExplain["resource"] = { matched: true };
  if (st.resource) {
    const ri = resourceMatchIndex(st.resource.entries, req.resource, req.lookup);
    resource = { matched: (ri >= 0) !== st.resource.not, not: st.resource.not, ...(ri >= 0 ? { pattern: st.resource.entries[ri].raw } : {}) };
  }
  let principal: StatementExplain["principal"];
  if (p.type === "resource") {
    if (!st.principal) principal = { matched: false };
    else if (st.principal.not) {
      const ex = excludedByNotPrincipal(st.principal, req.principal);
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
    return ce;
  });
  const applies =
    action.matched &&
    resource.matched &&
    (principal?.matched ?? true) &&
    conditions.every((c) => c.matched) &&
    !(st.effect === "Allow" && st.effectUnknown !== undefined);
  const se: StatementExplain = { statementIndex: st.index, effect: st.effect, span: st.span, action, resource, conditions, applies };
  if (st.sid !== undefined) se.sid = st.sid;
  if (principal) se.principal = principal;
  return se;
}
