import "server-only";
// GetAccountAuthorizationDetails: a snapshot of an account's users, groups,
// roles and managed policies with their relationships, in AWS's output shape
// (UserDetailList, GroupDetailList, RoleDetailList, Policies; member names as
// AWS spells them). Documents are the JSON text as written: the Query door
// URL-encodes them on the wire as AWS does, and importers (lab sandboxes) read
// this same object through loadAuthorizationDetails.
//
// Paging runs over one sequence: users, then groups, then roles, then policies,
// each by name (then ID); MaxItems counts entities of every kind together and
// the Marker names the last one returned. AWS-managed policies appear only when
// the account uses them (attached, or as a permissions boundary), as in AWS.
import { z } from "zod";
import { inChunks } from "@/lib/db/chunked";
import type { Prisma, Tx } from "@/lib/db/client";
import type { OperationSpec } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";
import { validationMessage } from "@/lib/iam/validation";
import { decodeCursor, encodeCursor } from "./common";
import type { Policy } from "./policies";

export const ENTITY_FILTERS = ["User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy"] as const;
export type EntityFilter = (typeof ENTITY_FILTERS)[number];

export const entityFilterSchema = z.string().superRefine((value, ctx) => {
  if (!(ENTITY_FILTERS as readonly string[]).includes(value)) {
    ctx.addIssue({ code: "custom", message: validationMessage("filter", `[${value}]`, `Member must satisfy constraint: [Member must satisfy enum value set: [${ENTITY_FILTERS.join(", ")}]]`) });
  }
});

export interface AuthorizationDetailsInput {
  filter?: string[];
  maxItems?: number;
  marker?: string;
}

export interface DetailTag {
  Key: string;
  Value: string;
}
export interface InlinePolicyDetail {
  PolicyName: string;
  /** The document as written (JSON text). */
  PolicyDocument: string;
}
export interface AttachedPolicyDetail {
  PolicyName: string;
  PolicyArn: string;
}
export interface BoundaryDetail {
  PermissionsBoundaryType: "Policy";
  PermissionsBoundaryArn: string;
}
export interface UserDetail {
  Path: string;
  UserName: string;
  UserId: string;
  Arn: string;
  CreateDate: Date;
  UserPolicyList: InlinePolicyDetail[];
  GroupList: string[];
  AttachedManagedPolicies: AttachedPolicyDetail[];
  PermissionsBoundary?: BoundaryDetail;
  Tags: DetailTag[];
}
export interface GroupDetail {
  Path: string;
  GroupName: string;
  GroupId: string;
  Arn: string;
  CreateDate: Date;
  GroupPolicyList: InlinePolicyDetail[];
  AttachedManagedPolicies: AttachedPolicyDetail[];
}
export interface ProfileRole {
  Path: string;
  RoleName: string;
  RoleId: string;
  Arn: string;
  CreateDate: Date;
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration: number;
}
export interface InstanceProfileDetail {
  Path: string;
  InstanceProfileName: string;
  InstanceProfileId: string;
  Arn: string;
  CreateDate: Date;
  Roles: ProfileRole[];
  Tags: DetailTag[];
}
export interface RoleDetail {
  Path: string;
  RoleName: string;
  RoleId: string;
  Arn: string;
  CreateDate: Date;
  AssumeRolePolicyDocument: string;
  InstanceProfileList: InstanceProfileDetail[];
  RolePolicyList: InlinePolicyDetail[];
  AttachedManagedPolicies: AttachedPolicyDetail[];
  PermissionsBoundary?: BoundaryDetail;
  Tags: DetailTag[];
  RoleLastUsed: { LastUsedDate?: Date; Region?: string };
}
export interface PolicyVersionDetail {
  Document: string;
  VersionId: string;
  IsDefaultVersion: boolean;
  CreateDate: Date;
}
export interface ManagedPolicyDetail extends Policy {
  /** Every version, newest first. */
  PolicyVersionList: PolicyVersionDetail[];
}
export interface AuthorizationDetails {
  UserDetailList: UserDetail[];
  GroupDetailList: GroupDetail[];
  RoleDetailList: RoleDetail[];
  Policies: ManagedPolicyDetail[];
  IsTruncated: boolean;
  Marker?: string;
}

