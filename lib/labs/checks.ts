import "server-only";
// A sandbox's progress: every check of every task, evaluated against the live
// state. State checks read the sandbox's rows; access checks ask THE gate
// (lib/iam/authorize: the principal's real policy set, SCPs, boundaries and the
// resource's own policy); activity checks read the sandbox's audit trail since
// it was started or reset. Nothing here writes or audits: a check is not a call
// the learner made.
import { db, type Tx } from "@/lib/db/client";
import { newRequestId } from "@/lib/crypto/ids";
import { rootArn } from "@/lib/iam/arn";
import { authorize, type ResourceRef } from "@/lib/iam/authorize";
import type { Principal } from "@/lib/iam/principal";
import { bucketResource } from "@/lib/s3/buckets";
import { roleResource } from "@/lib/sts/sts";
import type { Lab, LabCheck } from "./schema";
import { sandboxAccounts, type SandboxRow } from "./sandboxes";
import { fill, type SandboxNames } from "./template";

export interface CheckResult {
  title: string;
  kind: LabCheck["kind"];
  passed: boolean;
  /** What was found, when it failed. */
  detail?: string;
}

export interface TaskProgress {
  id: string;
  title: string;
  instructions: string;
  hints: string[];
  checks: CheckResult[];
  done: boolean;
}

export interface SandboxProgress {
  tasks: TaskProgress[];
  passed: number;
  total: number;
  done: boolean;
  /**
   * The earliest moment these results could change with nothing happening in
   * the sandbox: an active key growing older than a check allows, or now when
   * a policy of the sandbox has a condition on what the audit trail does not
   * see (the clock, S3 object tags). Null: only an audited action changes them.
   */
  recheckAt: Date | null;
}

interface Scope {
  sandbox: SandboxRow;
  lab: Lab;
  names: SandboxNames;
  now: Date;
  /** See SandboxProgress.recheckAt, in ms; the checks lower it as they find time-bound results. */
  recheckAt: number;
}

const recheckBy = (scope: Scope, at: number) => void (scope.recheckAt = Math.min(scope.recheckAt, at));

const sorted = (xs: string[]) => [...xs].sort((a, b) => a.localeCompare(b));
const sameSet = (a: string[], b: string[]) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
const fail = (detail: string) => ({ passed: false, detail });
const pass = { passed: true };
type Outcome = { passed: boolean; detail?: string };

