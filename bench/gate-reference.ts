// The gate's database loads as they were before they moved to raw SQL
// (lib/iam/policy-set.ts, lib/iam/request-context.ts at c85f4a8): one Prisma
// model query per piece. Kept only for bench/gate.bench.ts, which times both
// paths in the same run and checks that they give the engine the same input.
import type { Tx } from "../lib/db/client";
import type { PolicyRef, PolicySet } from "../lib/iam/policy-set";
import type { Principal } from "../lib/iam/principal";
import { CREATES_ITS_RESOURCE, CURRENT_BOUNDARY_ACTIONS, resourceTagSource, type ContextValues } from "../lib/iam/request-context";

type Holder = { userId: string } | { groupId: string } | { roleId: string };

async function attachedAndInline(tx: Tx, holder: Holder, label: string): Promise<PolicyRef[]> {
  const [attachments, inline] = await Promise.all([
    tx.policyAttachment.findMany({
      where: holder,
      select: { policy: { select: { arn: true, name: true, defaultVersionId: true, versions: { where: { isDefault: true }, select: { document: true } } } } },
    }),
    tx.inlinePolicy.findMany({ where: holder, select: { name: true, document: true } }),
  ]);
  return [
    ...attachments.map(({ policy }) => ({
      id: policy.arn,
      name: policy.name,
      versionId: policy.defaultVersionId,
      policy: policy.versions[0]?.document ?? '{"Version":"2012-10-17","Statement":[]}',
    })),
    ...inline.map((p) => ({ id: `${label}/${p.name}`, name: p.name, policy: p.document })),
  ];
}

async function boundary(tx: Tx, policyId: string | null | undefined): Promise<PolicyRef[]> {
  if (!policyId) return [];
  const policy = await tx.managedPolicy.findUnique({
    where: { id: policyId },
    select: { arn: true, name: true, defaultVersionId: true, versions: { where: { isDefault: true }, select: { document: true } } },
  });
  if (!policy) return [];
  return [{ id: policy.arn, name: policy.name, versionId: policy.defaultVersionId, policy: policy.versions[0]?.document ?? "{}" }];
}

async function serviceControlPolicies(tx: Tx, accountId: string) {
  const account = await tx.account.findUnique({
    where: { id: accountId },
    select: { ouId: true, organization: { select: { rootId: true, managementAccountId: true, organizationalUnits: { select: { id: true, parentId: true } } } } },
  });
  if (!account) return { scps: [], management: false };
  const org = account.organization;
  const parents = new Map(org.organizationalUnits.map((ou) => [ou.id, ou.parentId]));
  const ous: string[] = [];
  for (let ou = account.ouId; ou && ous.length < 6; ou = parents.get(ou) ?? null) ous.unshift(ou);
  const levels = [org.rootId, ...ous, accountId];
  const attachments = await tx.scpAttachment.findMany({
    where: { targetId: { in: levels } },
    select: { targetId: true, policy: { select: { id: true, name: true, document: true } } },
  });
  const scps = levels
    .map((level) => ({
      orgIdentifier: level,
      policies: attachments.filter((a) => a.targetId === level).map((a) => ({ id: a.policy.id, name: a.policy.name, policy: a.policy.document })),
    }))
    .filter((level) => level.policies.length > 0);
  return { scps, management: org.managementAccountId === accountId };
}

async function passwordSelfService(tx: Tx, accountId: string, userArn: string): Promise<PolicyRef[]> {
  const policy = await tx.passwordPolicy.findUnique({ where: { accountId }, select: { allowUsersToChangePassword: true } });
  if (!policy?.allowUsersToChangePassword) return [];
  return [
    {
      id: "account-password-policy/AllowUsersToChangePassword",
      name: "Account password policy: allow users to change their own password",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: "iam:ChangePassword", Resource: userArn },
          { Effect: "Allow", Action: "iam:GetAccountPasswordPolicy", Resource: "*" },
        ],
      }),
    },
  ];
}

