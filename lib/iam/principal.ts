// Who is making a request: the same shape whether it came through the console or
// (later) the AWS-compatible API. A console user who switched into a role is an
// AssumedRole principal, exactly as an SDK using the role's temporary keys.

export interface RequestInfo {
  via: "console" | "api";
  sourceIp?: string;
  userAgent?: string;
  secureTransport: boolean;
  region: string;
  requestId: string;
}

interface PrincipalBase {
  organizationId: string;
  accountId: string;
  arn: string;
  /** userIdentity.principalId: account ID (root), user ID, or ROLEID:session */
  principalId: string;
  mfaAuthenticated: boolean;
  mfaAuthenticatedAt?: Date;
  /** When the credentials (console sign-in or temporary keys) were issued. */
  tokenIssuedAt?: Date;
  accessKeyId?: string;
  /** The STS operation that issued the temporary credentials signing the request (lib/sts/session-type-rules.ts). */
  sessionKind?: string;
  /** A console password marked "reset required": only ChangePassword is allowed. */
  passwordResetRequired?: boolean;
}

export interface RootPrincipal extends PrincipalBase {
  type: "Root";
}

export interface UserPrincipal extends PrincipalBase {
  type: "IAMUser";
  userId: string;
  userName: string;
}

export interface RolePrincipal extends PrincipalBase {
  type: "AssumedRole";
  roleId: string;
  roleName: string;
  roleArn: string;
  sessionId: string;
  sessionName: string;
  expiresAt: Date;
  sourceIdentity?: string;
  /** The identity that assumed the role (for audit and "Back to ..."). */
  sourceArn: string;
  sourceAccountId: string;
}

/**
 * An unsigned request (S3's anonymous access): no account of its own, so only
 * a resource-based policy can grant it anything (a bucket policy naming
 * Principal "*"), and no SCP applies. `accountId` is "anonymous", as CloudTrail
 * records it; `organizationId` is the organization of the resource asked for,
 * so its audit record lands there.
 */
export interface AnonymousPrincipal extends PrincipalBase {
  type: "Anonymous";
}

export type Principal = RootPrincipal | UserPrincipal | RolePrincipal;

/** Whoever the gate judges: a signed-in principal, or (S3 only) an anonymous caller. */
export type Caller = Principal | AnonymousPrincipal;

/** The account ID an anonymous caller carries (none of the 12-digit ones). */
export const ANONYMOUS_ACCOUNT = "anonymous";

/** The anonymous caller of a request on a resource of `organizationId`. */
export function anonymousPrincipal(organizationId: string): AnonymousPrincipal {
  return { type: "Anonymous", organizationId, accountId: ANONYMOUS_ACCOUNT, arn: "anonymous", principalId: "anonymous", mfaAuthenticated: false };
}

/** aws:PrincipalArn: for a role session this is the role's ARN, not the session's. */
export function principalArnKey(p: Caller): string {
  return p.type === "AssumedRole" ? p.roleArn : p.arn;
}

export function displayName(p: Caller): string {
  if (p.type === "Root") return "root";
  if (p.type === "IAMUser") return p.userName;
  if (p.type === "Anonymous") return "anonymous";
  return `${p.roleName}/${p.sessionName}`;
}