const KINDS = ["user", "group", "role", "policy"] as const;
type Kind = (typeof KINDS)[number];
interface Position {
  k: number;
  n: string;
  id: string;
}
const isPosition = (v: unknown): v is Position =>
  typeof v === "object" && v !== null && typeof (v as Position).k === "number" && Number.isInteger((v as Position).k) && (v as Position).k >= 0 && (v as Position).k < KINDS.length && typeof (v as Position).n === "string" && typeof (v as Position).id === "string";

/** After (nameLower, id) of the marker, when the marker is in this kind. */
const after = (pos: Position | undefined, k: number) =>
  pos && pos.k === k ? { OR: [{ nameLower: { gt: pos.n } }, { nameLower: pos.n, id: { gt: pos.id } }] } : {};

// A page holds up to 1,000 entities (AWS's MaxItems): their ID lists are read in
// slices (inChunks), as one IN list of 1,000 exceeds SQLite's bound-parameter limit.
const tagsByArn = async (tx: Tx, arns: string[]): Promise<Map<string, DetailTag[]>> => {
  const out = new Map<string, DetailTag[]>();
  if (arns.length === 0) return out;
  const rows = await inChunks(arns, (slice) =>
    tx.tag.findMany({ where: { resourceArn: { in: slice } }, orderBy: { keyLower: "asc" }, select: { resourceArn: true, key: true, value: true } }),
  );
  for (const r of rows) out.set(r.resourceArn, [...(out.get(r.resourceArn) ?? []), { Key: r.key, Value: r.value }]);
  return out;
};

const byName = <T extends { name: string }>(list: T[]) => [...list].sort((a, b) => a.name.localeCompare(b.name));
const inline = (list: { name: string; document: string }[]): InlinePolicyDetail[] => byName(list).map((p) => ({ PolicyName: p.name, PolicyDocument: p.document }));
const attached = (list: { policy: { name: string; arn: string } }[]): AttachedPolicyDetail[] =>
  [...list].sort((a, b) => a.policy.name.localeCompare(b.policy.name)).map((a) => ({ PolicyName: a.policy.name, PolicyArn: a.policy.arn }));
const boundary = (p: { arn: string } | null): { PermissionsBoundary?: BoundaryDetail } =>
  p ? { PermissionsBoundary: { PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: p.arn } } : {};
const policyRef = { select: { policy: { select: { name: true, arn: true } } } } as const;

async function users(tx: Tx, accountId: string, where: Prisma.IamUserWhereInput, take: number): Promise<{ rows: UserDetail[]; last: { nameLower: string; id: string }[] }> {
  const rows = await tx.iamUser.findMany({
    where: { accountId, ...where },
    orderBy: [{ nameLower: "asc" }, { id: "asc" }],
    take,
    include: {
      memberships: { select: { group: { select: { name: true } } } },
      attachments: policyRef,
      inlinePolicies: { select: { name: true, document: true } },
      permissionsBoundary: { select: { arn: true } },
    },
  });
  const tags = await tagsByArn(tx, rows.map((u) => u.arn));
  return {
    last: rows,
    rows: rows.map((u) => ({
      Path: u.path,
      UserName: u.name,
      UserId: u.id,
      Arn: u.arn,
      CreateDate: u.createdAt,
      UserPolicyList: inline(u.inlinePolicies),
      GroupList: u.memberships.map((m) => m.group.name).sort((a, b) => a.localeCompare(b)),
      AttachedManagedPolicies: attached(u.attachments),
      ...boundary(u.permissionsBoundary),
      Tags: tags.get(u.arn) ?? [],
    })),
  };
}

async function groups(tx: Tx, accountId: string, where: Prisma.IamGroupWhereInput, take: number) {
  const rows = await tx.iamGroup.findMany({
    where: { accountId, ...where },
    orderBy: [{ nameLower: "asc" }, { id: "asc" }],
    take,
    include: { attachments: policyRef, inlinePolicies: { select: { name: true, document: true } } },
  });
  return {
    last: rows,
    rows: rows.map(
      (g): GroupDetail => ({
        Path: g.path,
        GroupName: g.name,
        GroupId: g.id,
        Arn: g.arn,
        CreateDate: g.createdAt,
        GroupPolicyList: inline(g.inlinePolicies),
        AttachedManagedPolicies: attached(g.attachments),
      }),
    ),
  };
}

