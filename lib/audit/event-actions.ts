// The IAM action an audit event needed, and the resources it acted on. An
// event is named by its API call (CloudTrail's eventName); the permission is
// `${service}:${eventName}` except for the calls below, where AWS's Service
// Authorization Reference names another action (ListObjectsV2 is s3:ListBucket,
// UploadPart is s3:PutObject, ...). lib/audit/event-actions.test.ts checks that
// every catalogue operation maps to an action AWS has, and to the very action
// (or to none) its builder declares to the gate: the two cannot drift apart.

/** Calls whose permission is not `${service}:${eventName}` (AWS's S3 API-to-action table). */
const ACTION_OF_CALL: Record<string, Record<string, string>> = {
  s3: {
    ListBuckets: "s3:ListAllMyBuckets",
    HeadBucket: "s3:ListBucket",
    ListObjects: "s3:ListBucket",
    ListObjectsV2: "s3:ListBucket",
    GetPublicAccessBlock: "s3:GetBucketPublicAccessBlock",
    PutPublicAccessBlock: "s3:PutBucketPublicAccessBlock",
    DeletePublicAccessBlock: "s3:PutBucketPublicAccessBlock",
    DeleteBucketTagging: "s3:PutBucketTagging",
    GetBucketCors: "s3:GetBucketCORS",
    PutBucketCors: "s3:PutBucketCORS",
    DeleteBucketCors: "s3:PutBucketCORS",
    GetBucketLifecycleConfiguration: "s3:GetLifecycleConfiguration",
    PutBucketLifecycleConfiguration: "s3:PutLifecycleConfiguration",
    DeleteBucketLifecycle: "s3:PutLifecycleConfiguration",
    HeadObject: "s3:GetObject",
    DeleteObjects: "s3:DeleteObject",
    CopyObject: "s3:PutObject",
    CreateMultipartUpload: "s3:PutObject",
    UploadPart: "s3:PutObject",
    CompleteMultipartUpload: "s3:PutObject",
    ListParts: "s3:ListMultipartUploadParts",
    ListMultipartUploads: "s3:ListBucketMultipartUploads",
    UploadPartCopy: "s3:PutObject",
    ListObjectVersions: "s3:ListBucketVersions",
    GetBucketEncryption: "s3:GetEncryptionConfiguration",
    PutBucketEncryption: "s3:PutEncryptionConfiguration",
    DeleteBucketEncryption: "s3:PutEncryptionConfiguration",
    DeleteBucketOwnershipControls: "s3:PutBucketOwnershipControls",
    GetBucketNotificationConfiguration: "s3:GetBucketNotification",
    GetBucketAccelerateConfiguration: "s3:GetAccelerateConfiguration",
  },
};

/**
 * Calls that need no permission (AWS answers them for any authenticated caller):
 * a generated policy leaves them out, as Access Analyzer does.
 */
const NO_PERMISSION: Record<string, Set<string>> = {
  // AssumeRoleWithWebIdentity and AssumeRoleWithSAML are unsigned: only the role's trust policy decides, and the caller has no policies to grant them.
  sts: new Set(["GetCallerIdentity", "GetSessionToken", "GetAccessKeyInfo", "AssumeRoleWithWebIdentity", "AssumeRoleWithSAML"]),
  // A delegation request's owner updates it by a default permission: AWS names no IAM action for it.
  iam: new Set(["UpdateDelegationRequest"]),
};

/** The namespace of an event source (s3.amazonaws.com -> s3); null for sources that are no service's API (sign-in). */
export function serviceOfSource(eventSource: string): string | null {
  const m = /^([a-z0-9-]+)\.amazonaws\.com$/.exec(eventSource);
  if (!m || m[1] === "signin") return null;
  return m[1]!;
}

/** The IAM action a call needed (AWS's spelling for the mapped calls; null: a call that needs none). */
export function actionOfCall(service: string, eventName: string): string | null {
  if (NO_PERMISSION[service]?.has(eventName)) return null;
  return ACTION_OF_CALL[service]?.[eventName] ?? `${service}:${eventName}`;
}

/**
 * The resource ARNs a recorded call acted on: its recorded resources, and for
 * S3's DeleteObjects every key it named (the record lists only the first).
 */
export function resourcesOfCall(eventName: string, resources: { ARN: string }[], requestParameters: unknown): string[] {
  const arns = resources.map((r) => r.ARN).filter((a) => typeof a === "string" && a.length > 0);
  if (eventName === "DeleteObjects" && requestParameters && typeof requestParameters === "object") {
    const p = requestParameters as { bucketName?: unknown; delete?: { objects?: { key?: unknown }[] } };
    const keys = Array.isArray(p.delete?.objects) ? p.delete.objects.map((o) => o?.key).filter((k): k is string => typeof k === "string") : [];
    if (typeof p.bucketName === "string" && keys.length) return [...new Set(keys.map((k) => `arn:aws:s3:::${p.bucketName}/${k}`))];
  }
  return arns;
}
