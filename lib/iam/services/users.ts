import "server-only";
import { inChunks } from "@/lib/db/chunked";
// IAM users: the list (fast at 100,000 users: one indexed query for the page,
// batched queries for its columns), the detail page, create (API and the
// console's wizard), rename/move, delete (API semantics and the console's
// compound delete, each step checked by the gate).
import type { OperationSpec } from "@/lib/iam/operation";
import { newUniqueId } from "@/lib/crypto/ids";
import type { Prisma, Tx } from "@/lib/db/client";
import { userArn } from "@/lib/iam/arn";
import { IamError } from "@/lib/iam/errors";
import type { Principal } from "@/lib/iam/principal";
import { requestTagContext } from "@/lib/iam/request-context";
import type { CreateUserInput, ListUsersInput, OptionalUserInput, Tag, UpdateUserInput, UserNameInput } from "@/lib/iam/validation";
import {
  attachedPolicies,
  requireBoundaryPolicy,
  type AttachedPolicy,
} from "./attachments";
import {
  applyTags,
  daysSince,
  decodeCursor,
  deleteConflict,
  encodeCursor,
  findUser,
  listTags,
  moveTags,
  requireUser,
  selfOrNamed,
  selfResource,
  uniquely,
  userResource,
} from "./common";
import { type GroupView } from "./groups";

export interface UserView {
  userName: string;
  userId: string;
  path: string;
  arn: string;
  createDate: Date;
  passwordLastUsed?: Date;
  permissionsBoundary?: { permissionsBoundaryType: "Policy"; permissionsBoundaryArn: string };
  tags?: Tag[];
}

type UserRecord = { id: string; name: string; path: string; arn: string; createdAt: Date };
const view = (u: UserRecord, extra: Partial<UserView> = {}): UserView => ({
  userName: u.name,
  userId: u.id,
  path: u.path,
  arn: u.arn,
  createDate: u.createdAt,
  ...extra,
});

const userExists = (name: string) => new IamError("EntityAlreadyExists", `User with name ${name} already exists.`);

// ---------------------------------------------------------------------------
// ListUsers

/** A user as ListUsers answers: AWS's members (botocore's User shape), no more. */
export interface ListedUser {
  UserName: string;
  UserId: string;
  Path: string;
  Arn: string;
  CreateDate: Date;
  PasswordLastUsed?: Date;
}

/** The users list page's view of a user beyond AWS's members, keyed by UserId under `console` (never encoded). */
export interface UserConsoleRow {
  lastActivity: Date | null;
  consoleAccess: boolean;
  passwordAgeDays: number | null;
}

/** The users list page's further columns, read only when it asks (three more queries per page). */
export interface UserColumns {
  groups: string[];
  mfaEnabled: boolean;
  activeKeyCount: number;
  /** Age in days of the oldest active access key, null without one. */
  oldestActiveKeyAgeDays: number | null;
}

/** ListUsers' answer: AWS's output shape; `console` holds the list page's extras (asked with withTotal / columns). */
export interface ListUsersResult<C = UserConsoleRow> {
  Users: ListedUser[];
  IsTruncated: boolean;
  Marker?: string;
  console?: { total?: number; users?: Record<string, C> };
}

