import "server-only";
// Shared pieces of the IAM services: look-ups scoped to the caller's account
// with AWS's NoSuchEntity messages, the resource ARNs the gate checks, row
// locks for invariants under concurrency, unique-violation mapping, tags.
import type { Tx } from "@/lib/db/client";
import type { ResourceRef } from "@/lib/iam/authorize";
import { groupArn, policyArn as customerPolicyArn, roleArn, rootArn, userArn } from "@/lib/iam/arn";
import { IamError, noSuchEntity } from "@/lib/iam/errors";
import type { Principal } from "@/lib/iam/principal";
import { DUPLICATE_TAG_KEYS, RESERVED_TAG_PREFIX, type Tag } from "@/lib/iam/validation";

// ---------------------------------------------------------------------------
// Errors with AWS's wording

export const noSuchUser = (name: string) => noSuchEntity(`The user with name ${name} cannot be found.`);
export const noSuchGroup = (name: string) => noSuchEntity(`The group with name ${name} cannot be found.`);
export const noSuchRole = (name: string) => noSuchEntity(`The role with name ${name} cannot be found.`);
export const policyNotFound = (arn: string) => noSuchEntity(`Policy ${arn} was not found.`);
export const policyNotAttachable = (arn: string) => noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
export const invalidArn = () => new IamError("ValidationError", "Invalid ARN:  Could not be parsed!");
export const limitExceeded = (quota: string, limit: number) => new IamError("LimitExceeded", `Cannot exceed quota for ${quota}: ${limit}`);
export const deleteConflict = (message: string) => new IamError("DeleteConflict", message);

/** Prisma's unique-constraint violation (P2002), from either database. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === "P2002";
}

/** Runs a write; a unique violation becomes the given AWS error. */
export async function uniquely<T>(write: Promise<T>, error: () => IamError): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if (isUniqueViolation(err)) throw error();
    throw err;
  }
}

// ---------------------------------------------------------------------------
// Who "self" is when a user name is optional (AWS: the caller's own user)

export type SelfTarget = { kind: "root" } | { kind: "user"; userName: string };

export function selfOrNamed(principal: Principal, userName: string | undefined): SelfTarget {
  if (userName !== undefined) return { kind: "user", userName };
  if (principal.type === "IAMUser") return { kind: "user", userName: principal.userName };
  if (principal.type === "Root") return { kind: "root" };
  throw new IamError("ValidationError", "Must specify userName when calling with non-User credentials");
}

/**
 * The owner a self-or-named call acts on: a user, or the account's root user
 * (userId null). With `lock`, the owner's row is locked against concurrent
 * changes (quotas: two keys, eight devices).
 */
export async function resolveOwner(tx: Tx, principal: Principal, target: SelfTarget, lock = false): Promise<{ userId: string | null; userName?: string }> {
  if (target.kind === "root") {
    if (lock) {
      const account = await tx.account.findUniqueOrThrow({ where: { id: principal.accountId }, select: { name: true } });
      await tx.account.update({ where: { id: principal.accountId }, data: { name: account.name } });
    }
    return { userId: null };
  }
  const user = await requireUser(tx, principal.accountId, target.userName);
  if (lock) await lockUser(tx, user.id);
  return { userId: user.id, userName: user.name };
}

// ---------------------------------------------------------------------------
// Look-ups, always inside the caller's account

export async function findUser(tx: Tx, accountId: string, name: string) {
  return tx.iamUser.findUnique({ where: { accountId_nameLower: { accountId, nameLower: name.toLowerCase() } } });
}
export async function requireUser(tx: Tx, accountId: string, name: string) {
  const user = await findUser(tx, accountId, name);
  if (!user) throw noSuchUser(name);
  return user;
}
export async function findGroup(tx: Tx, accountId: string, name: string) {
  return tx.iamGroup.findUnique({ where: { accountId_nameLower: { accountId, nameLower: name.toLowerCase() } } });
}
export async function requireGroup(tx: Tx, accountId: string, name: string) {
  const group = await findGroup(tx, accountId, name);
  if (!group) throw noSuchGroup(name);
  return group;
}
export async function findRole(tx: Tx, accountId: string, name: string) {
  return tx.role.findUnique({ where: { accountId_nameLower: { accountId, nameLower: name.toLowerCase() } } });
}
export async function requireRole(tx: Tx, accountId: string, name: string) {
  const role = await findRole(tx, accountId, name);
  if (!role) throw noSuchRole(name);
  return role;
}

const POLICY_ARN = /^arn:aws:iam::(\d{12}|aws):policy(\/[\u0021-\u007E]*)?$/;

/** Checks a managed policy ARN's shape (AWS's "Invalid ARN:  Could not be parsed!"). */
export function assertPolicyArn(arn: string): void {
  if (!POLICY_ARN.test(arn) || arn.endsWith("/")) throw invalidArn();
}

