import "server-only";
// IAM groups: create, rename/move, delete (API: refused while it has members or
// policies; console: empties it first, each step checked by the gate),
// membership (10 groups per user), lists with counts.
import type { OperationSpec } from "@/lib/iam/operation";
import { newUniqueId } from "@/lib/crypto/ids";
import { inChunks } from "@/lib/db/chunked";
import type { Tx } from "@/lib/db/client";
import { groupArn } from "@/lib/iam/arn";
import { IamError } from "@/lib/iam/errors";
import type { Principal } from "@/lib/iam/principal";
import type { CreateGroupInput, GroupMembershipInput, GroupNameInput, ListGroupsInput, UpdateGroupInput, UserNameInput } from "@/lib/iam/validation";
import { attachedPolicies, type AttachedPolicy } from "./attachments";
import {
  decodeCursor,
  deleteConflict,
  encodeCursor,
  findGroup,
  groupResource,
  limitExceeded,
  lockUser,
  noSuchUser,
  requireGroup,
  requireUser,
  uniquely,
  userResource,
} from "./common";

export const GROUPS_PER_USER = 10;

export interface GroupView {
  groupName: string;
  groupId: string;
  path: string;
  arn: string;
  createDate: Date;
}

const view = (g: { name: string; id: string; path: string; arn: string; createdAt: Date }): GroupView => ({
  groupName: g.name,
  groupId: g.id,
  path: g.path,
  arn: g.arn,
  createDate: g.createdAt,
});

const groupExists = (name: string) => new IamError("EntityAlreadyExists", `Group with name ${name} already exists.`);

/** Adds a user to a group (idempotent), within the 10-groups-per-user quota. */
export async function addMembership(tx: Tx, group: { id: string }, user: { id: string }): Promise<void> {
  await lockUser(tx, user.id);
  const existing = await tx.groupMembership.findUnique({ where: { groupId_userId: { groupId: group.id, userId: user.id } } });
  if (existing) return;
  const count = await tx.groupMembership.count({ where: { userId: user.id } });
  if (count >= GROUPS_PER_USER) throw limitExceeded("GroupsPerUser", GROUPS_PER_USER);
  await tx.groupMembership.create({ data: { groupId: group.id, userId: user.id } });
}

export function createGroup(principal: Principal, input: CreateGroupInput): OperationSpec<GroupView> {
  const arn = groupArn(principal.accountId, input.path, input.groupName);
  return {
    service: "iam",
    name: "CreateGroup",
    readOnly: false,
    resource: { arn },
    parameters: input,
    async run({ tx }) {
      if (await findGroup(tx, principal.accountId, input.groupName)) throw groupExists(input.groupName);
      const group = await uniquely(
        tx.iamGroup.create({
          data: { id: newUniqueId("AGPA"), accountId: principal.accountId, name: input.groupName, nameLower: input.groupName.toLowerCase(), path: input.path, arn },
        }),
        () => groupExists(input.groupName),
      );
      return view(group);
    },
    response: (group) => ({ group }),
  };
}

export function updateGroup(principal: Principal, input: UpdateGroupInput): OperationSpec<GroupView> {
  return {
    service: "iam",
    name: "UpdateGroup",
    readOnly: false,
    resource: groupResource(principal, input.groupName),
    parameters: input,
    async run({ tx }) {
      const group = await requireGroup(tx, principal.accountId, input.groupName);
      const name = input.newGroupName ?? group.name;
      const path = input.newPath ?? group.path;
      if (name.toLowerCase() !== group.nameLower && (await findGroup(tx, principal.accountId, name))) throw groupExists(name);
      const updated = await uniquely(
        tx.iamGroup.update({ where: { id: group.id }, data: { name, nameLower: name.toLowerCase(), path, arn: groupArn(principal.accountId, path, name) } }),
        () => groupExists(name),
      );
      return view(updated);
    },
  };
}

