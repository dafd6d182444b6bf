// S3's operations, declared once (see ./operation.ts). Bucket names, object
// keys, metadata and policies are checked by the builders in lib/s3 with S3's
// own codes and messages; the schemas here fix the shape. Members follow AWS's
// model names (lower-case first letter); the few console-era names are mapped
// by the S3 door (lib/aws/s3/door.ts).
import { z } from "zod";
import { getBucketAcl, getObjectAcl } from "@/lib/s3/acl";
import {
  deleteBucketCors,
  deleteBucketLifecycle,
  deletePublicAccessBlock,
  getBucketCors,
  getBucketLifecycleConfiguration,
  getBucketPolicyStatus,
  getBucketVersioning,
  putBucketCors,
  putBucketVersioning,
  putBucketLifecycleConfiguration,
} from "@/lib/s3/bucket-config";
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
import {
  deleteBucketEncryption,
  deleteBucketOwnershipControls,
  getBucketAccelerateConfiguration,
  getBucketEncryption,
  getBucketNotificationConfiguration,
  getBucketOwnershipControls,
  getBucketRequestPayment,
  getBucketWebsite,
  putBucketEncryption,
  putBucketOwnershipControls,
} from "@/lib/s3/bucket-defaults";
import { abortMultipartUpload, completeMultipartUpload, createMultipartUpload, listMultipartUploads, listParts, uploadPart, uploadPartCopy } from "@/lib/s3/multipart";
import { copyObject, deleteObject, deleteObjects, getObject, getObjectAttributes, headObject, listObjects, listObjectsV2, putObject } from "@/lib/s3/objects";
import { listObjectVersions } from "@/lib/s3/versions";
import { deleteBucketTagging, deleteObjectTagging, getBucketTagging, getObjectTagging, putBucketTagging, putObjectTagging } from "@/lib/s3/tagging";
import { declare, declareNoInput } from "./operation";

const optional = <S extends z.ZodType>(schema: S) => z.preprocess((x) => (x === "" || x === null ? undefined : x), schema.optional());
const Bucket = z.object({ bucket: z.string() });
const ObjectKey = Bucket.extend({ key: z.string() });
const flag = optional(z.boolean());
const count = optional(z.coerce.number().int().min(0));
/** A body in hand, or one the API door already streamed into the blob store. */
const Body = z.union([z.instanceof(Uint8Array), z.object({ blobId: z.string(), size: z.number().int().min(0), md5: z.string() })]);
const Metadata = optional(z.record(z.string(), z.string()));
const Conditions = {
  range: optional(z.string()),
  ifMatch: optional(z.string()),
  ifNoneMatch: optional(z.string()),
  ifModifiedSince: optional(z.date()),
  ifUnmodifiedSince: optional(z.date()),
};
const Tag = z.object({ Key: z.string(), Value: z.string() });
const Tagging = z.object({ TagSet: z.array(Tag) });
const UploadId = ObjectKey.extend({ uploadId: z.string() });

