import "server-only";
// S3 object operations (data events) as operation builders. Object bytes live in
// the database row, written in the same transaction as the metadata. Listing
// pages in SQL: key ranges instead of LIKE (S3 keys are case-sensitive), and a
// jump past each common prefix so a page costs at most one query per prefix.
import crypto from "node:crypto";
import type { OperationSpec } from "@/lib/iam/operation";
import type { Tx } from "@/lib/db/client";
import { env } from "@/lib/env";
import { bucketArn, objectArn } from "@/lib/iam/arn";
import { IamError } from "@/lib/iam/errors";
import type { Principal } from "@/lib/iam/principal";
import { bucketResource, findBucket, type BucketRow } from "./buckets";
import { assertObjectKey, decodeContinuationToken, encodeContinuationToken, MSG, normalizeMetadata, s3Error, successor, type ListCursor } from "./rules";

// ------------------------------------------------------------------ ListObjectsV2

export interface ListObjectsV2Input {
  bucket: string;
  prefix?: string;
  delimiter?: string;
  maxKeys?: number;
  continuationToken?: string;
  startAfter?: string;
}

export interface ObjectSummary {
  Key: string;
  LastModified: Date;
  ETag: string;
  Size: number;
  StorageClass: string;
}

export interface ListObjectsV2Result {
  Name: string;
  Prefix: string;
  Delimiter?: string;
  MaxKeys: number;
  KeyCount: number;
  IsTruncated: boolean;
  Contents: ObjectSummary[];
  CommonPrefixes: { Prefix: string }[];
  ContinuationToken?: string;
  NextContinuationToken?: string;
  StartAfter?: string;
}

const OBJECT_SUMMARY = { key: true, lastModified: true, etag: true, size: true, storageClass: true } as const;

/** The key range of a page: inside the prefix, after the cursor. */
function keyRange(prefix: string, cursor: ListCursor | undefined) {
  const range: { gte?: string; gt?: string; lt?: string } = {};
  if (prefix) {
    range.gte = prefix;
    range.lt = successor(prefix);
  }
  if (cursor) {
    if (cursor.prefix) {
      const from = successor(cursor.after);
      if (!range.gte || from > range.gte) range.gte = from;
    } else range.gt = cursor.after;
  }
  return range;
}

export async function listObjectPage(tx: Tx, bucket: string, input: Omit<ListObjectsV2Input, "bucket">): Promise<ListObjectsV2Result> {
  const prefix = input.prefix ?? "";
  const delimiter = input.delimiter || undefined;
  const maxKeys = input.maxKeys ?? 1000;
  if (!Number.isInteger(maxKeys) || maxKeys < 0) throw s3Error("InvalidArgument", "Provided max-keys not an integer or within integer range");
  const limit = Math.min(maxKeys, 1000);
  let cursor: ListCursor | undefined = input.continuationToken
    ? decodeContinuationToken(input.continuationToken)
    : input.startAfter
      ? { after: input.startAfter, prefix: false }
      : undefined;

  const contents: ObjectSummary[] = [];
  const prefixes: string[] = [];
  let truncated = false;
  for (;;) {
    const count = contents.length + prefixes.length;
    if (count >= limit) {
      truncated = (await tx.s3Object.findFirst({ where: { bucketName: bucket, key: keyRange(prefix, cursor) }, select: { id: true } })) !== null;
      break;
    }
    const take = limit - count;
    const batch = await tx.s3Object.findMany({ where: { bucketName: bucket, key: keyRange(prefix, cursor) }, orderBy: { key: "asc" }, take, select: OBJECT_SUMMARY });
    if (batch.length === 0) break;
    let jumped = false;
    for (const o of batch) {
      if (delimiter) {
        const at = o.key.indexOf(delimiter, prefix.length);
        if (at !== -1) {
          const common = o.key.slice(0, at + delimiter.length);
          prefixes.push(common);
          cursor = { after: common, prefix: true };
          jumped = true;
          break;
        }
      }
      contents.push({ Key: o.key, LastModified: o.lastModified, ETag: o.etag, Size: o.size, StorageClass: o.storageClass });
      cursor = { after: o.key, prefix: false };
    }
    if (!jumped && batch.length < take) break;
  }
  return {
    Name: bucket,
    Prefix: prefix,
    ...(delimiter ? { Delimiter: delimiter } : {}),
    MaxKeys: maxKeys,
    KeyCount: contents.length + prefixes.length,
    IsTruncated: truncated,
    Contents: contents,
    CommonPrefixes: prefixes.map((p) => ({ Prefix: p })),
    ...(input.continuationToken ? { ContinuationToken: input.continuationToken } : {}),
    ...(truncated && cursor ? { NextContinuationToken: encodeContinuationToken(cursor) } : {}),
    ...(input.startAfter ? { StartAfter: input.startAfter } : {}),
  };
}

