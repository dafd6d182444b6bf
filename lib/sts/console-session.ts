import "server-only";
// The console's switch role and MFA elevation, on top of AssumeRole. Switching
// is AssumeRole from the signed-in identity (pass signedInPrincipal(), never the
// currently switched role: the console switches from the identity, as AWS's
// does). The recent-roles list is derived from RoleSession rows, which carry the
// display name and colour the person chose.
import { db, type Tx } from "@/lib/db/client";
import { ELEVATION_ROLE } from "@/lib/db/seed/demo-identities";
import type { OperationSpec } from "@/lib/iam/operation";
import { accessDenied, IamError } from "@/lib/iam/errors";
import type { Principal, RequestInfo, UserPrincipal } from "@/lib/iam/principal";
import { authorize, deniedBecause, type GateDecision } from "@/lib/iam/authorize";
import { roleArn as buildRoleArn } from "@/lib/iam/arn";
import { assumeRole, assumeRoleContext, roleResource, type AssumeRoleResult } from "./sts";
import { MIN_SESSION_SECONDS } from "./rules";

export { ELEVATION_ROLE };
/** The elevation flow's session length: 15 minutes. */
export const ELEVATION_SECONDS = MIN_SESSION_SECONDS;
/** How many switched roles the console remembers per identity. */
export const RECENT_ROLES = 5;

export interface SwitchRoleInput {
  /** 12-digit account ID or the account alias. */
  account: string;
  /** Role name, or "path/name" for a role with a path (as in AWS's switch-role form). */
  roleName: string;
  displayName?: string;
  color?: string;
  /** For MFA-gated roles: the code from the caller's device (its serial is looked up when not given). */
  tokenCode?: string;
  serialNumber?: string;
  durationSeconds?: number;
}

export interface SwitchRoleResult {
  sessionId: string;
  expiresAt: Date;
  roleArn: string;
  roleName: string;
  accountId: string;
  sessionArn: string;
  displayName: string;
  color: string;
}

/** The console's session name for an identity: the user name (AWS uses it too). */
export function consoleSessionName(principal: Principal): string {
  if (principal.type === "IAMUser") return principal.userName;
  if (principal.type === "AssumedRole") return principal.sessionName;
  return principal.accountId;
}

async function resolveAccount(tx: Tx, account: string): Promise<{ id: string; alias: string | null; color: string } | null> {
  const trimmed = account.trim();
  const where = /^\d{12}$/.test(trimmed) ? { id: trimmed } : { alias: trimmed.toLowerCase() };
  return tx.account.findUnique({ where, select: { id: true, alias: true, color: true } });
}

function splitRoleName(roleName: string): { path: string; name: string } {
  const trimmed = roleName.trim().replace(/^\/+/, "");
  const last = trimmed.lastIndexOf("/");
  return last === -1 ? { path: "/", name: trimmed } : { path: `/${trimmed.slice(0, last + 1)}`, name: trimmed.slice(last + 1) };
}

async function callerMfaSerial(tx: Tx, principal: Principal): Promise<string | undefined> {
  if (principal.type === "IAMUser") {
    const d = await tx.mfaDevice.findFirst({ where: { userId: principal.userId, enabledAt: { not: null } }, orderBy: { enabledAt: "asc" }, select: { serialNumber: true } });
    return d?.serialNumber;
  }
  if (principal.type === "Root") {
    const d = await tx.mfaDevice.findFirst({ where: { accountId: principal.accountId, forRoot: true, enabledAt: { not: null } }, select: { serialNumber: true } });
    return d?.serialNumber;
  }
  return undefined;
}

/**
 * Switch role: AssumeRole into `roleName` in `account` from the signed-in
 * identity, for one hour (capped by the role's maximum) unless told otherwise.
 * The server action seals `sessionId` into the role cookie for `expiresAt`.
 */
