import "server-only";
// Instance profiles: the container that hands a role to EC2. One role per
// profile (AWS's InstanceSessionsPerInstanceProfile quota of 1); adding a role
// passes it, so iam:PassRole is checked on the role as well.
import type { OperationSpec } from "@/lib/iam/operation";
import { newUniqueId } from "@/lib/crypto/ids";
import type { Tx } from "@/lib/db/client";
import { instanceProfileArn } from "@/lib/iam/arn";
import type { ResourceRef } from "@/lib/iam/authorize";
import { IamError, noSuchEntity } from "@/lib/iam/errors";
import type { Principal } from "@/lib/iam/principal";
import { requestTagContext } from "@/lib/iam/request-context";
import { applyTags, decodeCursor, deleteConflict, encodeCursor, limitExceeded, noSuchRole, requireRole, uniquely } from "@/lib/iam/services/common";
import type { Tag } from "@/lib/iam/validation";
import { checkInstanceProfileName, checkPath, checkTags } from "./validation";

export interface InstanceProfileView {
  Path: string;
  InstanceProfileName: string;
  InstanceProfileId: string;
  Arn: string;
  CreateDate: Date;
  Roles: { RoleName: string; RoleId: string; Arn: string; Path: string; CreateDate: Date; AssumeRolePolicyDocument: string }[];
}

/** A profile's role as AWS's Role shape lists it (CreateDate is required there; the trust policy comes too). */
const PROFILE_ROLE = { include: { role: { select: { id: true, name: true, arn: true, path: true, createdAt: true, trustPolicy: true } } } } as const;

const notFound = (name: string) => noSuchEntity(`Instance Profile ${name} cannot be found.`);

async function findProfile(tx: Tx, accountId: string, name: string) {
  return tx.instanceProfile.findUnique({
    where: { accountId_nameLower: { accountId, nameLower: name.toLowerCase() } },
    include: { roles: PROFILE_ROLE },
  });
}
type ProfileRow = NonNullable<Awaited<ReturnType<typeof findProfile>>>;

const view = (p: ProfileRow): InstanceProfileView => ({
  Path: p.path,
  InstanceProfileName: p.name,
  InstanceProfileId: p.id,
  Arn: p.arn,
  CreateDate: p.createdAt,
  Roles: p.roles.map((r) => ({
    RoleName: r.role.name,
    RoleId: r.role.id,
    Arn: r.role.arn,
    Path: r.role.path,
    CreateDate: r.role.createdAt,
    AssumeRolePolicyDocument: r.role.trustPolicy,
  })),
});

export const profileRef = (principal: Principal, name: string) => async (tx: Tx): Promise<ResourceRef> => {
  const p = await tx.instanceProfile.findUnique({ where: { accountId_nameLower: { accountId: principal.accountId, nameLower: name.toLowerCase() } }, select: { arn: true } });
  return { arn: p?.arn ?? instanceProfileArn(principal.accountId, "/", name) };
};

export async function requireProfile(tx: Tx, accountId: string, name: string): Promise<ProfileRow> {
  const p = await findProfile(tx, accountId, name);
  if (!p) throw notFound(name);
  return p;
}

export function createInstanceProfile(principal: Principal, input: { instanceProfileName: string; path?: string; tags?: Tag[] }): OperationSpec<InstanceProfileView> {
  let path = "/";
  return {
    service: "iam",
    name: "CreateInstanceProfile",
    readOnly: false,
    context: requestTagContext(input.tags),
    parameters: input,
    resource: async () => {
      checkInstanceProfileName(input.instanceProfileName);
      path = checkPath(input.path);
      checkTags(input.tags);
      return { arn: instanceProfileArn(principal.accountId, path, input.instanceProfileName) };
    },
    run: async ({ tx, authorize }) => {
      const exists = () => new IamError("EntityAlreadyExists", `Instance Profile ${input.instanceProfileName} already exists.`);
      const arn = instanceProfileArn(principal.accountId, path, input.instanceProfileName);
      // Tagging on create needs the tagging permission too, as for users, roles and policies.
      if (input.tags?.length) await authorize("iam:TagInstanceProfile", { arn }, requestTagContext(input.tags));
      if (await findProfile(tx, principal.accountId, input.instanceProfileName)) throw exists();
      await uniquely(
        tx.instanceProfile.create({
          data: { id: newUniqueId("AIPA"), accountId: principal.accountId, name: input.instanceProfileName, nameLower: input.instanceProfileName.toLowerCase(), path, arn },
        }),
        exists,
      );
      await applyTags(tx, principal.accountId, arn, input.tags ?? [], "TagsPerInstanceProfile");
      return view(await requireProfile(tx, principal.accountId, input.instanceProfileName));
    },
    response: (r) => ({ instanceProfile: { instanceProfileName: r.InstanceProfileName, instanceProfileId: r.InstanceProfileId, arn: r.Arn } }),
  };
}

export function getInstanceProfile(principal: Principal, input: { instanceProfileName: string }): OperationSpec<InstanceProfileView> {
  return {
    service: "iam",
    name: "GetInstanceProfile",
    readOnly: true,
    parameters: input,
    resource: profileRef(principal, input.instanceProfileName),
    run: async ({ tx }) => view(await requireProfile(tx, principal.accountId, input.instanceProfileName)),
    response: () => null,
  };
}

