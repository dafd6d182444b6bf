import "server-only";
// What gives users, groups and roles their permissions: attached managed
// policies (10 per entity; AWS-managed ones attachable from any account),
// inline policies (aggregate size per entity) and permissions boundaries.
import type { OperationSpec } from "@/lib/iam/operation";
import type { Tx } from "@/lib/db/client";
import { IamError, noSuchEntity } from "@/lib/iam/errors";
import { checkInlineAggregateSize, sizeWithoutWhitespace } from "@/lib/iam/policy";
import type { Principal } from "@/lib/iam/principal";
import type {
  GroupNameInput,
  GroupPolicyAttachmentInput,
  GroupPolicyInput,
  PutGroupPolicyInput,
  PutRoleBoundaryInput,
  PutRolePolicyInput,
  PutUserBoundaryInput,
  PutUserPolicyInput,
  RoleNameInput,
  RolePolicyAttachmentInput,
  RolePolicyInput,
  UserNameInput,
  UserPolicyAttachmentInput,
  UserPolicyInput,
} from "@/lib/iam/validation";
import {
  findPolicy,
  groupResource,
  limitExceeded,
  lockGroup,
  lockRole,
  lockUser,
  policyNotAttachable,
  policyNotFound,
  requireGroup,
  requireRole,
  requireUser,
  roleResource,
  userResource,
} from "./common";
import { validateIdentityPolicy } from "./policy-document";

export const MANAGED_POLICIES_PER_ENTITY = 10;

export type HolderKind = "user" | "group" | "role";

export interface Holder {
  kind: HolderKind;
  id: string;
  name: string;
  arn: string;
  lock(): Promise<unknown>;
}

const QUOTA: Record<HolderKind, string> = { user: "PoliciesPerUser", group: "PoliciesPerGroup", role: "PoliciesPerRole" };
const NAME_FIELD: Record<HolderKind, "userName" | "groupName" | "roleName"> = { user: "userName", group: "groupName", role: "roleName" };

export const holderWhere = (h: { kind: HolderKind; id: string }) =>
  h.kind === "user" ? { userId: h.id } : h.kind === "group" ? { groupId: h.id } : { roleId: h.id };

export async function resolveHolder(tx: Tx, accountId: string, kind: HolderKind, name: string): Promise<Holder> {
  if (kind === "user") {
    const u = await requireUser(tx, accountId, name);
    return { kind, id: u.id, name: u.name, arn: u.arn, lock: () => lockUser(tx, u.id) };
  }
  if (kind === "group") {
    const g = await requireGroup(tx, accountId, name);
    return { kind, id: g.id, name: g.name, arn: g.arn, lock: () => lockGroup(tx, g) };
  }
  const r = await requireRole(tx, accountId, name);
  return { kind, id: r.id, name: r.name, arn: r.arn, lock: () => lockRole(tx, r) };
}

const holderResource = (principal: Principal, kind: HolderKind, name: string) =>
  kind === "user" ? userResource(principal, name) : kind === "group" ? groupResource(principal, name) : roleResource(principal, name);

// ---------------------------------------------------------------------------
// Managed policy attachments

/** Attaches a managed policy (idempotent, as in AWS). The building block of the console's compound operations too. */
export async function attachManagedPolicy(tx: Tx, accountId: string, holder: Holder, policyArn: string): Promise<void> {
  const policy = await findPolicy(tx, accountId, policyArn);
  if (!policy || !policy.isAttachable) throw policyNotAttachable(policyArn);
  await holder.lock();
  const where = holderWhere(holder);
  if (await tx.policyAttachment.findFirst({ where: { policyId: policy.id, ...where }, select: { id: true } })) return;
  const count = await tx.policyAttachment.count({ where });
  if (count >= MANAGED_POLICIES_PER_ENTITY) throw limitExceeded(QUOTA[holder.kind], MANAGED_POLICIES_PER_ENTITY);
  await tx.policyAttachment.create({ data: { accountId, policyId: policy.id, ...where } });
}

