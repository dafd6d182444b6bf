import "server-only";
// S3 bucket operations as operation builders. The bucket's owner account is the
// resource account and its bucket policy the resource-based policy, so the gate
// applies same-account and cross-account rules as S3 does.
import type { OperationSpec } from "@/lib/iam/operation";
import type { Tx } from "@/lib/db/client";
import { rawBoolean, rawDate } from "@/lib/db/raw-values";
import type { ResourceRef } from "@/lib/iam/authorize";
import { bucketArn } from "@/lib/iam/arn";
import { IamError } from "@/lib/iam/errors";
import type { Principal } from "@/lib/iam/principal";
import { accessDenied } from "@/lib/iam/errors";
import { releaseBlobs } from "./blob-store";
import { accessSummary, assertBucketName, isPolicyPublic, MSG, s3Error, validateBucketPolicy, type AccessSummary, type PublicAccessBlock } from "./rules";

export interface BucketRow {
  name: string;
  organizationId: string;
  accountId: string;
  region: string;
  createdAt: Date;
  policy: string | null;
  blockPublicAcls: boolean;
  ignorePublicAcls: boolean;
  blockPublicPolicy: boolean;
  restrictPublicBuckets: boolean;
  loggingTargetBucket: string | null;
  loggingTargetPrefix: string | null;
  tags: string;
  cors: string | null;
  lifecycle: string | null;
  versioning: string | null;
  encryption: string | null;
  objectOwnership: string | null;
}

/** The gate's view of a bucket: its ARN, owner account and bucket policy. */
export function bucketResource(b: Pick<BucketRow, "name" | "accountId" | "policy" | "restrictPublicBuckets">, arn = bucketArn(b.name)): ResourceRef {
  if (!b.policy) return { arn, accountId: b.accountId };
  // RestrictPublicBuckets: a public bucket policy grants nothing outside the owner's account.
  const ownerAccountOnly = b.restrictPublicBuckets && isPolicyPublic(b.policy);
  return { arn, accountId: b.accountId, policy: { id: `${bucketArn(b.name)}#policy`, name: "bucket policy", policy: b.policy, ownerAccountOnly } };
}

/**
 * A bucket by name, or NoSuchBucket. One raw statement: every S3 request
 * loads its bucket, and a model query costs Prisma a query compilation
 * (~1.2 ms of CPU) on every call; its booleans and date are read with
 * lib/db/raw-values.ts.
 */
export async function findBucket(tx: Tx, name: string): Promise<BucketRow> {
  const [b] = await tx.$queryRaw<(Omit<BucketRow, "createdAt" | PublicAccessFlag> & { createdAt: Date | string } & Record<PublicAccessFlag, boolean | number>)[]>`
    SELECT "name", "organizationId", "accountId", "region", "createdAt", "policy", "blockPublicAcls", "ignorePublicAcls", "blockPublicPolicy",
      "restrictPublicBuckets", "loggingTargetBucket", "loggingTargetPrefix", "tags", "cors", "lifecycle", "versioning", "encryption", "objectOwnership"
    FROM "Bucket" WHERE "name" = ${name}`;
  if (!b) throw new IamError("NoSuchBucket", MSG.noSuchBucket);
  return {
    ...b,
    createdAt: rawDate(b.createdAt),
    blockPublicAcls: rawBoolean(b.blockPublicAcls),
    ignorePublicAcls: rawBoolean(b.ignorePublicAcls),
    blockPublicPolicy: rawBoolean(b.blockPublicPolicy),
    restrictPublicBuckets: rawBoolean(b.restrictPublicBuckets),
  };
}

type PublicAccessFlag = "blockPublicAcls" | "ignorePublicAcls" | "blockPublicPolicy" | "restrictPublicBuckets";

export const publicAccessBlockOf = (b: BucketRow): PublicAccessBlock => ({
  BlockPublicAcls: b.blockPublicAcls,
  IgnorePublicAcls: b.ignorePublicAcls,
  BlockPublicPolicy: b.blockPublicPolicy,
  RestrictPublicBuckets: b.restrictPublicBuckets,
});

/** An operation on one existing bucket: looks it up (NoSuchBucket) before the gate. */
export function onBucket<T>(
  principal: Principal,
  spec: { name: string; action?: string; readOnly: boolean; bucket: string; parameters?: unknown; context?: Record<string, string | string[]> },
  run: (tx: Tx, bucket: BucketRow, authorize: Parameters<OperationSpec<T>["run"]>[0]["authorize"]) => Promise<T>,
  response?: (data: T) => unknown,
): OperationSpec<T> {
  let bucket: BucketRow | undefined;
  return {
    service: "s3",
    name: spec.name,
    action: spec.action,
    readOnly: spec.readOnly,
    context: spec.context,
    parameters: spec.parameters ?? { bucketName: spec.bucket },
    resource: async (tx) => {
      bucket = await findBucket(tx, spec.bucket);
      return bucketResource(bucket);
    },
    run: ({ tx, authorize }) => run(tx, bucket!, authorize),
    response,
  };
}

