// S3's operations, declared once (see ./operation.ts). Bucket names, object
// keys, metadata and policies are checked by the builders in lib/s3 with S3's
// own codes and messages; the schemas here fix the shape.
import { z } from "zod";
import {
  createBucket,
  deleteBucket,
  deleteBucketPolicy,
  getBucketLocation,
  getBucketLogging,
  getBucketPolicy,
  getPublicAccessBlock,
  headBucket,
  listBuckets,
  putBucketLogging,
  putBucketPolicy,
  putPublicAccessBlock,
} from "@/lib/s3/buckets";
import { deleteObject, deleteObjects, getObject, headObject, listObjectsV2, putObject } from "@/lib/s3/objects";
import { declare, declareNoInput } from "./operation";

const optional = <S extends z.ZodType>(schema: S) => z.preprocess((x) => (x === "" || x === null ? undefined : x), schema.optional());
const Bucket = z.object({ bucket: z.string() });
const ObjectKey = Bucket.extend({ key: z.string() });
const flag = optional(z.boolean());

export const S3 = {
  ListBuckets: declareNoInput("s3", "ListBuckets", z.object({}).passthrough(), listBuckets),
  CreateBucket: declare("s3", "CreateBucket", Bucket.extend({ region: optional(z.string()) }), createBucket),
  DeleteBucket: declare("s3", "DeleteBucket", Bucket, deleteBucket),
  HeadBucket: declare("s3", "HeadBucket", Bucket, headBucket),
  GetBucketLocation: declare("s3", "GetBucketLocation", Bucket, getBucketLocation),
  GetBucketPolicy: declare("s3", "GetBucketPolicy", Bucket, getBucketPolicy),
  PutBucketPolicy: declare("s3", "PutBucketPolicy", Bucket.extend({ policy: z.string() }), putBucketPolicy),
  DeleteBucketPolicy: declare("s3", "DeleteBucketPolicy", Bucket, deleteBucketPolicy),
  GetPublicAccessBlock: declare("s3", "GetPublicAccessBlock", Bucket, getPublicAccessBlock),
  PutPublicAccessBlock: declare(
    "s3",
    "PutPublicAccessBlock",
    Bucket.extend({
      configuration: z.object({ BlockPublicAcls: flag, IgnorePublicAcls: flag, BlockPublicPolicy: flag, RestrictPublicBuckets: flag }),
    }),
    putPublicAccessBlock,
  ),
  GetBucketLogging: declare("s3", "GetBucketLogging", Bucket, getBucketLogging),
  PutBucketLogging: declare(
    "s3",
    "PutBucketLogging",
    Bucket.extend({ loggingEnabled: optional(z.object({ TargetBucket: z.string(), TargetPrefix: z.string() }).nullable()) }),
    putBucketLogging,
  ),
  ListObjectsV2: declare(
    "s3",
    "ListObjectsV2",
    Bucket.extend({
      prefix: optional(z.string()),
      delimiter: optional(z.string()),
      maxKeys: optional(z.coerce.number().int().min(0)),
      continuationToken: optional(z.string()),
      startAfter: optional(z.string()),
    }),
    listObjectsV2,
  ),
  PutObject: declare(
    "s3",
    "PutObject",
    ObjectKey.extend({ body: z.instanceof(Uint8Array), contentType: optional(z.string()), metadata: optional(z.record(z.string(), z.string())) }),
    putObject,
  ),
  GetObject: declare("s3", "GetObject", ObjectKey, getObject),
  HeadObject: declare("s3", "HeadObject", ObjectKey, headObject),
  DeleteObject: declare("s3", "DeleteObject", ObjectKey, deleteObject),
  DeleteObjects: declare("s3", "DeleteObjects", Bucket.extend({ keys: z.array(z.string()), quiet: flag }), deleteObjects),
};