type RoleRow = { path: string; name: string; id: string; arn: string; createdAt: Date; trustPolicy: string; description: string; maxSessionDuration: number };
const profileRole = (r: RoleRow): ProfileRole => ({
  Path: r.path,
  RoleName: r.name,
  RoleId: r.id,
  Arn: r.arn,
  CreateDate: r.createdAt,
  AssumeRolePolicyDocument: r.trustPolicy,
  ...(r.description ? { Description: r.description } : {}),
  MaxSessionDuration: r.maxSessionDuration,
});

async function roles(tx: Tx, accountId: string, where: Prisma.RoleWhereInput, take: number) {
  const rows = await tx.role.findMany({
    where: { accountId, ...where },
    orderBy: [{ nameLower: "asc" }, { id: "asc" }],
    take,
    include: {
      attachments: policyRef,
      inlinePolicies: { select: { name: true, document: true } },
      permissionsBoundary: { select: { arn: true } },
      instanceProfiles: { include: { instanceProfile: { include: { roles: { include: { role: true } } } } } },
    },
  });
  const profiles = rows.flatMap((r) => r.instanceProfiles.map((p) => p.instanceProfile));
  const tags = await tagsByArn(tx, [...rows.map((r) => r.arn), ...profiles.map((p) => p.arn)]);
  return {
    last: rows,
    rows: rows.map(
      (r): RoleDetail => ({
        Path: r.path,
        RoleName: r.name,
        RoleId: r.id,
        Arn: r.arn,
        CreateDate: r.createdAt,
        AssumeRolePolicyDocument: r.trustPolicy,
        InstanceProfileList: byName(r.instanceProfiles.map((p) => p.instanceProfile)).map((p) => ({
          Path: p.path,
          InstanceProfileName: p.name,
          InstanceProfileId: p.id,
          Arn: p.arn,
          CreateDate: p.createdAt,
          Roles: p.roles.map((m) => profileRole(m.role)),
          Tags: tags.get(p.arn) ?? [],
        })),
        RolePolicyList: inline(r.inlinePolicies),
        AttachedManagedPolicies: attached(r.attachments),
        ...boundary(r.permissionsBoundary),
        Tags: tags.get(r.arn) ?? [],
        RoleLastUsed: { ...(r.lastUsedAt ? { LastUsedDate: r.lastUsedAt } : {}), ...(r.lastUsedRegion ? { Region: r.lastUsedRegion } : {}) },
      }),
    ),
  };
}

async function policies(tx: Tx, accountId: string, kinds: Set<EntityFilter>, where: Prisma.ManagedPolicyWhereInput, take: number) {
  const inUse: Prisma.ManagedPolicyWhereInput = {
    OR: [{ attachments: { some: { accountId } } }, { userBoundaries: { some: { accountId } } }, { roleBoundaries: { some: { accountId } } }],
  };
  const scopes: Prisma.ManagedPolicyWhereInput[] = [];
  if (kinds.has("LocalManagedPolicy")) scopes.push({ accountId });
  if (kinds.has("AWSManagedPolicy")) scopes.push({ AND: [{ accountId: null }, inUse] });
  const rows = await tx.managedPolicy.findMany({
    where: { AND: [{ OR: scopes }, where] },
    orderBy: [{ nameLower: "asc" }, { id: "asc" }],
    take,
    include: { versions: { select: { versionId: true, document: true, isDefault: true, createdAt: true } } },
  });
  const ids = rows.map((p) => p.id);
  const [attachments, userBoundaries, roleBoundaries] = await Promise.all([
    inChunks(ids, (slice) => tx.policyAttachment.groupBy({ by: ["policyId"], where: { accountId, policyId: { in: slice } }, _count: { _all: true } })),
    inChunks(ids, (slice) => tx.iamUser.groupBy({ by: ["permissionsBoundaryPolicyId"], where: { accountId, permissionsBoundaryPolicyId: { in: slice } }, _count: { _all: true } })),
    inChunks(ids, (slice) => tx.role.groupBy({ by: ["permissionsBoundaryPolicyId"], where: { accountId, permissionsBoundaryPolicyId: { in: slice } }, _count: { _all: true } })),
  ]);
  const count = (list: { _count: { _all: number } }[], has: (x: never) => boolean) => list.find((x) => has(x as never))?._count._all ?? 0;
  const versionNumber = (v: string) => Number.parseInt(v.slice(1), 10);
  return {
    last: rows,
    rows: rows.map(
      (p): ManagedPolicyDetail => ({
        PolicyName: p.name,
        PolicyId: p.id,
        Arn: p.arn,
        Path: p.path,
        DefaultVersionId: p.defaultVersionId,
        AttachmentCount: count(attachments, (a: { policyId: string }) => a.policyId === p.id),
        PermissionsBoundaryUsageCount:
          count(userBoundaries, (b: { permissionsBoundaryPolicyId: string | null }) => b.permissionsBoundaryPolicyId === p.id) +
          count(roleBoundaries, (b: { permissionsBoundaryPolicyId: string | null }) => b.permissionsBoundaryPolicyId === p.id),
        IsAttachable: p.isAttachable,
        ...(p.description ? { Description: p.description } : {}),
        CreateDate: p.createdAt,
        UpdateDate: p.updatedAt,
        PolicyVersionList: [...p.versions]
          .sort((a, b) => versionNumber(b.versionId) - versionNumber(a.versionId))
          .map((v) => ({ Document: v.document, VersionId: v.versionId, IsDefaultVersion: v.isDefault, CreateDate: v.createdAt })),
      }),
    ),
  };
}

