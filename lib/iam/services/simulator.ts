import "server-only";
// The policy simulator's operations: iam:SimulatePrincipalPolicy (a real user,
// group or role of the organization, with its real policies) and
// iam:SimulateCustomPolicy (pasted policies only). Each asks the engine with
// the policy set the gate loads (loadPolicySet) and the request context the
// gate builds (requestContext); for a real principal the gate itself decides
// too, and the simulator says so if the two ever differ.
import type { OperationSpec } from "@/lib/iam/operation";
import type { Tx } from "@/lib/db/client";
import { rootArn } from "@/lib/iam/arn";
import { authorize, evaluationInput, governedByTrustPolicy, requestContext, resourceAccountOf, type ResourceRef } from "@/lib/iam/authorize";
import { storedContext } from "@/lib/iam/request-context";
import { IamError, noSuchEntity } from "@/lib/iam/errors";
import { evaluate, parsePrincipalArn, requiredResourcePolicy, type Decision, type DecisiveStatement, type EvaluatedPolicyType, type PolicyExplain } from "@/lib/iam/policy";
import { loadPolicySet, type PolicyRef, type PolicySet } from "@/lib/iam/policy-set";
import type { Principal, RequestInfo } from "@/lib/iam/principal";
import { listTags } from "@/lib/iam/services/common";
import { bucketResource, findBucket } from "@/lib/s3/buckets";
import { roleResource } from "@/lib/sts/sts";

/** What to simulate, as the console's form (app/(console)/simulator/input.ts) or a "Why?" link gives it. */
export interface SimulationInput {
  /** A user, group or role ARN (or an assumed-role session ARN); absent: the pasted policies only. */
  principalArn?: string;
  identityPolicies: string[];
  boundaryPolicy?: string;
  resourcePolicy?: string;
  /** Use the resource's own policy (a bucket policy, a role's trust policy). */
  useResourcePolicy: boolean;
  actions: string[];
  resources: string[];
  mfaPresent?: boolean;
  /** Seconds since MFA sign-in. */
  mfaAge?: number;
  sourceIp?: string;
  currentTime?: Date;
  principalTags: { key: string; value: string }[];
  resourceTags: { key: string; value: string }[];
  /** Your context keys; `values` (the API's ContextKeyValues) as given, else `value` split at commas (the console's field). */
  context: { key: string; value: string; values?: string[] }[];
}

export interface SimulatedPolicy {
  /** policyType + "|" + policyId: how explanations refer to it. */
  key: string;
  policyType: EvaluatedPolicyType;
  policyId: string;
  name: string;
  versionId?: string;
  text: string;
  custom: boolean;
}

export interface SimulationResultRow {
  action: string;
  resource: string;
  decision: Decision;
  reason: string;
  decisive: DecisiveStatement[];
  explain: PolicyExplain[];
  /** Set when the gate, asked the same question, answered differently (should never happen). */
  gateDisagrees?: string;
  /** A policy the request needs that the simulation left out (a role's trust policy, a key policy): it must allow too. */
  alsoNeeds?: string;
}

const NOT_SIMULATED = {
  trust: "The role's trust policy, left out of this simulation, must allow it too.",
  key: "The key's key policy, left out of this simulation, must allow it too.",
} as const;

export interface SimulationResult {
  principal: { arn: string; kind: "user" | "group" | "role" | "root" | "custom"; name: string; accountId: string; requestArn: string };
  policies: SimulatedPolicy[];
  results: SimulationResultRow[];
  /** The request context the first request was evaluated with (global keys, tags, your keys). */
  context: Record<string, string | string[]>;
  notes: string[];
}

const policyKey = (type: EvaluatedPolicyType, id: string) => `${type}|${id}`;

// ---------------------------------------------------------------------------
// Who is simulated

type Target =
  | { kind: "principal"; principal: Principal; name: string; entityArn: string; tagsArn?: string; isCaller: boolean }
  | { kind: "group"; groupId: string; name: string; entityArn: string; accountId: string; organizationId: string };

async function sameOrganization(tx: Tx, caller: Principal, accountId: string): Promise<boolean> {
  const account = await tx.account.findUnique({ where: { id: accountId }, select: { organizationId: true } });
  return account?.organizationId === caller.organizationId;
}

