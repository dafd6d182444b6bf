import "server-only";
// Loads every policy that applies to a principal, as the engine takes them:
// identity policies (managed, default version, and inline, a user's groups
// included; a role's for a role session), the permissions boundary, the session
// policy and the organization's SCPs along the account's path in the OU tree.
import type { Tx } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/sqlite/client";
import type { Caller } from "./principal";

export interface PolicyRef {
  /** Policy ARN for managed policies, "user/NAME/POLICY"-style name for inline ones. */
  id: string;
  name: string;
  versionId?: string;
  /** The stored policy text. */
  policy: string;
  /** A resource policy that applies only to principals of the resource's own account (S3 RestrictPublicBuckets). */
  ownerAccountOnly?: boolean;
}

export interface PolicySet {
  identityPolicies: PolicyRef[];
  permissionBoundaries: PolicyRef[];
  sessionPolicy?: PolicyRef;
  serviceControlPolicies: { orgIdentifier: string; policies: PolicyRef[] }[];
  principalIsManagementAccount: boolean;
}

// One raw SQL statement loads the whole set: Prisma's model queries cost one
// statement per relation level, each compiled anew on every call (a user with
// two groups took 18), where a raw statement is one round trip and no query
// compilation. Identifiers are quoted as the schema names them, so the same
// text runs on SQLite and PostgreSQL. Every branch returns the same columns:
//   kind   what the row is (see PolicyRow)
//   owner  the user's, group's or role's name; an SCP's target; an OU's id
//   name   a policy's name; an OU's parent
//   ref    a managed policy's ARN, an SCP's id; the account's OU (kind "org")
//   ver    a managed policy's default version id; the management account (kind "org")
//   doc    the policy text (a managed policy's default version)
interface PolicyRow {
  kind: "org" | "ou" | "scp" | "holder" | "managed" | "inline" | "gmanaged" | "ginline" | "boundary" | "password" | "session";
  owner: string | null;
  name: string | null;
  ref: string | null;
  ver: string | null;
  doc: string | null;
}

const EMPTY_DOCUMENT = '{"Version":"2012-10-17","Statement":[]}';

/** The organization, the OU path above the account (at most 6 levels, as before) and the SCPs on it. */
function organizationRows(accountId: string) {
  return [
    Prisma.sql`SELECT 'org' AS kind, o."rootId" AS owner, CAST(NULL AS TEXT) AS name, a."ouId" AS ref, o."managementAccountId" AS ver, CAST(NULL AS TEXT) AS doc
      FROM "Account" a JOIN "Organization" o ON o."id" = a."organizationId" WHERE a."id" = ${accountId}`,
    Prisma.sql`SELECT 'ou', ous.id, ous.parent, NULL, NULL, NULL FROM ous`,
    Prisma.sql`SELECT 'scp', sa."targetId", p."name", p."id", NULL, p."document"
      FROM "ScpAttachment" sa JOIN "ServiceControlPolicy" p ON p."id" = sa."policyId"
      WHERE sa."targetId" = ${accountId} OR sa."targetId" IN (SELECT id FROM ous)
        OR sa."targetId" IN (SELECT o."rootId" FROM "Account" a JOIN "Organization" o ON o."id" = a."organizationId" WHERE a."id" = ${accountId})`,
  ];
}

const OU_PATH = (accountId: string) => Prisma.sql`WITH RECURSIVE ous(id, parent, org, depth) AS (
    SELECT ou."id", ou."parentId", ou."organizationId", 1
      FROM "Account" a JOIN "OrganizationalUnit" ou ON ou."id" = a."ouId" AND ou."organizationId" = a."organizationId"
      WHERE a."id" = ${accountId}
    UNION ALL
    SELECT ou."id", ou."parentId", ou."organizationId", ous.depth + 1
      FROM ous JOIN "OrganizationalUnit" ou ON ou."id" = ous.parent AND ou."organizationId" = ous.org
      WHERE ous.depth < 6
  )`;

