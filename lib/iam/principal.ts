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

export type Principal = RootPrincipal | UserPrincipal | RolePrincipal;

/** aws:PrincipalArn: for a role session this is the role's ARN, not the session's. */
export function principalArnKey(p: Principal): string {
  return p.type === "AssumedRole" ? p.roleArn : p.arn;
}

export function displayName(p: Principal): string {
  if (p.type === "Root") return "root";
  if (p.type === "IAMUser") return p.userName;
  return `${p.roleName}/${p.sessionName}`;
}