/** The entity's ARN as the gate's resource for iam:SimulatePrincipalPolicy (its real path when it exists). */
async function entityArnOf(tx: Tx, arn: string): Promise<string> {
  const p = parsePrincipalArn(arn);
  if (p.kind === "assumed-role" && p.accountId) {
    const role = await tx.role.findUnique({ where: { accountId_nameLower: { accountId: p.accountId, nameLower: p.roleName!.toLowerCase() } }, select: { arn: true } });
    return role?.arn ?? `arn:aws:iam::${p.accountId}:role/${p.roleName}`;
  }
  return p.kind === "root" ? p.arn : arn;
}

async function resolveTarget(tx: Tx, caller: Principal, arn: string, input: SimulationInput, now: Date): Promise<Target> {
  const p = parsePrincipalArn(arn);
  const group = /^arn:aws:iam::(\d{12}):group(\/.*)?\/([^/]+)$/.exec(arn);
  const accountId = group?.[1] ?? p.accountId;
  const invalid = () => new IamError("InvalidInput", `Invalid principal ARN: ${arn}. Use a user, group or role ARN, e.g. arn:aws:iam::111122223333:user/alice.`);
  if (!accountId || (!group && !["user", "role", "assumed-role", "root"].includes(p.kind))) throw invalid();
  if (!(await sameOrganization(tx, caller, accountId))) throw noSuchEntity(`The principal ${arn} is not in this organization.`);

  const mfaAuthenticated = input.mfaPresent ?? (caller.arn === arn ? caller.mfaAuthenticated : false);
  const mfaAuthenticatedAt = mfaAuthenticated
    ? input.mfaAge !== undefined
      ? new Date(now.getTime() - input.mfaAge * 1000)
      : caller.arn === arn && caller.mfaAuthenticatedAt
        ? caller.mfaAuthenticatedAt
        : now
    : undefined;
  const session = { mfaAuthenticated, mfaAuthenticatedAt, tokenIssuedAt: now };

  if (group) {
    const g = await tx.iamGroup.findUnique({ where: { arn }, select: { id: true, name: true, arn: true, account: { select: { organizationId: true } } } });
    if (!g) throw noSuchEntity(`The group with name ${group[3]} cannot be found.`);
    return { kind: "group", groupId: g.id, name: g.name, entityArn: g.arn, accountId, organizationId: g.account.organizationId };
  }
  if (p.kind === "root") {
    const principal: Principal = { type: "Root", organizationId: caller.organizationId, accountId, arn: rootArn(accountId), principalId: accountId, ...session };
    return { kind: "principal", principal, name: "root", entityArn: principal.arn, isCaller: caller.arn === principal.arn };
  }
  if (p.kind === "user") {
    const u = await tx.iamUser.findUnique({ where: { arn }, select: { id: true, name: true, arn: true } });
    if (!u) throw noSuchEntity(`The user with name ${p.name} cannot be found.`);
    // The caller simulating itself keeps its own session facts (reset-required, token time).
    const principal: Principal =
      caller.type === "IAMUser" && caller.arn === u.arn
        ? { ...caller, ...session, tokenIssuedAt: caller.tokenIssuedAt ?? now }
        : { type: "IAMUser", organizationId: caller.organizationId, accountId, arn: u.arn, principalId: u.id, userId: u.id, userName: u.name, ...session };
    return { kind: "principal", principal, name: u.name, entityArn: u.arn, tagsArn: u.arn, isCaller: caller.arn === u.arn };
  }
  // A role, or one of its sessions: the caller's own live session keeps its session policy.
  const roleName = p.kind === "assumed-role" ? p.roleName! : p.name!;
  const r = await tx.role.findUnique({
    where: { accountId_nameLower: { accountId, nameLower: roleName.toLowerCase() } },
    select: { id: true, name: true, arn: true },
  });
  if (!r || (p.kind === "role" && r.arn !== arn)) throw noSuchEntity(`The role with name ${roleName} cannot be found.`);
  if (caller.type === "AssumedRole" && (caller.arn === arn || (p.kind === "role" && caller.roleArn === r.arn))) {
    return { kind: "principal", principal: { ...caller, ...session }, name: r.name, entityArn: r.arn, tagsArn: r.arn, isCaller: true };
  }
  const sessionName = p.kind === "assumed-role" ? p.sessionName! : "simulated-session";
  const principal: Principal = {
    type: "AssumedRole",
    organizationId: caller.organizationId,
    accountId,
    arn: `arn:aws:sts::${accountId}:assumed-role/${r.name}/${sessionName}`,
    principalId: `${r.id}:${sessionName}`,
    roleId: r.id,
    roleName: r.name,
    roleArn: r.arn,
    // No live session: no session policy applies (the caller's own session is handled above).
    sessionId: "simulated-session",
    sessionName,
    expiresAt: new Date(now.getTime() + 3_600_000),
    sourceArn: caller.arn,
    sourceAccountId: caller.accountId,
    ...session,
  };
  return { kind: "principal", principal, name: r.name, entityArn: r.arn, tagsArn: r.arn, isCaller: false };
}