/** The managed policies attached to a holder (`where`), each with its default version's text. */
const managedOf = (kind: "managed" | "gmanaged", owner: Prisma.Sql, join: Prisma.Sql, where: Prisma.Sql) =>
  Prisma.sql`SELECT ${Prisma.raw(`'${kind}'`)}, ${owner}, mp."name", mp."arn", mp."defaultVersionId", pv."document"
    FROM "PolicyAttachment" pa ${join} JOIN "ManagedPolicy" mp ON mp."id" = pa."policyId"
    LEFT JOIN "PolicyVersion" pv ON pv."policyId" = mp."id" AND pv."isDefault" = TRUE
    WHERE ${where}`;

/** The permissions boundary of the user or role in `table`. */
const boundaryOf = (table: Prisma.Sql, id: string) =>
  Prisma.sql`SELECT 'boundary', NULL, mp."name", mp."arn", mp."defaultVersionId", pv."document"
    FROM ${table} h JOIN "ManagedPolicy" mp ON mp."id" = h."permissionsBoundaryPolicyId"
    LEFT JOIN "PolicyVersion" pv ON pv."policyId" = mp."id" AND pv."isDefault" = TRUE
    WHERE h."id" = ${id}`;

function userRows(userId: string, accountId: string) {
  const inGroups = Prisma.sql`JOIN "GroupMembership" gm ON gm."groupId" = pa."groupId" JOIN "IamGroup" g ON g."id" = gm."groupId"`;
  return [
    Prisma.sql`SELECT 'holder', u."name", NULL, NULL, NULL, NULL FROM "IamUser" u WHERE u."id" = ${userId}`,
    managedOf("managed", Prisma.sql`NULL`, Prisma.empty, Prisma.sql`pa."userId" = ${userId}`),
    Prisma.sql`SELECT 'inline', NULL, ip."name", NULL, NULL, ip."document" FROM "InlinePolicy" ip WHERE ip."userId" = ${userId}`,
    managedOf("gmanaged", Prisma.sql`g."name"`, inGroups, Prisma.sql`gm."userId" = ${userId}`),
    Prisma.sql`SELECT 'ginline', g."name", ip."name", NULL, NULL, ip."document"
      FROM "GroupMembership" gm JOIN "IamGroup" g ON g."id" = gm."groupId" JOIN "InlinePolicy" ip ON ip."groupId" = g."id"
      WHERE gm."userId" = ${userId}`,
    boundaryOf(Prisma.sql`"IamUser"`, userId),
    Prisma.sql`SELECT 'password', NULL, NULL, NULL, NULL, NULL FROM "PasswordPolicy" pp
      WHERE pp."accountId" = ${accountId} AND pp."allowUsersToChangePassword" = TRUE`,
  ];
}

function roleRows(roleId: string, sessionId: string) {
  return [
    Prisma.sql`SELECT 'holder', r."name", NULL, NULL, NULL, NULL FROM "Role" r WHERE r."id" = ${roleId}`,
    managedOf("managed", Prisma.sql`NULL`, Prisma.empty, Prisma.sql`pa."roleId" = ${roleId}`),
    Prisma.sql`SELECT 'inline', NULL, ip."name", NULL, NULL, ip."document" FROM "InlinePolicy" ip WHERE ip."roleId" = ${roleId}`,
    boundaryOf(Prisma.sql`"Role"`, roleId),
    Prisma.sql`SELECT 'session', NULL, NULL, NULL, NULL, rs."sessionPolicy" FROM "RoleSession" rs WHERE rs."id" = ${sessionId} AND rs."sessionPolicy" IS NOT NULL`,
  ];
}

/**
 * The session policy of a federated user (GetFederationToken), which limits the
 * caller's own policies, of a root session (AssumeRoot), its task policy, or of
 * a user's delegated session (GetDelegatedAccessToken), the delegation request's permission policy.
 */
