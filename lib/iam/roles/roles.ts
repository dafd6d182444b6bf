import "server-only";
// Role administration as operation builders: CreateRole (with the console's
// trusted-entity choice, policies, boundary and tags), GetRole, ListRoles,
// UpdateRole, UpdateAssumeRolePolicy, DeleteRole (AWS's DeleteConflict rules),
// the console's compound delete and "Revoke active sessions".
import type { OperationSpec } from "@/lib/iam/operation";
import { newUniqueId } from "@/lib/crypto/ids";
import type { Tx } from "@/lib/db/client";
import { roleArn } from "@/lib/iam/arn";
import type { ResourceRef } from "@/lib/iam/authorize";
import { IamError } from "@/lib/iam/errors";
import type { Principal } from "@/lib/iam/principal";
import { putInlinePolicy, requireBoundaryPolicy, type Holder } from "@/lib/iam/services/attachments";
import { applyTags, decodeCursor, deleteConflict, encodeCursor, findRole, listTags, lockRole, noSuchRole, requireRole, uniquely } from "@/lib/iam/services/common";
import type { Tag } from "@/lib/iam/validation";
import {
  checkDescription,
  checkMaxSessionDuration,
  checkPath,
  checkRoleName,
  checkTags,
  checkTrustPolicy,
  REVOKE_SESSIONS_POLICY_NAME,
  revokeOlderSessionsPolicy,
  trustPolicyFor,
  type TrustedEntity,
} from "./validation";

export interface RoleView {
  Path: string;
  RoleName: string;
  RoleId: string;
  Arn: string;
  CreateDate: Date;
  /** As written (the Query API URL-encodes it on the way out). */
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration: number;
  PermissionsBoundary?: { PermissionsBoundaryType: "Policy"; PermissionsBoundaryArn: string };
  Tags?: Tag[];
  RoleLastUsed?: { LastUsedDate?: Date; Region?: string };
}

type RoleRow = NonNullable<Awaited<ReturnType<typeof findRole>>>;

async function roleView(tx: Tx, role: RoleRow, detail: boolean): Promise<RoleView> {
  const boundary = role.permissionsBoundaryPolicyId
    ? await tx.managedPolicy.findUnique({ where: { id: role.permissionsBoundaryPolicyId }, select: { arn: true } })
    : null;
  const tags = detail ? await listTags(tx, role.arn) : [];
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.id,
    Arn: role.arn,
    CreateDate: role.createdAt,
    AssumeRolePolicyDocument: role.trustPolicy,
    ...(role.description ? { Description: role.description } : {}),
    MaxSessionDuration: role.maxSessionDuration,
    ...(boundary ? { PermissionsBoundary: { PermissionsBoundaryType: "Policy" as const, PermissionsBoundaryArn: boundary.arn } } : {}),
    ...(tags.length ? { Tags: tags } : {}),
    ...(detail
      ? { RoleLastUsed: { ...(role.lastUsedAt ? { LastUsedDate: role.lastUsedAt } : {}), ...(role.lastUsedRegion ? { Region: role.lastUsedRegion } : {}) } }
      : {}),
  };
}

const roleHolder = (tx: Tx, role: RoleRow): Holder => ({ kind: "role", id: role.id, name: role.name, arn: role.arn, lock: () => lockRole(tx, role) });

/** The gate's resource for a role by name (built from the name when it does not exist: existence is told after the gate). */
const roleRef = (principal: Principal, name: string) => async (tx: Tx): Promise<ResourceRef> => {
  const role = await findRole(tx, principal.accountId, name);
  return { arn: role?.arn ?? roleArn(principal.accountId, "/", name) };
};

const tagContext = (tags: Tag[]) =>
  tags.length ? { ...Object.fromEntries(tags.map((t) => [`aws:RequestTag/${t.key}`, t.value])), "aws:TagKeys": tags.map((t) => t.key) } : {};

// ------------------------------------------------------------------ CreateRole

export interface CreateRoleInput {
  roleName: string;
  path?: string;
  description?: string;
  maxSessionDuration?: number;
  /** The console's trusted-entity choice; or give assumeRolePolicyDocument (the API's parameter). */
  trustedEntity?: TrustedEntity;
  assumeRolePolicyDocument?: string;
  permissionsBoundary?: string;
  tags?: Tag[];
}