/** A managed policy the account can see: AWS-managed, or its own. Null otherwise. */
export async function findPolicy(tx: Tx, accountId: string, arn: string) {
  assertPolicyArn(arn);
  const policy = await tx.managedPolicy.findUnique({ where: { arn } });
  if (!policy || (policy.accountId !== null && policy.accountId !== accountId)) return null;
  return policy;
}
export async function requirePolicy(tx: Tx, accountId: string, arn: string) {
  const policy = await findPolicy(tx, accountId, arn);
  if (!policy) throw policyNotFound(arn);
  return policy;
}
/** The account's own (customer-managed) policy; AWS-managed ones cannot be changed. */
export async function requireOwnPolicy(tx: Tx, principal: Principal, arn: string, action: string) {
  const policy = await requirePolicy(tx, principal.accountId, arn);
  if (policy.accountId === null) {
    throw new IamError("AccessDenied", `User: ${principal.arn} is not authorized to perform: ${action} on resource: policy ${arn}`);
  }
  return policy;
}

// ---------------------------------------------------------------------------
// Resource ARNs for the gate. When the entity does not exist the ARN is built
// from the name (default path), the gate decides first, then run() reports
// NoSuchEntity: a caller without permission learns nothing about existence.

export const userResource = (principal: Principal, name: string) => async (tx: Tx): Promise<ResourceRef> => {
  const user = await findUser(tx, principal.accountId, name);
  return { arn: user?.arn ?? userArn(principal.accountId, "/", name) };
};
export const selfResource = (principal: Principal, target: SelfTarget) =>
  target.kind === "root" ? async (): Promise<ResourceRef> => ({ arn: rootArn(principal.accountId) }) : userResource(principal, target.userName);
export const groupResource = (principal: Principal, name: string) => async (tx: Tx): Promise<ResourceRef> => {
  const group = await findGroup(tx, principal.accountId, name);
  return { arn: group?.arn ?? groupArn(principal.accountId, "/", name) };
};
export const roleResource = (principal: Principal, name: string) => async (tx: Tx): Promise<ResourceRef> => {
  const role = await findRole(tx, principal.accountId, name);
  return { arn: role?.arn ?? roleArn(principal.accountId, "/", name) };
};
export const policyResource = (arn: string): ResourceRef => ({ arn });
export { customerPolicyArn };

// ---------------------------------------------------------------------------
// Row locks: touch the parent row first so concurrent writers queue behind it
// (PostgreSQL READ COMMITTED takes the row lock; SQLite serialises writers).

export const lockUser = (tx: Tx, id: string) => tx.iamUser.update({ where: { id }, data: { updatedAt: new Date() } });
export const lockGroup = (tx: Tx, group: { id: string; path: string }) =>
  tx.iamGroup.update({ where: { id: group.id }, data: { path: group.path } });
export const lockRole = (tx: Tx, role: { id: string; maxSessionDuration: number }) =>
  tx.role.update({ where: { id: role.id }, data: { maxSessionDuration: role.maxSessionDuration } });
export const lockPolicy = (tx: Tx, id: string) => tx.managedPolicy.update({ where: { id }, data: { updatedAt: new Date() } });

// ---------------------------------------------------------------------------
// Tags (users, roles, policies, MFA devices): keys unique ignoring case, 50 at most.

export async function listTags(tx: Tx, resourceArn: string): Promise<Tag[]> {
  const rows = await tx.tag.findMany({ where: { resourceArn }, orderBy: { keyLower: "asc" }, select: { key: true, value: true } });
  return rows.map((t) => ({ key: t.key, value: t.value }));
}

/** Adds or overwrites tags. The caller has locked the tagged entity's row. */
export async function applyTags(tx: Tx, accountId: string, resourceArn: string, tags: Tag[], quota: string): Promise<void> {
  if (tags.length === 0) return;
  const seen = new Set<string>();
  for (const t of tags) {
    const lower = t.key.toLowerCase();
    if (lower.startsWith("aws:")) throw new IamError("InvalidInput", RESERVED_TAG_PREFIX);
    if (seen.has(lower)) throw new IamError("InvalidInput", DUPLICATE_TAG_KEYS);
    seen.add(lower);
  }
  const existing = await tx.tag.findMany({ where: { resourceArn }, select: { keyLower: true } });
  const after = new Set([...existing.map((t) => t.keyLower), ...seen]);
  if (after.size > 50) throw limitExceeded(quota, 50);
  for (const t of tags) {
    const keyLower = t.key.toLowerCase();
    await tx.tag.upsert({
      where: { resourceArn_keyLower: { resourceArn, keyLower } },
      create: { accountId, resourceArn, key: t.key, keyLower, value: t.value },
      update: { key: t.key, value: t.value },
    });
  }
}

export async function removeTags(tx: Tx, resourceArn: string, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await tx.tag.deleteMany({ where: { resourceArn, keyLower: { in: keys.map((k) => k.toLowerCase()) } } });
}

/** An entity was renamed or moved: its tags follow its new ARN. */
export async function moveTags(tx: Tx, fromArn: string, toArn: string): Promise<void> {
  if (fromArn !== toArn) await tx.tag.updateMany({ where: { resourceArn: fromArn }, data: { resourceArn: toArn } });
}

// ---------------------------------------------------------------------------
// Paging cursors: opaque base64url JSON of the last row's sort key.

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}
export function decodeCursor<T>(cursor: string | undefined, check: (v: unknown) => v is T): T | undefined {
  if (!cursor) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (check(value)) return value;
  } catch {
    // fall through
  }
  throw new IamError("InvalidInput", "The marker (cursor) is not valid. Start again from the first page.");
}

export const daysSince = (d: Date | null | undefined, now = Date.now()) =>
  d ? Math.floor((now - d.getTime()) / 86_400_000) : null;