const temporarySessionRow = (accessKeyId: string) =>
  Prisma.sql`SELECT 'session', NULL, NULL, NULL, NULL, rs."sessionPolicy" FROM "RoleSession" rs
    WHERE rs."accessKeyId" = ${accessKeyId} AND rs."kind" IN ('GetFederationToken', 'AssumeRoot', 'GetDelegatedAccessToken') AND rs."sessionPolicy" IS NOT NULL`;
const isFederatedUser = (p: { arn: string; accessKeyId?: string }) => p.accessKeyId !== undefined && /^arn:aws:sts::\d{12}:federated-user\//.test(p.arn);
/** A root user signed with temporary keys: GetSessionToken's (no session policy) or AssumeRoot's. */
const isRootSession = (p: Caller) => p.type === "Root" && p.accessKeyId?.startsWith("ASIA") === true && !isFederatedUser(p);
/** An IAM user signed with temporary keys: GetSessionToken's (no session policy) or GetDelegatedAccessToken's. */
const isUserSession = (p: Caller) => p.type === "IAMUser" && p.accessKeyId?.startsWith("ASIA") === true && !isFederatedUser(p);
/** What the root user may do, as an identity policy: a root-made federated user is the root user limited by its session policy. */
const ROOT_PERMISSIONS: PolicyRef = { id: "root-user", name: "root user", policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}' };

/** Name order, independent of the database's collation (the same list on SQLite and PostgreSQL). */
const byOwnerThenName = (a: PolicyRow, b: PolicyRow) =>
  (a.owner ?? "") < (b.owner ?? "") ? -1 : (a.owner ?? "") > (b.owner ?? "") ? 1 : (a.name ?? "") < (b.name ?? "") ? -1 : (a.name ?? "") > (b.name ?? "") ? 1 : 0;

const managedRef = (r: PolicyRow, fallback: string): PolicyRef => ({ id: r.ref!, name: r.name!, versionId: r.ver!, policy: r.doc ?? fallback });

/** One ref per managed policy (a policy with two default versions, which should not happen, counts once). */
function uniqueManaged(rows: PolicyRow[], fallback: string): PolicyRef[] {
  const seen = new Set<string>();
  const refs: PolicyRef[] = [];
  for (const r of rows) {
    const key = `${r.owner ?? ""} ${r.ref}`;
    if (!seen.has(key)) refs.push(managedRef(r, fallback));
    seen.add(key);
  }
  return refs;
}

/** The root, the OUs from the top down, then the account: each level with the SCPs attached to it. */
function serviceControlPolicies(rows: PolicyRow[], accountId: string) {
  const org = rows.find((r) => r.kind === "org");
  if (!org) return { scps: [], management: false };
  const parents = new Map(rows.filter((r) => r.kind === "ou").map((r) => [r.owner!, r.name]));
  const ous: string[] = [];
  for (let ou = org.ref; ou && ous.length < 6; ou = parents.get(ou) ?? null) ous.unshift(ou);
  // The walk ends on the root when the path is short: the root is one level, once.
  const levels = [...new Set([org.owner!, ...ous, accountId])];
  const attached = rows.filter((r) => r.kind === "scp").sort((a, b) => (a.ref! < b.ref! ? -1 : a.ref! > b.ref! ? 1 : 0));
  // AWS keeps at least one SCP on every level (FullAWSAccess by default); a level
  // without any here is taken as not restricting, rather than denying everything.
  const scps = levels
    .map((level) => ({
      orgIdentifier: level,
      policies: attached.filter((a) => a.owner === level).map((a) => ({ id: a.ref!, name: a.name!, policy: a.doc! })),
    }))
    .filter((level) => level.policies.length > 0);
  return { scps, management: org.ver === accountId };
}

/**
 * With "Allow users to change their own password" on in the account's password
 * policy, AWS lets every IAM user change their own password without any policy.
 * It is modelled as an identity policy, so explicit denies and SCPs still apply.
 */
