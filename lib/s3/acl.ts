import "server-only";
// S3 ACL reads. IAM Lab's buckets use Object Ownership "bucket owner enforced"
// (S3's default since April 2023): ACLs are off, every object belongs to the
// bucket owner, and the ACL S3 reports is the owner's FULL_CONTROL. Writes
// that would set another ACL are refused with S3's AccessControlListNotSupported.
import crypto from "node:crypto";
import type { OperationSpec } from "@/lib/iam/operation";
import { IamError } from "@/lib/iam/errors";
import type { Principal } from "@/lib/iam/principal";
import { onBucket } from "./buckets";
import { findObject, onObject } from "./objects";

/** The canned ACLs a bucket-owner-enforced bucket accepts. */
const ENFORCED_CANNED = new Set(["private", "bucket-owner-full-control"]);

export function assertCannedAcl(acl: string | undefined): void {
  if (acl === undefined || acl === "" || ENFORCED_CANNED.has(acl)) return;
  throw new IamError("InvalidRequest", "The bucket does not allow ACLs");
}

/** The account's S3 canonical user ID (64 hex characters, stable per account). */
export function canonicalUserId(accountId: string): string {
  return crypto.createHash("sha256").update(`iamlab-canonical:${accountId}`).digest("hex");
}

export interface AccessControlPolicy {
  Owner: { ID: string; DisplayName?: string };
  Grants: { Grantee: { Type: "CanonicalUser"; ID: string; DisplayName?: string }; Permission: "FULL_CONTROL" }[];
}

function ownerAcl(accountId: string): AccessControlPolicy {
  const owner = { ID: canonicalUserId(accountId) };
  return { Owner: owner, Grants: [{ Grantee: { Type: "CanonicalUser", ...owner }, Permission: "FULL_CONTROL" }] };
}

export function getBucketAcl(principal: Principal, input: { bucket: string }): OperationSpec<AccessControlPolicy> {
  return onBucket(principal, { name: "GetBucketAcl", readOnly: true, bucket: input.bucket }, async (_tx, b) => ownerAcl(b.accountId));
}

export function getObjectAcl(principal: Principal, input: { bucket: string; key: string }): OperationSpec<AccessControlPolicy> {
  return onObject({ name: "GetObjectAcl", action: "s3:GetObjectAcl", readOnly: true, bucket: input.bucket, key: input.key }, async (tx, b) => {
    await findObject(tx, input.bucket, input.key);
    return ownerAcl(b.accountId);
  });
}