type UserCursor = { n: string } | { t: string | null; id: string };
const isUserCursor = (v: unknown): v is UserCursor => {
  if (typeof v !== "object" || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.n === "string" || (typeof o.id === "string" && (o.t === null || typeof o.t === "string"));
};

/**
 * The page query for one sort order, as keyset conditions the indexes serve:
 * (accountId, nameLower), (accountId, createdAt) and (accountId, lastActivityAt).
 * Users never active sort last in both directions: they are read as a second
 * segment, so neither segment needs an OR across NULL that defeats the index.
 */
function segments(input: ListUsersInput, after: UserCursor | undefined): { where: Prisma.IamUserWhereInput; orderBy: Prisma.IamUserOrderByWithRelationInput[] }[] {
  const dir = input.order;
  const cmp = dir === "asc" ? "gt" : "lt";
  if (input.sortBy === "name") {
    return [{ where: after && "n" in after ? { nameLower: { [cmp]: after.n } } : {}, orderBy: [{ nameLower: dir }] }];
  }
  const cursor = after && "id" in after ? after : undefined;
  const after2 = (field: "createdAt" | "lastActivityAt"): Prisma.IamUserWhereInput => {
    if (!cursor || cursor.t === null) return {};
    const t = new Date(cursor.t);
    return { OR: [{ [field]: { [cmp]: t } }, { [field]: t, id: { [cmp]: cursor.id } }] };
  };
  if (input.sortBy === "created") return [{ where: after2("createdAt"), orderBy: [{ createdAt: dir }, { id: dir }] }];
  const nulls = { where: { lastActivityAt: null, ...(cursor?.t === null ? { id: { [cmp]: cursor.id } } : {}) }, orderBy: [{ id: dir }] };
  if (cursor?.t === null) return [nulls];
  return [{ where: { AND: [{ lastActivityAt: { not: null } }, after2("lastActivityAt")] }, orderBy: [{ lastActivityAt: dir }, { id: dir }] }, nulls];
}

/** The list page's columns of a page of users: groups, MFA, active keys (batched queries, one per kind). */
async function userColumns(tx: Tx, ids: string[]): Promise<(userId: string, now: number) => UserColumns> {
  const [memberships, mfa, keys] = await Promise.all([
    inChunks(ids, (chunk) => tx.groupMembership.findMany({ where: { userId: { in: chunk } }, select: { userId: true, group: { select: { name: true } } } })),
    inChunks(ids, (chunk) => tx.mfaDevice.groupBy({ by: ["userId"], where: { userId: { in: chunk }, enabledAt: { not: null } }, _count: { _all: true } })),
    inChunks(ids, (chunk) => tx.accessKey.groupBy({ by: ["userId"], where: { userId: { in: chunk }, status: "Active" }, _min: { createdAt: true }, _count: { _all: true } })),
  ]);
  const groupsOf = new Map<string, string[]>();
  for (const m of memberships) groupsOf.set(m.userId, [...(groupsOf.get(m.userId) ?? []), m.group.name]);
  const mfaOf = new Set(mfa.map((m) => m.userId));
  const keysOf = new Map(keys.map((k) => [k.userId, k]));
  return (userId, now) => {
    const key = keysOf.get(userId);
    return {
      groups: (groupsOf.get(userId) ?? []).sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())),
      mfaEnabled: mfaOf.has(userId),
      activeKeyCount: key?._count._all ?? 0,
      oldestActiveKeyAgeDays: daysSince(key?._min.createdAt, now),
    };
  };
}

