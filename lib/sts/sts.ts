import "server-only";
// STS as operation builders: AssumeRole, GetSessionToken, GetCallerIdentity.
// Each returns an OperationSpec that either door runs through runOperation
// (gate + change + audit in one transaction). Request checks that AWS makes
// before authorizing (parameter constraints, the MFA code) run in the resource
// step, so a refusal there is audited and changes nothing.
import { newAccessKeyId, newSecretAccessKey, newSessionToken } from "@/lib/crypto/ids";
import { digest, encryptSecret } from "@/lib/crypto/secrets";
import crypto from "node:crypto";
import type { Prisma as PrismaTypes, Tx } from "@/lib/db/client";
import { rawNumber } from "@/lib/db/raw-values";
import { Prisma } from "@/lib/generated/sqlite/client";
import type { OperationSpec } from "@/lib/iam/operation";
import type { ResourceRef } from "@/lib/iam/authorize";
import { accessDenied, IamError } from "@/lib/iam/errors";
import { consumeMfaCode } from "@/lib/iam/mfa-code";
import type { Principal, RolePrincipal } from "@/lib/iam/principal";
import { validatePolicyDocument } from "@/lib/iam/policy";
import {
  assumedRoleArn,
  assumedRoleId,
  assumeRoleDuration,
  checkExternalId,
  checkPackedPolicySize,
  checkRoleSessionName,
  checkSerialNumber,
  checkSessionTags,
  checkSourceIdentity,
  checkTokenCode,
  getSessionTokenDuration,
  isFederatedUserArn,
  MFA_FAILED_MESSAGE,
  packedPolicyPercent,
  parseRoleArn,
  ROOT_CANNOT_ASSUME,
  SESSION_CANNOT_GET_TOKEN,
  type SessionTag,
} from "./rules";

export interface Credentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: Date;
}

export interface AssumeRoleInput {
  roleArn: string;
  roleSessionName: string;
  durationSeconds?: number;
  externalId?: string;
  /** ARN of the caller's virtual MFA device. */
  serialNumber?: string;
  tokenCode?: string;
  /** Inline session policy (JSON). */
  policy?: string;
  sourceIdentity?: string;
  tags?: SessionTag[];
  transitiveTagKeys?: string[];
  /** Console presentation of a switched role (stored on the session row). */
  displayName?: string;
  color?: string;
}

export interface AssumeRoleResult {
  Credentials: Credentials;
  AssumedRoleUser: { AssumedRoleId: string; Arn: string };
  PackedPolicySize?: number;
  SourceIdentity?: string;
  /** The RoleSession row (console: sealed into the role cookie). Not part of AWS's answer. */
  sessionId: string;
  roleName: string;
  roleAccountId: string;
}

export interface GetSessionTokenInput {
  durationSeconds?: number;
  serialNumber?: string;
  tokenCode?: string;
}

export interface GetSessionTokenResult {
  Credentials: Credentials;
  sessionId: string;
}

export interface CallerIdentity {
  UserId: string;
  Account: string;
  Arn: string;
}

/** What the audit record shows of issued credentials: never the secret or the token. */
export function credentialsForAudit(c: Credentials) {
  return { accessKeyId: c.AccessKeyId, expiration: c.Expiration.toISOString() };
}

/** The trust policy of a role as the gate takes it: the resource-based policy of sts:AssumeRole. */
export function roleResource(role: { arn: string; accountId: string; name: string; trustPolicy: string }): ResourceRef {
  return { arn: role.arn, accountId: role.accountId, policy: { id: `${role.arn}#trust`, name: `${role.name} trust policy`, policy: role.trustPolicy } };
}

/** The caller's own MFA devices: a user's, the root user's, or (in a role session) none. */
async function callerDevice(tx: Tx, principal: Principal, serialNumber: string) {
  const device = await tx.mfaDevice.findUnique({ where: { serialNumber }, select: { id: true, userId: true, forRoot: true, accountId: true, enabledAt: true } });
  if (!device?.enabledAt) return null;
  if (principal.type === "IAMUser" && device.userId === principal.userId) return device;
  if (principal.type === "Root" && device.forRoot && device.accountId === principal.accountId) return device;
  return null;
}

/** Checks SerialNumber + TokenCode and consumes the code (a code works once). */
async function verifyMfa(tx: Tx, principal: Principal, serialNumber?: string, tokenCode?: string): Promise<boolean> {
  if (serialNumber === undefined && tokenCode === undefined) return false;
  if (serialNumber === undefined || tokenCode === undefined)
    throw new IamError("AccessDenied", "MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.");
  checkSerialNumber(serialNumber);
  checkTokenCode(tokenCode);
  const device = await callerDevice(tx, principal, serialNumber);
  const refusal = () => new IamError("AccessDenied", MFA_FAILED_MESSAGE);
  if (!device) throw refusal();
  await consumeMfaCode(tx, device.id, tokenCode, refusal);
  return true;
}

