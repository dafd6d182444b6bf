// STS's request rules, pure: durations, names, ARNs, session tags and the
// session-policy size. Messages are AWS's own (the STS API reference and the
// recorded responses in shared/reference), so both doors show them word for word.
import { IamError, type AwsErrorCode } from "@/lib/iam/errors";

export const MIN_SESSION_SECONDS = 900;
export const DEFAULT_ASSUME_ROLE_SECONDS = 3600;
/** Role chaining (an assumed role assuming a role) is limited to one hour. */
export const ROLE_CHAINING_MAX_SECONDS = 3600;
export const MAX_ROLE_SESSION_SECONDS = 43_200;
export const GET_SESSION_TOKEN_DEFAULT_SECONDS = 43_200;
export const GET_SESSION_TOKEN_MAX_SECONDS = 129_600;
/** The root user's GetSessionToken sessions are capped (silently) at one hour. */
export const ROOT_SESSION_MAX_SECONDS = 3600;
/** Plain-text limit of a session policy, and of the packed policy + tags. */
export const SESSION_POLICY_MAX_CHARS = 2048;
export const MAX_SESSION_TAGS = 50;

export const SESSION_NAME_PATTERN = "[\\w+=,.@-]*";
const SESSION_NAME_RE = /^[\w+=,.@-]*$/;
const SERIAL_NUMBER_RE = /^[\w+=/:,.@-]*$/;

/**
 * STS answers InvalidParameterValue for bad session tags (see the recorded responses).
 * The shared code list does not carry it yet; until it does the value goes through as is.
 */
const INVALID_PARAMETER_VALUE: AwsErrorCode = "InvalidParameterValue";

/** AWS's "1 validation error detected" wording for a constraint on one parameter. */
export function constraintError(field: string, value: string | number | undefined, constraint: string): IamError {
  const shown = value === undefined ? "" : ` '${value}'`;
  return new IamError("ValidationError", `1 validation error detected: Value${shown} at '${field}' failed to satisfy constraint: ${constraint}`);
}

export function checkRoleSessionName(name: string, field = "roleSessionName"): void {
  if (typeof name !== "string" || name.length < 2) throw constraintError(field, name, "Member must have length greater than or equal to 2");
  if (name.length > 64) throw constraintError(field, name, "Member must have length less than or equal to 64");
  if (!SESSION_NAME_RE.test(name)) throw constraintError(field, name, `Member must satisfy regular expression pattern: ${SESSION_NAME_PATTERN}`);
}

export function checkSourceIdentity(value: string): void {
  if (value.length < 2) throw constraintError("sourceIdentity", value, "Member must have length greater than or equal to 2");
  if (value.length > 64) throw constraintError("sourceIdentity", value, "Member must have length less than or equal to 64");
  if (!SESSION_NAME_RE.test(value)) throw constraintError("sourceIdentity", value, `Member must satisfy regular expression pattern: ${SESSION_NAME_PATTERN}`);
  if (value.toLowerCase().startsWith("aws:")) throw new IamError("ValidationError", "SourceIdentity cannot begin with the reserved prefix aws:");
}

export function checkExternalId(value: string): void {
  if (value.length < 2) throw constraintError("externalId", value, "Member must have length greater than or equal to 2");
  if (value.length > 1224) throw constraintError("externalId", value, "Member must have length less than or equal to 1224");
  if (!/^[\w+=,.@:/-]*$/.test(value)) throw constraintError("externalId", value, "Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*");
}

export function checkSerialNumber(value: string): void {
  if (value.length < 9) throw constraintError("serialNumber", value, "Member must have length greater than or equal to 9");
  if (value.length > 256) throw constraintError("serialNumber", value, "Member must have length less than or equal to 256");
  if (!SERIAL_NUMBER_RE.test(value)) throw constraintError("serialNumber", value, "Member must satisfy regular expression pattern: [\\w+=/:,.@-]*");
}

