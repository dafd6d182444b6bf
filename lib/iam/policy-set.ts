import "server-only";
// Loads every policy that applies to a principal, as the engine takes them:
// identity policies (managed, default version, and inline, a user's groups
// included; a role's for a role session), the permissions boundary, the session
// policy and the organization's SCPs along the account's path in the OU tree.
import type { Tx } from "@/lib/db/client";
import type { Principal } from "./principal";

export interface PolicyRef {
  /** Policy ARN for managed policies, "user/NAME/POLICY"-style name for inline ones. */
  id: string;
  name: string;
  versionId?: string;
  /** The stored policy text. */
  policy: string;
  /** A resource policy that applies only to principals of the resource's own account (S3 RestrictPublicBuckets). */
  ownerAccountOnly?: boolean;
}

export interface PolicySet {
  identityPolicies: PolicyRef[];
  permissionBoundaries: PolicyRef[];
  sessionPolicy?: PolicyRef;
  serviceControlPolicies: { orgIdentifier: string; policies: PolicyRef[] }[];
  principalIsManagementAccount: boolean;
}

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
  // The path from the root down to the account: root, OUs, the account itself.
  const parents = new Map(org.organizationalUnits.map((ou) => [ou.id, ou.parentId]));
  const ous: string[] = [];
  for (let ou = account.ouId; ou && ous.length < 6; ou = parents.get(ou) ?? null) ous.unshift(ou);
  const levels = [org.rootId, ...ous, accountId];
  const attachments = await tx.scpAttachment.findMany({
    where: { targetId: { in: levels } },
    select: { targetId: true, policy: { select: { id: true, name: true, document: true } } },
  });
  // AWS keeps at least one SCP on every level (FullAWSAccess by default); a level
  // without any here is taken as not restricting, rather than denying everything.
  const scps = levels
    .map((level) => ({
      orgIdentifier: level,
      policies: attachments
        .filter((a) => a.targetId === level)
        .map((a) => ({ id: a.policy.id, name: a.policy.name, policy: a.policy.document })),
    }))
    .filter((level) => level.policies.length > 0);
  return { scps, management: org.managementAccountId === accountId };
}

/**
 * With "Allow users to change their own password" on in the account's password
 * policy, AWS lets every IAM user change their own password without any policy.
 * It is modelled as an identity policy, so explicit denies and SCPs still apply.
 */
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

export async function loadPolicySet(tx: Tx, principal: Principal): Promise<PolicySet> {
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
    const fromGroups = await Promise.all(
      user.memberships.map(({ group }) => attachedAndInline(tx, { groupId: group.id }, `group/${group.name}`)),
    );
    return {
      ...base,
      identityPolicies: [...own, ...fromGroups.flat(), ...selfService],
      permissionBoundaries: await boundary(tx, user.permissionsBoundaryPolicyId),
    };
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
