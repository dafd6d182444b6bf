import "server-only";
// Bucket settings whose answer S3 defines for every bucket: default encryption
// (SSE-S3 unless PutBucketEncryption chose otherwise; IAM Lab stores bytes as
// they come and only reports the setting), Object Ownership (BucketOwnerEnforced,
// as new buckets get it), and the features IAM Lab does not run, answered with
// their defaults: no event notifications, the owner pays, no transfer
// acceleration, no website (NoSuchWebsiteConfiguration). Management events.
import { IamError } from "@/lib/iam/errors";
import type { OperationSpec } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";
import { onBucket } from "./buckets";
import { s3Error } from "./rules";

const malformedXml = () => s3Error("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");

// ------------------------------------------------------------------ default encryption

export interface EncryptionRule {
  ApplyServerSideEncryptionByDefault?: { SSEAlgorithm: string; KMSMasterKeyID?: string };
  BucketKeyEnabled?: boolean;
}

/** What every bucket has without a configuration of its own (since January 2023). */
export const DEFAULT_ENCRYPTION: EncryptionRule[] = [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" }, BucketKeyEnabled: false }];

const SSE_ALGORITHMS = new Set(["AES256", "aws:kms", "aws:kms:dsse"]);

export function validateEncryptionRules(rules: EncryptionRule[] | undefined): EncryptionRule[] {
  if (!Array.isArray(rules) || rules.length !== 1) throw malformedXml();
  for (const r of rules) {
    const by = r.ApplyServerSideEncryptionByDefault;
    if (!by || typeof by.SSEAlgorithm !== "string" || !SSE_ALGORITHMS.has(by.SSEAlgorithm)) throw malformedXml();
    if (by.KMSMasterKeyID !== undefined && by.SSEAlgorithm === "AES256")
      throw s3Error("InvalidArgument", "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse");
  }
  return rules;
}

export function getBucketEncryption(principal: Principal, input: { bucket: string }): OperationSpec<{ ServerSideEncryptionConfiguration: { Rules: EncryptionRule[] } }> {
  return onBucket(principal, { name: "GetBucketEncryption", action: "s3:GetEncryptionConfiguration", readOnly: true, bucket: input.bucket }, async (_tx, b) => ({
    ServerSideEncryptionConfiguration: { Rules: b.encryption ? (JSON.parse(b.encryption) as EncryptionRule[]) : DEFAULT_ENCRYPTION },
  }));
}

export function putBucketEncryption(principal: Principal, input: { bucket: string; serverSideEncryptionConfiguration: { Rules?: EncryptionRule[] } }): OperationSpec<void> {
  return onBucket(
    principal,
    {
      name: "PutBucketEncryption",
      action: "s3:PutEncryptionConfiguration",
      readOnly: false,
      bucket: input.bucket,
      parameters: { bucketName: input.bucket, ServerSideEncryptionConfiguration: input.serverSideEncryptionConfiguration },
    },
    async (tx, b) => {
      const rules = validateEncryptionRules(input.serverSideEncryptionConfiguration?.Rules);
      await tx.bucket.update({ where: { name: b.name }, data: { encryption: JSON.stringify(rules) } });
    },
  );
}

/** DeleteBucketEncryption (s3:PutEncryptionConfiguration): back to S3's default, SSE-S3. */
export function deleteBucketEncryption(principal: Principal, input: { bucket: string }): OperationSpec<void> {
  return onBucket(principal, { name: "DeleteBucketEncryption", action: "s3:PutEncryptionConfiguration", readOnly: false, bucket: input.bucket }, async (tx, b) => {
    await tx.bucket.update({ where: { name: b.name }, data: { encryption: null } });
  });
}

// ------------------------------------------------------------------ Object Ownership

const OWNERSHIP = new Set(["BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"]);

export function getBucketOwnershipControls(principal: Principal, input: { bucket: string }): OperationSpec<{ OwnershipControls: { Rules: { ObjectOwnership: string }[] } }> {
  return onBucket(principal, { name: "GetBucketOwnershipControls", readOnly: true, bucket: input.bucket }, async (_tx, b) => {
    if (!b.objectOwnership) throw new IamError("OwnershipControlsNotFoundError", "The bucket ownership controls were not found");
    return { OwnershipControls: { Rules: [{ ObjectOwnership: b.objectOwnership }] } };
  });
}

export function putBucketOwnershipControls(principal: Principal, input: { bucket: string; ownershipControls: { Rules?: { ObjectOwnership?: string }[] } }): OperationSpec<void> {
  return onBucket(
    principal,
    { name: "PutBucketOwnershipControls", readOnly: false, bucket: input.bucket, parameters: { bucketName: input.bucket, OwnershipControls: input.ownershipControls } },
    async (tx, b) => {
      const rules = input.ownershipControls?.Rules;
      const ownership = rules?.length === 1 ? rules[0]!.ObjectOwnership : undefined;
      if (!ownership || !OWNERSHIP.has(ownership)) throw malformedXml();
      await tx.bucket.update({ where: { name: b.name }, data: { objectOwnership: ownership } });
    },
  );
}

/** DeleteBucketOwnershipControls (s3:PutBucketOwnershipControls): none left; GetBucketOwnershipControls then answers OwnershipControlsNotFoundError. */
export function deleteBucketOwnershipControls(principal: Principal, input: { bucket: string }): OperationSpec<void> {
  return onBucket(principal, { name: "DeleteBucketOwnershipControls", action: "s3:PutBucketOwnershipControls", readOnly: false, bucket: input.bucket }, async (tx, b) => {
    await tx.bucket.update({ where: { name: b.name }, data: { objectOwnership: null } });
  });
}

// ------------------------------------------------------------------ features IAM Lab does not run: their defaults

/** No event notifications are configured: an empty NotificationConfiguration. */
export function getBucketNotificationConfiguration(principal: Principal, input: { bucket: string }): OperationSpec<Record<string, never>> {
  return onBucket(principal, { name: "GetBucketNotificationConfiguration", action: "s3:GetBucketNotification", readOnly: true, bucket: input.bucket }, async () => ({}));
}

/** The bucket owner pays for requests (Requester Pays is never on). */
export function getBucketRequestPayment(principal: Principal, input: { bucket: string }): OperationSpec<{ Payer: string }> {
  return onBucket(principal, { name: "GetBucketRequestPayment", readOnly: true, bucket: input.bucket }, async () => ({ Payer: "BucketOwner" }));
}

/** Transfer Acceleration was never configured: no Status, as S3 answers then. */
export function getBucketAccelerateConfiguration(principal: Principal, input: { bucket: string }): OperationSpec<{ Status?: string }> {
  return onBucket(principal, { name: "GetBucketAccelerateConfiguration", action: "s3:GetAccelerateConfiguration", readOnly: true, bucket: input.bucket }, async () => ({}));
}

/** No static website is configured. */
export function getBucketWebsite(principal: Principal, input: { bucket: string }): OperationSpec<never> {
  return onBucket(principal, { name: "GetBucketWebsite", readOnly: true, bucket: input.bucket }, async () => {
    throw new IamError("NoSuchWebsiteConfiguration", "The specified bucket does not have a website configuration");
  });
}