/** A policy reference in a check: an ARN as is, a customer policy's name as its ARN in the account. */
const policyArnIn = (accountId: string, ref: string) => (ref.startsWith("arn:") ? ref : `arn:aws:iam::${accountId}:policy/${ref}`);
const describePolicies = (arns: string[]) => (arns.length ? arns.map((a) => a.replace(/^arn:aws:iam::[^:]*:policy\//, "")).join(", ") : "none");

type StateTarget = Extract<LabCheck, { kind: "state" }>["target"];

async function attachedArns(where: { userId?: string; groupId?: string; roleId?: string }): Promise<string[]> {
  const rows = await db().policyAttachment.findMany({ where, select: { policy: { select: { arn: true } } } });
  return rows.map((r) => r.policy.arn);
}

function comparePolicies(accountId: string, want: string[] | undefined, have: string[]): Outcome | null {
  if (!want) return null;
  const expected = want.map((w) => policyArnIn(accountId, w));
  return sameSet(expected, have) ? null : fail(`attached: ${describePolicies(have)}; expected exactly: ${describePolicies(expected)}`);
}

async function stateCheck(t: StateTarget, scope: Scope): Promise<Outcome> {
  const c = db();
  const accountId = "account" in t ? scope.names.accounts[t.account]! : "";
  const byName = { accountId_nameLower: { accountId, nameLower: "name" in t ? t.name.toLowerCase() : "" } };
  switch (t.entity) {
    case "user": {
      const u = await c.iamUser.findUnique({
        where: byName,
        select: {
          id: true,
          loginProfile: { select: { userId: true } },
          accessKeys: { select: { status: true } },
          mfaDevices: { where: { enabledAt: { not: null } }, select: { id: true } },
          memberships: { select: { group: { select: { name: true } } } },
          _count: { select: { inlinePolicies: true } },
        },
      });
      if (!u) return t.exists ? fail(`user ${t.name} does not exist`) : pass;
      if (!t.exists) return fail(`user ${t.name} still exists`);
      const policies = comparePolicies(accountId, t.policies, t.policies ? await attachedArns({ userId: u.id }) : []);
      if (policies) return policies;
      if (t.inlinePolicyCount !== undefined && u._count.inlinePolicies !== t.inlinePolicyCount) return fail(`${u._count.inlinePolicies} inline policies; expected ${t.inlinePolicyCount}`);
      const groups = u.memberships.map((m) => m.group.name);
      if (t.groups && !sameSet(groups, t.groups)) return fail(`groups: ${groups.join(", ") || "none"}; expected ${t.groups.join(", ") || "none"}`);
      const active = u.accessKeys.filter((k) => k.status === "Active").length;
      if (t.activeAccessKeys !== undefined && active !== t.activeAccessKeys) return fail(`${active} active access keys; expected ${t.activeAccessKeys}`);
      if (t.accessKeys !== undefined && u.accessKeys.length !== t.accessKeys) return fail(`${u.accessKeys.length} access keys; expected ${t.accessKeys}`);
      if (t.mfa !== undefined && u.mfaDevices.length > 0 !== t.mfa) return fail(t.mfa ? "no MFA device assigned" : "an MFA device is assigned");
      if (t.console !== undefined && !!u.loginProfile !== t.console) return fail(t.console ? "no console password" : "still has a console password");
      return pass;
    }
    case "group": {
      const g = await c.iamGroup.findUnique({ where: byName, select: { id: true, memberships: { select: { user: { select: { name: true } } } }, _count: { select: { inlinePolicies: true } } } });
      if (!g) return t.exists ? fail(`group ${t.name} does not exist`) : pass;
      if (!t.exists) return fail(`group ${t.name} still exists`);
      const policies = comparePolicies(accountId, t.policies, t.policies ? await attachedArns({ groupId: g.id }) : []);
      if (policies) return policies;
      if (t.inlinePolicyCount !== undefined && g._count.inlinePolicies !== t.inlinePolicyCount) return fail(`${g._count.inlinePolicies} inline policies; expected ${t.inlinePolicyCount}`);
      const members = g.memberships.map((m) => m.user.name);
      if (t.members && !sameSet(members, t.members)) return fail(`members: ${members.join(", ") || "none"}; expected ${t.members.join(", ") || "none"}`);
      return pass;
    }
    case "role": {
      const r = await c.role.findUnique({
        where: byName,
        select: { id: true, trustPolicy: true, instanceProfiles: { select: { instanceProfile: { select: { name: true } } } }, _count: { select: { inlinePolicies: true } } },
      });
      if (!r) return t.exists ? fail(`role ${t.name} does not exist`) : pass;
      if (!t.exists) return fail(`role ${t.name} still exists`);
      const policies = comparePolicies(accountId, t.policies, t.policies ? await attachedArns({ roleId: r.id }) : []);
      if (policies) return policies;
      if (t.inlinePolicyCount !== undefined && r._count.inlinePolicies !== t.inlinePolicyCount) return fail(`${r._count.inlinePolicies} inline policies; expected ${t.inlinePolicyCount}`);
      if (t.trustsService && !trustsService(r.trustPolicy, t.trustsService)) return fail(`the trust policy does not let ${t.trustsService} assume the role`);
      const profiles = r.instanceProfiles.map((p) => p.instanceProfile.name);
      if (t.instanceProfile && !profiles.some((p) => p.toLowerCase() === t.instanceProfile!.toLowerCase())) return fail(`not in instance profile ${t.instanceProfile} (in: ${profiles.join(", ") || "none"})`);
      return pass;
    }
    case "policy": {
      const p = await c.managedPolicy.findUnique({
        where: byName,
        select: { id: true, defaultVersionId: true, versions: { select: { versionId: true, document: true } }, attachments: { select: { user: { select: { name: true } }, group: { select: { name: true } }, role: { select: { name: true } } } } },
      });
      if (!p) return t.exists ? fail(`policy ${t.name} does not exist`) : pass;
      if (!t.exists) return fail(`policy ${t.name} still exists`);
      if (t.minVersions !== undefined && p.versions.length < t.minVersions) return fail(`${p.versions.length} versions; expected at least ${t.minVersions}`);
      const left = (t.versionsDeleted ?? []).filter((v) => p.versions.some((x) => x.versionId === v));
      if (left.length) return fail(`version ${left.join(", ")} still exists`);
      if (t.defaultSameAs) {
        const want = p.versions.find((v) => v.versionId === t.defaultSameAs);
        const have = p.versions.find((v) => v.versionId === p.defaultVersionId);
        if (!want) return fail(`version ${t.defaultSameAs} no longer exists`);
        if (!have || !sameDocument(have.document, want.document)) return fail(`the default version ${p.defaultVersionId} is not the same as ${t.defaultSameAs}`);
      }
      if (t.attachedTo) {
        const holders = p.attachments.map((a) => a.user?.name ?? a.group?.name ?? a.role?.name ?? "");
        if (!sameSet(holders, t.attachedTo)) return fail(`attached to: ${holders.join(", ") || "nothing"}; expected ${t.attachedTo.join(", ") || "nothing"}`);
      }
      return pass;
    }
    case "bucket": {
      const name = fill(t.name, scope.names);
      const b = await c.bucket.findUnique({ where: { name }, select: { organizationId: true } });
      const exists = b?.organizationId === scope.sandbox.organizationId;
      return exists === t.exists ? pass : fail(exists ? `bucket ${name} still exists` : `bucket ${name} does not exist`);
    }
    case "users": {
      const except = t.except.map((e) => e.toLowerCase());
      const users = await c.iamUser.findMany({
        where: { accountId, nameLower: { notIn: except } },
        select: { name: true, _count: { select: { attachments: true, inlinePolicies: true } }, accessKeys: { where: { status: "Active" }, select: { createdAt: true } } },
        orderBy: { nameLower: "asc" },
      });
      if (t.noneWithOwnPolicies) {
        const own = users.filter((u) => u._count.attachments + u._count.inlinePolicies > 0).map((u) => u.name);
        if (own.length) return fail(`users with policies of their own: ${own.join(", ")}`);
      }
      if (t.noActiveKeyOlderThanMinutes) {
        const limit = scope.now.getTime() - t.noActiveKeyOlderThanMinutes * 60_000;
        const old = users.filter((u) => u.accessKeys.some((k) => k.createdAt.getTime() < limit)).map((u) => u.name);
        if (old.length) return fail(`active access keys older than ${t.noActiveKeyOlderThanMinutes} minutes: ${old.join(", ")}`);
        // Passing now, it fails once the oldest active key grows older than the limit.
        const oldest = Math.min(...users.flatMap((u) => u.accessKeys.map((k) => k.createdAt.getTime())));
        if (Number.isFinite(oldest)) recheckBy(scope, oldest + t.noActiveKeyOlderThanMinutes * 60_000);
      }
      return pass;
    }
    case "access-key": {
      const key = await labGivenKey(scope, t.account, t.user, t.index);
      const status = key ? key.status : "Deleted";
      if (t.status && status !== t.status) return fail(`the key is ${status}; expected ${t.status}`);
      if (t.retired && status === "Active") return fail("the key is still active");
      return pass;
    }
  }
}

/**
 * The access key the lab gave `user` at `index`: the builder dates the i-th of
 * n keys at (start - ageMinutes - (n - i) ms), so it is found again after the
 * learner creates and deletes others.
 */
async function labGivenKey(scope: Scope, accountKey: string, userName: string, index: number) {
  const u = scope.lab.initialState.users.find((x) => x.account === accountKey && x.name === userName);
  const spec = u?.accessKeys[index];
  if (!u || !spec) return null;
  const createdAt = new Date(scope.sandbox.startedAt.getTime() - spec.ageMinutes * 60_000 - (u.accessKeys.length - index));
  const accountId = scope.names.accounts[accountKey]!;
  return db().accessKey.findFirst({ where: { accountId, user: { nameLower: userName.toLowerCase() }, createdAt }, select: { id: true, status: true } });
}

function trustsService(trustPolicy: string, service: string): boolean {
  try {
    const doc = JSON.parse(trustPolicy) as { Statement?: unknown };
    const statements = (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]) as { Effect?: string; Action?: unknown; Principal?: { Service?: unknown } }[];
    return statements.some((s) => {
      const services = ([] as unknown[]).concat(s?.Principal?.Service ?? []);
      const actions = ([] as unknown[]).concat(s?.Action ?? []);
      return s?.Effect === "Allow" && services.includes(service) && actions.some((a) => a === "sts:AssumeRole" || a === "sts:*" || a === "*");
    });
  } catch {
    return false;
  }
}

function sameDocument(a: string, b: string): boolean {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return a === b;
  }
}

// ---------------------------------------------------------------------------
// Access: the gate's own decision

async function checkPrincipal(tx: Tx, check: Extract<LabCheck, { kind: "access" }>, scope: Scope): Promise<Principal | string> {
  const accountId = scope.names.accounts[check.account]!;
  const now = scope.now;
  const session = { organizationId: scope.sandbox.organizationId, accountId, mfaAuthenticated: check.mfa, mfaAuthenticatedAt: check.mfa ? now : undefined, tokenIssuedAt: now };
  const p = check.principal;
  if ("root" in p) return { type: "Root", arn: rootArn(accountId), principalId: accountId, ...session };
  if ("user" in p) {
    const u = await tx.iamUser.findUnique({ where: { accountId_nameLower: { accountId, nameLower: p.user.toLowerCase() } }, select: { id: true, name: true, arn: true } });
    if (!u) return `user ${p.user} does not exist`;
    return { type: "IAMUser", arn: u.arn, principalId: u.id, userId: u.id, userName: u.name, ...session };
  }
  const r = await tx.role.findUnique({ where: { accountId_nameLower: { accountId, nameLower: p.role.toLowerCase() } }, select: { id: true, name: true, arn: true } });
  if (!r) return `role ${p.role} does not exist`;
  const sessionName = "lab-check";
  return {
    type: "AssumedRole",
    arn: `arn:aws:sts::${accountId}:assumed-role/${r.name}/${sessionName}`,
    principalId: `${r.id}:${sessionName}`,
    roleId: r.id,
    roleName: r.name,
    roleArn: r.arn,
    sessionId: "lab-check",
    sessionName,
    expiresAt: new Date(now.getTime() + 3_600_000),
    sourceArn: r.arn,
    sourceAccountId: accountId,
    ...session,
  };
}

/** The resource as the operations hand it to the gate: a bucket with its policy, a role with its trust policy. */
async function checkResource(tx: Tx, arn: string, action: string): Promise<ResourceRef> {
  const s3 = /^arn:aws:s3:::([^/]+)/.exec(arn);
  if (s3) {
    const b = await tx.bucket.findUnique({ where: { name: s3[1]! }, select: { name: true, accountId: true, policy: true, restrictPublicBuckets: true } });
    return b ? bucketResource(b, arn) : { arn };
  }
  if (/^arn:aws:iam::\d{12}:role\//.test(arn) && action.toLowerCase().startsWith("sts:")) {
    const r = await tx.role.findUnique({ where: { arn }, select: { arn: true, accountId: true, name: true, trustPolicy: true } });
    if (r) return roleResource(r);
  }
  return { arn };
}

async function accessCheck(check: Extract<LabCheck, { kind: "access" }>, scope: Scope): Promise<Outcome> {
  const tx = db() as unknown as Tx;
  const principal = await checkPrincipal(tx, check, scope);
  const resource = fill(check.resource, scope.names);
  if (typeof principal === "string") return check.expect === "denied" ? pass : fail(principal);
  const request = { via: "console" as const, secureTransport: true, region: "us-east-1", requestId: newRequestId(), sourceIp: "198.51.100.1", userAgent: "iamlab-lab-check" };
  const gate = await authorize(tx, { principal, request, action: check.action, resource: await checkResource(tx, resource, check.action) });
  const got = gate.allowed ? "allowed" : "denied";
  return got === check.expect ? pass : fail(`${check.action} on ${resource} is ${got}: ${gate.result.reason}`);
}

// ---------------------------------------------------------------------------
// Activity: the audit trail since the sandbox was started or reset

function parsedParameters(text: string | null): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text ?? "{}");
    return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The IDs of access keys created since the sandbox started: still there, or named by a CreateAccessKey event (deleted since). */
