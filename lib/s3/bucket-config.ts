import "server-only";
// Bucket configuration S3 stores and reports but IAM Lab does not act on
// further: policy status (derived from the bucket policy), versioning status
// (buckets are unversioned), CORS rules and lifecycle rules (kept as given,
// checked for S3's required members), and deleting the Block Public Access
// configuration. Management events, as bucket-level calls are.
import type { OperationSpec } from "@/lib/iam/operation";
import { IamError } from "@/lib/iam/errors";
import type { Principal } from "@/lib/iam/principal";
import { onBucket } from "./buckets";
import { isPolicyPublic, s3Error } from "./rules";

export function getBucketPolicyStatus(principal: Principal, input: { bucket: string }): OperationSpec<{ PolicyStatus: { IsPublic: boolean } }> {
  return onBucket(principal, { name: "GetBucketPolicyStatus", readOnly: true, bucket: input.bucket }, async (_tx, b) => {
    if (!b.policy) throw new IamError("NoSuchBucketPolicy", "The bucket policy does not exist");
    return { PolicyStatus: { IsPublic: isPolicyPublic(b.policy) } };
  });
}

/** DeletePublicAccessBlock (s3:PutBucketPublicAccessBlock): every setting off. */
export function deletePublicAccessBlock(principal: Principal, input: { bucket: string }): OperationSpec<void> {
  return onBucket(principal, { name: "DeletePublicAccessBlock", action: "s3:PutBucketPublicAccessBlock", readOnly: false, bucket: input.bucket }, async (tx, b) => {
    await tx.bucket.update({ where: { name: b.name }, data: { blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false } });
  });
}

/** GetBucketVersioning: no Status for a bucket never versioned, as S3 answers. */
export function getBucketVersioning(principal: Principal, input: { bucket: string }): OperationSpec<{ Status?: string }> {
  return onBucket(principal, { name: "GetBucketVersioning", readOnly: true, bucket: input.bucket }, async (_tx, b) => (b.versioning ? { Status: b.versioning } : {}));
}

/**
 * PutBucketVersioning: the status is kept (Enabled or Suspended; a bucket once
 * versioned cannot go back to unversioned). Objects keep one version each
 * whatever the status (ListObjectVersions reports it as the "null" version):
 * IAM Lab simulates access, not version history. MFA Delete is not simulated.
 */
export function putBucketVersioning(
  principal: Principal,
  input: { bucket: string; versioningConfiguration: { Status?: string; MFADelete?: string }; mFA?: string },
): OperationSpec<void> {
  return onBucket(
    principal,
    { name: "PutBucketVersioning", readOnly: false, bucket: input.bucket, parameters: { bucketName: input.bucket, VersioningConfiguration: input.versioningConfiguration } },
    async (tx, b) => {
      const { Status, MFADelete } = input.versioningConfiguration ?? {};
      if (MFADelete !== undefined && MFADelete !== "Enabled" && MFADelete !== "Disabled") throw malformedXml();
      if (MFADelete === "Enabled" || input.mFA !== undefined)
        throw new IamError("NotImplemented", "A header or query you provided implies functionality that is not implemented: IAM Lab does not simulate MFA Delete.");
      if (Status === undefined) return;
      if (Status !== "Enabled" && Status !== "Suspended") throw malformedXml();
      await tx.bucket.update({ where: { name: b.name }, data: { versioning: Status } });
    },
  );
}

const malformedXml = () => s3Error("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");

// ------------------------------------------------------------------ CORS

export interface CorsRule {
  ID?: string;
  AllowedHeaders?: string[];
  AllowedMethods: string[];
  AllowedOrigins: string[];
  ExposeHeaders?: string[];
  MaxAgeSeconds?: number;
}

const CORS_METHODS = new Set(["GET", "PUT", "HEAD", "POST", "DELETE"]);

export function validateCorsRules(rules: CorsRule[]): CorsRule[] {
  if (!Array.isArray(rules) || rules.length === 0 || rules.length > 100) throw s3Error("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");
  for (const r of rules) {
    if (!r.AllowedMethods?.length || !r.AllowedOrigins?.length) throw s3Error("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");
    for (const m of r.AllowedMethods) if (!CORS_METHODS.has(m)) throw s3Error("InvalidRequest", `Found unsupported HTTP method in CORS config. Unsupported method is ${m}`);
  }
  return rules;
}