export function createRole(principal: Principal, input: CreateRoleInput): OperationSpec<RoleView> {
  const tags = input.tags ?? [];
  let trust = "";
  let path = "/";
  return {
    service: "iam",
    name: "CreateRole",
    readOnly: false,
    context: { ...(input.permissionsBoundary ? { "iam:PermissionsBoundary": input.permissionsBoundary } : {}), ...tagContext(tags) },
    parameters: {
      roleName: input.roleName,
      path: input.path,
      description: input.description,
      maxSessionDuration: input.maxSessionDuration,
      assumeRolePolicyDocument: input.assumeRolePolicyDocument ?? (input.trustedEntity ? { trustedEntity: input.trustedEntity.kind } : undefined),
      permissionsBoundary: input.permissionsBoundary,
      tags,
    },
    resource: async () => {
      checkRoleName(input.roleName);
      path = checkPath(input.path);
      checkDescription(input.description);
      checkMaxSessionDuration(input.maxSessionDuration);
      checkTags(tags);
      if (input.assumeRolePolicyDocument === undefined && !input.trustedEntity)
        throw new IamError("ValidationError", "1 validation error detected: Value null at 'assumeRolePolicyDocument' failed to satisfy constraint: Member must not be null");
      trust = input.assumeRolePolicyDocument ?? trustPolicyFor(input.trustedEntity!, principal.accountId);
      checkTrustPolicy(trust);
      return { arn: roleArn(principal.accountId, path, input.roleName) };
    },
    run: async ({ tx, authorize }) => {
      const arn = roleArn(principal.accountId, path, input.roleName);
      if (await findRole(tx, principal.accountId, input.roleName)) throw new IamError("EntityAlreadyExists", `Role with name ${input.roleName} already exists.`);
      const boundary = input.permissionsBoundary ? await requireBoundaryPolicy(tx, principal.accountId, input.permissionsBoundary) : null;
      const role = await uniquely(
        tx.role.create({
          data: {
            id: newUniqueId("AROA"),
            accountId: principal.accountId,
            name: input.roleName,
            nameLower: input.roleName.toLowerCase(),
            path,
            arn,
            description: input.description ?? "",
            trustPolicy: trust,
            maxSessionDuration: input.maxSessionDuration ?? 3600,
            permissionsBoundaryPolicyId: boundary?.id ?? null,
          },
        }),
        () => new IamError("EntityAlreadyExists", `Role with name ${input.roleName} already exists.`),
      );
      if (tags.length) {
        await authorize("iam:TagRole", { arn }, tagContext(tags));
        await applyTags(tx, principal.accountId, arn, tags, "TagsPerRole");
      }
      return roleView(tx, role, true);
    },
    response: (r) => ({ role: { roleName: r.RoleName, roleId: r.RoleId, arn: r.Arn, path: r.Path, createDate: r.CreateDate } }),
  };
}

// ------------------------------------------------------------------ GetRole / ListRoles

export function getRole(principal: Principal, input: { roleName: string }): OperationSpec<RoleView> {
  return {
    service: "iam",
    name: "GetRole",
    readOnly: true,
    parameters: { roleName: input.roleName },
    resource: roleRef(principal, input.roleName),
    run: async ({ tx }) => roleView(tx, await requireRole(tx, principal.accountId, input.roleName), true),
    response: () => null,
  };
}

export interface ListRolesInput {
  pathPrefix?: string;
  /** The console's search box: roles whose name contains this, ignoring case. */
  nameContains?: string;
  marker?: string;
  maxItems?: number;
}

export interface ListRolesResult {
  Roles: RoleView[];
  IsTruncated: boolean;
  Marker?: string;
}

const isNameCursor = (v: unknown): v is { n: string } => typeof v === "object" && v !== null && typeof (v as { n?: unknown }).n === "string";

/** ListRoles, ordered by name, paged in SQL (Marker / MaxItems 1..1000, default 100). */
export function listRoles(principal: Principal, input: ListRolesInput = {}): OperationSpec<ListRolesResult> {
  return {
    service: "iam",
    name: "ListRoles",
    readOnly: true,
    parameters: { pathPrefix: input.pathPrefix, maxItems: input.maxItems, marker: input.marker },
    resource: { arn: roleArn(principal.accountId, "/", "*"), accountId: principal.accountId },
    run: async ({ tx }) => {
      const maxItems = input.maxItems ?? 100;
      if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 1000)
        throw new IamError("ValidationError", `1 validation error detected: Value '${maxItems}' at 'maxItems' failed to satisfy constraint: Member must have value ${maxItems < 1 ? "greater than or equal to 1" : "less than or equal to 1000"}`);
      const after = decodeCursor(input.marker, isNameCursor);
      const prefix = input.pathPrefix && input.pathPrefix !== "/" ? input.pathPrefix : undefined;
      const rows = await tx.role.findMany({
        where: {
          accountId: principal.accountId,
          ...(prefix ? { path: { gte: prefix, lt: prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1) } } : {}),
          nameLower: { ...(after ? { gt: after.n } : {}), ...(input.nameContains ? { contains: input.nameContains.toLowerCase() } : {}) },
        },
        orderBy: { nameLower: "asc" },
        take: maxItems + 1,
      });
      const page = rows.slice(0, maxItems);
      const truncated = rows.length > maxItems;
      return {
        Roles: await Promise.all(page.map((r) => roleView(tx, r, false))),
        IsTruncated: truncated,
        ...(truncated ? { Marker: encodeCursor({ n: page[page.length - 1]!.nameLower }) } : {}),
      };
    },
    response: () => null,
  };
}

