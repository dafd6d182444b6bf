/**
 * Write-time validation, as IAM does it for CreatePolicy, PutUserPolicy, CreateRole, ...
 * Returns AWS's own error codes and messages. Never throws.
 */
import { parseOperator } from "./conditions";
import { readPolicyDocument, MSG_SYNTAX, type ReadDocument } from "./document";
import { positionAt, sizeWithoutWhitespace } from "./json-source";
import type { PolicyType, Span, ValidateOptions, ValidationResult } from "./types";

export const MSG_VERSION_REQUIRED = "Policy document must be version 2012-10-17 or greater.";
export const MSG_LEGACY_PARSING = "The policy failed legacy parsing";
export const MSG_VENDOR = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.";
export const MSG_NEEDS_ACTIONS = "Policy statement must contain actions.";
export const MSG_NEEDS_RESOURCES = "Policy statement must contain resources.";
export const MSG_NO_PRINCIPAL = "Policy document should not specify a principal.";
export const MSG_PROHIBITED_PRINCIPAL = "Has prohibited field Principal";
export const MSG_PROHIBITED_RESOURCE = "Has prohibited field Resource";
export const MSG_MISSING_PRINCIPAL = "Missing required field Principal";
export const MSG_SID_UNIQUE = "Statement IDs (SID) in a single policy must be unique.";
export const MSG_SID_ALNUM =
  "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*";

/** Per-document size limits (characters, whitespace not counted), with AWS's quota names. */
export const SIZE_LIMITS: Record<PolicyType, { limit: number; quota: string } | undefined> = {
  identity: { limit: 6144, quota: "PolicySize" },
  boundary: { limit: 6144, quota: "PolicySize" },
  trust: { limit: 2048, quota: "ACLSizePerRole" },
  session: { limit: 2048, quota: "PolicySize" },
  scp: { limit: 5120, quota: "PolicySize" },
  resource: { limit: 20480, quota: "PolicySize" },
};

/** Aggregate size limits of inline policies per identity. */
export const INLINE_AGGREGATE_LIMITS = { user: 2048, group: 5120, role: 10240 } as const;

/**
 * Check the aggregate size of an identity's inline policies (the caller sums `size` from
 * validatePolicyDocument over the identity's inline policies, the new one included).
 */
export function checkInlineAggregateSize(
  entity: "user" | "group" | "role",
  entityName: string,
  totalSize: number,
): { ok: true } | { ok: false; error: { code: "LimitExceeded"; message: string } } {
  const limit = INLINE_AGGREGATE_LIMITS[entity];
  if (totalSize <= limit) return { ok: true };
  return {
    ok: false,
    error: { code: "LimitExceeded", message: `Maximum policy size of ${limit} bytes exceeded for ${entity} ${entityName}` },
  };
}

const PARTITIONS = new Set(["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"]);
const VENDOR_RE = /^[A-Za-z0-9-]+$/;
const ACCOUNT_RE = /^\d{12}$/;
const AWS_PRINCIPAL_ARN_RE =
  /^arn:aws(-[a-z-]+)?:(iam::\d{12}:(root|user\/.+|role\/.+|group\/.+)|sts::\d{12}:(assumed-role\/[^/]+\/.+|federated-user\/.+))$/;
const SERVICE_RE = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$/;

class Invalid {
  constructor(
    readonly message: string,
    readonly at?: Span,
  ) {}
}

/** Whether the action string is well formed ("*" or "vendor:pattern"). Returns an error message or undefined. */
export function actionError(a: string): string | undefined {
  if (a === "*") return undefined;
  const c = a.indexOf(":");
  if (c <= 0 || c === a.length - 1) return MSG_VENDOR;
  if (!VENDOR_RE.test(a.slice(0, c))) return `Vendor ${a.slice(0, c)} is not valid`;
  return undefined;
}

export function resourceError(r: string): string | undefined {
  if (r === "*") return undefined;
  const parts = r.split(":");
  if (parts[0] !== "arn" || parts.length < 6) return `Resource ${r} must be in ARN format or "*".`;
  const partition = parts[1];
  if (!partition.includes("*") && !partition.includes("?") && !partition.includes("${") && !PARTITIONS.has(partition))
    return `Partition "${partition}" is not valid for resource "${r}".`;
  return undefined;
}

function principalError(type: string, v: string): string | undefined {
  const bad = `Invalid principal in policy: "${type === "Service" ? "SERVICE" : type === "Federated" ? "FEDERATED" : type === "CanonicalUser" ? "CANONICAL_USER" : "AWS"}":"${v}"`;
  switch (type) {
    case "*":
      return undefined;
    case "AWS":
      return v === "*" || ACCOUNT_RE.test(v) || AWS_PRINCIPAL_ARN_RE.test(v) ? undefined : bad;
    case "Service":
      return SERVICE_RE.test(v) || v === "*" ? undefined : bad;
    case "CanonicalUser":
      return /^[0-9a-f]{64}$/.test(v) ? undefined : bad;
    case "Federated":
      return v.length > 0 && !/\s/.test(v) ? undefined : bad;
    default:
      return bad;
  }
}