// ------------------------------------------------------------------ ListBuckets

export interface BucketSummary {
  Name: string;
  CreationDate: Date;
  BucketRegion: string;
  /** The console's "Access" column. */
  Access: AccessSummary;
}

export interface ListBucketsResult {
  Buckets: BucketSummary[];
  Owner: { ID: string; DisplayName: string };
}

/** ListBuckets: the buckets the caller's account owns (s3:ListAllMyBuckets). */
export function listBuckets(principal: Principal): OperationSpec<ListBucketsResult> {
  return {
    service: "s3",
    name: "ListBuckets",
    action: "s3:ListAllMyBuckets",
    readOnly: true,
    resource: { arn: "*", accountId: principal.accountId },
    run: async ({ tx }) => {
      const [buckets, account] = await Promise.all([
        tx.bucket.findMany({ where: { accountId: principal.accountId }, orderBy: { name: "asc" } }),
        tx.account.findUnique({ where: { id: principal.accountId }, select: { name: true } }),
      ]);
      return {
        Buckets: buckets.map((b) => ({ Name: b.name, CreationDate: b.createdAt, BucketRegion: b.region, Access: accessSummary(b.policy, publicAccessBlockOf(b)) })),
        Owner: { ID: principal.accountId, DisplayName: account?.name ?? principal.accountId },
      };
    },
    response: () => null,
  };
}

// ------------------------------------------------------------------ Create / Delete / Head / Location

export interface CreateBucketInput {
  bucket: string;
  region?: string;
}

/** CreateBucket. Names are global across the whole installation, as across AWS. */
export function createBucket(principal: Principal, input: CreateBucketInput): OperationSpec<{ Location: string }> {
  return {
    service: "s3",
    name: "CreateBucket",
    readOnly: false,
    // The region asked for (CreateBucketConfiguration.LocationConstraint); none means us-east-1.
    context: input.region ? { "s3:locationconstraint": input.region } : undefined,
    parameters: { bucketName: input.bucket, ...(input.region ? { CreateBucketConfiguration: { LocationConstraint: input.region } } : {}) },
    resource: async () => {
      assertBucketName(input.bucket);
      return { arn: bucketArn(input.bucket), accountId: principal.accountId };
    },
    run: async ({ tx }) => {
      const existing = await tx.bucket.findUnique({ where: { name: input.bucket }, select: { accountId: true } });
      if (existing) {
        if (existing.accountId === principal.accountId) throw new IamError("BucketAlreadyOwnedByYou", MSG.ownedByYou);
        throw new IamError("BucketAlreadyExists", MSG.bucketExists);
      }
      await tx.bucket.create({
        data: { name: input.bucket, organizationId: principal.organizationId, accountId: principal.accountId, region: input.region ?? "us-east-1" },
      });
      return { Location: `/${input.bucket}` };
    },
  };
}

/** DeleteBucket: only an empty bucket (BucketNotEmpty otherwise). */
export function deleteBucket(principal: Principal, input: { bucket: string }): OperationSpec<void> {
  return onBucket(principal, { name: "DeleteBucket", readOnly: false, bucket: input.bucket }, async (tx, bucket) => {
    if (await tx.s3Object.findFirst({ where: { bucketName: bucket.name }, select: { id: true } })) throw new IamError("BucketNotEmpty", MSG.notEmpty);
    // Multipart uploads in progress go with the bucket (their rows by cascade), and their parts' blobs.
    const parts = await tx.multipartPart.findMany({ where: { upload: { bucketName: bucket.name } }, select: { blobId: true } });
    await tx.bucket.delete({ where: { name: bucket.name } });
    releaseBlobs(parts.map((p) => p.blobId));
  });
}

/** HeadBucket (s3:ListBucket): the bucket exists and the caller may list it. */
export function headBucket(principal: Principal, input: { bucket: string }): OperationSpec<{ BucketRegion: string }> {
  return onBucket(principal, { name: "HeadBucket", action: "s3:ListBucket", readOnly: true, bucket: input.bucket }, async (_tx, b) => ({ BucketRegion: b.region }));
}

/** GetBucketLocation: null LocationConstraint for us-east-1, as S3 answers. */
export function getBucketLocation(principal: Principal, input: { bucket: string }): OperationSpec<{ LocationConstraint: string | null }> {
  return onBucket(principal, { name: "GetBucketLocation", readOnly: true, bucket: input.bucket }, async (_tx, b) => ({
    LocationConstraint: b.region === "us-east-1" ? null : b.region,
  }));
}

// ------------------------------------------------------------------ bucket policy

export function getBucketPolicy(principal: Principal, input: { bucket: string }): OperationSpec<{ Policy: string }> {
  return onBucket(principal, { name: "GetBucketPolicy", readOnly: true, bucket: input.bucket }, async (_tx, b) => {
    if (!b.policy) throw new IamError("NoSuchBucketPolicy", MSG.noSuchPolicy);
    return { Policy: b.policy };
  });
}