type SessionRow = Omit<PrismaTypes.RoleSessionUncheckedCreateInput, "accessKeyId" | "secretCiphertext" | "sessionTokenDigest" | "issuedAt" | "expiresAt">;

/**
 * Fresh temporary credentials (an ASIA key, its secret and a session token,
 * expiring `seconds` from `now`), stored as a session row: the secret
 * encrypted, the token only as a digest; `row` says whose session it is.
 */
export async function issueSession(tx: Tx, seconds: number, now: Date, row: SessionRow): Promise<{ id: string; credentials: Credentials }> {
  const credentials: Credentials = {
    AccessKeyId: newAccessKeyId("ASIA"),
    SecretAccessKey: newSecretAccessKey(),
    SessionToken: newSessionToken(),
    Expiration: new Date(now.getTime() + seconds * 1000),
  };
  const id = row.id ?? crypto.randomUUID();
  const values: Record<string, unknown> = {
    ...row,
    id,
    accessKeyId: credentials.AccessKeyId,
    secretCiphertext: encryptSecret(credentials.SecretAccessKey),
    sessionTokenDigest: digest(credentials.SessionToken),
    issuedAt: now,
    expiresAt: credentials.Expiration,
  };
  // One raw INSERT of the given columns (the others take the table's defaults): a model create costs
  // Prisma a query compilation (~1.2 ms of CPU) on every call.
  const columns = Object.keys(values).filter((c) => values[c] !== undefined);
  await tx.$executeRaw`INSERT INTO "RoleSession" (${Prisma.raw(columns.map((c) => `"${c}"`).join(", "))}) VALUES (${Prisma.join(columns.map((c) => values[c] ?? null))})`;
  return { id, credentials };
}

function parseTags(json: string | null | undefined): Record<string, string> {
  if (!json) return {};
  try {
    return JSON.parse(json) as Record<string, string>;
  } catch {
    return {};
  }
}

function parseKeys(json: string | null | undefined): string[] {
  if (!json) return [];
  try {
    return JSON.parse(json) as string[];
  } catch {
    return [];
  }
}

type RoleToAssume = { id: string; arn: string; name: string; accountId: string; trustPolicy: string; maxSessionDuration: number };

/**
 * The role an AssumeRole names, by ARN. One raw statement: the model query
 * costs Prisma a query compilation (~1.2 ms of CPU) on every call.
 */
async function roleToAssume(tx: Tx, roleArn: string): Promise<RoleToAssume | null> {
  const [role] = await tx.$queryRaw<(Omit<RoleToAssume, "maxSessionDuration"> & { maxSessionDuration: number | bigint })[]>`
    SELECT "id", "arn", "name", "accountId", "trustPolicy", "maxSessionDuration" FROM "Role" WHERE "arn" = ${roleArn}`;
  return role ? { ...role, maxSessionDuration: rawNumber(role.maxSessionDuration) } : null;
}

/** Request context keys an AssumeRole request adds (trust policy conditions use them). */
export function assumeRoleContext(input: AssumeRoleInput): Record<string, string | string[]> {
  const ctx: Record<string, string | string[]> = { "sts:RoleSessionName": input.roleSessionName };
  if (input.externalId !== undefined) ctx["sts:ExternalId"] = input.externalId;
  if (input.sourceIdentity !== undefined) ctx["sts:SourceIdentity"] = input.sourceIdentity;
  // A code given with the request is checked before the gate runs: if the gate
  // sees these keys, the code was valid (else the request already failed).
  if (input.serialNumber !== undefined && input.tokenCode !== undefined) {
    ctx["aws:MultiFactorAuthPresent"] = "true";
    ctx["aws:MultiFactorAuthAge"] = "0";
  }
  if (input.tags?.length) {
    for (const t of input.tags) ctx[`aws:RequestTag/${t.Key}`] = t.Value ?? "";
    ctx["aws:TagKeys"] = input.tags.map((t) => t.Key);
  }
  if (input.transitiveTagKeys?.length) ctx["sts:TransitiveTagKeys"] = input.transitiveTagKeys;
  return ctx;
}