/** ListObjectsV2 (s3:ListBucket on the bucket), with s3:prefix / s3:delimiter / s3:max-keys in the context. */
export function listObjectsV2(principal: Principal, input: ListObjectsV2Input): OperationSpec<ListObjectsV2Result> {
  const context: Record<string, string> = { "s3:prefix": input.prefix ?? "" };
  if (input.delimiter) context["s3:delimiter"] = input.delimiter;
  if (input.maxKeys !== undefined) context["s3:max-keys"] = String(input.maxKeys);
  return {
    service: "s3",
    name: "ListObjectsV2",
    action: "s3:ListBucket",
    category: "Data",
    readOnly: true,
    context,
    parameters: { bucketName: input.bucket, prefix: input.prefix, delimiter: input.delimiter, "max-keys": input.maxKeys, "list-type": 2, "start-after": input.startAfter },
    resource: async (tx) => bucketResource(await findBucket(tx, input.bucket)),
    run: ({ tx }) => listObjectPage(tx, input.bucket, input),
    response: () => null,
  };
}

// ------------------------------------------------------------------ objects

/** An operation on one object: the bucket must exist (NoSuchBucket) before the gate. */
function onObject<T>(
  spec: { name: string; action: string; readOnly: boolean; bucket: string; key: string; parameters?: unknown },
  run: (tx: Tx, bucket: BucketRow) => Promise<T>,
  response?: (data: T) => unknown,
): OperationSpec<T> {
  let bucket: BucketRow | undefined;
  return {
    service: "s3",
    name: spec.name,
    action: spec.action,
    category: "Data",
    readOnly: spec.readOnly,
    parameters: spec.parameters ?? { bucketName: spec.bucket, key: spec.key },
    resource: async (tx) => {
      bucket = await findBucket(tx, spec.bucket);
      assertObjectKey(spec.key);
      return bucketResource(bucket, objectArn(spec.bucket, spec.key));
    },
    run: ({ tx }) => run(tx, bucket!),
    response: response ?? (() => null),
  };
}

export interface PutObjectInput {
  bucket: string;
  key: string;
  body: Uint8Array;
  contentType?: string;
  /** x-amz-meta-* pairs (the prefix is optional here and removed). */
  metadata?: Record<string, string>;
  /** Largest accepted body; default IAMLAB_MAX_CONSOLE_OBJECT_BYTES (16 MiB). */
  maxBytes?: number;
}

export interface PutObjectResult {
  ETag: string;
  Size: number;
}

const md5Etag = (body: Uint8Array) => `"${crypto.createHash("md5").update(body).digest("hex")}"`;

/** PutObject: replaces any object under the key; ETag is the quoted MD5 of the bytes. */
export function putObject(principal: Principal, input: PutObjectInput): OperationSpec<PutObjectResult> {
  const maxBytes = input.maxBytes ?? env().IAMLAB_MAX_CONSOLE_OBJECT_BYTES;
  return onObject(
    {
      name: "PutObject",
      action: "s3:PutObject",
      readOnly: false,
      bucket: input.bucket,
      key: input.key,
      parameters: { bucketName: input.bucket, key: input.key, "Content-Type": input.contentType, "Content-Length": input.body.byteLength },
    },
    async (tx) => {
      if (input.body.byteLength > maxBytes) throw new IamError("EntityTooLarge", MSG.tooLarge);
      const metadata = JSON.stringify(normalizeMetadata(input.metadata));
      const body = new Uint8Array(input.body); // a copy the caller cannot change mid-write
      const etag = md5Etag(body);
      const data = { body, size: body.byteLength, etag, contentType: input.contentType || "binary/octet-stream", metadata, lastModified: new Date() };
      await tx.s3Object.upsert({
        where: { bucketName_key: { bucketName: input.bucket, key: input.key } },
        create: { bucketName: input.bucket, key: input.key, ...data },
        update: data,
      });
      return { ETag: etag, Size: body.byteLength };
    },
    (r) => ({ ETag: r.ETag }),
  );
}

export interface ObjectHead {
  ContentType: string;
  ContentLength: number;
  ETag: string;
  LastModified: Date;
  Metadata: Record<string, string>;
  StorageClass: string;
}

export interface GetObjectResult extends ObjectHead {
  Body: Buffer;
}

async function findObject(tx: Tx, bucket: string, key: string, withBody: boolean) {
  const o = await tx.s3Object.findUnique({
    where: { bucketName_key: { bucketName: bucket, key } },
    select: { contentType: true, size: true, etag: true, lastModified: true, metadata: true, storageClass: true, body: withBody },
  });
  if (!o) throw new IamError("NoSuchKey", MSG.noSuchKey);
  let metadata: Record<string, string> = {};
  try {
    metadata = JSON.parse(o.metadata) as Record<string, string>;
  } catch {
    metadata = {};
  }
  const head: ObjectHead = { ContentType: o.contentType, ContentLength: o.size, ETag: o.etag, LastModified: o.lastModified, Metadata: metadata, StorageClass: o.storageClass };
  return { head, body: o.body as Uint8Array | undefined };
}