export function listUsers(principal: Principal, input: ListUsersInput, options: { columns: true }): OperationSpec<ListUsersResult<UserConsoleRow & UserColumns>>;
// Last, so a reference to listUsers (the catalogue's) takes the plain signature.
export function listUsers(principal: Principal, input: ListUsersInput): OperationSpec<ListUsersResult>;
export function listUsers(principal: Principal, input: ListUsersInput, options?: { columns: true }): OperationSpec<ListUsersResult<UserConsoleRow | (UserConsoleRow & UserColumns)>> {
  return {
    service: "iam",
    name: "ListUsers",
    readOnly: true,
    resource: { arn: "*" },
    parameters: input,
    async run({ tx }) {
      const after = decodeCursor(input.cursor, isUserCursor);
      const filter: Prisma.IamUserWhereInput = {
        accountId: principal.accountId,
        ...(input.pathPrefix ? { path: { startsWith: input.pathPrefix } } : {}),
      };
      const contains: Prisma.IamUserWhereInput = input.nameContains ? { nameLower: { contains: input.nameContains.toLowerCase() } } : {};
      const select = { id: true, name: true, nameLower: true, path: true, arn: true, createdAt: true, lastActivityAt: true } as const;
      const rows: Prisma.IamUserGetPayload<{ select: typeof select }>[] = [];
      for (const { where, orderBy } of segments(input, after)) {
        const want = input.pageSize + 1 - rows.length;
        if (want <= 0) break;
        rows.push(...(await tx.iamUser.findMany({ where: { AND: [filter, contains, where] }, orderBy, take: want, select })));
      }
      const page = rows.slice(0, input.pageSize);
      const ids = page.map((u) => u.id);
      const [profiles, columns, total] = await Promise.all([
        inChunks(ids, (chunk) => tx.loginProfile.findMany({ where: { userId: { in: chunk } }, select: { userId: true, passwordLastChanged: true, passwordLastUsed: true } })),
        options?.columns ? userColumns(tx, ids) : undefined,
        input.withTotal ? tx.iamUser.count({ where: { AND: [filter, contains] } }) : Promise.resolve(undefined),
      ]);
      const profileOf = new Map(profiles.map((p) => [p.userId, p]));
      const now = Date.now();
      const Users = page.map((u): ListedUser => {
        const used = profileOf.get(u.id)?.passwordLastUsed;
        return { UserName: u.name, UserId: u.id, Path: u.path, Arn: u.arn, CreateDate: u.createdAt, ...(used ? { PasswordLastUsed: used } : {}) };
      });
      const rowOf = (u: (typeof page)[number]): UserConsoleRow => {
        const profile = profileOf.get(u.id);
        return { lastActivity: u.lastActivityAt, consoleAccess: Boolean(profile), passwordAgeDays: daysSince(profile?.passwordLastChanged, now), ...columns?.(u.id, now) };
      };
      const last = page[page.length - 1];
      const truncated = rows.length > input.pageSize;
      const Marker =
        truncated && last
          ? encodeCursor(
              input.sortBy === "name"
                ? { n: last.nameLower }
                : { t: (input.sortBy === "created" ? last.createdAt : last.lastActivityAt)?.toISOString() ?? null, id: last.id },
            )
          : undefined;
      const users = options?.columns ? Object.fromEntries(page.map((u) => [u.id, rowOf(u)])) : undefined;
      const extras = total !== undefined || users ? { console: { ...(total !== undefined ? { total } : {}), ...(users ? { users } : {}) } } : {};
      return { Users, IsTruncated: truncated, ...(Marker ? { Marker } : {}), ...extras };
    },
    response: (data) => ({ users: data.Users.length, isTruncated: data.IsTruncated }),
  };
}

// ---------------------------------------------------------------------------
// GetUser (the detail page: permissions, groups, tags, security credentials)

export interface UserDetail {
  user: UserView;
  tags: Tag[];
  groups: GroupView[];
  permissions: {
    attached: AttachedPolicy[];
    fromGroups: { groupName: string; attached: AttachedPolicy[]; inlinePolicyNames: string[] }[];
    inlinePolicyNames: string[];
    boundary: { policyArn: string; policyName: string } | null;
  };
  credentials: {
    loginProfile: { createDate: Date; passwordLastChanged: Date; passwordLastUsed: Date | null; passwordResetRequired: boolean } | null;
    accessKeys: {
      accessKeyId: string;
      status: string;
      createDate: Date;
      lastUsedDate: Date | null;
      lastUsedService: string | null;
      lastUsedRegion: string | null;
    }[];
    mfaDevices: { serialNumber: string; enableDate: Date | null }[];
  };
}

