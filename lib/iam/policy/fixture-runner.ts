/**
 * Turns the table-driven JSON fixtures (lib/iam/policy/fixtures/*.json) into engine inputs.
 * Shorthand used by the fixtures:
 * - a policy is a document object, a JSON string, or an array of statements (wrapped in a
 *   Version 2012-10-17 document);
 * - `condition` cases give one condition (op, key, values) and the request context; the
 *   runner wraps it in an Allow statement and expects Allowed when `matches` is true.
 */
import type { EvaluationInput, PolicyInput } from "./types";

export const DEFAULT_PRINCIPAL = "arn:aws:iam::111122223333:user/alice";
export const DEFAULT_ACTION = "s3:GetObject";
export const DEFAULT_RESOURCE = "arn:aws:s3:::example-bucket/reports/q1.csv";

export type PolicyShorthand = string | object | object[];

export interface EvaluateCase {
  name: string;
  reason: string;
  principal?: string;
  action?: string;
  resource?: string;
  resourceAccount?: string;
  context?: Record<string, string | string[]>;
  identity?: PolicyShorthand[];
  boundary?: PolicyShorthand[];
  session?: PolicyShorthand;
  resourcePolicy?: PolicyShorthand;
  scps?: PolicyShorthand[][];
  management?: boolean;
  /** The resource policy is a role trust policy: it must allow (sts:AssumeRole). */
  trust?: boolean;
  expect: "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";
  decisive?: { policyType: string; statementIndex: number }[];
}

export interface ConditionCase {
  name: string;
  reason: string;
  op: string;
  key: string;
  values: string | string[] | number | boolean;
  context?: Record<string, string | string[]>;
  version?: string | null;
  matches: boolean;
}

export interface ValidateCase {
  name: string;
  reason: string;
  type: "identity" | "resource" | "trust" | "boundary" | "session" | "scp";
  inline?: boolean;
  policy: string | object;
  expect: { ok: true } | { code: "MalformedPolicyDocument" | "LimitExceeded"; message: string };
}

export type FixtureFile =
  | { feature: string; kind: "evaluate"; cases: EvaluateCase[] }
  | { feature: string; kind: "condition"; cases: ConditionCase[] }
  | { feature: string; kind: "validate"; cases: ValidateCase[] };

export function policyFrom(p: PolicyShorthand, i: number, prefix: string): PolicyInput {
  const doc = Array.isArray(p) ? { Version: "2012-10-17", Statement: p } : p;
  return { name: `${prefix}${i}`, policy: typeof doc === "string" ? doc : JSON.stringify(doc) };
}

export function inputFromCase(c: EvaluateCase): EvaluationInput {
  const input: EvaluationInput = {
    request: {
      principal: c.principal ?? DEFAULT_PRINCIPAL,
      action: c.action ?? DEFAULT_ACTION,
      resource: { resource: c.resource ?? DEFAULT_RESOURCE, ...(c.resourceAccount ? { accountId: c.resourceAccount } : {}) },
      context: c.context ?? {},
    },
  };
  if (c.identity) input.identityPolicies = c.identity.map((p, i) => policyFrom(p, i, "identity-"));
  if (c.boundary) input.permissionBoundaries = c.boundary.map((p, i) => policyFrom(p, i, "boundary-"));
  if (c.session) input.sessionPolicy = policyFrom(c.session, 0, "session-");
  if (c.resourcePolicy) input.resourcePolicy = policyFrom(c.resourcePolicy, 0, "resource-");
  if (c.scps) input.serviceControlPolicies = c.scps.map((lvl, li) => ({ orgIdentifier: `level-${li}`, policies: lvl.map((p, i) => policyFrom(p, i, `scp-${li}-`)) }));
  if (c.management) input.principalIsManagementAccount = true;
  if (c.trust) input.resourcePolicyRequired = true;
  return input;
}

export function inputFromConditionCase(c: ConditionCase): EvaluationInput {
  const doc: Record<string, unknown> = {
    Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*", Condition: { [c.op]: { [c.key]: c.values } } }],
  };
  if (c.version !== null) doc.Version = c.version ?? "2012-10-17";
  return {
    request: {
      principal: DEFAULT_PRINCIPAL,
      action: DEFAULT_ACTION,
      resource: { resource: DEFAULT_RESOURCE },
      context: c.context ?? {},
    },
    identityPolicies: [{ name: "condition", policy: JSON.stringify(doc) }],
  };
}