export const S3 = {
  ListBuckets: declareNoInput("s3", "ListBuckets", z.object({}).passthrough(), listBuckets),
  CreateBucket: declare("s3", "CreateBucket", Bucket.extend({ region: optional(z.string()) }), createBucket),
  DeleteBucket: declare("s3", "DeleteBucket", Bucket, deleteBucket),
  HeadBucket: declare("s3", "HeadBucket", Bucket, headBucket),
  GetBucketLocation: declare("s3", "GetBucketLocation", Bucket, getBucketLocation),
  GetBucketPolicy: declare("s3", "GetBucketPolicy", Bucket, getBucketPolicy),
  PutBucketPolicy: declare("s3", "PutBucketPolicy", Bucket.extend({ policy: z.string() }), putBucketPolicy),
  DeleteBucketPolicy: declare("s3", "DeleteBucketPolicy", Bucket, deleteBucketPolicy),
  GetBucketPolicyStatus: declare("s3", "GetBucketPolicyStatus", Bucket, getBucketPolicyStatus),
  GetPublicAccessBlock: declare("s3", "GetPublicAccessBlock", Bucket, getPublicAccessBlock),
  PutPublicAccessBlock: declare(
    "s3",
    "PutPublicAccessBlock",
    Bucket.extend({
      configuration: z.object({ BlockPublicAcls: flag, IgnorePublicAcls: flag, BlockPublicPolicy: flag, RestrictPublicBuckets: flag }),
    }),
    putPublicAccessBlock,
  ),
  DeletePublicAccessBlock: declare("s3", "DeletePublicAccessBlock", Bucket, deletePublicAccessBlock),
  GetBucketLogging: declare("s3", "GetBucketLogging", Bucket, getBucketLogging),
  PutBucketLogging: declare(
    "s3",
    "PutBucketLogging",
    Bucket.extend({ loggingEnabled: optional(z.object({ TargetBucket: z.string(), TargetPrefix: z.string() }).nullable()) }),
    putBucketLogging,
  ),
  GetBucketTagging: declare("s3", "GetBucketTagging", Bucket, getBucketTagging),
  PutBucketTagging: declare("s3", "PutBucketTagging", Bucket.extend({ tagging: Tagging }), putBucketTagging),
  DeleteBucketTagging: declare("s3", "DeleteBucketTagging", Bucket, deleteBucketTagging),
  GetBucketVersioning: declare("s3", "GetBucketVersioning", Bucket, getBucketVersioning),
  PutBucketVersioning: declare(
    "s3",
    "PutBucketVersioning",
    Bucket.extend({ versioningConfiguration: z.object({ Status: optional(z.string()), MFADelete: optional(z.string()) }), mFA: optional(z.string()) }),
    putBucketVersioning,
  ),
  ListObjectVersions: declare(
    "s3",
    "ListObjectVersions",
    Bucket.extend({ prefix: optional(z.string()), delimiter: optional(z.string()), keyMarker: optional(z.string()), versionIdMarker: optional(z.string()), maxKeys: count }),
    listObjectVersions,
  ),
  GetBucketEncryption: declare("s3", "GetBucketEncryption", Bucket, getBucketEncryption),
  PutBucketEncryption: declare(
    "s3",
    "PutBucketEncryption",
    Bucket.extend({
      serverSideEncryptionConfiguration: z.object({
        Rules: optional(
          z.array(
            z.object({
              ApplyServerSideEncryptionByDefault: optional(z.object({ SSEAlgorithm: z.string(), KMSMasterKeyID: optional(z.string()) })),
              BucketKeyEnabled: flag,
            }),
          ),
        ),
      }),
    }),
    putBucketEncryption,
  ),
  DeleteBucketEncryption: declare("s3", "DeleteBucketEncryption", Bucket, deleteBucketEncryption),
  GetBucketOwnershipControls: declare("s3", "GetBucketOwnershipControls", Bucket, getBucketOwnershipControls),
  PutBucketOwnershipControls: declare(
    "s3",
    "PutBucketOwnershipControls",
    Bucket.extend({ ownershipControls: z.object({ Rules: optional(z.array(z.object({ ObjectOwnership: optional(z.string()) }))) }) }),
    putBucketOwnershipControls,
  ),
  DeleteBucketOwnershipControls: declare("s3", "DeleteBucketOwnershipControls", Bucket, deleteBucketOwnershipControls),
  GetBucketNotificationConfiguration: declare("s3", "GetBucketNotificationConfiguration", Bucket, getBucketNotificationConfiguration),
  GetBucketRequestPayment: declare("s3", "GetBucketRequestPayment", Bucket, getBucketRequestPayment),
  GetBucketAccelerateConfiguration: declare("s3", "GetBucketAccelerateConfiguration", Bucket, getBucketAccelerateConfiguration),
  GetBucketWebsite: declare("s3", "GetBucketWebsite", Bucket, getBucketWebsite),
  GetBucketAcl: declare("s3", "GetBucketAcl", Bucket, getBucketAcl),
  GetBucketCors: declare("s3", "GetBucketCors", Bucket, getBucketCors),
  PutBucketCors: declare(
    "s3",
    "PutBucketCors",
    Bucket.extend({
      corsConfiguration: z.object({
        CORSRules: z.array(
          z.object({
            ID: optional(z.string()),
            AllowedHeaders: optional(z.array(z.string())),
            AllowedMethods: z.array(z.string()),
            AllowedOrigins: z.array(z.string()),
            ExposeHeaders: optional(z.array(z.string())),
            MaxAgeSeconds: optional(z.number().int()),
          }),
        ),
      }),
    }),
    putBucketCors,
  ),
  DeleteBucketCors: declare("s3", "DeleteBucketCors", Bucket, deleteBucketCors),
  GetBucketLifecycleConfiguration: declare("s3", "GetBucketLifecycleConfiguration", Bucket, getBucketLifecycleConfiguration),
  PutBucketLifecycleConfiguration: declare(
    "s3",
    "PutBucketLifecycleConfiguration",
    Bucket.extend({ lifecycleConfiguration: z.object({ Rules: z.array(z.object({ ID: optional(z.string()), Status: z.string() }).passthrough()) }) }),
    putBucketLifecycleConfiguration,
  ),
  DeleteBucketLifecycle: declare("s3", "DeleteBucketLifecycle", Bucket, deleteBucketLifecycle),
  ListObjectsV2: declare(
    "s3",
    "ListObjectsV2",
    Bucket.extend({
      prefix: optional(z.string()),
      delimiter: optional(z.string()),
      maxKeys: count,
      continuationToken: optional(z.string()),
      startAfter: optional(z.string()),
    }),
    listObjectsV2,
  ),
  ListObjects: declare("s3", "ListObjects", Bucket.extend({ prefix: optional(z.string()), delimiter: optional(z.string()), marker: optional(z.string()), maxKeys: count }), listObjects),
  PutObject: declare(
    "s3",
    "PutObject",
    ObjectKey.extend({ body: Body, contentType: optional(z.string()), metadata: Metadata, tagging: optional(z.string()), acl: optional(z.string()) }),
    putObject,
  ),
  GetObject: declare("s3", "GetObject", ObjectKey.extend(Conditions), getObject),
  HeadObject: declare("s3", "HeadObject", ObjectKey.extend(Conditions), headObject),
  DeleteObject: declare("s3", "DeleteObject", ObjectKey, deleteObject),
  DeleteObjects: declare("s3", "DeleteObjects", Bucket.extend({ keys: z.array(z.string()), quiet: flag }), deleteObjects),
  CopyObject: declare(
    "s3",
    "CopyObject",
    ObjectKey.extend({
      copySource: z.string(),
      metadataDirective: optional(z.string()),
      taggingDirective: optional(z.string()),
      contentType: optional(z.string()),
      metadata: Metadata,
      tagging: optional(z.string()),
    }),
    copyObject,
  ),
  GetObjectTagging: declare("s3", "GetObjectTagging", ObjectKey, getObjectTagging),
  PutObjectTagging: declare("s3", "PutObjectTagging", ObjectKey.extend({ tagging: Tagging }), putObjectTagging),
  DeleteObjectTagging: declare("s3", "DeleteObjectTagging", ObjectKey, deleteObjectTagging),
  GetObjectAcl: declare("s3", "GetObjectAcl", ObjectKey, getObjectAcl),
  CreateMultipartUpload: declare(
    "s3",
    "CreateMultipartUpload",
    ObjectKey.extend({ contentType: optional(z.string()), metadata: Metadata, tagging: optional(z.string()) }),
    createMultipartUpload,
  ),
  UploadPart: declare("s3", "UploadPart", UploadId.extend({ partNumber: z.coerce.number().int(), body: Body }), uploadPart),
  CompleteMultipartUpload: declare(
    "s3",
    "CompleteMultipartUpload",
    UploadId.extend({ multipartUpload: optional(z.object({ Parts: optional(z.array(z.object({ PartNumber: z.number().int(), ETag: z.string() }).passthrough())) })) }),
    completeMultipartUpload,
  ),
  UploadPartCopy: declare(
    "s3",
    "UploadPartCopy",
    UploadId.extend({ partNumber: z.coerce.number().int(), copySource: z.string(), copySourceRange: optional(z.string()) }),
    uploadPartCopy,
  ),
  GetObjectAttributes: declare("s3", "GetObjectAttributes", ObjectKey.extend({ objectAttributes: z.union([z.string(), z.array(z.string())]) }), getObjectAttributes),
  AbortMultipartUpload: declare("s3", "AbortMultipartUpload", UploadId, abortMultipartUpload),
  ListParts: declare("s3", "ListParts", UploadId.extend({ maxParts: count, partNumberMarker: count }), listParts),
  ListMultipartUploads: declare(
    "s3",
    "ListMultipartUploads",
    Bucket.extend({ prefix: optional(z.string()), keyMarker: optional(z.string()), uploadIdMarker: optional(z.string()), maxUploads: count }),
    listMultipartUploads,
  ),
};
