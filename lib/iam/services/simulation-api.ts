import "server-only";
// The policy simulator as AWS's API answers it: iam:SimulatePrincipalPolicy
// and iam:SimulateCustomPolicy over the console simulator's run (simulator.ts,
// the gate's own policy set, context and engine), with the result in AWS's
// EvaluationResults: EvalDecision "allowed" / "explicitDeny" / "implicitDeny",
// the statements that decided (MatchedStatements, with their start and end in
// the policy text), the condition keys the request lacked (MissingContextValues),
// and whether SCPs and a permissions boundary allowed it. ContextEntries become
// the request's context keys (aws:MultiFactorAuthPresent, aws:SourceIp, your
// own). Results are paged with MaxItems / Marker.
import type { OperationSpec } from "@/lib/iam/operation";
import { IamError } from "@/lib/iam/errors";
import type { Decision } from "@/lib/iam/policy";
import type { Principal } from "@/lib/iam/principal";
import { decodeCursor, encodeCursor } from "./common";
import { validateIdentityPolicy } from "./policy-document";
import { simulatePolicy, type SimulatedPolicy, type SimulationResult, type SimulationResultRow, type SimulationInput } from "./simulator";

export interface ContextEntry {
  contextKeyName: string;
  contextKeyValues: string[];
  contextKeyType?: string;
}

export interface SimulateCustomPolicyInput {
  policyInputList: string[];
  permissionsBoundaryPolicyInputList?: string[];
  actionNames: string[];
  resourceArns?: string[];
  resourcePolicy?: string;
  resourceOwner?: string;
  callerArn?: string;
  contextEntries?: ContextEntry[];
  resourceHandlingOption?: string;
  maxItems?: number;
  marker?: string;
}

export interface SimulatePrincipalPolicyInput extends Omit<SimulateCustomPolicyInput, "policyInputList"> {
  policySourceArn: string;
  policyInputList?: string[];
}

interface Position {
  line: number;
  column: number;
}
interface MatchedStatement {
  sourcePolicyId: string;
  sourcePolicyType: string;
  startPosition: Position;
  endPosition: Position;
}
export interface EvaluationResult {
  evalActionName: string;
  evalResourceName: string;
  evalDecision: "allowed" | "explicitDeny" | "implicitDeny";
  matchedStatements: MatchedStatement[];
  missingContextValues: string[];
  organizationsDecisionDetail?: { allowedByOrganizations: boolean };
  permissionsBoundaryDecisionDetail?: { allowedByPermissionsBoundary: boolean };
  evalDecisionDetails: Record<string, string>;
  resourceSpecificResults: {
    evalResourceName: string;
    evalResourceDecision: EvaluationResult["evalDecision"];
    matchedStatements: MatchedStatement[];
    missingContextValues: string[];
  }[];
}
export interface SimulatePolicyResponse {
  evaluationResults: EvaluationResult[];
  isTruncated: boolean;
  marker?: string;
}

const DECISION: Record<Decision, EvaluationResult["evalDecision"]> = { Allowed: "allowed", ExplicitlyDenied: "explicitDeny", ImplicitlyDenied: "implicitDeny" };