export async function detachManagedPolicy(tx: Tx, accountId: string, holder: Holder, policyArn: string): Promise<void> {
  const policy = await findPolicy(tx, accountId, policyArn);
  if (!policy) throw policyNotFound(policyArn);
  const { count } = await tx.policyAttachment.deleteMany({ where: { policyId: policy.id, ...holderWhere(holder) } });
  if (count === 0) throw policyNotFound(policyArn);
}

function attachOp(kind: HolderKind, detach: boolean) {
  const verb = detach ? "Detach" : "Attach";
  const noun = kind === "user" ? "User" : kind === "group" ? "Group" : "Role";
  return (principal: Principal, input: { policyArn: string } & Record<string, string>): OperationSpec<void> => {
    const name = input[NAME_FIELD[kind]]!;
    return {
      service: "iam",
      name: `${verb}${noun}Policy`,
      readOnly: false,
      resource: holderResource(principal, kind, name),
      context: { "iam:PolicyARN": input.policyArn },
      parameters: { [NAME_FIELD[kind]]: name, policyArn: input.policyArn },
      async run({ tx }) {
        const holder = await resolveHolder(tx, principal.accountId, kind, name);
        if (detach) await detachManagedPolicy(tx, principal.accountId, holder, input.policyArn);
        else await attachManagedPolicy(tx, principal.accountId, holder, input.policyArn);
      },
    };
  };
}

export const attachUserPolicy: (p: Principal, i: UserPolicyAttachmentInput) => OperationSpec<void> = attachOp("user", false);
export const detachUserPolicy: (p: Principal, i: UserPolicyAttachmentInput) => OperationSpec<void> = attachOp("user", true);
export const attachGroupPolicy: (p: Principal, i: GroupPolicyAttachmentInput) => OperationSpec<void> = attachOp("group", false);
export const detachGroupPolicy: (p: Principal, i: GroupPolicyAttachmentInput) => OperationSpec<void> = attachOp("group", true);
export const attachRolePolicy: (p: Principal, i: RolePolicyAttachmentInput) => OperationSpec<void> = attachOp("role", false);
export const detachRolePolicy: (p: Principal, i: RolePolicyAttachmentInput) => OperationSpec<void> = attachOp("role", true);

export interface AttachedPolicy {
  policyName: string;
  policyArn: string;
  awsManaged: boolean;
}

export async function attachedPolicies(tx: Tx, holder: { kind: HolderKind; id: string }): Promise<AttachedPolicy[]> {
  const rows = await tx.policyAttachment.findMany({
    where: holderWhere(holder),
    select: { policy: { select: { name: true, arn: true, accountId: true, nameLower: true } } },
  });
  return rows
    .map((r) => ({ policyName: r.policy.name, policyArn: r.policy.arn, awsManaged: r.policy.accountId === null }))
    .sort((a, b) => a.policyName.toLowerCase().localeCompare(b.policyName.toLowerCase()));
}

function listAttachedOp(kind: HolderKind) {
  const noun = kind === "user" ? "User" : kind === "group" ? "Group" : "Role";
  return (principal: Principal, input: Record<string, string>): OperationSpec<{ attachedPolicies: AttachedPolicy[] }> => {
    const name = input[NAME_FIELD[kind]]!;
    return {
      service: "iam",
      name: `ListAttached${noun}Policies`,
      readOnly: true,
      resource: holderResource(principal, kind, name),
      parameters: { [NAME_FIELD[kind]]: name },
      async run({ tx }) {
        const holder = await resolveHolder(tx, principal.accountId, kind, name);
        return { attachedPolicies: await attachedPolicies(tx, holder) };
      },
    };
  };
}

export const listAttachedUserPolicies: (p: Principal, i: UserNameInput) => OperationSpec<{ attachedPolicies: AttachedPolicy[] }> = listAttachedOp("user");
export const listAttachedGroupPolicies: (p: Principal, i: GroupNameInput) => OperationSpec<{ attachedPolicies: AttachedPolicy[] }> = listAttachedOp("group");
export const listAttachedRolePolicies: (p: Principal, i: RoleNameInput) => OperationSpec<{ attachedPolicies: AttachedPolicy[] }> = listAttachedOp("role");