/** GetObject: the bytes and their headers. */
export function getObject(principal: Principal, input: { bucket: string; key: string }): OperationSpec<GetObjectResult> {
  return onObject({ name: "GetObject", action: "s3:GetObject", readOnly: true, bucket: input.bucket, key: input.key }, async (tx) => {
    const { head, body } = await findObject(tx, input.bucket, input.key, true);
    return { ...head, Body: Buffer.from(body!) };
  });
}

/** HeadObject (s3:GetObject): headers without the bytes. */
export function headObject(principal: Principal, input: { bucket: string; key: string }): OperationSpec<ObjectHead> {
  return onObject({ name: "HeadObject", action: "s3:GetObject", readOnly: true, bucket: input.bucket, key: input.key }, async (tx) => {
    return (await findObject(tx, input.bucket, input.key, false)).head;
  });
}

/** DeleteObject: succeeds whether or not the key exists, as S3 does (unversioned buckets). */
export function deleteObject(principal: Principal, input: { bucket: string; key: string }): OperationSpec<void> {
  return onObject({ name: "DeleteObject", action: "s3:DeleteObject", readOnly: false, bucket: input.bucket, key: input.key }, async (tx) => {
    await tx.s3Object.deleteMany({ where: { bucketName: input.bucket, key: input.key } });
  });
}

export interface DeleteObjectsResult {
  Deleted: { Key: string }[];
  Errors: { Key: string; Code: string; Message: string }[];
}

/**
 * DeleteObjects: up to 1000 keys. The gate checks s3:DeleteObject on the first
 * key; each further key is authorized on its own and refused keys are reported
 * in Errors, as S3 reports them per key.
 */
export function deleteObjects(principal: Principal, input: { bucket: string; keys: string[]; quiet?: boolean }): OperationSpec<DeleteObjectsResult> {
  let bucket: BucketRow | undefined;
  const keys = [...new Set(input.keys)];
  return {
    service: "s3",
    name: "DeleteObjects",
    action: "s3:DeleteObject",
    category: "Data",
    readOnly: false,
    parameters: { bucketName: input.bucket, delete: { objects: keys.map((k) => ({ key: k })), quiet: input.quiet ?? false } },
    resource: async (tx) => {
      bucket = await findBucket(tx, input.bucket);
      if (keys.length === 0 || keys.length > 1000)
        throw s3Error("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");
      for (const k of keys) assertObjectKey(k);
      return bucketResource(bucket, objectArn(input.bucket, keys[0]!));
    },
    run: async ({ tx, authorize }) => {
      const deleted: string[] = [keys[0]!];
      const errors: DeleteObjectsResult["Errors"] = [];
      for (const key of keys.slice(1)) {
        try {
          await authorize("s3:DeleteObject", bucketResource(bucket!, objectArn(input.bucket, key)));
          deleted.push(key);
        } catch (err) {
          if (!(err instanceof IamError)) throw err;
          errors.push({ Key: key, Code: err.code, Message: "Access Denied" });
        }
      }
      await tx.s3Object.deleteMany({ where: { bucketName: input.bucket, key: { in: deleted } } });
      return { Deleted: input.quiet ? [] : deleted.map((Key) => ({ Key })), Errors: errors };
    },
    response: (r) => ({ deleted: r.Deleted.length, errors: r.Errors.length }),
  };
}

/**
 * The console's "Empty bucket": DeleteObjects over the next (up to) 1000 keys
 * in key order. Call until `remaining` is 0.
 */
export function emptyBucket(principal: Principal, input: { bucket: string }): OperationSpec<DeleteObjectsResult & { remaining: number }> {
  let inner: OperationSpec<DeleteObjectsResult> | undefined;
  return {
    service: "s3",
    name: "DeleteObjects",
    action: "s3:DeleteObject",
    category: "Data",
    readOnly: false,
    parameters: { bucketName: input.bucket, emptyBucket: true },
    resource: async (tx) => {
      await findBucket(tx, input.bucket);
      const keys = (await tx.s3Object.findMany({ where: { bucketName: input.bucket }, orderBy: { key: "asc" }, take: 1000, select: { key: true } })).map((o) => o.key);
      if (keys.length === 0) return { arn: bucketArn(input.bucket), accountId: (await findBucket(tx, input.bucket)).accountId };
      inner = deleteObjects(principal, { bucket: input.bucket, keys });
      return (inner.resource as (tx: Tx) => Promise<ReturnType<typeof bucketResource>>)(tx);
    },
    run: async (ctx) => {
      const result = inner ? await inner.run(ctx) : { Deleted: [], Errors: [] };
      const remaining = await ctx.tx.s3Object.count({ where: { bucketName: input.bucket } });
      return { ...result, remaining };
    },
    response: (r) => ({ deleted: r.Deleted.length, errors: r.Errors.length, remaining: r.remaining }),
  };
}