/** PutBucketPolicy: validated as S3 does; a public policy is refused while BlockPublicPolicy is on. */
export function putBucketPolicy(principal: Principal, input: { bucket: string; policy: string }): OperationSpec<void> {
  let bucket: BucketRow | undefined;
  return {
    service: "s3",
    name: "PutBucketPolicy",
    readOnly: false,
    parameters: { bucketName: input.bucket, bucketPolicy: input.policy },
    resource: async (tx) => {
      bucket = await findBucket(tx, input.bucket);
      validateBucketPolicy(input.policy, input.bucket);
      return bucketResource(bucket);
    },
    run: async ({ tx }) => {
      if (bucket!.blockPublicPolicy && isPolicyPublic(input.policy)) {
        const denied = accessDenied({ principalArn: principal.arn, action: "s3:PutBucketPolicy", resource: bucketArn(input.bucket) });
        throw new IamError(
          "AccessDenied",
          `User: ${principal.arn} is not authorized to perform: s3:PutBucketPolicy on resource: "${bucketArn(input.bucket)}" because public policies are blocked by the BlockPublicPolicy block public access setting.`,
          { denied: denied.denied },
        );
      }
      await tx.bucket.update({ where: { name: input.bucket }, data: { policy: input.policy } });
    },
  };
}

/** DeleteBucketPolicy: succeeds (204) whether or not a policy exists, as S3 does. */
export function deleteBucketPolicy(principal: Principal, input: { bucket: string }): OperationSpec<void> {
  return onBucket(principal, { name: "DeleteBucketPolicy", readOnly: false, bucket: input.bucket }, async (tx, b) => {
    await tx.bucket.update({ where: { name: b.name }, data: { policy: null } });
  });
}

// ------------------------------------------------------------------ Block Public Access

export function getPublicAccessBlock(principal: Principal, input: { bucket: string }): OperationSpec<{ PublicAccessBlockConfiguration: PublicAccessBlock }> {
  return onBucket(principal, { name: "GetPublicAccessBlock", action: "s3:GetBucketPublicAccessBlock", readOnly: true, bucket: input.bucket }, async (_tx, b) => ({
    PublicAccessBlockConfiguration: publicAccessBlockOf(b),
  }));
}

export function putPublicAccessBlock(principal: Principal, input: { bucket: string; configuration: Partial<PublicAccessBlock> }): OperationSpec<PublicAccessBlock> {
  const c = input.configuration;
  return onBucket(
    principal,
    { name: "PutPublicAccessBlock", action: "s3:PutBucketPublicAccessBlock", readOnly: false, bucket: input.bucket, parameters: { bucketName: input.bucket, PublicAccessBlockConfiguration: c } },
    async (tx, b) => {
      // S3 replaces the whole configuration: an omitted setting is false.
      const updated = await tx.bucket.update({
        where: { name: b.name },
        data: {
          blockPublicAcls: c.BlockPublicAcls ?? false,
          ignorePublicAcls: c.IgnorePublicAcls ?? false,
          blockPublicPolicy: c.BlockPublicPolicy ?? false,
          restrictPublicBuckets: c.RestrictPublicBuckets ?? false,
        },
      });
      return publicAccessBlockOf(updated);
    },
  );
}

// ------------------------------------------------------------------ logging

export interface LoggingEnabled {
  TargetBucket: string;
  TargetPrefix: string;
}

export function getBucketLogging(principal: Principal, input: { bucket: string }): OperationSpec<{ LoggingEnabled?: LoggingEnabled }> {
  return onBucket(principal, { name: "GetBucketLogging", readOnly: true, bucket: input.bucket }, async (_tx, b) =>
    b.loggingTargetBucket ? { LoggingEnabled: { TargetBucket: b.loggingTargetBucket, TargetPrefix: b.loggingTargetPrefix ?? "" } } : {},
  );
}

/** PutBucketLogging: a target in the same account, or none to turn logging off. */
export function putBucketLogging(principal: Principal, input: { bucket: string; loggingEnabled?: LoggingEnabled | null }): OperationSpec<void> {
  return onBucket(
    principal,
    { name: "PutBucketLogging", readOnly: false, bucket: input.bucket, parameters: { bucketName: input.bucket, BucketLoggingStatus: input.loggingEnabled ? { LoggingEnabled: input.loggingEnabled } : {} } },
    async (tx, b) => {
      const target = input.loggingEnabled;
      if (target) {
        const t = await tx.bucket.findUnique({ where: { name: target.TargetBucket }, select: { accountId: true } });
        if (!t) throw s3Error("InvalidTargetBucketForLogging", MSG.noLoggingTarget);
        if (t.accountId !== b.accountId) throw s3Error("InvalidTargetBucketForLogging", MSG.loggingOwner);
      }
      await tx.bucket.update({
        where: { name: b.name },
        data: { loggingTargetBucket: target?.TargetBucket ?? null, loggingTargetPrefix: target ? target.TargetPrefix ?? "" : null },
      });
    },
  );
}