/** AssumeRole: temporary credentials for a role, if the caller's policies and the role's trust policy allow it. */
export function assumeRole(principal: Principal, input: AssumeRoleInput): OperationSpec<AssumeRoleResult> {
  let state:
    | { role: { id: string; arn: string; name: string; accountId: string; trustPolicy: string }; seconds: number; mfaNow: boolean; tags: Record<string, string>; transitive: string[] }
    | undefined;
  return {
    service: "sts",
    name: "AssumeRole",
    readOnly: false,
    context: assumeRoleContext(input),
    parameters: {
      roleArn: input.roleArn,
      roleSessionName: input.roleSessionName,
      durationSeconds: input.durationSeconds,
      externalId: input.externalId,
      serialNumber: input.serialNumber,
      tokenCode: input.tokenCode,
      policy: input.policy,
      sourceIdentity: input.sourceIdentity,
      tags: input.tags,
      transitiveTagKeys: input.transitiveTagKeys,
    },
    resource: async (tx) => {
      checkRoleSessionName(input.roleSessionName);
      if (input.externalId !== undefined) checkExternalId(input.externalId);
      if (input.sourceIdentity !== undefined) checkSourceIdentity(input.sourceIdentity);
      const parsed = parseRoleArn(input.roleArn);
      const inheritedTags = principal.type === "AssumedRole" ? await callerSessionTags(tx, principal) : { tags: {}, transitive: [] };
      const tags = checkSessionTags(input.tags, input.transitiveTagKeys, inheritedTags.tags, inheritedTags.transitive);
      checkPackedPolicySize(input.policy, Object.fromEntries((input.tags ?? []).map((t) => [t.Key, t.Value ?? ""])));
      if (input.policy !== undefined) {
        const v = validatePolicyDocument(input.policy, "session");
        if (!v.ok) throw new IamError(v.error.code === "LimitExceeded" ? "PackedPolicyTooLarge" : "MalformedPolicyDocument", v.error.message);
      }
      if (principal.type === "Root") throw new IamError("AccessDenied", ROOT_CANNOT_ASSUME);
      const role = parsed ? await roleToAssume(tx, input.roleArn) : null;
      if (!role) throw accessDenied({ principalArn: principal.arn, action: "sts:AssumeRole", resource: input.roleArn, decision: "ImplicitlyDenied" });
      const seconds = assumeRoleDuration({ requested: input.durationSeconds, roleMaxSessionDuration: role.maxSessionDuration, chained: principal.type === "AssumedRole" });
      const mfaNow = await verifyMfa(tx, principal, input.serialNumber, input.tokenCode);
      const transitive = [...inheritedTags.transitive, ...(input.transitiveTagKeys ?? [])];
      state = { role, seconds, mfaNow, tags, transitive };
      return roleResource(role);
    },
    run: async ({ tx, authorize, request }) => {
      const { role, seconds, mfaNow, tags, transitive } = state!;
      const ref = roleResource(role);
      if (input.tags?.length) await authorize("sts:TagSession", ref, assumeRoleContext(input));
      const inheritedSource = principal.type === "AssumedRole" ? principal.sourceIdentity : undefined;
      if (input.sourceIdentity !== undefined && inheritedSource !== undefined && input.sourceIdentity !== inheritedSource)
        throw accessDenied({ principalArn: principal.arn, action: "sts:SetSourceIdentity", resource: role.arn, decision: "ImplicitlyDenied" });
      if (input.sourceIdentity !== undefined && inheritedSource === undefined) await authorize("sts:SetSourceIdentity", ref, assumeRoleContext(input));
      const now = new Date();
      const arn = assumedRoleArn(role.accountId, role.name, input.roleSessionName);
      const session = await issueSession(tx, seconds, now, {
        accountId: role.accountId,
        kind: "AssumeRole",
        roleId: role.id,
        arn,
        sessionName: input.roleSessionName,
        sourcePrincipalArn: principal.arn,
        sourcePrincipalAccount: principal.accountId,
        sourceIdentity: input.sourceIdentity ?? inheritedSource ?? null,
        mfaAuthenticated: mfaNow || principal.mfaAuthenticated,
        mfaAuthenticatedAt: mfaNow ? now : principal.mfaAuthenticated ? (principal.mfaAuthenticatedAt ?? null) : null,
        sessionPolicy: input.policy ?? null,
        sessionTags: Object.keys(tags).length ? JSON.stringify(tags) : null,
        transitiveTagKeys: transitive.length ? JSON.stringify(transitive) : null,
        chainedFromSessionId: principal.type === "AssumedRole" ? principal.sessionId : null,
        displayName: input.displayName ?? null,
        color: input.color ?? null,
      });
      // Raw, as roleToAssume: a model update costs a query compilation on every AssumeRole.
      await tx.$executeRaw`UPDATE "Role" SET "lastUsedAt" = ${now}, "lastUsedRegion" = ${request.region} WHERE "id" = ${role.id}`;
      const packed = input.policy !== undefined || input.tags?.length ? packedPolicyPercent(input.policy, tags) : undefined;
      return {
        Credentials: session.credentials,
        AssumedRoleUser: { AssumedRoleId: assumedRoleId(role.id, input.roleSessionName), Arn: arn },
        ...(packed !== undefined ? { PackedPolicySize: packed } : {}),
        ...(input.sourceIdentity ?? inheritedSource ? { SourceIdentity: input.sourceIdentity ?? inheritedSource } : {}),
        sessionId: session.id,
        roleName: role.name,
        roleAccountId: role.accountId,
      };
    },
    response: (r) => ({
      credentials: credentialsForAudit(r.Credentials),
      assumedRoleUser: { assumedRoleId: r.AssumedRoleUser.AssumedRoleId, arn: r.AssumedRoleUser.Arn },
      ...(r.PackedPolicySize !== undefined ? { packedPolicySize: r.PackedPolicySize } : {}),
      ...(r.SourceIdentity ? { sourceIdentity: r.SourceIdentity } : {}),
    }),
  };
}

