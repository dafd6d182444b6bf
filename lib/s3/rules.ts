// S3's rules, pure: bucket names, object keys, what makes a bucket policy
// "public" (AWS's definition used by Block Public Access), the console's access
// summary, bucket-policy checks with S3's MalformedPolicy messages, and the
// ListObjectsV2 continuation token.
import { IamError, type AwsErrorCode } from "@/lib/iam/errors";
import { validatePolicyDocument } from "@/lib/iam/policy";
import type { PolicyDocument } from "@/lib/iam/policy";

export const s3Error = (code: AwsErrorCode, message: string) => new IamError(code, message);

export const MSG = {
  noSuchBucket: "The specified bucket does not exist",
  noSuchKey: "The specified key does not exist.",
  bucketExists: "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.",
  ownedByYou: "Your previous request to create the named bucket succeeded and you already own it.",
  notEmpty: "The bucket you tried to delete is not empty",
  invalidName: "The specified bucket is not valid.",
  tooLarge: "Your proposed upload exceeds the maximum allowed object size.",
  noSuchPolicy: "The bucket policy does not exist",
  keyTooLong: "Your key is too long",
  metadataTooLarge: "Your metadata headers exceed the maximum allowed metadata size.",
  badToken: "The continuation token provided is incorrect",
  invalidJson: "Policies must be valid JSON and the first byte must be '{'",
  invalidResource: "Policy has invalid resource",
  invalidAction: "Policy has invalid action",
  invalidPrincipal: "Invalid principal in policy",
  missingPrincipal: "Missing required field Principal",
  actionResourceMismatch: "Action does not apply to any resource(s) in statement",
  policyTooLarge: "Policy exceeds the maximum allowed document size.",
  noLoggingTarget: "The target bucket for logging does not exist",
  loggingOwner: "The owner for the bucket to be logged and the target bucket must be the same.",
} as const;

// ------------------------------------------------------------------ names and keys

const IP_LIKE = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/** AWS's naming rules for general purpose buckets; returns the broken rule, or null when the name is valid. */
export function bucketNameProblem(name: string): string | null {
  if (typeof name !== "string" || name.length < 3 || name.length > 63) return "Bucket names must be between 3 and 63 characters long.";
  if (!/^[a-z0-9.-]+$/.test(name)) return "Bucket names can consist only of lowercase letters, numbers, periods (.), and hyphens (-).";
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return "Bucket names must begin and end with a letter or number.";
  if (name.includes("..")) return "Bucket names must not contain two adjacent periods.";
  if (IP_LIKE.test(name)) return "Bucket names must not be formatted as an IP address.";
  const prefix = RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) return `Bucket names must not start with the prefix ${prefix}`;
  const suffix = RESERVED_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix) return `Bucket names must not end with the suffix ${suffix}`;
  return null;
}

export function assertBucketName(name: string): void {
  if (bucketNameProblem(name)) throw s3Error("InvalidBucketName", MSG.invalidName);
}

export function assertObjectKey(key: string): void {
  if (typeof key !== "string" || key.length === 0) throw s3Error("InvalidArgument", "Object key must not be empty");
  if (Buffer.byteLength(key, "utf8") > 1024) throw s3Error("KeyTooLongError", MSG.keyTooLong);
}

/** User metadata (x-amz-meta-*) is limited to 2 KB, names and values counted in UTF-8. */
export function normalizeMetadata(metadata: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  let size = 0;
  for (const [rawKey, value] of Object.entries(metadata ?? {})) {
    const key = rawKey.toLowerCase().replace(/^x-amz-meta-/, "");
    out[key] = String(value);
    size += Buffer.byteLength(key, "utf8") + Buffer.byteLength(String(value), "utf8");
  }
  if (size > 2048) throw s3Error("MetadataTooLarge", MSG.metadataTooLarge);
  return out;
}

// ------------------------------------------------------------------ public policies

const FIXING_KEYS = new Set(
  [
    "aws:SourceIp",
    "aws:SourceArn",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:SourceAccount",
    "aws:SourceOwner",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:userid",
    "s3:DataAccessPointArn",
    "s3:DataAccessPointAccount",
  ].map((k) => k.toLowerCase()),
);
const FIXING_OPERATORS = new Set(["stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike", "ipaddress"]);

function fixedValue(key: string, value: string): boolean {
  if (key === "aws:sourceip") {
    const bits = Number(value.split("/")[1] ?? (value.includes(":") ? 128 : 32));
    return value.includes(":") ? bits >= 32 : bits >= 8;
  }
  return value.length > 0 && !value.includes("*") && !value.includes("?");
}

/** Whether a statement's conditions pin the caller to fixed values of a non-public key (AWS's definition). */
function conditionsFix(condition: PolicyDocument["Statement"][number]["Condition"]): boolean {
  for (const [operator, entries] of Object.entries(condition ?? {})) {
    const op = operator.toLowerCase().replace(/^forallvalues:|^foranyvalue:/, "").replace(/ifexists$/, "");
    if (!FIXING_OPERATORS.has(op)) continue;
    for (const [key, values] of Object.entries(entries)) {
      const k = key.toLowerCase();
      if (FIXING_KEYS.has(k) && values.length > 0 && values.every((v) => fixedValue(k, v))) return true;
    }
  }
  return false;
}