export function getBucketCors(principal: Principal, input: { bucket: string }): OperationSpec<{ CORSRules: CorsRule[] }> {
  return onBucket(principal, { name: "GetBucketCors", action: "s3:GetBucketCORS", readOnly: true, bucket: input.bucket }, async (_tx, b) => {
    if (!b.cors) throw new IamError("NoSuchCORSConfiguration", "The CORS configuration does not exist");
    return { CORSRules: JSON.parse(b.cors) as CorsRule[] };
  });
}

export function putBucketCors(principal: Principal, input: { bucket: string; corsConfiguration: { CORSRules: CorsRule[] } }): OperationSpec<void> {
  return onBucket(
    principal,
    { name: "PutBucketCors", action: "s3:PutBucketCORS", readOnly: false, bucket: input.bucket, parameters: { bucketName: input.bucket, CORSConfiguration: input.corsConfiguration } },
    async (tx, b) => {
      const rules = validateCorsRules(input.corsConfiguration?.CORSRules);
      await tx.bucket.update({ where: { name: b.name }, data: { cors: JSON.stringify(rules) } });
    },
  );
}

export function deleteBucketCors(principal: Principal, input: { bucket: string }): OperationSpec<void> {
  return onBucket(principal, { name: "DeleteBucketCors", action: "s3:PutBucketCORS", readOnly: false, bucket: input.bucket }, async (tx, b) => {
    await tx.bucket.update({ where: { name: b.name }, data: { cors: null } });
  });
}

// ------------------------------------------------------------------ lifecycle

export type LifecycleRule = Record<string, unknown> & { ID?: string; Status: string };

export function validateLifecycleRules(rules: LifecycleRule[]): LifecycleRule[] {
  const malformed = () => s3Error("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");
  if (!Array.isArray(rules) || rules.length === 0 || rules.length > 1000) throw malformed();
  const ids = new Set<string>();
  for (const r of rules) {
    if (r.Status !== "Enabled" && r.Status !== "Disabled") throw malformed();
    if (r.ID !== undefined) {
      if (r.ID.length > 255) throw s3Error("InvalidArgument", "ID length should not exceed allowed limit of 255");
      if (ids.has(r.ID)) throw s3Error("InvalidArgument", "Rule ID must be unique. Found same ID for more than one rule");
      ids.add(r.ID);
    }
    const actions = ["Expiration", "Transitions", "NoncurrentVersionExpiration", "NoncurrentVersionTransitions", "AbortIncompleteMultipartUpload"];
    if (!actions.some((a) => r[a] !== undefined)) throw s3Error("InvalidRequest", "At least one action needs to be specified in a rule");
  }
  return rules;
}

export function getBucketLifecycleConfiguration(principal: Principal, input: { bucket: string }): OperationSpec<{ Rules: LifecycleRule[] }> {
  return onBucket(principal, { name: "GetBucketLifecycleConfiguration", action: "s3:GetLifecycleConfiguration", readOnly: true, bucket: input.bucket }, async (_tx, b) => {
    if (!b.lifecycle) throw new IamError("NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist");
    return { Rules: JSON.parse(b.lifecycle) as LifecycleRule[] };
  });
}

export function putBucketLifecycleConfiguration(principal: Principal, input: { bucket: string; lifecycleConfiguration: { Rules: LifecycleRule[] } }): OperationSpec<void> {
  return onBucket(
    principal,
    {
      name: "PutBucketLifecycleConfiguration",
      action: "s3:PutLifecycleConfiguration",
      readOnly: false,
      bucket: input.bucket,
      parameters: { bucketName: input.bucket, LifecycleConfiguration: input.lifecycleConfiguration },
    },
    async (tx, b) => {
      const rules = validateLifecycleRules(input.lifecycleConfiguration?.Rules);
      await tx.bucket.update({ where: { name: b.name }, data: { lifecycle: JSON.stringify(rules) } });
    },
  );
}

export function deleteBucketLifecycle(principal: Principal, input: { bucket: string }): OperationSpec<void> {
  return onBucket(principal, { name: "DeleteBucketLifecycle", action: "s3:PutLifecycleConfiguration", readOnly: false, bucket: input.bucket }, async (tx, b) => {
    await tx.bucket.update({ where: { name: b.name }, data: { lifecycle: null } });
  });
}
