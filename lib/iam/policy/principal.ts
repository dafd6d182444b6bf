/**
 * Principals: parsing the caller's ARN, and matching a policy's Principal / NotPrincipal element.
 */

export type PrincipalKind =
  | "root"
  | "user"
  | "role"
  | "assumed-role"
  | "federated-user"
  | "service"
  | "anonymous"
  | "unknown";

export interface ParsedPrincipal {
  kind: PrincipalKind;
  /** The string as given. */
  arn: string;
  partition?: string;
  accountId?: string;
  /** User name, role name or federated user name (without path). */
  name?: string;
  /** Path of a user or role ("/" when none). */
  path?: string;
  /** For assumed-role sessions: the role name and the session name. */
  roleName?: string;
  sessionName?: string;
  /** For service principals: the service name (e.g. "ec2.amazonaws.com"). */
  service?: string;
}

const ACCOUNT_RE = /^\d{12}$/;

/** Split an ARN into its six parts; undefined when it is not an ARN. */
export function splitArn(arn: string):
  | { partition: string; service: string; region: string; account: string; resource: string }
  | undefined {
  if (typeof arn !== "string" || !arn.startsWith("arn:")) return undefined;
  const parts = arn.split(":");
  if (parts.length < 6) return undefined;
  return {
    partition: parts[1],
    service: parts[2],
    region: parts[3],
    account: parts[4],
    resource: parts.slice(5).join(":"),
  };
}

/** What kind of principal an ARN (or service name, or "*") is. Never throws. */
export function parsePrincipalArn(arn: string): ParsedPrincipal {
  if (typeof arn !== "string" || arn === "" || arn === "*" || arn.toLowerCase() === "anonymous") {
    return { kind: "anonymous", arn: typeof arn === "string" ? arn : "" };
  }
  const a = splitArn(arn);
  if (!a) {
    if (/^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$/i.test(arn)) {
      return { kind: "service", arn, service: arn.toLowerCase() };
    }
    if (ACCOUNT_RE.test(arn)) return { kind: "root", arn: `arn:aws:iam::${arn}:root`, partition: "aws", accountId: arn };
    return { kind: "unknown", arn };
  }
  const base = { arn, partition: a.partition, accountId: a.account };
  if (!ACCOUNT_RE.test(a.account)) return { kind: "unknown", ...base };
  if (a.service === "iam") {
    if (a.resource === "root") return { kind: "root", ...base };
    const m = /^(user|role)(\/(?:.*\/)?)?([^/]+)$/.exec(a.resource);
    if (m && a.resource.startsWith(m[1] + "/")) {
      const rest = a.resource.slice(m[1].length); // "/path/name"
      const lastSlash = rest.lastIndexOf("/");
      const path = rest.slice(0, lastSlash + 1) || "/";
      return { kind: m[1] as "user" | "role", ...base, name: rest.slice(lastSlash + 1), path };
    }
    return { kind: "unknown", ...base };
  }
  if (a.service === "sts") {
    const ar = /^assumed-role\/([^/]+)\/(.+)$/.exec(a.resource);
    if (ar) return { kind: "assumed-role", ...base, roleName: ar[1], name: ar[1], sessionName: ar[2] };
    const fu = /^federated-user\/(.+)$/.exec(a.resource);
    if (fu) return { kind: "federated-user", ...base, name: fu[1] };
  }
  return { kind: "unknown", ...base };
}

/** The principal's ARN as IAM reports it in aws:PrincipalArn (the role ARN for a role session). */
export function principalArnForContext(p: ParsedPrincipal): string | undefined {
  switch (p.kind) {
    case "root":
    case "user":
    case "role":
    case "federated-user":
      return p.arn;
    case "assumed-role":
      return `arn:${p.partition}:iam::${p.accountId}:role/${p.roleName}`;
    default:
      return undefined;
  }
}

export function principalTypeForContext(p: ParsedPrincipal): string | undefined {
  switch (p.kind) {
    case "root":
      return "Account";
    case "user":
      return "User";
    case "assumed-role":
    case "role":
      return "AssumedRole";
    case "federated-user":
      return "FederatedUser";
    case "anonymous":
      return "Anonymous";
    default:
      return undefined;
  }
}

/**
 * How a Principal element matched the caller. This matters for same-account access through a
 * resource-based policy (see README):
 * - "direct": the entry names exactly this caller (user ARN, role-session ARN, federated-user
 *   ARN, service principal, canonical user, or "*"): the resource policy grants on its own.
 * - "role": the entry names the role of a role session: the grant is added to the role's
 *   identity-based permissions, so permissions boundaries and session policies still limit it.
 * - "account": the entry names the caller's account: the account delegates to its identity
 *   policies, which must also allow (except for the root user, for whom this is "direct").
 */
