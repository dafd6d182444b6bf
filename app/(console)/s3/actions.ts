"use server";
// The bucket list's action: CreateBucket. The name is checked against AWS's
// rules at the form boundary (so the broken rule is named under the field);
// the service enforces the same rules and global uniqueness.
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { createBucket } from "@/lib/s3/buckets";
import { bucketNameProblem } from "@/lib/s3/rules";
import { S3_REGIONS } from "./regions";

const input = z.object({
  bucket: z
    .string()
    .trim()
    .superRefine((name, ctx) => {
      const problem = bucketNameProblem(name);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  region: z.enum(S3_REGIONS).default("us-east-1"),
});

export const createBucketAction = defineAction({
  input,
  operation: (i, principal) => createBucket(principal, { bucket: i.bucket, region: i.region }),
});