async function keysCreatedInSandbox(scope: Scope, accountId: string): Promise<Set<string>> {
  const [rows, events] = await Promise.all([
    db().accessKey.findMany({ where: { accountId, createdAt: { gte: scope.sandbox.startedAt } }, select: { id: true } }),
    db().auditEvent.findMany({
      where: { organizationId: scope.sandbox.organizationId, recipientAccountId: accountId, eventName: "CreateAccessKey", errorCode: null, eventTime: { gte: scope.sandbox.startedAt } },
      select: { responseElements: true },
    }),
  ]);
  const ids = new Set(rows.map((k) => k.id));
  for (const e of events) for (const m of (e.responseElements ?? "").matchAll(/"accessKeyId":"([A-Z0-9]+)"/gi)) ids.add(m[1]!);
  return ids;
}

async function activityCheck(check: Extract<LabCheck, { kind: "activity" }>, scope: Scope): Promise<Outcome> {
  const accountId = scope.names.accounts[check.account]!;
  const events = await db().auditEvent.findMany({
    where: {
      organizationId: scope.sandbox.organizationId,
      recipientAccountId: accountId,
      eventName: check.eventName,
      eventTime: { gte: scope.sandbox.startedAt },
      ...(check.eventSource ? { eventSource: check.eventSource } : {}),
      ...(check.succeeded ? { errorCode: null } : {}),
      // With MFA: from an MFA-authenticated session, or with an MFA code given in the request itself (AssumeRole's
      // SerialNumber and TokenCode, as the console's elevation sends them; a wrong code fails the request).
      ...(check.mfaAuthenticated === true
        ? { OR: [{ mfaAuthenticated: true }, { requestParameters: { contains: '"serialNumber":"arn:' } }] }
        : check.mfaAuthenticated === false
          ? { mfaAuthenticated: false }
          : {}),
      ...(check.byUser ? { identityType: "IAMUser", identityUserName: { in: ([] as string[]).concat(check.byUser) } } : {}),
      ...(check.withNewKey ? { identityAccessKeyId: { not: null } } : {}),
      ...(check.byRole ? { identityType: "AssumedRole", sessionIssuerArn: { endsWith: `:role/${check.byRole}` } } : {}),
    },
    select: { identityArn: true, identityAccessKeyId: true, resources: true, requestParameters: true },
    orderBy: { eventTime: "desc" },
    take: 500,
  });
  const needle = check.resourceContains ? fill(check.resourceContains, scope.names) : undefined;
  let matching = needle ? events.filter((e) => (e.resources ?? "").includes(needle) || (e.requestParameters ?? "").includes(needle)) : events;
  if (check.request) {
    const wanted = Object.entries(check.request);
    matching = matching.filter((e) => {
      const given = parsedParameters(e.requestParameters);
      return wanted.every(([k, v]) => given[k] === v);
    });
  }
  if (check.onLabKey) {
    const created = await keysCreatedInSandbox(scope, accountId);
    matching = matching.filter((e) => {
      const id = parsedParameters(e.requestParameters).accessKeyId;
      return typeof id === "string" && !created.has(id);
    });
  }
  if (check.withNewKey) {
    const ids = [...new Set(matching.map((e) => e.identityAccessKeyId!))];
    const fresh = await db().accessKey.findMany({ where: { id: { in: ids }, accountId, createdAt: { gte: scope.sandbox.startedAt } }, select: { id: true } });
    const freshIds = new Set(fresh.map((k) => k.id));
    matching = matching.filter((e) => freshIds.has(e.identityAccessKeyId!));
  }
  const callers = new Set(matching.map((e) => e.identityArn));
  if (callers.size >= check.distinctCallers) return pass;
  return fail(matching.length ? `${callers.size} distinct callers; expected at least ${check.distinctCallers}` : `no matching ${check.eventName} event yet`);
}