function check(read: ReadDocument, type: PolicyType, options: ValidateOptions): void {
  const { document, sources } = read;
  if (read.badVersion) throw new Invalid(MSG_LEGACY_PARSING, read.badVersion.span);
  const managedLike = (type === "identity" && !options.inline) || type === "boundary" || type === "scp";
  if (managedLike && document.Version === "2008-10-17") throw new Invalid(MSG_VERSION_REQUIRED, read.versionSpan);
  const sids = new Set<string>();
  sources.forEach((src, i) => {
    const st = document.Statement[i];
    // Effect
    if (!src.effect) throw new Invalid(MSG_SYNTAX, src.span);
    if (st.Effect !== "Allow" && st.Effect !== "Deny") throw new Invalid(MSG_SYNTAX, src.effect.span);
    // Sid
    if (src.sid) {
      if ((type === "identity" || type === "boundary") && !/^[0-9A-Za-z]*$/.test(src.sid.value))
        throw new Invalid(MSG_SID_ALNUM, src.sid.span);
      if (src.sid.value !== "") {
        if (sids.has(src.sid.value)) throw new Invalid(MSG_SID_UNIQUE, src.sid.span);
        sids.add(src.sid.value);
      }
    }
    // Principal
    const needsPrincipal = type === "resource" || type === "trust";
    if (src.principalKey) {
      if (!needsPrincipal) {
        const msg = type === "identity" && options.inline ? MSG_NO_PRINCIPAL : type === "session" ? MSG_NO_PRINCIPAL : MSG_PROHIBITED_PRINCIPAL;
        throw new Invalid(msg, src.principalKeySpan);
      }
      for (const p of src.principals ?? []) {
        const err = principalError(p.type, p.value.value);
        if (err) throw new Invalid(err, p.value.span);
      }
    } else if (needsPrincipal) throw new Invalid(MSG_MISSING_PRINCIPAL, src.span);
    // Action
    if (!src.actions || src.actions.length === 0) throw new Invalid(MSG_NEEDS_ACTIONS, src.actionKeySpan ?? src.span);
    for (const a of src.actions) {
      const err = actionError(a.value);
      if (err) throw new Invalid(err, a.span);
    }
    // Resource
    if (type === "trust") {
      if (src.resourceKey) throw new Invalid(src.resourceKey === "Resource" ? MSG_PROHIBITED_RESOURCE : "Has prohibited field NotResource", src.resourceKeySpan);
    } else {
      if (!src.resources || src.resources.length === 0) throw new Invalid(MSG_NEEDS_RESOURCES, src.resourceKeySpan ?? src.span);
      for (const r of src.resources) {
        const err = resourceError(r.value);
        if (err) throw new Invalid(err, r.span);
      }
    }
    // Condition
    for (const c of src.conditions) {
      if (!parseOperator(c.operator)) throw new Invalid(`Invalid Condition type : ${c.operator}`, c.operatorSpan);
      const colon = c.key.indexOf(":");
      if (colon <= 0 || colon === c.key.length - 1) throw new Invalid(MSG_VENDOR, c.keySpan);
      if (c.values.length === 0) throw new Invalid(MSG_SYNTAX, c.keySpan);
    }
  });
}

/**
 * Validate a policy document for its use. `size` is the number of non-whitespace characters,
 * which callers add up for the aggregate inline-policy limits (checkInlineAggregateSize).
 */
export function validatePolicyDocument(text: string, type: PolicyType, options: ValidateOptions = {}): ValidationResult {
  try {
    if (typeof text !== "string") return { ok: false, error: { code: "MalformedPolicyDocument", message: "This policy contains invalid Json" } };
    const size = sizeWithoutWhitespace(text);
    const limit = type === "identity" && options.inline ? undefined : SIZE_LIMITS[type];
    if (limit && size > limit.limit)
      return { ok: false, error: { code: "LimitExceeded", message: `Cannot exceed quota for ${limit.quota}: ${limit.limit}` } };
    const r = readPolicyDocument(text);
    if (!r.ok)
      return { ok: false, error: { code: "MalformedPolicyDocument", message: r.message, position: positionAt(text, r.offset) } };
    check(r.read, type, options);
    return { ok: true, document: r.read.document, size };
  } catch (e) {
    if (e instanceof Invalid)
      return {
        ok: false,
        error: { code: "MalformedPolicyDocument", message: e.message, ...(e.at ? { position: positionAt(text, e.at.start) } : {}) },
      };
    return { ok: false, error: { code: "MalformedPolicyDocument", message: MSG_SYNTAX } };
  }
}
