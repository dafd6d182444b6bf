/**
 * The JSON contract of the engine (`npm run iam:evaluate`, documented in README.md): a case in,
 * a result out. Pure: scripts/iam-evaluate.ts only reads stdin and prints these lines.
 *
 * A policy field (`identityPolicies[]`, `permissionBoundaries[]`, `sessionPolicy`,
 * `resourcePolicy`, `serviceControlPolicies[].policies[]`) takes either a named policy
 * `{ "name", "policy", "id"?, "versionId"? }` whose `policy` is a document object or its JSON
 * text, or a bare policy document (an object with `Statement`), as iam-simulate and other tools
 * write them.
 */
import { compilePolicy } from "./compile";
import { evaluate } from "./evaluate";
import type { DecisiveStatement, EvaluationInput, PolicyExplain, PolicyInput } from "./types";

/** A policy that cannot be read as a policy document: the engine denies with it (see README). */
export interface ContractFinding {
  type: "ERROR";
  /** Where the policy is in the case, e.g. `resourcePolicy` or `identityPolicies[1]`. */
  policy: string;
  message: string;
}

export type ContractResult =
  | { decision: string; decisive: DecisiveStatement[]; reason: string; explain?: PolicyExplain[]; findings?: ContractFinding[] }
  | { error: string };

export interface ContractOptions {
  /** Include the per-statement explanation (default true). */
  explain?: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * A policy field as a PolicyInput, or why it is malformed. A bare document (an object with
 * `Statement` and no `policy`) is named after its field.
 */
function policyInput(p: unknown, where: string, defaultName: string): PolicyInput | string {
  if (!isObject(p)) return `${where} must be an object: a named policy { "name", "policy" } or a policy document with "Statement"`;
  if (!("policy" in p)) {
    if ("Statement" in p) return { name: defaultName, policy: p };
    return `${where} must be a named policy { "name", "policy" } or a policy document with "Statement"`;
  }
  if ("Statement" in p) return `${where} has both "policy" and "Statement": give a named policy or a bare document, not both`;
  const policy = p.policy;
  if (typeof policy !== "string" && !isObject(policy)) return `${where}.policy must be a JSON object or string`;
  for (const k of ["name", "id", "versionId"] as const)
    if (p[k] !== undefined && typeof p[k] !== "string") return `${where}.${k} must be a string`;
  return p as unknown as PolicyInput;
}

/** The engine input for a case, or why the case is malformed. */
export function contractInput(c: unknown): EvaluationInput | string {
  if (!isObject(c)) return "a case must be a JSON object";
  const r = c.request;
  if (!isObject(r)) return "request is required";
  if (typeof r.principal !== "string") return "request.principal must be a string";
  if (typeof r.action !== "string" || !/^[^:\s]+:[^:\s]+$/.test(r.action)) return "request.action must look like service:Action";
  const res = r.resource;
  if (!isObject(res) || typeof res.resource !== "string") return "request.resource.resource must be a string";
  if (res.accountId !== undefined && typeof res.accountId !== "string") return "request.resource.accountId must be a string";
  if (r.context !== undefined && !isObject(r.context)) return "request.context must be an object";

  const input: EvaluationInput = { request: r as unknown as EvaluationInput["request"] };
  for (const [field, label] of [["identityPolicies", "identity policy"], ["permissionBoundaries", "permissions boundary"]] as const) {
    if (c[field] === undefined) continue;
    if (!Array.isArray(c[field])) return `${field} must be an array`;
    const list: PolicyInput[] = [];
    for (const [i, p] of (c[field] as unknown[]).entries()) {
      const pi = policyInput(p, `${field}[${i}]`, `${label} ${i}`);
      if (typeof pi === "string") return pi;
      list.push(pi);
    }
    input[field] = list;
  }
  for (const [field, label] of [["sessionPolicy", "session policy"], ["resourcePolicy", "resource policy"]] as const) {
    if (c[field] === undefined) continue;
    const pi = policyInput(c[field], field, label);
    if (typeof pi === "string") return pi;
    input[field] = pi;
  }
  if (c.serviceControlPolicies !== undefined) {
    if (!Array.isArray(c.serviceControlPolicies)) return "serviceControlPolicies must be an array";
    input.serviceControlPolicies = [];
    for (const [i, lvl] of (c.serviceControlPolicies as unknown[]).entries()) {
      if (!isObject(lvl) || !Array.isArray(lvl.policies)) return `serviceControlPolicies[${i}].policies must be an array`;
      if (lvl.orgIdentifier !== undefined && typeof lvl.orgIdentifier !== "string") return `serviceControlPolicies[${i}].orgIdentifier must be a string`;
      const policies: PolicyInput[] = [];
      for (const [j, p] of (lvl.policies as unknown[]).entries()) {
        const pi = policyInput(p, `serviceControlPolicies[${i}].policies[${j}]`, `SCP ${j}`);
        if (typeof pi === "string") return pi;
        policies.push(pi);
      }
      input.serviceControlPolicies.push({ orgIdentifier: (lvl.orgIdentifier as string | undefined) ?? `level-${i}`, policies });
    }
  }
  for (const flag of ["principalIsManagementAccount", "resourcePolicyRequired"] as const) {
    if (c[flag] === undefined) continue;
    if (typeof c[flag] !== "boolean") return `${flag} must be true or false`;
    input[flag] = c[flag];
  }
  return input;
}

function policyText(p: PolicyInput): string {
  return typeof p.policy === "string" ? p.policy : (JSON.stringify(p.policy) ?? "");
}

/** Policies of the case that cannot be read as policy documents (invalid JSON or grammar). */
function unreadable(input: EvaluationInput): ContractFinding[] {
  const out: ContractFinding[] = [];
  const check = (p: PolicyInput | undefined, where: string) => {
    if (!p) return;
    const error = compilePolicy(policyText(p)).error;
    if (error !== undefined) out.push({ type: "ERROR", policy: where, message: error });
  };
  input.identityPolicies?.forEach((p, i) => check(p, `identityPolicies[${i}]`));
  input.permissionBoundaries?.forEach((p, i) => check(p, `permissionBoundaries[${i}]`));
  check(input.sessionPolicy, "sessionPolicy");
  check(input.resourcePolicy, "resourcePolicy");
  input.serviceControlPolicies?.forEach((l, i) => l.policies.forEach((p, j) => check(p, `serviceControlPolicies[${i}].policies[${j}]`)));
  return out;
}

/** Evaluate one case of the contract. Never throws. */
export function evaluateContractCase(c: unknown, options: ContractOptions = {}): ContractResult {
  try {
    const input = contractInput(c);
    if (typeof input === "string") return { error: input };
    const r = evaluate(input, { explain: options.explain ?? true });
    const out: ContractResult = { decision: r.decision, decisive: r.decisive, reason: r.reason };
    if (r.explain) out.explain = r.explain;
    const findings = unreadable(input);
    if (findings.length > 0) out.findings = findings;
    return out;
  } catch (e) {
    return { error: String((e as Error)?.message ?? e) };
  }
}

/** The whole contract: a JSON array of cases in, one JSON line per case out. Never throws. */
export function runContractCases(json: string, options: ContractOptions = {}): string[] {
  let cases: unknown;
  try {
    cases = JSON.parse(json);
  } catch (e) {
    return [JSON.stringify({ error: `stdin is not JSON: ${(e as Error).message}` })];
  }
  if (!Array.isArray(cases)) return [JSON.stringify({ error: "stdin must be a JSON array of cases" })];
  return cases.map((c) => JSON.stringify(evaluateContractCase(c, options)));
}