function passwordSelfService(userArn: string): PolicyRef[] {
  return [
    {
      id: "account-password-policy/AllowUsersToChangePassword",
      name: "Account password policy: allow users to change their own password",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: "iam:ChangePassword", Resource: userArn },
          { Effect: "Allow", Action: "iam:GetAccountPasswordPolicy", Resource: "*" },
        ],
      }),
    },
  ];
}

export async function loadPolicySet(tx: Tx, principal: Caller): Promise<PolicySet> {
  // An anonymous caller has no identity policies, and no organization's SCPs apply to it.
  if (principal.type === "Anonymous") return { serviceControlPolicies: [], principalIsManagementAccount: false, identityPolicies: [], permissionBoundaries: [] };
  const own =
    principal.type === "IAMUser" ? userRows(principal.userId, principal.accountId) : principal.type === "AssumedRole" ? roleRows(principal.roleId, principal.sessionId) : [];
  if (isFederatedUser(principal) || isRootSession(principal) || isUserSession(principal)) own.push(temporarySessionRow(principal.accessKeyId!));
  const rows = await tx.$queryRaw<PolicyRow[]>`${OU_PATH(principal.accountId)} ${Prisma.join([...organizationRows(principal.accountId), ...own], " UNION ALL ")}`;
  const { scps, management } = serviceControlPolicies(rows, principal.accountId);
  const base = { serviceControlPolicies: scps, principalIsManagementAccount: management };
  const holder = rows.find((r) => r.kind === "holder");
  const federatedSession = rows.find((r) => r.kind === "session" && (isFederatedUser(principal) || isUserSession(principal)));
  const federatedPolicy = federatedSession?.doc ? { sessionPolicy: { id: "session-policy", name: "session policy", policy: federatedSession.doc } } : {};
  if (principal.type === "Root" && federatedSession) return { ...base, identityPolicies: [ROOT_PERMISSIONS], permissionBoundaries: [], ...federatedPolicy };
  // A root session's task policy: the engine applies its denies to the root user.
  const taskPolicy = rows.find((r) => r.kind === "session" && isRootSession(principal));
  if (taskPolicy?.doc) return { ...base, identityPolicies: [], permissionBoundaries: [], sessionPolicy: { id: "task-policy", name: "root session task policy", policy: taskPolicy.doc } };
  if (principal.type === "Root" || !holder) return { ...base, identityPolicies: [], permissionBoundaries: [] };

  const of = (kind: PolicyRow["kind"]) => rows.filter((r) => r.kind === kind).sort(byOwnerThenName);
  const inline = (label: string, r: PolicyRow): PolicyRef => ({ id: `${label}/${r.name}`, name: r.name!, policy: r.doc! });
  const boundary = uniqueManaged(of("boundary"), "{}");
  if (principal.type === "IAMUser") {
    // The user's own policies, then each group's (managed, then inline), then the account's password self-service.
    const groups = [...new Set([...of("gmanaged"), ...of("ginline")].map((r) => r.owner!))].sort();
    const gmanaged = of("gmanaged");
    const ginline = of("ginline");
    return {
      ...base,
      identityPolicies: [
        ...uniqueManaged(of("managed"), EMPTY_DOCUMENT),
        ...of("inline").map((r) => inline(`user/${holder.owner}`, r)),
        ...groups.flatMap((g) => [
          ...uniqueManaged(gmanaged.filter((r) => r.owner === g), EMPTY_DOCUMENT),
          ...ginline.filter((r) => r.owner === g).map((r) => inline(`group/${g}`, r)),
        ]),
        ...(rows.some((r) => r.kind === "password") ? passwordSelfService(principal.arn) : []),
      ],
      permissionBoundaries: boundary,
      ...federatedPolicy,
    };
  }
  const session = rows.find((r) => r.kind === "session");
  return {
    ...base,
    identityPolicies: [...uniqueManaged(of("managed"), EMPTY_DOCUMENT), ...of("inline").map((r) => inline(`role/${holder.owner}`, r))],
    permissionBoundaries: boundary,
    sessionPolicy: session?.doc ? { id: "session-policy", name: "session policy", policy: session.doc } : undefined,
  };
}