// ---------------------------------------------------------------------------

async function evaluateCheck(check: LabCheck, scope: Scope): Promise<CheckResult> {
  try {
    const outcome = check.kind === "state" ? await stateCheck(check.target, scope) : check.kind === "access" ? await accessCheck(check, scope) : await activityCheck(check, scope);
    return { title: check.title, kind: check.kind, ...outcome };
  } catch (err) {
    return { title: check.title, kind: check.kind, passed: false, detail: `the check could not run: ${(err as Error).message}` };
  }
}

/**
 * Condition keys whose values change without an audited event: the clock's (a check's sessions are issued and
 * MFA-authenticated "now", so aws:MultiFactorAuthAge is always 0 and not among them) and S3 object tags (set by
 * PutObjectTagging, a data event, audited only when a trail selects it). A condition on them can change a decision
 * with nothing in the audit trail to say so.
 */
const UNAUDITED_KEYS = /aws:(CurrentTime|EpochTime|TokenIssueTime)|s3:ExistingObjectTag/i;

/** Whether any policy the gate could read in the sandbox (identity, trust, bucket, SCP) has a condition on such a key. */
async function policiesReadUnaudited(organizationId: string): Promise<boolean> {
  const c = db();
  const accountId = { in: (await c.account.findMany({ where: { organizationId }, select: { id: true } })).map((a) => a.id) };
  const docs = await Promise.all([
    c.policyVersion.findMany({ where: { policy: { accountId } }, select: { document: true } }),
    c.inlinePolicy.findMany({ where: { accountId }, select: { document: true } }),
    c.role.findMany({ where: { accountId }, select: { trustPolicy: true } }),
    c.bucket.findMany({ where: { organizationId, policy: { not: null } }, select: { policy: true } }),
    c.serviceControlPolicy.findMany({ where: { organizationId }, select: { document: true } }),
  ]);
  return docs.flat().some((d) => UNAUDITED_KEYS.test(Object.values(d).join("\n")));
}