// ---------------------------------------------------------------------------
// Inline policies

const noSuchInline = (kind: HolderKind, policyName: string) => noSuchEntity(`The ${kind} policy with name ${policyName} cannot be found.`);

/** Creates or replaces an inline policy, within the holder's aggregate size limit. */
export async function putInlinePolicy(tx: Tx, accountId: string, holder: Holder, policyName: string, document: string): Promise<void> {
  const { size } = validateIdentityPolicy(document, { inline: true });
  await holder.lock();
  const where = holderWhere(holder);
  const others = await tx.inlinePolicy.findMany({ where: { ...where, NOT: { name: policyName } }, select: { document: true } });
  const total = others.reduce((sum, p) => sum + sizeWithoutWhitespace(p.document), size);
  const check = checkInlineAggregateSize(holder.kind, holder.name, total);
  if (!check.ok) throw new IamError(check.error.code, check.error.message);
  const existing = await tx.inlinePolicy.findFirst({ where: { ...where, name: policyName }, select: { id: true } });
  if (existing) await tx.inlinePolicy.update({ where: { id: existing.id }, data: { document } });
  else await tx.inlinePolicy.create({ data: { accountId, name: policyName, document, ...where } });
}

export async function deleteInlinePolicy(tx: Tx, holder: Holder, policyName: string): Promise<void> {
  const { count } = await tx.inlinePolicy.deleteMany({ where: { ...holderWhere(holder), name: policyName } });
  if (count === 0) throw noSuchInline(holder.kind, policyName);
}

export interface InlinePolicyView {
  userName?: string;
  groupName?: string;
  roleName?: string;
  policyName: string;
  policyDocument: string;
}

function inlineOps(kind: HolderKind) {
  const noun = kind === "user" ? "User" : kind === "group" ? "Group" : "Role";
  const field = NAME_FIELD[kind];
  const put = (principal: Principal, input: Record<string, string> & { policyName: string; policyDocument: string }): OperationSpec<void> => ({
    service: "iam",
    name: `Put${noun}Policy`,
    readOnly: false,
    resource: holderResource(principal, kind, input[field]!),
    parameters: { [field]: input[field], policyName: input.policyName, policyDocument: input.policyDocument },
    async run({ tx }) {
      const holder = await resolveHolder(tx, principal.accountId, kind, input[field]!);
      await putInlinePolicy(tx, principal.accountId, holder, input.policyName, input.policyDocument);
    },
  });
  const get = (principal: Principal, input: Record<string, string> & { policyName: string }): OperationSpec<InlinePolicyView> => ({
    service: "iam",
    name: `Get${noun}Policy`,
    readOnly: true,
    resource: holderResource(principal, kind, input[field]!),
    parameters: { [field]: input[field], policyName: input.policyName },
    async run({ tx }) {
      const holder = await resolveHolder(tx, principal.accountId, kind, input[field]!);
      const row = await tx.inlinePolicy.findFirst({ where: { ...holderWhere(holder), name: input.policyName } });
      if (!row) throw noSuchInline(kind, input.policyName);
      return { [field]: holder.name, policyName: row.name, policyDocument: row.document };
    },
  });
  const del = (principal: Principal, input: Record<string, string> & { policyName: string }): OperationSpec<void> => ({
    service: "iam",
    name: `Delete${noun}Policy`,
    readOnly: false,
    resource: holderResource(principal, kind, input[field]!),
    parameters: { [field]: input[field], policyName: input.policyName },
    async run({ tx }) {
      const holder = await resolveHolder(tx, principal.accountId, kind, input[field]!);
      await deleteInlinePolicy(tx, holder, input.policyName);
    },
  });
  const list = (principal: Principal, input: Record<string, string>): OperationSpec<{ policyNames: string[] }> => ({
    service: "iam",
    name: `List${noun}Policies`,
    readOnly: true,
    resource: holderResource(principal, kind, input[field]!),
    parameters: { [field]: input[field] },
    async run({ tx }) {
      const holder = await resolveHolder(tx, principal.accountId, kind, input[field]!);
      const rows = await tx.inlinePolicy.findMany({ where: holderWhere(holder), select: { name: true }, orderBy: { name: "asc" } });
      return { policyNames: rows.map((r) => r.name) };
    },
  });
  return { put, get, del, list };
}