export function deleteGroup(principal: Principal, input: GroupNameInput): OperationSpec<void> {
  return {
    service: "iam",
    name: "DeleteGroup",
    readOnly: false,
    resource: groupResource(principal, input.groupName),
    parameters: input,
    async run({ tx }) {
      const group = await requireGroup(tx, principal.accountId, input.groupName);
      if (await tx.groupMembership.count({ where: { groupId: group.id } })) throw deleteConflict("Cannot delete entity, must remove users from group first.");
      if (await tx.inlinePolicy.count({ where: { groupId: group.id } })) throw deleteConflict("Cannot delete entity, must delete policies first.");
      if (await tx.policyAttachment.count({ where: { groupId: group.id } })) throw deleteConflict("Cannot delete entity, must detach all policies first.");
      await tx.iamGroup.delete({ where: { id: group.id } });
    },
  };
}

export function addUserToGroup(principal: Principal, input: GroupMembershipInput): OperationSpec<void> {
  return {
    service: "iam",
    name: "AddUserToGroup",
    readOnly: false,
    resource: groupResource(principal, input.groupName),
    parameters: input,
    async run({ tx }) {
      const group = await requireGroup(tx, principal.accountId, input.groupName);
      const user = await requireUser(tx, principal.accountId, input.userName);
      await addMembership(tx, group, user);
    },
  };
}

export function removeUserFromGroup(principal: Principal, input: GroupMembershipInput): OperationSpec<void> {
  return {
    service: "iam",
    name: "RemoveUserFromGroup",
    readOnly: false,
    resource: groupResource(principal, input.groupName),
    parameters: input,
    async run({ tx }) {
      const group = await requireGroup(tx, principal.accountId, input.groupName);
      const user = await requireUser(tx, principal.accountId, input.userName);
      const { count } = await tx.groupMembership.deleteMany({ where: { groupId: group.id, userId: user.id } });
      if (count === 0) throw noSuchUser(input.userName);
    },
  };
}

export interface GroupRow extends GroupView {
  memberCount: number;
  attachedPolicyCount: number;
  inlinePolicyCount: number;
}

/** A group as AWS's Group shape names it. */
export interface Group {
  GroupName: string;
  GroupId: string;
  Path: string;
  Arn: string;
  CreateDate: Date;
}

export const awsGroup = (g: GroupView): Group => ({ GroupName: g.groupName, GroupId: g.groupId, Path: g.path, Arn: g.arn, CreateDate: g.createDate });

/** The groups list page's counts for a group, keyed by GroupId under `console` (never encoded). */
export interface GroupCounts {
  memberCount: number;
  attachedPolicyCount: number;
  inlinePolicyCount: number;
}

/** ListGroups' answer: AWS's output shape; `console` holds the list page's total and counts. */
export interface ListGroupsResult {
  Groups: Group[];
  IsTruncated: boolean;
  Marker?: string;
  console: { total?: number; counts: Record<string, GroupCounts> };
}

const isNameCursor = (v: unknown): v is { n: string } => typeof v === "object" && v !== null && typeof (v as { n?: unknown }).n === "string";