export type PrincipalMatchKind = "direct" | "role" | "account";

interface PrincipalEntry {
  /** Element key as written: AWS, Service, Federated, CanonicalUser, or "*" for Principal: "*". */
  type: string;
  value: string;
  /** Precomputed at compile time for AWS entries. */
  account?: string;
  role?: { account: string; name: string };
  serviceLower?: string;
}

function entry(type: string, value: string): PrincipalEntry {
  const e: PrincipalEntry = { type, value };
  if (type === "AWS" && value !== "*") {
    const acct = accountOfEntry(value);
    if (acct !== undefined) e.account = acct;
    else {
      const a = splitArn(value);
      if (a && a.service === "iam" && a.resource.startsWith("role/"))
        e.role = { account: a.account, name: a.resource.slice(a.resource.lastIndexOf("/") + 1) };
    }
  }
  if (type === "Service") e.serviceLower = value.toLowerCase();
  return e;
}

export interface CompiledPrincipal {
  not: boolean;
  entries: PrincipalEntry[];
}

export function compilePrincipal(block: "*" | Record<string, string[]>, not: boolean): CompiledPrincipal {
  const entries: PrincipalEntry[] = [];
  if (block === "*") entries.push(entry("*", "*"));
  else for (const [type, values] of Object.entries(block)) for (const value of values) entries.push(entry(type, value));
  return { not, entries };
}

function accountOfEntry(value: string): string | undefined {
  if (ACCOUNT_RE.test(value)) return value;
  const a = splitArn(value);
  if (a && a.service === "iam" && a.resource === "root" && ACCOUNT_RE.test(a.account)) return a.account;
  return undefined;
}

/** Match one Principal entry against the caller. Returns how it matched, or undefined. */
export function matchPrincipalEntry(e: PrincipalEntry, p: ParsedPrincipal): PrincipalMatchKind | undefined {
  if (e.type === "*") return "direct";
  if (e.type === "AWS") {
    if (e.value === "*") return "direct";
    if (p.kind === "anonymous" || p.kind === "service" || p.kind === "unknown") return undefined;
    if (e.account !== undefined) {
      if (e.account !== p.accountId) return undefined;
      return p.kind === "root" ? "direct" : "account";
    }
    // A role ARN names the role, never one of its sessions: a caller given as the role ARN (or a
    // session of it) matches as "role", so boundary and session policy still limit the grant.
    if (e.role && e.role.account === p.accountId && e.role.name === (p.kind === "assumed-role" ? p.roleName : p.kind === "role" ? p.name : undefined)) return "role";
    if (e.value === p.arn) return p.kind === "role" ? "role" : "direct";
    return undefined;
  }
  if (e.type === "Service") {
    return p.kind === "service" && e.serviceLower === p.service ? "direct" : undefined;
  }
  // Federated and CanonicalUser principals match a caller given by that exact identifier.
  return e.value === p.arn ? "direct" : undefined;
}

/** Best match kind of a Principal element (direct > role > account), or undefined. */
export function matchPrincipal(cp: CompiledPrincipal, p: ParsedPrincipal): { kind: PrincipalMatchKind; entry: string } | undefined {
  let best: { kind: PrincipalMatchKind; entry: string } | undefined;
  for (const e of cp.entries) {
    const k = matchPrincipalEntry(e, p);
    if (k === "direct") return { kind: k, entry: e.value };
    if (k === "role" || (k === "account" && !best)) best = { kind: k, entry: e.value };
  }
  return best;
}

/**
 * NotPrincipal: the statement applies to every caller the element does not exclude.
 *
 * With `Deny`, AWS evaluates a caller under each of its identities, so to exclude an IAM user or
 * a role session the element must name both the specific identity (user ARN, or session or role
 * ARN) and the account; the root user and non-AWS principals are excluded by a direct match alone.
 *
 * With `Allow` (a grant to everyone except the listed principals), any entry that matches the
 * caller excludes it: its own ARN, its role, or its account.
 */
export function excludedByNotPrincipal(cp: CompiledPrincipal, p: ParsedPrincipal, effect: "Allow" | "Deny" = "Deny"): string | undefined {
  if (effect === "Allow") {
    for (const e of cp.entries) if (matchPrincipalEntry(e, p) !== undefined) return e.value;
    return undefined;
  }
  let specific: string | undefined;
  let account: string | undefined;
  for (const e of cp.entries) {
    const k = matchPrincipalEntry(e, p);
    if (k === "direct" || k === "role") specific ??= e.value;
    else if (k === "account") account ??= e.value;
  }
  if (p.kind === "root" || p.kind === "service" || p.kind === "anonymous" || p.kind === "unknown") return specific;
  return specific !== undefined && account !== undefined ? specific : undefined;
}