/** A group's own policies: the identity part of any member's policy set, plus the account's SCPs. */
async function groupPolicySet(tx: Tx, target: Extract<Target, { kind: "group" }>): Promise<PolicySet> {
  const root: Principal = {
    type: "Root",
    organizationId: target.organizationId,
    accountId: target.accountId,
    arn: rootArn(target.accountId),
    principalId: target.accountId,
    mfaAuthenticated: false,
  };
  // The gate's loader gives the account's SCP levels; only the group part is read here.
  const base = await loadPolicySet(tx, root);
  const [attachments, inline] = await Promise.all([
    tx.policyAttachment.findMany({
      where: { groupId: target.groupId },
      select: { policy: { select: { arn: true, name: true, defaultVersionId: true, versions: { where: { isDefault: true }, select: { document: true } } } } },
    }),
    tx.inlinePolicy.findMany({ where: { groupId: target.groupId }, select: { name: true, document: true } }),
  ]);
  return {
    ...base,
    identityPolicies: [
      ...attachments.map(({ policy }) => ({ id: policy.arn, name: policy.name, versionId: policy.defaultVersionId, policy: policy.versions[0]?.document ?? "{}" })),
      ...inline.map((p) => ({ id: `group/${target.name}/${p.name}`, name: p.name, policy: p.document })),
    ],
  };
}

// ---------------------------------------------------------------------------
// Resources: the resource's own policy, as the operations hand it to the gate

async function resourceRefFor(
  tx: Tx,
  arn: string,
  action: string,
  input: SimulationInput,
  check: (action: string, resource: ResourceRef) => Promise<void>,
  notes: Set<string>,
): Promise<ResourceRef> {
  if (input.resourcePolicy) return { arn, policy: { id: "custom-resource-policy", name: "Resource policy (pasted)", policy: input.resourcePolicy } };
  const s3 = /^arn:aws:s3:::([^/]+)(\/.*)?$/.exec(arn);
  if (s3) {
    // A bucket's owner decides same- or cross-account; its policy is read only with s3:GetBucketPolicy.
    const bucket = await findBucket(tx, s3[1]!).catch(() => null);
    if (!bucket) {
      notes.add(`Bucket ${s3[1]} does not exist: simulated as a bucket of your account, without a bucket policy.`);
      return { arn };
    }
    const ref = bucketResource(bucket, arn);
    if (!input.useResourcePolicy || !ref.policy) return { arn, accountId: ref.accountId };
    try {
      await check("s3:GetBucketPolicy", { arn: `arn:aws:s3:::${bucket.name}`, accountId: bucket.accountId, policy: ref.policy });
      return ref;
    } catch {
      notes.add(`The bucket policy of ${bucket.name} was left out: you are not allowed s3:GetBucketPolicy on it.`);
      return { arn, accountId: ref.accountId };
    }
  }
  const role = /^arn:aws:iam::(\d{12}):role\//.exec(arn);
  if (role && input.useResourcePolicy && governedByTrustPolicy(action)) {
    const r = await tx.role.findUnique({ where: { arn }, select: { arn: true, accountId: true, name: true, trustPolicy: true } });
    if (!r) return { arn };
    try {
      await check("iam:GetRole", { arn: r.arn });
      return roleResource(r);
    } catch {
      notes.add(`The trust policy of ${r.name} was left out: you are not allowed iam:GetRole on it.`);
      return { arn };
    }
  }
  return { arn };
}

// ---------------------------------------------------------------------------
// The run