function grantsEveryone(principal: PolicyDocument["Statement"][number]["Principal"]): boolean {
  if (principal === undefined) return false;
  if (principal === "*") return true;
  return Object.entries(principal).some(([type, values]) => (type === "AWS" || type === "*") && values.includes("*"));
}

/** A bucket policy is public when an Allow statement grants a wildcard principal without fixing conditions. */
export function isPolicyPublic(policyText: string | null | undefined): boolean {
  if (!policyText) return false;
  const v = validatePolicyDocument(policyText, "resource");
  if (!v.ok) return false;
  return v.document.Statement.some(
    (st) => st.Effect === "Allow" && (grantsEveryone(st.Principal) || st.NotPrincipal !== undefined) && !conditionsFix(st.Condition),
  );
}

export type AccessSummary = "Public" | "Objects can be public" | "Bucket and objects not public";

export interface PublicAccessBlock {
  BlockPublicAcls: boolean;
  IgnorePublicAcls: boolean;
  BlockPublicPolicy: boolean;
  RestrictPublicBuckets: boolean;
}

/** The "Access" column of the console's bucket list. */
export function accessSummary(policyText: string | null | undefined, bpa: PublicAccessBlock): AccessSummary {
  if (isPolicyPublic(policyText) && !bpa.RestrictPublicBuckets) return "Public";
  if (!(bpa.BlockPublicAcls && bpa.IgnorePublicAcls && bpa.BlockPublicPolicy && bpa.RestrictPublicBuckets)) return "Objects can be public";
  return "Bucket and objects not public";
}

// ------------------------------------------------------------------ bucket policies

function actionLevel(action: string): "object" | "bucket" | "both" {
  const name = action.includes(":") ? action.slice(action.indexOf(":") + 1) : action;
  if (name.includes("*") || name.includes("?")) return "both";
  return /Object|MultipartUpload|ListMultipartUploadParts|RestoreObject/.test(name) ? "object" : "bucket";
}

/** Validates a bucket policy as S3 does for PutBucketPolicy; returns the document or throws MalformedPolicy. */
export function validateBucketPolicy(text: string, bucket: string): PolicyDocument {
  const v = validatePolicyDocument(text, "resource");
  if (!v.ok) {
    const m = v.error.message;
    if (v.error.code === "LimitExceeded") throw s3Error("MalformedPolicy", MSG.policyTooLarge);
    if (m === "This policy contains invalid Json" || /json/i.test(m)) throw s3Error("MalformedPolicy", MSG.invalidJson);
    if (m.startsWith("Invalid principal")) throw s3Error("MalformedPolicy", MSG.invalidPrincipal);
    if (m === MSG.missingPrincipal) throw s3Error("MalformedPolicy", MSG.missingPrincipal);
    if (m.startsWith("Resource ") || m.startsWith("Partition ") || m.includes("must contain resources")) throw s3Error("MalformedPolicy", MSG.invalidResource);
    if (m.includes("vendor") || m.startsWith("Vendor ") || m.includes("must contain actions")) throw s3Error("MalformedPolicy", MSG.invalidAction);
    throw s3Error("MalformedPolicy", m);
  }
  const bucketArn = `arn:aws:s3:::${bucket}`;
  for (const st of v.document.Statement) {
    const actions = st.Action ?? st.NotAction ?? [];
    if (actions.some((a) => a !== "*" && !a.toLowerCase().startsWith("s3:"))) throw s3Error("MalformedPolicy", MSG.invalidAction);
    const resources = st.Resource ?? st.NotResource ?? [];
    let objectResources = 0;
    let bucketResources = 0;
    for (const r of resources) {
      if (r === bucketArn) bucketResources++;
      else if (r.startsWith(`${bucketArn}/`)) objectResources++;
      else throw s3Error("MalformedPolicy", MSG.invalidResource);
    }
    if (st.Action && st.Resource) {
      const applies = st.Action.some((a) => {
        const level = a === "*" ? "both" : actionLevel(a);
        return level === "both" || (level === "object" ? objectResources > 0 : bucketResources > 0);
      });
      if (!applies) throw s3Error("MalformedPolicy", MSG.actionResourceMismatch);
    }
  }
  return v.document;
}

// ------------------------------------------------------------------ listing

/** The smallest string greater than every string that starts with `prefix` (byte order). */
export function successor(prefix: string): string {
  const last = prefix.charCodeAt(prefix.length - 1);
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}

export interface ListCursor {
  /** Continue from this key or common prefix. */
  after: string;
  /** The cursor is a common prefix: continue past everything under it. */
  prefix: boolean;
}

export function encodeContinuationToken(c: ListCursor): string {
  return Buffer.from(JSON.stringify({ a: c.after, p: c.prefix ? 1 : 0 }), "utf8").toString("base64url");
}

export function decodeContinuationToken(token: string): ListCursor {
  try {
    const v = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { a?: unknown; p?: unknown };
    if (typeof v.a !== "string") throw new Error("bad");
    return { after: v.a, prefix: v.p === 1 };
  } catch {
    throw s3Error("InvalidArgument", MSG.badToken);
  }
}