const userInline = inlineOps("user");
const groupInline = inlineOps("group");
const roleInline = inlineOps("role");
export const putUserPolicy: (p: Principal, i: PutUserPolicyInput) => OperationSpec<void> = userInline.put;
export const getUserPolicy: (p: Principal, i: UserPolicyInput) => OperationSpec<InlinePolicyView> = userInline.get;
export const deleteUserPolicy: (p: Principal, i: UserPolicyInput) => OperationSpec<void> = userInline.del;
export const listUserPolicies: (p: Principal, i: UserNameInput) => OperationSpec<{ policyNames: string[] }> = userInline.list;
export const putGroupPolicy: (p: Principal, i: PutGroupPolicyInput) => OperationSpec<void> = groupInline.put;
export const getGroupPolicy: (p: Principal, i: GroupPolicyInput) => OperationSpec<InlinePolicyView> = groupInline.get;
export const deleteGroupPolicy: (p: Principal, i: GroupPolicyInput) => OperationSpec<void> = groupInline.del;
export const listGroupPolicies: (p: Principal, i: GroupNameInput) => OperationSpec<{ policyNames: string[] }> = groupInline.list;
export const putRolePolicy: (p: Principal, i: PutRolePolicyInput) => OperationSpec<void> = roleInline.put;
export const getRolePolicy: (p: Principal, i: RolePolicyInput) => OperationSpec<InlinePolicyView> = roleInline.get;
export const deleteRolePolicy: (p: Principal, i: RolePolicyInput) => OperationSpec<void> = roleInline.del;
export const listRolePolicies: (p: Principal, i: RoleNameInput) => OperationSpec<{ policyNames: string[] }> = roleInline.list;

// ---------------------------------------------------------------------------
// Permissions boundaries

/** The managed policy to use as a boundary (AWS's message when it does not exist). */
export async function requireBoundaryPolicy(tx: Tx, accountId: string, arn: string) {
  const policy = await findPolicy(tx, accountId, arn);
  if (!policy) throw noSuchEntity(`Scope ARN: ${arn} does not exist or is not attachable.`);
  return policy;
}

/** Put/DeletePermissionsBoundary on a user or a role: one builder, as for attachments. */
function boundaryOp(kind: "user" | "role", remove: boolean) {
  const noun = kind === "user" ? "User" : "Role";
  return (principal: Principal, input: { permissionsBoundary?: string } & Record<string, string>): OperationSpec<void> => {
    const name = input[NAME_FIELD[kind]]!;
    return {
      service: "iam",
      name: `${remove ? "Delete" : "Put"}${noun}PermissionsBoundary`,
      readOnly: false,
      resource: holderResource(principal, kind, name),
      context: remove ? undefined : { "iam:PermissionsBoundary": input.permissionsBoundary! },
      parameters: input,
      async run({ tx }) {
        const holder = await resolveHolder(tx, principal.accountId, kind, name);
        const policy = remove ? null : await requireBoundaryPolicy(tx, principal.accountId, input.permissionsBoundary!);
        const data = { permissionsBoundaryPolicyId: policy?.id ?? null };
        if (kind === "user") await tx.iamUser.update({ where: { id: holder.id }, data });
        else await tx.role.update({ where: { id: holder.id }, data });
      },
    };
  };
}

export const putUserPermissionsBoundary: (p: Principal, i: PutUserBoundaryInput) => OperationSpec<void> = boundaryOp("user", false);
export const deleteUserPermissionsBoundary: (p: Principal, i: UserNameInput) => OperationSpec<void> = boundaryOp("user", true);
export const putRolePermissionsBoundary: (p: Principal, i: PutRoleBoundaryInput) => OperationSpec<void> = boundaryOp("role", false);
export const deleteRolePermissionsBoundary: (p: Principal, i: RoleNameInput) => OperationSpec<void> = boundaryOp("role", true);