async function callerSessionTags(tx: Tx, principal: RolePrincipal) {
  const s = await tx.roleSession.findUnique({ where: { id: principal.sessionId }, select: { sessionTags: true, transitiveTagKeys: true } });
  return { tags: parseTags(s?.sessionTags), transitive: parseKeys(s?.transitiveTagKeys) };
}

/** GetSessionToken: temporary credentials for an IAM user or the root user, optionally MFA-authenticated. */
export function getSessionToken(principal: Principal, input: GetSessionTokenInput = {}): OperationSpec<GetSessionTokenResult> {
  let state: { seconds: number; mfaNow: boolean } | undefined;
  return {
    service: "sts",
    name: "GetSessionToken",
    readOnly: false,
    noPermissionRequired: true,
    parameters: { durationSeconds: input.durationSeconds, serialNumber: input.serialNumber, tokenCode: input.tokenCode },
    resource: async (tx) => {
      if (principal.type === "AssumedRole" || principal.accessKeyId?.startsWith("ASIA")) throw new IamError("AccessDenied", SESSION_CANNOT_GET_TOKEN);
      const seconds = getSessionTokenDuration(input.durationSeconds, principal.type === "Root");
      const mfaNow = await verifyMfa(tx, principal, input.serialNumber, input.tokenCode);
      state = { seconds, mfaNow };
      return { arn: "*", accountId: principal.accountId };
    },
    run: async ({ tx }) => {
      const { seconds, mfaNow } = state!;
      const now = new Date();
      const session = await issueSession(tx, seconds, now, {
        accountId: principal.accountId,
        kind: "GetSessionToken",
        userId: principal.type === "IAMUser" ? principal.userId : null,
        arn: principal.arn,
        sourcePrincipalArn: principal.arn,
        sourcePrincipalAccount: principal.accountId,
        mfaAuthenticated: mfaNow,
        mfaAuthenticatedAt: mfaNow ? now : null,
      });
      return { Credentials: session.credentials, sessionId: session.id };
    },
    response: (r) => ({ credentials: credentialsForAudit(r.Credentials) }),
  };
}

/** UserId, Account and Arn exactly as GetCallerIdentity returns them. */
export function callerIdentityOf(principal: Principal): CallerIdentity {
  if (isFederatedUserArn(principal.arn)) return { UserId: principal.principalId, Account: principal.accountId, Arn: principal.arn };
  if (principal.type === "Root") return { UserId: principal.accountId, Account: principal.accountId, Arn: principal.arn };
  if (principal.type === "IAMUser") return { UserId: principal.userId, Account: principal.accountId, Arn: principal.arn };
  return {
    UserId: assumedRoleId(principal.roleId, principal.sessionName),
    Account: principal.accountId,
    Arn: assumedRoleArn(principal.accountId, principal.roleName, principal.sessionName),
  };
}

/** GetCallerIdentity. AWS lets every caller make it; see the report on the gate exemption. */
export function getCallerIdentity(principal: Principal): OperationSpec<CallerIdentity> {
  return {
    service: "sts",
    name: "GetCallerIdentity",
    readOnly: true,
    noPermissionRequired: true,
    resource: { arn: "*", accountId: principal.accountId },
    run: async () => callerIdentityOf(principal),
  };
}