/** 1-based line and column of a character offset in `text`. */
export function positionAt(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** How AWS names a policy in MatchedStatements: input policies by their parameter, stored ones by name and kind. */
function source(p: SimulatedPolicy): { id: string; type: string } | null {
  const custom = /^custom-(identity|boundary)-(\d+)$/.exec(p.policyId);
  if (custom) return { id: custom[1] === "identity" ? `PolicyInputList.${custom[2]}` : `PermissionsBoundaryPolicyInputList.${custom[2]}`, type: "IAM Policy" };
  if (p.policyType === "resource") return { id: p.custom ? "ResourcePolicy" : p.name, type: "resource" };
  // SCPs are reported in OrganizationsDecisionDetail, as AWS does.
  if (p.policyType === "scp") return null;
  if (p.policyId.startsWith("arn:aws:iam::aws:policy")) return { id: p.name, type: "aws-managed" };
  if (p.policyId.startsWith("arn:")) return { id: p.name, type: "user-managed" };
  const holder = /^(user|group|role)\//.exec(p.policyId);
  return { id: p.name, type: holder ? holder[1]! : "none" };
}

function evaluationResult(row: SimulationResultRow, policies: Map<string, SimulatedPolicy>): EvaluationResult {
  const decision = DECISION[row.decision];
  // The statements that decided: the denying ones for a deny, the allowing ones for an allow.
  const matched: MatchedStatement[] = [];
  for (const d of row.decisive) {
    const policy = policies.get(`${d.policyType}|${d.policyId}`);
    const src = policy && source(policy);
    const statement = row.explain.find((e) => e.policyType === d.policyType && e.policyId === d.policyId)?.statements.find((s) => s.statementIndex === d.statementIndex);
    if (!policy || !src || !statement) continue;
    matched.push({ sourcePolicyId: src.id, sourcePolicyType: src.type, startPosition: positionAt(policy.text, statement.span.start), endPosition: positionAt(policy.text, statement.span.end) });
  }
  const missing = new Set<string>();
  for (const e of row.explain) for (const s of e.statements) if (s.action.matched && s.resource.matched) for (const c of s.conditions) if (c.contextValues === "key missing") missing.add(c.key);

  const result: EvaluationResult = {
    evalActionName: row.action,
    evalResourceName: row.resource,
    evalDecision: decision,
    matchedStatements: matched,
    missingContextValues: [...missing],
    evalDecisionDetails: {},
    resourceSpecificResults: [],
  };
  // SCPs: no deny applies, and every level of the hierarchy has an allow that applies.
  const scps = row.explain.filter((e) => e.policyType === "scp");
  if (scps.length) {
    const levels = new Set(scps.map((e) => e.orgIdentifier ?? e.policyId));
    const allowedLevels = new Set(scps.filter((e) => e.statements.some((s) => s.applies && s.effect === "Allow")).map((e) => e.orgIdentifier ?? e.policyId));
    const denied = scps.some((e) => e.statements.some((s) => s.applies && s.effect === "Deny"));
    result.organizationsDecisionDetail = { allowedByOrganizations: !denied && allowedLevels.size === levels.size };
  }
  const boundaries = row.explain.filter((e) => e.policyType === "boundary");
  if (boundaries.length) {
    const applies = (effect: "Allow" | "Deny") => boundaries.some((e) => e.statements.some((s) => s.applies && s.effect === effect));
    result.permissionsBoundaryDecisionDetail = { allowedByPermissionsBoundary: applies("Allow") && !applies("Deny") };
  }
  result.resourceSpecificResults = [{ evalResourceName: row.resource, evalResourceDecision: decision, matchedStatements: matched, missingContextValues: result.missingContextValues }];
  return result;
}

const isIndexCursor = (v: unknown): v is { i: number } => typeof v === "object" && v !== null && Number.isInteger((v as { i?: unknown }).i) && (v as { i: number }).i >= 0;

function page(results: EvaluationResult[], input: { maxItems?: number; marker?: string }): SimulatePolicyResponse {
  const start = decodeCursor(input.marker, isIndexCursor)?.i ?? 0;
  const max = input.maxItems ?? 100;
  const items = results.slice(start, start + max);
  const truncated = start + max < results.length;
  return { evaluationResults: items, isTruncated: truncated, ...(truncated ? { marker: encodeCursor({ i: start + max }) } : {}) };
}

function simulationInput(input: Omit<SimulateCustomPolicyInput, "policyInputList"> & { policyInputList?: string[]; policySourceArn?: string }): SimulationInput {
  const identityPolicies = input.policyInputList ?? [];
  const boundaries = input.permissionsBoundaryPolicyInputList ?? [];
  return {
    principalArn: input.policySourceArn,
    identityPolicies,
    boundaryPolicy: boundaries[0],
    resourcePolicy: input.resourcePolicy,
    // AWS includes a resource policy only when the request gives one.
    useResourcePolicy: false,
    actions: input.actionNames,
    resources: input.resourceArns?.length ? input.resourceArns : ["*"],
    principalTags: [],
    resourceTags: [],
    context: (input.contextEntries ?? []).map((c) => ({ key: c.contextKeyName, value: c.contextKeyValues.join(","), values: c.contextKeyValues })),
  };
}

/** Checked in run(), after the gate, so a refused input is audited like any failure. */
function checkInput(input: SimulateCustomPolicyInput): void {
  const boundaries = input.permissionsBoundaryPolicyInputList ?? [];
  if (boundaries.length > 1) throw new IamError("InvalidInput", "Only one permissions boundary policy can be simulated at a time.");
  // Pasted documents are refused as AWS refuses them (MalformedPolicyDocument), not silently ignored.
  for (const doc of [...(input.policyInputList ?? []), ...boundaries]) validateIdentityPolicy(doc);
}

function asApi(spec: OperationSpec<SimulationResult>, input: SimulateCustomPolicyInput): OperationSpec<SimulatePolicyResponse> {
  return {
    ...spec,
    async run(ctx) {
      checkInput(input);
      const r = await spec.run(ctx);
      const policies = new Map(r.policies.map((p) => [p.key, p]));
      return page(
        r.results.map((row) => evaluationResult(row, policies)),
        input,
      );
    },
    response: (r) => ({ evaluationResults: r.evaluationResults.map((x) => ({ evalActionName: x.evalActionName, evalResourceName: x.evalResourceName, evalDecision: x.evalDecision })) }),
  };
}

export function simulatePrincipalPolicy(principal: Principal, input: SimulatePrincipalPolicyInput): OperationSpec<SimulatePolicyResponse> {
  return asApi(simulatePolicy(principal, simulationInput(input)), { ...input, policyInputList: input.policyInputList ?? [] });
}

export function simulateCustomPolicy(principal: Principal, input: SimulateCustomPolicyInput): OperationSpec<SimulatePolicyResponse> {
  return asApi(simulatePolicy(principal, simulationInput({ ...input, policySourceArn: undefined })), input);
}