/** DeleteInstanceProfile: refused while a role is in it. */
export function deleteInstanceProfile(principal: Principal, input: { instanceProfileName: string }): OperationSpec<void> {
  return {
    service: "iam",
    name: "DeleteInstanceProfile",
    readOnly: false,
    parameters: input,
    resource: profileRef(principal, input.instanceProfileName),
    run: async ({ tx }) => {
      const p = await requireProfile(tx, principal.accountId, input.instanceProfileName);
      if (p.roles.length) throw deleteConflict("Cannot delete entity, must remove roles from instance profile first.");
      await tx.tag.deleteMany({ where: { resourceArn: p.arn } });
      await tx.instanceProfile.delete({ where: { id: p.id } });
    },
  };
}

/** AddRoleToInstanceProfile: one role per profile; passing the role needs iam:PassRole on it. */
export function addRoleToInstanceProfile(principal: Principal, input: { instanceProfileName: string; roleName: string }): OperationSpec<void> {
  return {
    service: "iam",
    name: "AddRoleToInstanceProfile",
    readOnly: false,
    parameters: input,
    resource: profileRef(principal, input.instanceProfileName),
    run: async ({ tx, authorize }) => {
      const p = await requireProfile(tx, principal.accountId, input.instanceProfileName);
      const role = await requireRole(tx, principal.accountId, input.roleName);
      await authorize("iam:PassRole", { arn: role.arn }, { "iam:PassedToService": "ec2.amazonaws.com" });
      // Touch the profile row first so two concurrent adds queue behind each other.
      await tx.instanceProfile.update({ where: { id: p.id }, data: { path: p.path } });
      if ((await tx.instanceProfileRole.count({ where: { instanceProfileId: p.id } })) >= 1) throw limitExceeded("InstanceSessionsPerInstanceProfile", 1);
      await tx.instanceProfileRole.create({ data: { instanceProfileId: p.id, roleId: role.id } });
    },
  };
}

export function removeRoleFromInstanceProfile(principal: Principal, input: { instanceProfileName: string; roleName: string }): OperationSpec<void> {
  return {
    service: "iam",
    name: "RemoveRoleFromInstanceProfile",
    readOnly: false,
    parameters: input,
    resource: profileRef(principal, input.instanceProfileName),
    run: async ({ tx }) => {
      const p = await requireProfile(tx, principal.accountId, input.instanceProfileName);
      const role = await requireRole(tx, principal.accountId, input.roleName);
      const { count } = await tx.instanceProfileRole.deleteMany({ where: { instanceProfileId: p.id, roleId: role.id } });
      if (count === 0) throw noSuchRole(input.roleName);
    },
  };
}

const isNameCursor = (v: unknown): v is { n: string } => typeof v === "object" && v !== null && typeof (v as { n?: unknown }).n === "string";

export function listInstanceProfiles(
  principal: Principal,
  input: { pathPrefix?: string; marker?: string; maxItems?: number } = {},
): OperationSpec<{ InstanceProfiles: InstanceProfileView[]; IsTruncated: boolean; Marker?: string }> {
  return {
    service: "iam",
    name: "ListInstanceProfiles",
    readOnly: true,
    parameters: input,
    resource: { arn: instanceProfileArn(principal.accountId, "/", "*"), accountId: principal.accountId },
    run: async ({ tx }) => {
      const maxItems = Math.min(Math.max(input.maxItems ?? 100, 1), 1000);
      const after = decodeCursor(input.marker, isNameCursor);
      const rows = await tx.instanceProfile.findMany({
        where: { accountId: principal.accountId, ...(input.pathPrefix && input.pathPrefix !== "/" ? { path: { startsWith: input.pathPrefix } } : {}), ...(after ? { nameLower: { gt: after.n } } : {}) },
        include: { roles: PROFILE_ROLE },
        orderBy: { nameLower: "asc" },
        take: maxItems + 1,
      });
      const page = rows.slice(0, maxItems);
      const truncated = rows.length > maxItems;
      return { InstanceProfiles: page.map(view), IsTruncated: truncated, ...(truncated ? { Marker: encodeCursor({ n: page[page.length - 1]!.nameLower }) } : {}) };
    },
    response: () => null,
  };
}

export function listInstanceProfilesForRole(principal: Principal, input: { roleName: string }): OperationSpec<{ InstanceProfiles: InstanceProfileView[]; IsTruncated: boolean }> {
  return {
    service: "iam",
    name: "ListInstanceProfilesForRole",
    readOnly: true,
    parameters: input,
    resource: async (tx) => {
      const role = await tx.role.findUnique({ where: { accountId_nameLower: { accountId: principal.accountId, nameLower: input.roleName.toLowerCase() } }, select: { arn: true } });
      return { arn: role?.arn ?? `arn:aws:iam::${principal.accountId}:role/${input.roleName}` };
    },
    run: async ({ tx }) => {
      const role = await requireRole(tx, principal.accountId, input.roleName);
      const rows = await tx.instanceProfile.findMany({
        where: { roles: { some: { roleId: role.id } } },
        include: { roles: PROFILE_ROLE },
        orderBy: { nameLower: "asc" },
      });
      return { InstanceProfiles: rows.map(view), IsTruncated: false };
    },
    response: () => null,
  };
}
