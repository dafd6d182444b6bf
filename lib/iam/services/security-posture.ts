import "server-only";
// The IAM dashboard's security findings: what a person watching an account
// should fix (root without MFA, root access keys, console users without MFA,
// old or unused credentials, users with two active keys, policies granting
// *:*, roles anyone may assume, access keys that look shared). Every count is
// one SQL aggregate (COUNT, GROUP BY ... HAVING) or a scan of prefiltered
// candidates in pages, so the cost follows the findings, not the account size;
// nothing loads every user, key or event.
import type { Tx } from "@/lib/db/client";
import type { OperationSpec } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";

const DAY_MS = 24 * 60 * 60 * 1000;
/** AWS's and CIS's rotation and disuse threshold. */
export const STALE_DAYS = 90;
/** A long-term key used from at least this many source addresses, or user agents, within 24 hours looks shared. */
export const SHARED_KEY_ADDRESSES = 3;
export const SHARED_KEY_AGENTS = 3;
const PAGE = 500;

export type FindingId =
  | "root-no-mfa"
  | "root-access-keys"
  | "console-users-without-mfa"
  | "old-active-keys"
  | "unused-credentials"
  | "two-active-keys"
  | "full-admin-policies"
  | "roles-trusting-anyone"
  | "shared-keys";

export const FINDINGS: Record<FindingId, { title: string; fix: string }> = {
  "root-no-mfa": { title: "Root user without MFA", fix: "Assign an MFA device to the root user (My security credentials, signed in as root)." },
  "root-access-keys": { title: "Root user has access keys", fix: "Delete the root user's access keys; use IAM users or roles instead." },
  "console-users-without-mfa": { title: "Users with console access and no MFA", fix: "Assign an MFA device to each user, or remove console access they do not need." },
  "old-active-keys": { title: `Active access keys older than ${STALE_DAYS} days`, fix: "Rotate: create a second key, move the application to it, deactivate and delete the old one." },
  "unused-credentials": { title: `Users with credentials unused for ${STALE_DAYS} days`, fix: "Remove passwords and deactivate access keys nobody uses." },
  "two-active-keys": { title: "Users with two active access keys", fix: "Keep two keys only while rotating: deactivate the one no longer used." },
  "full-admin-policies": { title: "Policies granting *:* (customer managed and inline)", fix: "Grant only the actions and resources needed; keep full access on a few roles." },
  "roles-trusting-anyone": { title: "Roles any principal may assume", fix: "Name the accounts or principals in the trust policy, or add conditions." },
  "shared-keys": {
    title: "Access keys that look shared",
    fix: `A key used from ${SHARED_KEY_ADDRESSES}+ addresses or ${SHARED_KEY_AGENTS}+ user agents within 24 hours: give each person or application its own credentials.`,
  },
};

export interface Finding {
  id: FindingId;
  count: number;
}

// ---------------------------------------------------------------- policy shapes (pure)

type Json = unknown;
const asList = (v: Json): Json[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const statementsOf = (doc: string): Record<string, Json>[] => {
  try {
    const parsed = JSON.parse(doc) as { Statement?: Json };
    return asList(parsed?.Statement).filter((s): s is Record<string, Json> => !!s && typeof s === "object");
  } catch {
    return [];
  }
};

/** An Allow statement with Action "*" on Resource "*". */
export function grantsFullAccess(doc: string): boolean {
  return statementsOf(doc).some((s) => s.Effect === "Allow" && asList(s.Action).includes("*") && asList(s.Resource).includes("*"));
}

/** A trust policy that lets anyone assume the role: Principal "*" or {"AWS": "*"}, with no Condition. */
export function trustsAnyone(doc: string): boolean {
  return statementsOf(doc).some((s) => {
    if (s.Effect !== "Allow" || s.Condition !== undefined) return false;
    const p = s.Principal;
    if (p === "*") return true;
    return !!p && typeof p === "object" && asList((p as Record<string, Json>).AWS).includes("*");
  });
}

// ---------------------------------------------------------------- queries

const cutoff = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS);

/** Users whose password, or one of whose active keys, has not been used for STALE_DAYS (or never, created before then). */
const unusedWhere = (accountId: string, before: Date) => ({
  accountId,
  OR: [
    { loginProfile: { is: { OR: [{ passwordLastUsed: { lt: before } }, { passwordLastUsed: null, createdAt: { lt: before } }] } } },
    { accessKeys: { some: { status: "Active", OR: [{ lastUsedAt: { lt: before } }, { lastUsedAt: null, createdAt: { lt: before } }] } } },
  ],
});

const consoleNoMfaWhere = (accountId: string) => ({
  accountId,
  loginProfile: { isNot: null },
  mfaDevices: { none: { enabledAt: { not: null } } },
});