export async function loadPolicySetReference(tx: Tx, principal: Principal): Promise<PolicySet> {
  const { scps, management } = await serviceControlPolicies(tx, principal.accountId);
  const base = { serviceControlPolicies: scps, principalIsManagementAccount: management };
  if (principal.type === "Root") return { ...base, identityPolicies: [], permissionBoundaries: [] };
  if (principal.type === "IAMUser") {
    const user = await tx.iamUser.findUnique({
      where: { id: principal.userId },
      select: { name: true, permissionsBoundaryPolicyId: true, memberships: { select: { group: { select: { id: true, name: true } } } } },
    });
    if (!user) return { ...base, identityPolicies: [], permissionBoundaries: [] };
    const own = await attachedAndInline(tx, { userId: principal.userId }, `user/${user.name}`);
    const selfService = await passwordSelfService(tx, principal.accountId, principal.arn);
    const fromGroups = await Promise.all(user.memberships.map(({ group }) => attachedAndInline(tx, { groupId: group.id }, `group/${group.name}`)));
    return { ...base, identityPolicies: [...own, ...fromGroups.flat(), ...selfService], permissionBoundaries: await boundary(tx, user.permissionsBoundaryPolicyId) };
  }
  const role = await tx.role.findUnique({ where: { id: principal.roleId }, select: { name: true, permissionsBoundaryPolicyId: true } });
  const session = await tx.roleSession.findUnique({ where: { id: principal.sessionId }, select: { sessionPolicy: true } });
  if (!role) return { ...base, identityPolicies: [], permissionBoundaries: [] };
  return {
    ...base,
    identityPolicies: await attachedAndInline(tx, { roleId: principal.roleId }, `role/${role.name}`),
    permissionBoundaries: await boundary(tx, role.permissionsBoundaryPolicyId),
    sessionPolicy: session?.sessionPolicy ? { id: "session-policy", name: "session policy", policy: session.sessionPolicy } : undefined,
  };
}

const IAM_TAGGED = /^arn:aws:iam::(\d{12}):(user|role|policy|instance-profile|mfa)\//;
const hasKey = (ctx: ContextValues | undefined, key: string) => !!ctx && Object.keys(ctx).some((k) => k.toLowerCase() === key.toLowerCase());

async function currentBoundary(tx: Tx, arn: string): Promise<string | undefined> {
  const kind = IAM_TAGGED.exec(arn)?.[2];
  const select = { permissionsBoundary: { select: { arn: true } } } as const;
  if (kind === "user") return (await tx.iamUser.findUnique({ where: { arn }, select }))?.permissionsBoundary?.arn;
  if (kind === "role") return (await tx.role.findUnique({ where: { arn }, select }))?.permissionsBoundary?.arn;
  return undefined;
}

async function sessionTags(tx: Tx, principal: Principal): Promise<Record<string, string>> {
  if (principal.type !== "AssumedRole") return {};
  const row = await tx.roleSession.findUnique({ where: { id: principal.sessionId }, select: { sessionTags: true } });
  if (!row?.sessionTags) return {};
  try {
    const parsed = JSON.parse(row.sessionTags) as unknown;
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === "string"));
  } catch {
    return {};
  }
}

function tagKeys(prefixes: readonly string[], tags: Iterable<{ key: string; value: string }>): ContextValues {
  const byKey = new Map<string, { key: string; value: string }>();
  for (const t of tags) byKey.set(t.key.toLowerCase(), t);
  const ctx: ContextValues = {};
  for (const t of byKey.values()) for (const p of prefixes) ctx[`${p}${t.key}`] = t.value;
  return ctx;
}

export async function storedContextReference(
  tx: Tx,
  args: { principal: Principal; action: string; resourceArn: string; resourceAccount: string; given?: ContextValues },
): Promise<ContextValues> {
  const action = args.action.toLowerCase();
  const p = args.principal;
  const ownArn = p.type === "AssumedRole" ? p.roleArn : p.type === "IAMUser" ? p.arn : null;
  const source = CREATES_ITS_RESOURCE.has(action) ? null : resourceTagSource(args.resourceArn);
  const arns = [...new Set([ownArn, source?.arn].filter((a): a is string => !!a))];
  const wantsBoundary = CURRENT_BOUNDARY_ACTIONS.has(action) && !hasKey(args.given, "iam:PermissionsBoundary");
  const [rows, session, bound] = await Promise.all([
    arns.length ? tx.tag.findMany({ where: { resourceArn: { in: arns } }, select: { resourceArn: true, key: true, value: true } }) : Promise.resolve([]),
    sessionTags(tx, p),
    wantsBoundary ? currentBoundary(tx, args.resourceArn) : Promise.resolve(undefined),
  ]);
  const ctx: ContextValues = {
    ...tagKeys(["aws:PrincipalTag/"], [...rows.filter((r) => r.resourceArn === ownArn), ...Object.entries(session).map(([key, value]) => ({ key, value }))]),
    ...(source ? tagKeys(source.prefixes, rows.filter((r) => r.resourceArn === source.arn)) : {}),
  };
  if (bound) ctx["iam:PermissionsBoundary"] = bound;
  if (action.startsWith("s3:")) ctx["s3:ResourceAccount"] = args.resourceAccount;
  return ctx;
}