// ------------------------------------------------------------------ updates

export function updateRole(principal: Principal, input: { roleName: string; description?: string; maxSessionDuration?: number }): OperationSpec<void> {
  return {
    service: "iam",
    name: "UpdateRole",
    readOnly: false,
    parameters: input,
    resource: async (tx) => {
      checkDescription(input.description);
      checkMaxSessionDuration(input.maxSessionDuration);
      return roleRef(principal, input.roleName)(tx);
    },
    run: async ({ tx }) => {
      const role = await requireRole(tx, principal.accountId, input.roleName);
      await tx.role.update({
        where: { id: role.id },
        data: {
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.maxSessionDuration !== undefined ? { maxSessionDuration: input.maxSessionDuration } : {}),
        },
      });
    },
  };
}

/** UpdateRoleDescription: AWS's older call, the description only; answers the role as GetRole does. */
export function updateRoleDescription(principal: Principal, input: { roleName: string; description: string }): OperationSpec<RoleView> {
  return {
    service: "iam",
    name: "UpdateRoleDescription",
    readOnly: false,
    parameters: input,
    resource: async (tx) => {
      checkDescription(input.description);
      return roleRef(principal, input.roleName)(tx);
    },
    run: async ({ tx }) => {
      const role = await requireRole(tx, principal.accountId, input.roleName);
      const updated = await tx.role.update({ where: { id: role.id }, data: { description: input.description } });
      return roleView(tx, updated, true);
    },
    response: () => null,
  };
}

export function updateAssumeRolePolicy(principal: Principal, input: { roleName: string; policyDocument: string }): OperationSpec<void> {
  return {
    service: "iam",
    name: "UpdateAssumeRolePolicy",
    readOnly: false,
    parameters: input,
    resource: async (tx) => {
      checkTrustPolicy(input.policyDocument);
      return roleRef(principal, input.roleName)(tx);
    },
    run: async ({ tx }) => {
      const role = await requireRole(tx, principal.accountId, input.roleName);
      await tx.role.update({ where: { id: role.id }, data: { trustPolicy: input.policyDocument } });
    },
  };
}

// ------------------------------------------------------------------ delete

export const MSG_DETACH_FIRST = "Cannot delete entity, must detach all policies first.";
export const MSG_DELETE_INLINE_FIRST = "Cannot delete entity, must delete policies first.";
export const MSG_REMOVE_FROM_PROFILES_FIRST = "Cannot delete entity, must remove roles from instance profile first.";

async function deleteRoleRow(tx: Tx, role: RoleRow): Promise<void> {
  await tx.tag.deleteMany({ where: { resourceArn: role.arn } });
  await tx.role.delete({ where: { id: role.id } });
}

/** DeleteRole: refused while policies are attached, inline policies exist or an instance profile holds the role. */
export function deleteRole(principal: Principal, input: { roleName: string }): OperationSpec<void> {
  return {
    service: "iam",
    name: "DeleteRole",
    readOnly: false,
    parameters: input,
    resource: roleRef(principal, input.roleName),
    run: async ({ tx }) => {
      const role = await requireRole(tx, principal.accountId, input.roleName);
      await lockRole(tx, role);
      if (await tx.policyAttachment.count({ where: { roleId: role.id } })) throw deleteConflict(MSG_DETACH_FIRST);
      if (await tx.inlinePolicy.count({ where: { roleId: role.id } })) throw deleteConflict(MSG_DELETE_INLINE_FIRST);
      if (await tx.instanceProfileRole.count({ where: { roleId: role.id } })) throw deleteConflict(MSG_REMOVE_FROM_PROFILES_FIRST);
      await deleteRoleRow(tx, role);
    },
  };
}

// ------------------------------------------------------------------ revoke sessions

/**
 * "Revoke active sessions", as AWS does it: PutRolePolicy of the inline policy
 * AWSRevokeOlderSessions, denying every action to credentials whose
 * aws:TokenIssueTime is before now. Sessions issued afterwards are unaffected.
 */
export function revokeRoleSessions(principal: Principal, input: { roleName: string }, now = new Date()): OperationSpec<{ policyName: string; revokedBefore: Date }> {
  const document = revokeOlderSessionsPolicy(now);
  return {
    service: "iam",
    name: "PutRolePolicy",
    readOnly: false,
    parameters: { roleName: input.roleName, policyName: REVOKE_SESSIONS_POLICY_NAME, policyDocument: document },
    resource: roleRef(principal, input.roleName),
    run: async ({ tx }) => {
      const role = await findRole(tx, principal.accountId, input.roleName);
      if (!role) throw noSuchRole(input.roleName);
      await putInlinePolicy(tx, principal.accountId, roleHolder(tx, role), REVOKE_SESSIONS_POLICY_NAME, document);
      return { policyName: REVOKE_SESSIONS_POLICY_NAME, revokedBefore: now };
    },
  };
}