export function checkTokenCode(value: string): void {
  if (!/^\d{6}$/.test(value)) {
    if (value.length !== 6) throw constraintError("tokenCode", value, `Member must have length ${value.length < 6 ? "greater than or equal to" : "less than or equal to"} 6`);
    throw constraintError("tokenCode", value, "Member must satisfy regular expression pattern: [\\d]*");
  }
}

export interface AssumeRoleDurationInput {
  /** Requested DurationSeconds; undefined: the default of one hour (capped by the role's maximum). */
  requested?: number;
  roleMaxSessionDuration: number;
  /** The caller is itself an assumed-role session. */
  chained: boolean;
}

/** The session length AssumeRole grants, or AWS's ValidationError. */
export function assumeRoleDuration({ requested, roleMaxSessionDuration, chained }: AssumeRoleDurationInput): number {
  if (requested === undefined) return Math.min(DEFAULT_ASSUME_ROLE_SECONDS, roleMaxSessionDuration);
  if (!Number.isInteger(requested)) throw constraintError("durationSeconds", requested, "Member must be an integer");
  if (requested < MIN_SESSION_SECONDS) throw constraintError("durationSeconds", requested, `Member must have value greater than or equal to ${MIN_SESSION_SECONDS}`);
  if (requested > MAX_ROLE_SESSION_SECONDS) throw constraintError("durationSeconds", requested, `Member must have value less than or equal to ${MAX_ROLE_SESSION_SECONDS}`);
  if (chained && requested > ROLE_CHAINING_MAX_SECONDS)
    throw new IamError("ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
  if (requested > roleMaxSessionDuration) throw new IamError("ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
  return requested;
}

/** The session length GetSessionToken grants (root: at most one hour, silently), or AWS's ValidationError. */
export function getSessionTokenDuration(requested: number | undefined, isRoot: boolean): number {
  let seconds = GET_SESSION_TOKEN_DEFAULT_SECONDS;
  if (requested !== undefined) {
    if (!Number.isInteger(requested)) throw constraintError("durationSeconds", requested, "Member must be an integer");
    if (requested < MIN_SESSION_SECONDS) throw constraintError("durationSeconds", requested, `Member must have value greater than or equal to ${MIN_SESSION_SECONDS}`);
    if (requested > GET_SESSION_TOKEN_MAX_SECONDS)
      throw constraintError("durationSeconds", requested, `Member must have value less than or equal to ${GET_SESSION_TOKEN_MAX_SECONDS}`);
    seconds = requested;
  }
  return isRoot ? Math.min(seconds, ROOT_SESSION_MAX_SECONDS) : seconds;
}

export interface SessionTag {
  Key: string;
  Value: string;
}

/** Session tags as AWS checks them: at most 50, key 1..128, value 0..256, keys unique ignoring case. */
export function checkSessionTags(tags: SessionTag[] | undefined, transitiveTagKeys: string[] | undefined, inherited: Record<string, string> = {}, inheritedTransitive: string[] = []): Record<string, string> {
  const list = tags ?? [];
  if (list.length > MAX_SESSION_TAGS) throw constraintError("tags", undefined, `Member must have length less than or equal to ${MAX_SESSION_TAGS}`);
  const seen = new Set<string>();
  for (const t of list) {
    if (!t.Key || t.Key.length > 128) throw constraintError("tags.member.key", t.Key, "Member must have length less than or equal to 128");
    if ((t.Value ?? "").length > 256) throw constraintError("tags.member.value", t.Value, "Member must have length less than or equal to 256");
    if (!/^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u.test(t.Key))
      throw constraintError("tags.member.key", t.Key, "Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+");
    const lower = t.Key.toLowerCase();
    if (seen.has(lower)) throw new IamError(INVALID_PARAMETER_VALUE, "Duplicate tag keys found. Please note that Tag keys are case insensitive.");
    seen.add(lower);
  }
  for (const key of transitiveTagKeys ?? []) {
    if (!seen.has(key.toLowerCase())) throw new IamError(INVALID_PARAMETER_VALUE, "The specified transitive tag key must be included in the requested tags.");
  }
  const inheritedTransitiveLower = new Set(inheritedTransitive.map((k) => k.toLowerCase()));
  for (const key of seen) {
    if (inheritedTransitiveLower.has(key))
      throw new IamError(INVALID_PARAMETER_VALUE, "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.");
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(inherited)) if (inheritedTransitiveLower.has(k.toLowerCase())) out[k] = v;
  for (const t of list) out[t.Key] = t.Value ?? "";
  return out;
}

/** Size of the packed session policy and tags, as a percentage of what AWS allows. */
export function packedPolicyPercent(policyText: string | undefined, tags: Record<string, string>): number {
  const policyChars = policyText ? policyText.replace(/\s+/g, "").length : 0;
  const tagChars = Object.entries(tags).reduce((n, [k, v]) => n + k.length + v.length, 0);
  return Math.ceil(((policyChars + tagChars) / SESSION_POLICY_MAX_CHARS) * 100);
}

/** PackedPolicyTooLarge when the session policy (and tags) exceed the packed limit. */
export function checkPackedPolicySize(policyText: string | undefined, tags: Record<string, string>): void {
  if (policyText !== undefined && policyText.length > SESSION_POLICY_MAX_CHARS * 4)
    throw constraintError("policy", undefined, "Member must have length less than or equal to " + SESSION_POLICY_MAX_CHARS * 4);
  const percent = packedPolicyPercent(policyText, tags);
  if (percent > 100) throw new IamError("PackedPolicyTooLarge", `Packed policy consumes ${percent}% of allotted space, please use smaller policy.`);
}

// ------------------------------------------------------------------ ARNs

/**
 * Role ARNs as STS accepts them in AssumeRole's RoleArn: a malformed ARN is a
 * ValidationError ("<arn> is invalid", as recorded); a well-formed ARN that names
 * no IAM role returns null (the caller then answers AccessDenied, as AWS does).
 */
export function parseRoleArn(arn: string): { accountId: string; path: string; name: string } | null {
  if (typeof arn !== "string" || arn.length < 20) throw constraintError("roleArn", arn, "Member must have length greater than or equal to 20");
  if (arn.length > 2048) throw constraintError("roleArn", arn, "Member must have length less than or equal to 2048");
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn" || !parts[1] || !parts[2] || !parts.slice(5).join(":")) throw new IamError("ValidationError", `${arn} is invalid`);
  const m = /^arn:aws:iam::(\d{12}):role\/(.+)$/.exec(arn);
  if (!m) return null;
  const rest = m[2]!;
  const last = rest.lastIndexOf("/");
  const name = rest.slice(last + 1);
  const path = "/" + rest.slice(0, last + 1);
  if (!/^[\w+=,.@-]{1,64}$/.test(name)) return null;
  return { accountId: m[1]!, path, name };
}

export const assumedRoleArn = (accountId: string, roleName: string, sessionName: string) =>
  `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;

export const assumedRoleId = (roleId: string, sessionName: string) => `${roleId}:${sessionName}`;

export const federatedUserArn = (accountId: string, name: string) => `arn:aws:sts::${accountId}:federated-user/${name}`;
export const federatedUserId = (accountId: string, name: string) => `${accountId}:${name}`;
export const isFederatedUserArn = (arn: string) => /^arn:aws:sts::\d{12}:federated-user\//.test(arn);

/** AWS's message for a wrong or reused MFA code on AssumeRole and GetSessionToken. */
export const MFA_FAILED_MESSAGE = "MultiFactorAuthentication failed with invalid MFA one time pass code.";
export const MFA_FAILED_GET_SESSION_TOKEN = "MultiFactorAuthentication failed with invalid MFA one time pass code.";
export const ROOT_CANNOT_ASSUME = "Roles may not be assumed by root accounts.";
export const SESSION_CANNOT_GET_TOKEN = "Cannot call GetSessionToken with session credentials";
export const EXPIRED_TOKEN = "The security token included in the request is expired";
export const INVALID_TOKEN = "The security token included in the request is invalid.";