/** Every task's checks against the sandbox as it is now. */
export async function sandboxProgress(sandbox: SandboxRow, lab: Lab, now = new Date()): Promise<SandboxProgress> {
  const names = { sandboxId: sandbox.id, accounts: await sandboxAccounts(db(), sandbox, lab) };
  const scope: Scope = { sandbox, lab, names, now, recheckAt: Infinity };
  const tasks: TaskProgress[] = [];
  for (const task of lab.tasks) {
    const checks = await Promise.all(task.checks.map((c) => evaluateCheck(c, scope)));
    // Instructions and hints name the sandbox's own accounts and buckets ({{account:KEY}}, {{sandbox}}), as the checks do.
    tasks.push({ id: task.id, title: task.title, instructions: fill(task.instructions, names), hints: fill(task.hints, names), checks, done: checks.every((c) => c.passed) });
  }
  // The gate's decisions hold until something audited changes, unless a policy's condition reads what is not audited.
  if (lab.tasks.some((t) => t.checks.some((c) => c.kind === "access")) && (await policiesReadUnaudited(sandbox.organizationId))) recheckBy(scope, now.getTime());
  const all = tasks.flatMap((t) => t.checks);
  const passed = all.filter((c) => c.passed).length;
  return { tasks, passed, total: all.length, done: passed === all.length, recheckAt: Number.isFinite(scope.recheckAt) ? new Date(scope.recheckAt) : null };
}