const custom = (kind: string, text: string, i = 0): PolicyRef => ({ id: `custom-${kind}-${i + 1}`, name: `${kind === "identity" ? "Identity policy" : "Permissions boundary"} (pasted${i ? ` #${i + 1}` : ""})`, policy: text });

function simulatedContext(input: SimulationInput, tags: Record<string, string>): Record<string, string | string[]> {
  const ctx: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(tags)) ctx[`aws:PrincipalTag/${k}`] = v;
  for (const t of input.principalTags) ctx[`aws:PrincipalTag/${t.key}`] = t.value;
  for (const t of input.resourceTags) ctx[`aws:ResourceTag/${t.key}`] = t.value;
  for (const c of input.context) {
    const values = c.values ?? c.value.split(",").map((v) => v.trim());
    ctx[c.key] = values.length > 1 ? values : (values[0] ?? "");
  }
  return ctx;
}

function policiesOf(set: PolicySet, resource: PolicyRef | undefined, customIds: Set<string>): SimulatedPolicy[] {
  const out: SimulatedPolicy[] = [];
  const add = (type: EvaluatedPolicyType, p: PolicyRef) => {
    const key = policyKey(type, p.id);
    if (!out.some((x) => x.key === key)) out.push({ key, policyType: type, policyId: p.id, name: p.name, versionId: p.versionId, text: p.policy, custom: customIds.has(p.id) });
  };
  set.identityPolicies.forEach((p) => add("identity", p));
  set.permissionBoundaries.forEach((p) => add("boundary", p));
  if (set.sessionPolicy) add("session", set.sessionPolicy);
  set.serviceControlPolicies.forEach((l) => l.policies.forEach((p) => add("scp", p)));
  if (resource) add("resource", resource);
  return out;
}

export function simulatePolicy(caller: Principal, input: SimulationInput): OperationSpec<SimulationResult> {
  const arn = input.principalArn;
  const common = {
    service: "iam" as const,
    readOnly: true,
    parameters: {
      policySourceArn: arn ?? null,
      actionNames: input.actions,
      resourceArns: input.resources,
      policyInputList: input.identityPolicies.length,
      permissionsBoundaryPolicyInputList: input.boundaryPolicy ? 1 : 0,
      resourcePolicy: input.resourcePolicy ? "(pasted)" : null,
    },
    response: (r: SimulationResult) => ({ evaluationResults: r.results.map((x) => ({ evalActionName: x.action, evalResourceName: x.resource, evalDecision: x.decision })) }),
  };
  return {
    ...common,
    name: arn ? "SimulatePrincipalPolicy" : "SimulateCustomPolicy",
    resource: arn ? async (tx) => ({ arn: await entityArnOf(tx, arn) }) : { arn: "*" },
    async run({ tx, request, authorize: check }) {
      const now = input.currentTime ?? new Date();
      const simRequest: RequestInfo = { ...request, sourceIp: input.sourceIp ?? request.sourceIp };
      const notes = new Set<string>();
      if (!arn && input.identityPolicies.length === 0 && !input.resourcePolicy)
        throw new IamError("InvalidInput", "Choose a principal, or paste at least one identity or resource policy to simulate.");

      // Who, and the policies the gate would load for them.
      let target: Target | null = null;
      let set: PolicySet;
      let requestPrincipal: Principal | null = null;
      let requestArn: string;
      let tags: Record<string, string> = {};
      if (arn) {
        target = await resolveTarget(tx, caller, arn, input, now);
        if (target.kind === "group") {
          set = await groupPolicySet(tx, target);
          requestArn = `arn:aws:iam::${target.accountId}:user/member-of-${target.name}`;
          notes.add(`A group is not a principal: the simulation asks as a member of ${target.name} (${requestArn}) with the group's policies only.`);
        } else {
          requestPrincipal = target.principal;
          set = await loadPolicySet(tx, target.principal);
          requestArn = target.principal.arn;
          if (target.tagsArn) tags = Object.fromEntries((await listTags(tx, target.tagsArn)).map((t) => [t.key, t.value]));
        }
      } else {
        // Pasted policies only (SimulateCustomPolicy): no SCPs, asked as the caller.
        set = { identityPolicies: [], permissionBoundaries: [], serviceControlPolicies: [], principalIsManagementAccount: false };
        requestArn = caller.arn;
        requestPrincipal = { ...caller, mfaAuthenticated: input.mfaPresent ?? caller.mfaAuthenticated };
        notes.add("Pasted policies only: organization SCPs are not included (as AWS's SimulateCustomPolicy).");
      }
      const customIds = new Set<string>();
      const added = input.identityPolicies.map((t, i) => custom("identity", t, i));
      const boundary = input.boundaryPolicy ? custom("boundary", input.boundaryPolicy) : undefined;
      added.forEach((p) => customIds.add(p.id));
      if (boundary) customIds.add(boundary.id);
      const customResource = input.resourcePolicy ? "custom-resource-policy" : undefined;
      if (customResource) customIds.add(customResource);
      const evaluated: PolicySet = {
        ...set,
        identityPolicies: [...set.identityPolicies, ...added],
        permissionBoundaries: boundary ? [boundary] : set.permissionBoundaries,
      };
      if (boundary && set.permissionBoundaries.length) notes.add("Your pasted permissions boundary replaces the principal's own boundary.");
      // The gate can check the same question only while nothing pasted changes the principal's policies.
      const gateCanAnswer = requestPrincipal !== null && target?.kind === "principal" && added.length === 0 && !boundary;

      const contextPrincipal: Principal = requestPrincipal ?? {
        type: "IAMUser",
        organizationId: caller.organizationId,
        accountId: target!.kind === "group" ? target!.accountId : caller.accountId,
        arn: requestArn,
        principalId: "simulated",
        userId: "simulated",
        userName: requestArn.split("/").pop()!,
        mfaAuthenticated: input.mfaPresent ?? false,
        mfaAuthenticatedAt: input.mfaPresent ? new Date(now.getTime() - (input.mfaAge ?? 0) * 1000) : undefined,
      };
      const yours = simulatedContext(input, tags);
      const time = { "aws:CurrentTime": now.toISOString(), "aws:EpochTime": String(Math.floor(now.getTime() / 1000)) };
      const fullContext = { ...requestContext(contextPrincipal, simRequest, now), ...yours };

      const results: SimulationResultRow[] = [];
      const policies = new Map<string, SimulatedPolicy>();
      for (const action of input.actions) {
        for (const resourceArn of input.resources) {
          const resource = await resourceRefFor(tx, resourceArn, action, input, check, notes);
          // What the gate reads from the database for this request (resource tags, the current boundary), then your keys on top.
          const stored = await storedContext(tx, {
            principal: contextPrincipal,
            action,
            resourceArn: resource.arn,
            resourceAccount: resourceAccountOf(resource, contextPrincipal),
            given: yours,
          });
          const context = { ...fullContext, ...stored, ...yours };
          const evalInput = evaluationInput({ principal: contextPrincipal, policySet: evaluated, action, resource, context });
          // A trust or key policy the simulation leaves out: AWS's simulator answers from the identity side
          // alone (an sts:AssumeRole is not refused for want of a trust policy it was not given, and the role is
          // taken to be in the caller's account, as AWS's ResourceOwner defaults); the row says that policy
          // decides too, and the gate, which always reads it, is not asked.
          const notSimulated = resource.policy ? undefined : requiredResourcePolicy(action.toLowerCase(), resource.arn);
          if (notSimulated) {
            evalInput.resourcePolicyNotSimulated = true;
            evalInput.request.resource = { ...evalInput.request.resource, accountId: contextPrincipal.accountId };
          }
          const r = evaluate(evalInput, { explain: true });
          const row: SimulationResultRow = { action, resource: resourceArn, decision: r.decision, reason: r.reason, decisive: r.decisive, explain: r.explain ?? [] };
          if (notSimulated) row.alsoNeeds = NOT_SIMULATED[notSimulated];
          if (gateCanAnswer && requestPrincipal && !notSimulated) {
            // The gate, asked the very same question (its own tags and context, then yours on top).
            const gate = await authorize(tx, {
              principal: requestPrincipal,
              request: simRequest,
              action,
              resource,
              context: { ...time, ...yours },
            });
            if (gate.decision !== r.decision) row.gateDisagrees = `The gate decided ${gate.decision}: ${gate.result.reason}`;
          }
          results.push(row);
          for (const p of policiesOf(evaluated, resource.policy, customIds)) policies.set(p.key, p);
        }
      }
      if (requestPrincipal?.passwordResetRequired) notes.add("This user must change their password first: until then the console refuses everything but iam:ChangePassword.");

      const principalInfo: SimulationResult["principal"] = !target
        ? { arn: caller.arn, kind: "custom", name: "Pasted policies", accountId: caller.accountId, requestArn }
        : target.kind === "group"
          ? { arn: target.entityArn, kind: "group", name: target.name, accountId: target.accountId, requestArn }
          : {
              arn: target.entityArn,
              kind: target.principal.type === "Root" ? "root" : target.principal.type === "IAMUser" ? "user" : "role",
              name: target.name,
              accountId: target.principal.accountId,
              requestArn,
            };
      return { principal: principalInfo, policies: [...policies.values()], results, context: fullContext, notes: [...notes] };
    },
  };
}