export function getUser(principal: Principal, input: UserNameInput): OperationSpec<UserDetail> {
  return {
    service: "iam",
    name: "GetUser",
    readOnly: true,
    resource: userResource(principal, input.userName),
    parameters: input,
    async run({ tx }) {
      const user = await requireUser(tx, principal.accountId, input.userName);
      const [tags, memberships, attached, inline, boundary, profile, keys, mfa] = await Promise.all([
        listTags(tx, user.arn),
        tx.groupMembership.findMany({ where: { userId: user.id }, select: { group: true } }),
        attachedPolicies(tx, { kind: "user", id: user.id }),
        tx.inlinePolicy.findMany({ where: { userId: user.id }, select: { name: true }, orderBy: { name: "asc" } }),
        user.permissionsBoundaryPolicyId
          ? tx.managedPolicy.findUnique({ where: { id: user.permissionsBoundaryPolicyId }, select: { arn: true, name: true } })
          : Promise.resolve(null),
        tx.loginProfile.findUnique({ where: { userId: user.id } }),
        tx.accessKey.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" } }),
        tx.mfaDevice.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" }, select: { serialNumber: true, enabledAt: true } }),
      ]);
      const groups = memberships.map((m) => m.group).sort((a, b) => a.nameLower.localeCompare(b.nameLower));
      const groupIds = groups.map((g) => g.id);
      const [groupAttachments, groupInline] = await Promise.all([
        tx.policyAttachment.findMany({
          where: { groupId: { in: groupIds } },
          select: { groupId: true, policy: { select: { name: true, arn: true, accountId: true } } },
        }),
        tx.inlinePolicy.findMany({ where: { groupId: { in: groupIds } }, select: { groupId: true, name: true }, orderBy: { name: "asc" } }),
      ]);
      return {
        user: view(user, {
          ...(profile?.passwordLastUsed ? { passwordLastUsed: profile.passwordLastUsed } : {}),
          ...(boundary ? { permissionsBoundary: { permissionsBoundaryType: "Policy" as const, permissionsBoundaryArn: boundary.arn } } : {}),
        }),
        tags,
        groups: groups.map((g) => ({ groupName: g.name, groupId: g.id, path: g.path, arn: g.arn, createDate: g.createdAt })),
        permissions: {
          attached,
          fromGroups: groups.map((g) => ({
            groupName: g.name,
            attached: groupAttachments
              .filter((a) => a.groupId === g.id)
              .map((a) => ({ policyName: a.policy.name, policyArn: a.policy.arn, awsManaged: a.policy.accountId === null }))
              .sort((a, b) => a.policyName.toLowerCase().localeCompare(b.policyName.toLowerCase())),
            inlinePolicyNames: groupInline.filter((p) => p.groupId === g.id).map((p) => p.name),
          })),
          inlinePolicyNames: inline.map((p) => p.name),
          boundary: boundary ? { policyArn: boundary.arn, policyName: boundary.name } : null,
        },
        credentials: {
          loginProfile: profile
            ? {
                createDate: profile.createdAt,
                passwordLastChanged: profile.passwordLastChanged,
                passwordLastUsed: profile.passwordLastUsed,
                passwordResetRequired: profile.passwordResetRequired,
              }
            : null,
          accessKeys: keys.map((k) => ({
            accessKeyId: k.id,
            status: k.status,
            createDate: k.createdAt,
            lastUsedDate: k.lastUsedAt,
            lastUsedService: k.lastUsedService,
            lastUsedRegion: k.lastUsedRegion,
          })),
          mfaDevices: mfa.map((d) => ({ serialNumber: d.serialNumber, enableDate: d.enabledAt })),
        },
      };
    },
    response: (d) => ({ user: d.user }),
  };
}

/** The root user as GetUser shows it to root credentials: no name or path, the account ID as its ID. */
export interface RootUserView {
  userId: string;
  arn: string;
  createDate: Date;
  passwordLastUsed?: Date;
}

/**
 * GetUser as AWS takes it: without UserName it answers the caller, an IAM user
 * or (for root credentials) the root user; a role session must name a user.
 */
export function getUserOrCaller(principal: Principal, input: OptionalUserInput): OperationSpec<UserDetail | { user: RootUserView }> {
  const target = selfOrNamed(principal, input.userName);
  if (target.kind === "user") return getUser(principal, { userName: target.userName });
  return {
    service: "iam",
    name: "GetUser",
    readOnly: true,
    resource: selfResource(principal, target),
    parameters: input,
    async run({ tx }) {
      const account = await tx.account.findUniqueOrThrow({ where: { id: principal.accountId }, select: { createdAt: true, rootPasswordLastUsed: true } });
      return {
        user: {
          userId: principal.accountId,
          arn: principal.arn,
          createDate: account.createdAt,
          ...(account.rootPasswordLastUsed ? { passwordLastUsed: account.rootPasswordLastUsed } : {}),
        },
      };
    },
    response: (d) => ({ user: d.user }),
  };
}

// ---------------------------------------------------------------------------
// CreateUser