/** IDs of users with two active keys (GROUP BY ... HAVING: only those users come back). */
async function usersWithTwoActiveKeys(tx: Tx, accountId: string): Promise<string[]> {
  const rows = await tx.accessKey.groupBy({
    by: ["userId"],
    where: { accountId, status: "Active", userId: { not: null } },
    having: { userId: { _count: { gte: 2 } } },
  });
  return rows.map((r) => r.userId!).filter(Boolean);
}

/** Pages through documents that mention "*" (a cheap prefilter in SQL), keeping those `test` accepts. */
async function scanCandidates<T extends { id: string }>(
  fetch: (after: string | undefined, take: number) => Promise<T[]>,
  keep: (row: T) => boolean,
): Promise<T[]> {
  const kept: T[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await fetch(after, PAGE);
    for (const row of page) if (keep(row)) kept.push(row);
    if (page.length < PAGE) return kept;
    after = page[page.length - 1]!.id;
  }
}

const STAR = '"*"';

export interface FullAdminPolicy {
  kind: "managed" | "inline";
  name: string;
  /** Managed: the policy ARN. Inline: the owner (user/group/role) and its name. */
  arn?: string;
  owner?: { type: "user" | "group" | "role"; name: string };
}

async function fullAdminPolicies(tx: Tx, accountId: string): Promise<FullAdminPolicy[]> {
  const managed = await scanCandidates(
    (after, take) =>
      tx.policyVersion.findMany({
        where: { isDefault: true, policy: { accountId }, document: { contains: STAR }, ...(after ? { id: { gt: after } } : {}) },
        orderBy: { id: "asc" },
        take,
        select: { id: true, document: true, policy: { select: { name: true, arn: true } } },
      }),
    (v) => grantsFullAccess(v.document),
  );
  const inline = await scanCandidates(
    (after, take) =>
      tx.inlinePolicy.findMany({
        where: { accountId, document: { contains: STAR }, ...(after ? { id: { gt: after } } : {}) },
        orderBy: { id: "asc" },
        take,
        select: { id: true, name: true, document: true, user: { select: { name: true } }, group: { select: { name: true } }, role: { select: { name: true } } },
      }),
    (p) => grantsFullAccess(p.document),
  );
  return [
    ...managed.map((v) => ({ kind: "managed" as const, name: v.policy.name, arn: v.policy.arn })),
    ...inline.map((p) => ({
      kind: "inline" as const,
      name: p.name,
      owner: p.user ? { type: "user" as const, name: p.user.name } : p.group ? { type: "group" as const, name: p.group.name } : { type: "role" as const, name: p.role?.name ?? "" },
    })),
  ];
}

async function rolesTrustingAnyone(tx: Tx, accountId: string): Promise<{ id: string; name: string }[]> {
  const roles = await scanCandidates(
    (after, take) =>
      tx.role.findMany({
        where: { accountId, trustPolicy: { contains: STAR }, ...(after ? { id: { gt: after } } : {}) },
        orderBy: { id: "asc" },
        take,
        select: { id: true, name: true, trustPolicy: true },
      }),
    (r) => trustsAnyone(r.trustPolicy),
  );
  return roles.map(({ id, name }) => ({ id, name }));
}

export interface SharedKey {
  accessKeyId: string;
  addresses: number;
  agents: number;
}

/**
 * Long-term keys (AKIA) seen in the account's events of the last 24 hours from
 * SHARED_KEY_ADDRESSES+ source addresses or SHARED_KEY_AGENTS+ user agents.
 * Two GROUP BYs over the (account, key, time) index: rows are distinct
 * (key, address) and (key, agent) pairs, never events.
 */
export async function sharedKeys(tx: Tx, accountId: string, now: Date): Promise<SharedKey[]> {
  const where = { recipientAccountId: accountId, eventTime: { gte: cutoff(now, 1) }, identityAccessKeyId: { startsWith: "AKIA" } };
  const [byAddress, byAgent] = await Promise.all([
    tx.auditEvent.groupBy({ by: ["identityAccessKeyId", "sourceIPAddress"], where }),
    tx.auditEvent.groupBy({ by: ["identityAccessKeyId", "userAgent"], where }),
  ]);
  const tally = new Map<string, SharedKey>();
  const entry = (id: string) => tally.get(id) ?? tally.set(id, { accessKeyId: id, addresses: 0, agents: 0 }).get(id)!;
  for (const r of byAddress) if (r.identityAccessKeyId && r.sourceIPAddress) entry(r.identityAccessKeyId).addresses++;
  for (const r of byAgent) if (r.identityAccessKeyId && r.userAgent) entry(r.identityAccessKeyId).agents++;
  return [...tally.values()].filter((k) => k.addresses >= SHARED_KEY_ADDRESSES || k.agents >= SHARED_KEY_AGENTS).sort((a, b) => a.accessKeyId.localeCompare(b.accessKeyId));
}

