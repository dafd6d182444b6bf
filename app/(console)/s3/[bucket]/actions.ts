"use server";
// Actions on one bucket and its objects. Each names its S3 operation; the
// services put it through the gate with the bucket policy as the resource
// policy and audit it in the same transaction.
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { S3 } from "@/lib/iam/catalogue";
import { checkbox } from "@/lib/actions/form-input";
import type { OperationSpec } from "@/lib/iam/operation";
import { putBucketLogging, putBucketPolicy, putPublicAccessBlock } from "@/lib/s3/buckets";
import { deleteObject, deleteObjects, emptyBucket, putObject, type DeleteObjectsResult } from "@/lib/s3/objects";

const bucket = z.string().min(1, "Bucket name is required").max(255);
const list = (item: z.ZodType<string>) => z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(item));

export const putPublicAccessBlockAction = defineAction({
  input: z.object({
    bucket,
    BlockPublicAcls: checkbox,
    IgnorePublicAcls: checkbox,
    BlockPublicPolicy: checkbox,
    RestrictPublicBuckets: checkbox,
  }),
  operation: ({ bucket, ...configuration }, principal) => putPublicAccessBlock(principal, { bucket, configuration }),
});

export const putBucketPolicyAction = defineAction({
  input: z.object({ bucket, policy: z.string().max(40_000, "Policy exceeds the maximum allowed document size.") }),
  operation: (i, principal) => putBucketPolicy(principal, { bucket: i.bucket, policy: i.policy }),
});

export const deleteBucketPolicyAction = defineAction({ input: z.object({ bucket }), operation: S3.DeleteBucketPolicy.operation });

export const putBucketLoggingAction = defineAction({
  input: z.object({
    bucket,
    enabled: checkbox,
    targetBucket: z.string().trim().max(255).optional().default(""),
    targetPrefix: z.string().max(1024).optional().default(""),
  }).superRefine((i, ctx) => {
    if (i.enabled && !i.targetBucket) ctx.addIssue({ code: "custom", path: ["targetBucket"], message: "Choose the bucket that receives the log objects." });
  }),
  operation: (i, principal) =>
    putBucketLogging(principal, { bucket: i.bucket, loggingEnabled: i.enabled ? { TargetBucket: i.targetBucket, TargetPrefix: i.targetPrefix } : null }),
});

/** Create folder: as in S3's console, a zero-byte object whose key ends in "/". */
export const createFolderAction = defineAction({
  input: z.object({
    bucket,
    prefix: z.string().max(1024).optional().default(""),
    name: z
      .string()
      .trim()
      .min(1, "Enter a folder name.")
      .max(1000)
      .refine((n) => !n.includes("/"), "Folder names can't contain \"/\"."),
  }),
  operation: (i, principal) => putObject(principal, { bucket: i.bucket, key: `${i.prefix}${i.name}/`, body: new Uint8Array(0) }),
});

/** One key: DeleteObject; several: DeleteObjects, which reports refused keys one by one. */
export const deleteObjectsAction = defineAction({
  input: z.object({ bucket, keys: list(z.string().min(1)).pipe(z.array(z.string()).min(1, "Select at least one object.").max(1000)) }),
  operation: (i, principal): OperationSpec<DeleteObjectsResult> => {
    if (i.keys.length > 1) return deleteObjects(principal, { bucket: i.bucket, keys: i.keys });
    const key = i.keys[0]!;
    const single = deleteObject(principal, { bucket: i.bucket, key });
    return { ...single, response: () => null, run: async (ctx) => (await single.run(ctx), { Deleted: [{ Key: key }], Errors: [] }) };
  },
});

/** One round of "Empty bucket" (up to 1000 keys); the page repeats it until nothing remains. */
export const emptyBucketAction = defineAction({
  input: z.object({ bucket }),
  operation: (i, principal) => emptyBucket(principal, i),
});

export const deleteBucketAction = defineAction({ input: z.object({ bucket }), operation: S3.DeleteBucket.operation });