async function insertUser(tx: Tx, principal: Principal, input: CreateUserInput, authorize: (a: string, arn: string) => Promise<void>) {
  const arn = userArn(principal.accountId, input.path, input.userName);
  if (input.tags.length) await authorize("iam:TagUser", arn);
  if (await findUser(tx, principal.accountId, input.userName)) throw userExists(input.userName);
  const boundary = input.permissionsBoundary ? await requireBoundaryPolicy(tx, principal.accountId, input.permissionsBoundary) : null;
  const user = await uniquely(
    tx.iamUser.create({
      data: {
        id: newUniqueId("AIDA"),
        accountId: principal.accountId,
        name: input.userName,
        nameLower: input.userName.toLowerCase(),
        path: input.path,
        arn,
        permissionsBoundaryPolicyId: boundary?.id ?? null,
      },
    }),
    () => userExists(input.userName),
  );
  await applyTags(tx, principal.accountId, arn, input.tags, "TagsPerUser");
  return view(user, {
    ...(boundary ? { permissionsBoundary: { permissionsBoundaryType: "Policy" as const, permissionsBoundaryArn: boundary.arn } } : {}),
    ...(input.tags.length ? { tags: input.tags } : {}),
  });
}

export function createUser(principal: Principal, input: CreateUserInput): OperationSpec<UserView> {
  return {
    service: "iam",
    name: "CreateUser",
    readOnly: false,
    resource: { arn: userArn(principal.accountId, input.path, input.userName) },
    context: { ...(input.permissionsBoundary ? { "iam:PermissionsBoundary": input.permissionsBoundary } : {}), ...requestTagContext(input.tags) },
    parameters: input,
    run: ({ tx, authorize }) => insertUser(tx, principal, input, (a, arn) => authorize(a, { arn }, requestTagContext(input.tags))),
    response: (user) => ({ user }),
  };
}

// ---------------------------------------------------------------------------
// UpdateUser

export function updateUser(principal: Principal, input: UpdateUserInput): OperationSpec<UserView> {
  return {
    service: "iam",
    name: "UpdateUser",
    readOnly: false,
    resource: userResource(principal, input.userName),
    parameters: input,
    async run({ tx, authorize }) {
      const user = await requireUser(tx, principal.accountId, input.userName);
      const name = input.newUserName ?? user.name;
      const path = input.newPath ?? user.path;
      const arn = userArn(principal.accountId, path, name);
      // AWS checks the new identity too: renaming needs permission on both.
      if (arn !== user.arn) await authorize("iam:UpdateUser", { arn });
      if (name.toLowerCase() !== user.nameLower && (await findUser(tx, principal.accountId, name))) throw userExists(name);
      const updated = await uniquely(
        tx.iamUser.update({ where: { id: user.id }, data: { name, nameLower: name.toLowerCase(), path, arn } }),
        () => userExists(name),
      );
      await moveTags(tx, user.arn, arn);
      return view(updated);
    },
  };
}

// ---------------------------------------------------------------------------
// DeleteUser

/** What still hangs on a user, in the order AWS reports it (API DeleteUser refuses while any is left). */
async function deleteConflictOf(tx: Tx, userId: string): Promise<string | null> {
  const [profile, keys, mfa, inline, attached, groups] = await Promise.all([
    tx.loginProfile.count({ where: { userId } }),
    tx.accessKey.count({ where: { userId } }),
    tx.mfaDevice.count({ where: { userId } }),
    tx.inlinePolicy.count({ where: { userId } }),
    tx.policyAttachment.count({ where: { userId } }),
    tx.groupMembership.count({ where: { userId } }),
  ]);
  if (profile) return "Cannot delete entity, must delete login profile first.";
  if (keys) return "Cannot delete entity, must delete access keys first.";
  if (mfa) return "Cannot delete entity, must delete MFA device first.";
  if (inline) return "Cannot delete entity, must delete policies first.";
  if (attached) return "Cannot delete entity, must detach all policies first.";
  if (groups) return "Cannot delete entity, must remove users from group first.";
  return null;
}

export function deleteUser(principal: Principal, input: UserNameInput): OperationSpec<void> {
  return {
    service: "iam",
    name: "DeleteUser",
    readOnly: false,
    resource: userResource(principal, input.userName),
    parameters: input,
    async run({ tx }) {
      const user = await requireUser(tx, principal.accountId, input.userName);
      const conflict = await deleteConflictOf(tx, user.id);
      if (conflict) throw deleteConflict(conflict);
      await tx.tag.deleteMany({ where: { resourceArn: user.arn } });
      await tx.iamUser.delete({ where: { id: user.id } });
    },
  };
}