/** The IAM findings (everything but shared keys, which come from the event history). */
export async function iamFindings(tx: Tx, accountId: string, now: Date): Promise<Finding[]> {
  const old = cutoff(now, STALE_DAYS);
  const [rootMfa, rootKeys, consoleNoMfa, oldKeys, unused, twoKeys, admin, anyone] = await Promise.all([
    tx.mfaDevice.count({ where: { accountId, forRoot: true, enabledAt: { not: null } } }),
    tx.accessKey.count({ where: { accountId, userId: null } }),
    tx.iamUser.count({ where: consoleNoMfaWhere(accountId) }),
    tx.accessKey.count({ where: { accountId, status: "Active", createdAt: { lt: old } } }),
    tx.iamUser.count({ where: unusedWhere(accountId, old) }),
    usersWithTwoActiveKeys(tx, accountId),
    fullAdminPolicies(tx, accountId),
    rolesTrustingAnyone(tx, accountId),
  ]);
  return [
    { id: "root-no-mfa", count: rootMfa > 0 ? 0 : 1 },
    { id: "root-access-keys", count: rootKeys },
    { id: "console-users-without-mfa", count: consoleNoMfa },
    { id: "old-active-keys", count: oldKeys },
    { id: "unused-credentials", count: unused },
    { id: "two-active-keys", count: twoKeys.length },
    { id: "full-admin-policies", count: admin.length },
    { id: "roles-trusting-anyone", count: anyone.length },
  ];
}

// ---------------------------------------------------------------- one finding's entities

export interface FindingEntity {
  label: string;
  href?: string;
  detail?: string;
}

const userHref = (name: string) => `/iam/users/${encodeURIComponent(name)}`;
const userEntities = (rows: { name: string }[], detail?: string): FindingEntity[] => rows.map((u) => ({ label: u.name, href: userHref(u.name), detail }));

/** Up to `limit` entities behind one finding, with links to where each is fixed. */
export async function findingEntities(tx: Tx, accountId: string, id: FindingId, now: Date, limit = 200): Promise<FindingEntity[]> {
  const old = cutoff(now, STALE_DAYS);
  const byName = { orderBy: { nameLower: "asc" as const }, take: limit, select: { name: true } };
  switch (id) {
    case "root-no-mfa":
      return (await tx.mfaDevice.count({ where: { accountId, forRoot: true, enabledAt: { not: null } } })) > 0
        ? []
        : [{ label: "Root user", href: "/iam/security-credentials", detail: "no MFA device" }];
    case "root-access-keys":
      return (await tx.accessKey.findMany({ where: { accountId, userId: null }, orderBy: { createdAt: "asc" }, take: limit })).map((k) => ({
        label: k.id,
        href: "/iam/security-credentials",
        detail: `root user, ${k.status}, created ${k.createdAt.toISOString().slice(0, 10)}`,
      }));
    case "console-users-without-mfa":
      return userEntities(await tx.iamUser.findMany({ where: consoleNoMfaWhere(accountId), ...byName }), "console password, no MFA");
    case "old-active-keys":
      return (
        await tx.accessKey.findMany({ where: { accountId, status: "Active", createdAt: { lt: old } }, orderBy: { createdAt: "asc" }, take: limit, select: { id: true, createdAt: true, user: { select: { name: true } } } })
      ).map((k) => ({
        label: `${k.id} (${k.user?.name ?? "root user"})`,
        href: k.user ? userHref(k.user.name) : "/iam/security-credentials",
        detail: `created ${k.createdAt.toISOString().slice(0, 10)}`,
      }));
    case "unused-credentials":
      return userEntities(await tx.iamUser.findMany({ where: unusedWhere(accountId, old), ...byName }), `a credential unused for ${STALE_DAYS}+ days`);
    case "two-active-keys": {
      const ids = (await usersWithTwoActiveKeys(tx, accountId)).slice(0, limit);
      return userEntities(await tx.iamUser.findMany({ where: { id: { in: ids } }, orderBy: { nameLower: "asc" }, select: { name: true } }), "two active keys");
    }
    case "full-admin-policies":
      return (await fullAdminPolicies(tx, accountId)).slice(0, limit).map((p) =>
        p.kind === "managed"
          ? { label: p.name, href: `/iam/policies/${encodeURIComponent(p.arn!)}`, detail: "customer managed" }
          : { label: p.name, href: `/iam/${p.owner!.type === "group" ? "groups" : `${p.owner!.type}s`}/${encodeURIComponent(p.owner!.name)}`, detail: `inline, on ${p.owner!.type} ${p.owner!.name}` },
      );
    case "roles-trusting-anyone":
      return (await rolesTrustingAnyone(tx, accountId)).slice(0, limit).map((r) => ({ label: r.name, href: `/iam/roles/${encodeURIComponent(r.name)}`, detail: "trust policy allows any principal" }));
    case "shared-keys": {
      const keys = (await sharedKeys(tx, accountId, now)).slice(0, limit);
      const owners = await tx.accessKey.findMany({ where: { id: { in: keys.map((k) => k.accessKeyId) } }, select: { id: true, user: { select: { name: true } } } });
      const ownerOf = new Map(owners.map((o) => [o.id, o.user?.name]));
      return keys.map((k) => ({
        label: k.accessKeyId,
        href: `/audit?q=${encodeURIComponent(`accesskey:${k.accessKeyId}`)}&readonly=1`,
        detail: `${ownerOf.get(k.accessKeyId) ?? "unknown owner"}: ${k.addresses} addresses, ${k.agents} user agents in 24 hours`,
      }));
    }
  }
}