/**
 * One page of the account's authorization details (the whole account when
 * maxItems is large enough). `filter` empty: every kind. The caller has
 * checked the filter's values (entityFilterSchema).
 */
export async function loadAuthorizationDetails(tx: Tx, accountId: string, input: AuthorizationDetailsInput): Promise<AuthorizationDetails> {
  const wanted = new Set<EntityFilter>((input.filter?.length ? input.filter : ENTITY_FILTERS) as EntityFilter[]);
  const included: Record<Kind, boolean> = {
    user: wanted.has("User"),
    group: wanted.has("Group"),
    role: wanted.has("Role"),
    policy: wanted.has("LocalManagedPolicy") || wanted.has("AWSManagedPolicy"),
  };
  const pos = decodeCursor(input.marker, isPosition);
  let room = input.maxItems ?? 100;
  const out: AuthorizationDetails = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [], IsTruncated: false };
  let last: Position | undefined;
  const load = (kind: Kind, where: ReturnType<typeof after>, take: number) =>
    kind === "user"
      ? users(tx, accountId, where, take)
      : kind === "group"
        ? groups(tx, accountId, where, take)
        : kind === "role"
          ? roles(tx, accountId, where, take)
          : policies(tx, accountId, wanted, where, take);
  for (let k = pos?.k ?? 0; k < KINDS.length; k++) {
    const kind = KINDS[k]!;
    if (!included[kind]) continue;
    if (room === 0) {
      // The page is full: it is truncated if anything of this or a later kind remains.
      if ((await load(kind, after(pos, k), 1)).rows.length > 0) out.IsTruncated = true;
      if (out.IsTruncated) break;
      continue;
    }
    const page = await load(kind, after(pos, k), room + 1);
    const rows = page.rows.slice(0, room);
    if (kind === "user") out.UserDetailList = rows as UserDetail[];
    else if (kind === "group") out.GroupDetailList = rows as GroupDetail[];
    else if (kind === "role") out.RoleDetailList = rows as RoleDetail[];
    else out.Policies = rows as ManagedPolicyDetail[];
    const end = page.last[rows.length - 1];
    if (end) last = { k, n: end.nameLower, id: end.id };
    room -= rows.length;
    if (page.rows.length > rows.length) {
      out.IsTruncated = true;
      break;
    }
  }
  if (out.IsTruncated && last) out.Marker = encodeCursor(last);
  return out;
}

export function getAccountAuthorizationDetails(principal: Principal, input: AuthorizationDetailsInput): OperationSpec<AuthorizationDetails> {
  return {
    service: "iam",
    name: "GetAccountAuthorizationDetails",
    readOnly: true,
    resource: { arn: "*" },
    parameters: input,
    run: ({ tx }) => loadAuthorizationDetails(tx, principal.accountId, input),
    // The snapshot itself is not copied into the audit log: only what it held.
    response: (d) => ({ users: d.UserDetailList.length, groups: d.GroupDetailList.length, roles: d.RoleDetailList.length, policies: d.Policies.length, isTruncated: d.IsTruncated }),
  };
}
