import "server-only";
// S3 tags: on objects (PutObjectTagging, x-amz-tagging on PutObject/CopyObject;
// at most 10) and buckets (PutBucketTagging; at most 50), with S3's InvalidTag
// rules, and the tagging operations as operation builders. Object tagging is
// a data event, bucket tagging a management event.
import type { OperationSpec } from "@/lib/iam/operation";
import { IamError } from "@/lib/iam/errors";
import type { Principal } from "@/lib/iam/principal";
import { onBucket } from "./buckets";
import { findObject, onObject, requestTagContext } from "./objects";

export interface Tag {
  Key: string;
  Value: string;
}

const invalidTag = (message: string) => new IamError("InvalidTag", message);

/** S3's tag rules: unique keys of 1-128 and values of 0-256 characters, at most `max` tags, no aws: prefix. */
export function validateTags(tags: Tag[], max: number): Tag[] {
  if (tags.length > max) throw invalidTag(max === 10 ? "Object tags cannot be greater than 10" : "Bucket tag count cannot be greater than 50");
  const seen = new Set<string>();
  for (const t of tags) {
    if (typeof t.Key !== "string" || [...t.Key].length < 1 || [...t.Key].length > 128) throw invalidTag("The TagKey you have provided is invalid");
    if (typeof t.Value !== "string" || [...t.Value].length > 256) throw invalidTag("The TagValue you have provided is invalid");
    if (t.Key.toLowerCase().startsWith("aws:")) throw invalidTag("System tags cannot be added/updated by requester");
    if (seen.has(t.Key)) throw invalidTag("Cannot provide multiple Tags with the same key");
    seen.add(t.Key);
  }
  return tags;
}

/** x-amz-tagging ("k1=v1&k2=v2", URL-encoded) as object tags. */
export function parseTagging(header: string): Tag[] {
  const tags: Tag[] = [];
  for (const pair of header.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    try {
      const k = decodeURIComponent((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, " "));
      const v = eq < 0 ? "" : decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, " "));
      tags.push({ Key: k, Value: v });
    } catch {
      throw invalidTag("The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.");
    }
  }
  return validateTags(tags, 10);
}

export function parseStoredTags(text: string): Tag[] {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? (v as Tag[]) : [];
  } catch {
    return [];
  }
}

// ------------------------------------------------------------------ object tagging (data events)

export function getObjectTagging(principal: Principal, input: { bucket: string; key: string }): OperationSpec<{ TagSet: Tag[] }> {
  return onObject({ name: "GetObjectTagging", action: "s3:GetObjectTagging", readOnly: true, bucket: input.bucket, key: input.key }, async (tx) => ({
    TagSet: (await findObject(tx, input.bucket, input.key)).tags,
  }));
}

export function putObjectTagging(principal: Principal, input: { bucket: string; key: string; tagging: { TagSet: Tag[] } }): OperationSpec<void> {
  const tags = input.tagging?.TagSet ?? [];
  return onObject(
    { name: "PutObjectTagging", action: "s3:PutObjectTagging", readOnly: false, bucket: input.bucket, key: input.key, context: requestTagContext(tags) },
    async (tx) => {
      validateTags(tags, 10);
      await findObject(tx, input.bucket, input.key);
      await tx.s3Object.update({ where: { bucketName_key: { bucketName: input.bucket, key: input.key } }, data: { tags: JSON.stringify(tags) } });
    },
  );
}

export function deleteObjectTagging(principal: Principal, input: { bucket: string; key: string }): OperationSpec<void> {
  return onObject({ name: "DeleteObjectTagging", action: "s3:DeleteObjectTagging", readOnly: false, bucket: input.bucket, key: input.key }, async (tx) => {
    await findObject(tx, input.bucket, input.key);
    await tx.s3Object.update({ where: { bucketName_key: { bucketName: input.bucket, key: input.key } }, data: { tags: "[]" } });
  });
}

// ------------------------------------------------------------------ bucket tagging (management events)

export function getBucketTagging(principal: Principal, input: { bucket: string }): OperationSpec<{ TagSet: Tag[] }> {
  return onBucket(principal, { name: "GetBucketTagging", readOnly: true, bucket: input.bucket }, async (_tx, b) => {
    const tags = parseStoredTags(b.tags);
    if (tags.length === 0) throw new IamError("NoSuchTagSet", "The TagSet does not exist");
    return { TagSet: tags };
  });
}

export function putBucketTagging(principal: Principal, input: { bucket: string; tagging: { TagSet: Tag[] } }): OperationSpec<void> {
  const tags = input.tagging?.TagSet ?? [];
  return onBucket(principal, { name: "PutBucketTagging", readOnly: false, bucket: input.bucket, parameters: { bucketName: input.bucket, Tagging: { TagSet: tags } } }, async (tx, b) => {
    validateTags(tags, 50);
    await tx.bucket.update({ where: { name: b.name }, data: { tags: JSON.stringify(tags) } });
  });
}

export function deleteBucketTagging(principal: Principal, input: { bucket: string }): OperationSpec<void> {
  return onBucket(principal, { name: "DeleteBucketTagging", action: "s3:PutBucketTagging", readOnly: false, bucket: input.bucket }, async (tx, b) => {
    await tx.bucket.update({ where: { name: b.name }, data: { tags: "[]" } });
  });
}