// ---------------------------------------------------------------- credential age and use (the dashboard's picture)

export interface CredentialAges {
  /** Active access keys by age (days since creation). */
  keyAge: { label: string; count: number }[];
  /** Active access keys by last use. */
  keyUse: { label: string; count: number }[];
}

const AGE_BANDS: [string, number, number][] = [
  ["< 30 days", 0, 30],
  ["30-90 days", 30, 90],
  ["90-180 days", 90, 180],
  ["180-365 days", 180, 365],
  ["> 1 year", 365, Infinity],
];

export async function credentialAges(tx: Tx, accountId: string, now: Date): Promise<CredentialAges> {
  const band = (field: "createdAt" | "lastUsedAt", from: number, to: number) => ({
    [field]: { lte: cutoff(now, from), ...(to === Infinity ? {} : { gt: cutoff(now, to) }) },
  });
  const active = { accountId, status: "Active" };
  const [ages, uses, never] = await Promise.all([
    Promise.all(AGE_BANDS.map(([, a, b]) => tx.accessKey.count({ where: { ...active, ...band("createdAt", a, b) } }))),
    Promise.all(AGE_BANDS.map(([, a, b]) => tx.accessKey.count({ where: { ...active, ...band("lastUsedAt", a, b) } }))),
    tx.accessKey.count({ where: { ...active, lastUsedAt: null } }),
  ]);
  return {
    keyAge: AGE_BANDS.map(([label], i) => ({ label, count: ages[i]! })),
    keyUse: [...AGE_BANDS.map(([label], i) => ({ label: `used ${label} ago`, count: uses[i]! })), { label: "never used", count: never }],
  };
}

// ---------------------------------------------------------------- operations

export interface SecurityPosture {
  findings: Finding[];
  ages: CredentialAges;
}

/**
 * The dashboard's IAM findings, read as a posture tool reads an account:
 * iam:GetAccountAuthorizationDetails (SecurityAudit and ReadOnlyAccess have it).
 */
export function getSecurityPosture(principal: Principal, now: () => Date = () => new Date()): OperationSpec<SecurityPosture> {
  return {
    service: "iam",
    name: "GetAccountAuthorizationDetails",
    readOnly: true,
    resource: { arn: "*" },
    async run({ tx }) {
      const at = now();
      const [findings, ages] = await Promise.all([iamFindings(tx, principal.accountId, at), credentialAges(tx, principal.accountId, at)]);
      return { findings, ages };
    },
    response: () => undefined,
  };
}

/** The shared-key finding comes from the event history: cloudtrail:LookupEvents. */
export function getSharedKeys(principal: Principal, now: () => Date = () => new Date()): OperationSpec<SharedKey[]> {
  return {
    service: "cloudtrail",
    name: "LookupEvents",
    readOnly: true,
    resource: { arn: "*" },
    parameters: { purpose: "shared-key finding (last 24 hours)" },
    run: ({ tx }) => sharedKeys(tx, principal.accountId, now()),
    response: () => undefined,
  };
}

/** One finding's entities: the same permission as the finding's count. */
export function getFindingEntities(principal: Principal, id: FindingId, now: () => Date = () => new Date()): OperationSpec<FindingEntity[]> {
  const base = id === "shared-keys" ? getSharedKeys(principal, now) : getSecurityPosture(principal, now);
  return {
    service: base.service,
    name: base.name,
    readOnly: true,
    resource: { arn: "*" },
    parameters: { finding: id },
    run: ({ tx }) => findingEntities(tx, principal.accountId, id, now()),
    response: () => undefined,
  };
}