/** ListGroups: filtered by path prefix and name, sorted by name, paged; counts batched per page. */
export function listGroups(principal: Principal, input: ListGroupsInput): OperationSpec<ListGroupsResult> {
  return {
    service: "iam",
    name: "ListGroups",
    readOnly: true,
    resource: { arn: "*" },
    parameters: input,
    async run({ tx }) {
      const after = decodeCursor(input.cursor, isNameCursor);
      const order = input.order ?? "asc";
      const filter = {
        accountId: principal.accountId,
        ...(input.pathPrefix ? { path: { startsWith: input.pathPrefix } } : {}),
        ...(input.nameContains ? { nameLower: { contains: input.nameContains.toLowerCase() } } : {}),
      };
      const [rows, total] = await Promise.all([
        tx.iamGroup.findMany({
          where: after ? { AND: [filter, { nameLower: { [order === "desc" ? "lt" : "gt"]: after.n } }] } : filter,
          orderBy: { nameLower: order },
          take: input.pageSize + 1,
        }),
        input.withTotal ? tx.iamGroup.count({ where: filter }) : Promise.resolve(undefined),
      ]);
      const page = rows.slice(0, input.pageSize);
      const ids = page.map((g) => g.id);
      const [members, attached, inline] = await Promise.all([
        inChunks(ids, (chunk) => tx.groupMembership.groupBy({ by: ["groupId"], where: { groupId: { in: chunk } }, _count: { _all: true } })),
        inChunks(ids, (chunk) => tx.policyAttachment.groupBy({ by: ["groupId"], where: { groupId: { in: chunk } }, _count: { _all: true } })),
        inChunks(ids, (chunk) => tx.inlinePolicy.groupBy({ by: ["groupId"], where: { groupId: { in: chunk } }, _count: { _all: true } })),
      ]);
      const count = (list: { groupId: string | null; _count: { _all: number } }[], id: string) => list.find((c) => c.groupId === id)?._count._all ?? 0;
      const last = page[page.length - 1];
      const counts = Object.fromEntries(page.map((g) => [g.id, { memberCount: count(members, g.id), attachedPolicyCount: count(attached, g.id), inlinePolicyCount: count(inline, g.id) }]));
      return {
        Groups: page.map((g) => awsGroup(view(g))),
        IsTruncated: rows.length > input.pageSize,
        ...(rows.length > input.pageSize && last ? { Marker: encodeCursor({ n: last.nameLower }) } : {}),
        console: { ...(total !== undefined ? { total } : {}), counts },
      };
    },
    response: (data) => ({ groups: data.Groups.map((g) => g.GroupName), isTruncated: data.IsTruncated }),
  };
}

export interface GroupDetail {
  group: GroupView;
  users: { userName: string; userId: string; arn: string; path: string; createDate: Date }[];
  attachedPolicies: AttachedPolicy[];
  inlinePolicyNames: string[];
}

export function getGroup(principal: Principal, input: GroupNameInput): OperationSpec<GroupDetail> {
  return {
    service: "iam",
    name: "GetGroup",
    readOnly: true,
    resource: groupResource(principal, input.groupName),
    parameters: input,
    async run({ tx }) {
      const group = await requireGroup(tx, principal.accountId, input.groupName);
      const [members, attached, inline] = await Promise.all([
        tx.groupMembership.findMany({ where: { groupId: group.id }, select: { user: true } }),
        attachedPolicies(tx, { kind: "group", id: group.id }),
        tx.inlinePolicy.findMany({ where: { groupId: group.id }, select: { name: true }, orderBy: { name: "asc" } }),
      ]);
      return {
        group: view(group),
        users: members
          .map(({ user: u }) => ({ userName: u.name, userId: u.id, arn: u.arn, path: u.path, createDate: u.createdAt }))
          .sort((a, b) => a.userName.toLowerCase().localeCompare(b.userName.toLowerCase())),
        attachedPolicies: attached,
        inlinePolicyNames: inline.map((p) => p.name),
      };
    },
    response: (d) => ({ group: d.group, users: d.users.map((u) => u.userName) }),
  };
}

export function listGroupsForUser(principal: Principal, input: UserNameInput): OperationSpec<{ groups: GroupView[] }> {
  return {
    service: "iam",
    name: "ListGroupsForUser",
    readOnly: true,
    resource: userResource(principal, input.userName),
    parameters: input,
    async run({ tx }) {
      const user = await requireUser(tx, principal.accountId, input.userName);
      const rows = await tx.groupMembership.findMany({ where: { userId: user.id }, select: { group: true } });
      return { groups: rows.map((r) => view(r.group)).sort((a, b) => a.groupName.toLowerCase().localeCompare(b.groupName.toLowerCase())) };
    },
  };
}