export function switchRole(principal: Principal, input: SwitchRoleInput): OperationSpec<SwitchRoleResult> {
  let inner: OperationSpec<AssumeRoleResult> | undefined;
  let presentation: { displayName: string; color: string; accountId: string } | undefined;
  const { path, name } = splitRoleName(input.roleName);
  const guessedArn = /^\d{12}$/.test(input.account.trim()) ? buildRoleArn(input.account.trim(), path, name) : `arn:aws:iam::${input.account}:role${path}${name}`;
  return {
    service: "sts",
    name: "AssumeRole",
    readOnly: false,
    parameters: {
      roleArn: guessedArn,
      roleSessionName: consoleSessionName(principal),
      durationSeconds: input.durationSeconds,
      serialNumber: input.serialNumber,
      tokenCode: input.tokenCode,
    },
    resource: async (tx) => {
      const account = await resolveAccount(tx, input.account);
      if (!account) throw accessDenied({ principalArn: principal.arn, action: "sts:AssumeRole", resource: guessedArn, decision: "ImplicitlyDenied" });
      const role = await tx.role.findUnique({
        where: { accountId_nameLower: { accountId: account.id, nameLower: name.toLowerCase() } },
        select: { arn: true, name: true, path: true, maxSessionDuration: true, consoleColor: true },
      });
      const arn = role && role.path === path ? role.arn : buildRoleArn(account.id, path, name);
      const displayName = (input.displayName?.trim() || `${role?.name ?? name} @ ${account.alias ?? account.id}`).slice(0, 64);
      const color = input.color ?? role?.consoleColor ?? account.color;
      presentation = { displayName, color, accountId: account.id };
      const serialNumber = input.tokenCode !== undefined ? (input.serialNumber ?? (await callerMfaSerial(tx, principal))) : input.serialNumber;
      if (input.tokenCode !== undefined && serialNumber === undefined)
        throw new IamError("AccessDenied", "MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.");
      const durationSeconds = input.durationSeconds ?? (role ? Math.min(3600, role.maxSessionDuration) : undefined);
      inner = assumeRole(principal, {
        roleArn: arn,
        roleSessionName: consoleSessionName(principal),
        durationSeconds,
        serialNumber,
        tokenCode: input.tokenCode,
        displayName,
        color,
      });
      const resource = inner.resource;
      return typeof resource === "function" ? resource(tx) : resource;
    },
    // The inner AssumeRole's context depends on whether a code was given; the
    // outer spec carries the same keys.
    context: input.tokenCode !== undefined ? { "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "0", "sts:RoleSessionName": consoleSessionName(principal) } : { "sts:RoleSessionName": consoleSessionName(principal) },
    run: async (ctx) => {
      const r = await inner!.run(ctx);
      return {
        sessionId: r.sessionId,
        expiresAt: r.Credentials.Expiration,
        roleArn: buildRoleArn(r.roleAccountId, path, r.roleName),
        roleName: r.roleName,
        accountId: r.roleAccountId,
        sessionArn: r.AssumedRoleUser.Arn,
        displayName: presentation!.displayName,
        color: presentation!.color,
      };
    },
    response: (r) => ({ assumedRoleUser: { arn: r.sessionArn }, expiration: r.expiresAt.toISOString() }),
  };
}

/** The elevation role of an account (S3ElevatedAccess), or null when the account has none. */
export async function elevationRoleFor(accountId: string, tx: Tx = db()) {
  return tx.role.findUnique({
    where: { accountId_nameLower: { accountId, nameLower: ELEVATION_ROLE.toLowerCase() } },
    select: { id: true, arn: true, name: true, path: true, accountId: true, maxSessionDuration: true, consoleColor: true, description: true, trustPolicy: true },
  });
}

type ElevationRole = { arn: string; name: string; accountId: string; trustPolicy: string };

/**
 * Could `principal` assume the elevation role if it gave a valid MFA code now?
 * The gate's own evaluation (identity policies, boundary, SCPs and the trust
 * policy) of the AssumeRole the elevation would make, with MFA assumed present:
 * no policy logic of its own. Nothing is changed or audited.
 */
export async function couldElevate(principal: Principal, request: RequestInfo, role: ElevationRole, tx: Tx = db()): Promise<GateDecision & { reason: string }> {
  if (principal.type === "Root") {
    const result = { decision: "ImplicitlyDenied" as const, decisive: [], reason: "The root user cannot assume roles." };
    return { allowed: false, decision: result.decision, result, reason: result.reason };
  }
  const withMfa = { ...principal, mfaAuthenticated: true, mfaAuthenticatedAt: new Date() } as Principal;
  const context = assumeRoleContext({ roleArn: role.arn, roleSessionName: consoleSessionName(principal), serialNumber: "mfa", tokenCode: "000000" });
  const gate = await authorize(tx, { principal: withMfa, request, action: "sts:AssumeRole", resource: roleResource(role), context });
  return { ...gate, reason: gate.allowed ? "" : deniedBecause(gate.result, "sts:AssumeRole") };
}

/** At most this many users are asked about when naming who may elevate. */
export const WHO_CAN_ELEVATE_SCAN = 50;

/**
 * The users of the caller's account (the first WHO_CAN_ELEVATE_SCAN by name) who
 * could elevate into `role` with MFA, each asked of the gate; null when the
 * caller may not list the account's users (iam:ListUsers), who are then not named.
 */
export async function whoCanElevate(
  caller: Principal,
  request: RequestInfo,
  role: ElevationRole,
  tx: Tx = db(),
): Promise<{ userNames: string[]; scanned: number; more: boolean } | null> {
  if (!(await authorize(tx, { principal: caller, request, action: "iam:ListUsers", resource: { arn: "*" } })).allowed) return null;
  const accountId = caller.type === "AssumedRole" ? caller.sourceAccountId : caller.accountId;
  const users = await tx.iamUser.findMany({
    where: { accountId },
    orderBy: { nameLower: "asc" },
    take: WHO_CAN_ELEVATE_SCAN + 1,
    select: { id: true, name: true, arn: true, account: { select: { organizationId: true } } },
  });
  const scanned = users.slice(0, WHO_CAN_ELEVATE_SCAN);
  const userNames: string[] = [];
  for (const u of scanned) {
    const principal: UserPrincipal = {
      type: "IAMUser",
      organizationId: u.account.organizationId,
      accountId,
      arn: u.arn,
      principalId: u.id,
      userId: u.id,
      userName: u.name,
      mfaAuthenticated: false,
    };
    if ((await couldElevate(principal, request, role, tx)).allowed) userNames.push(u.name);
  }
  return { userNames, scanned: scanned.length, more: users.length > WHO_CAN_ELEVATE_SCAN };
}

export interface ElevateInput {
  /** Account ID or alias; defaults to the caller's own account. */
  account?: string;
  tokenCode: string;
  serialNumber?: string;
  durationSeconds?: number;
}

/** MFA elevation: switch into the account's elevation role for 15 minutes with a fresh MFA code. */
export function elevate(principal: Principal, input: ElevateInput): OperationSpec<SwitchRoleResult> {
  return switchRole(principal, {
    account: input.account ?? principal.accountId,
    roleName: ELEVATION_ROLE,
    tokenCode: input.tokenCode,
    serialNumber: input.serialNumber,
    durationSeconds: input.durationSeconds ?? ELEVATION_SECONDS,
    displayName: `${ELEVATION_ROLE} (elevated)`,
  });
}

export interface RecentRole {
  roleArn: string;
  roleName: string;
  accountId: string;
  accountAlias: string | null;
  displayName: string;
  color: string;
  lastSwitchedAt: Date;
}

/**
 * The last `limit` distinct roles an identity switched into from the console,
 * newest first: one grouped query over RoleSession (console sessions carry a
 * display name), then the rows that hold each role's latest presentation.
 */
export async function recentRoles(sourcePrincipalArn: string, limit = RECENT_ROLES, tx: Tx = db()): Promise<RecentRole[]> {
  const groups = await tx.roleSession.groupBy({
    by: ["roleId"],
    // Elevations are not history: they need a fresh MFA code, so one click could not re-enter them.
    where: { sourcePrincipalArn, kind: "AssumeRole", displayName: { not: null }, roleId: { not: null }, role: { nameLower: { not: ELEVATION_ROLE.toLowerCase() } } },
    _max: { issuedAt: true },
    orderBy: { _max: { issuedAt: "desc" } },
    take: limit,
  });
  const latest = await Promise.all(
    groups.map((g) =>
      tx.roleSession.findFirst({
        where: { sourcePrincipalArn, roleId: g.roleId, displayName: { not: null } },
        orderBy: { issuedAt: "desc" },
        select: { displayName: true, color: true, issuedAt: true, role: { select: { arn: true, name: true, accountId: true, consoleColor: true, account: { select: { alias: true, color: true } } } } },
      }),
    ),
  );
  return latest.flatMap((s) =>
    s?.role
      ? [
          {
            roleArn: s.role.arn,
            roleName: s.role.name,
            accountId: s.role.accountId,
            accountAlias: s.role.account.alias,
            displayName: s.displayName ?? s.role.name,
            color: s.color ?? s.role.consoleColor ?? s.role.account.color,
            lastSwitchedAt: s.issuedAt,
          },
        ]
      : [],
  );
}

/**
 * Ends a console role session ("Switch back", sign-out): the row is marked
 * revoked, so the sealed cookie and any keys of the session stop working.
 * With `sourcePrincipalArn`, only a session that identity started is ended.
 */
export async function dropRoleSession(sessionId: string, sourcePrincipalArn?: string, tx: Tx = db()): Promise<boolean> {
  const { count } = await tx.roleSession.updateMany({
    where: { id: sessionId, revokedAt: null, ...(sourcePrincipalArn ? { sourcePrincipalArn } : {}) },
    data: { revokedAt: new Date() },
  });
  return count === 1;
}
