import "server-only";
// S3 object operations (data events) as operation builders. Object bytes live in
// the blob store (./blob-store.ts), streamed there before the transaction that
// writes the row referring to them; a replaced or deleted object's blob is
// released after. Listing
// pages in SQL: key ranges instead of LIKE (S3 keys are case-sensitive), and a
// jump past each common prefix so a page costs at most one query per prefix.
import type { OperationContext, OperationSpec } from "@/lib/iam/operation";
import type { Tx } from "@/lib/db/client";
import { rawDate, rawNumber } from "@/lib/db/raw-values";
import { env } from "@/lib/env";
import { bucketArn, objectArn } from "@/lib/iam/arn";
import { IamError } from "@/lib/iam/errors";
import type { Principal } from "@/lib/iam/principal";
import { adoptInlineBodies, openBlob, openManifest, releaseBlobs, writeBlob, type ManifestPart, type OpenBlob, type StagedBlob } from "./blob-store";
import { bucketResource, findBucket, type BucketRow } from "./buckets";
import { assertCannedAcl } from "./acl";
import { parseStoredTags, parseTagging, type Tag } from "./tagging";
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
export function onObject<T>(
  spec: { name: string; action: string; readOnly: boolean; bucket: string; key: string; parameters?: unknown; context?: Record<string, string | string[]> },
  run: (tx: Tx, bucket: BucketRow, authorize: OperationContext["authorize"]) => Promise<T>,
  response?: (data: T) => unknown,
): OperationSpec<T> {
  let bucket: BucketRow | undefined;
  return {
    service: "s3",
    name: spec.name,
    action: spec.action,
    category: "Data",
    readOnly: spec.readOnly,
    context: spec.context,
    parameters: spec.parameters ?? { bucketName: spec.bucket, key: spec.key },
    resource: async (tx) => {
      bucket = await findBucket(tx, spec.bucket);
      assertObjectKey(spec.key);
      return bucketResource(bucket, objectArn(spec.bucket, spec.key));
    },
    run: ({ tx, authorize }) => run(tx, bucket!, authorize),
    response: response ?? (() => null),
  };
}

/** The object's body: bytes in hand (the console's folders, tests) or a blob already streamed into the store by the door. */
export type ObjectBody = Uint8Array | StagedBlob;

const isStaged = (b: ObjectBody): b is StagedBlob => !(b instanceof Uint8Array);

export interface PutObjectInput {
  bucket: string;
  key: string;
  body: ObjectBody;
  contentType?: string;
  /** x-amz-meta-* pairs (the prefix is optional here and removed). */
  metadata?: Record<string, string>;
  /** x-amz-tagging: URL-encoded key=value pairs. */
  tagging?: string;
  /** x-amz-acl: only the canned ACLs S3 accepts with Object Ownership "bucket owner enforced" (private, bucket-owner-full-control). */
  acl?: string;
  /** Largest accepted body; default IAMLAB_MAX_CONSOLE_OBJECT_BYTES (16 MiB) for bytes in hand. A staged blob was limited while it streamed. */
  maxBytes?: number;
}

export interface PutObjectResult {
  ETag: string;
  Size: number;
}

/** The row fields of a stored body: one blob, or (a completed multipart upload) a manifest of part blobs in order. */
export type StoredBody = { size: number; etag: string } & ({ blobId: string; parts?: undefined } | { blobId: null; parts: ManifestPart[] });

/** Bytes in hand go to the blob store here; a staged blob is taken as it is. */
async function store(body: ObjectBody, maxBytes: number): Promise<StoredBody> {
  if (isStaged(body)) return { blobId: body.blobId, size: body.size, etag: `"${body.md5}"` };
  if (body.byteLength > maxBytes) throw new IamError("EntityTooLarge", MSG.tooLarge);
  const blob = await writeBlob(new Uint8Array(body));
  return { blobId: blob.blobId, size: blob.size, etag: `"${blob.md5}"` };
}

/**
 * Writes (or replaces) an object row for a stored body; the replaced object's
 * blob (or manifest's blobs) is released. Shared by PutObject, CopyObject and
 * CompleteMultipartUpload.
 */
export async function writeObjectRow(
  tx: Tx,
  bucket: string,
  key: string,
  stored: StoredBody,
  fields: { contentType?: string; metadata: string; tags: string },
): Promise<void> {
  const previous = await tx.s3Object.findUnique({ where: { bucketName_key: { bucketName: bucket, key } }, select: { id: true, blobId: true } });
  const previousParts = previous && !previous.blobId ? await dropManifest(tx, previous.id) : [];
  const data = {
    blobId: stored.blobId,
    body: null,
    size: stored.size,
    etag: stored.etag,
    contentType: fields.contentType || "binary/octet-stream",
    metadata: fields.metadata,
    tags: fields.tags,
    lastModified: new Date(),
  };
  const { id } = await tx.s3Object.upsert({ where: { bucketName_key: { bucketName: bucket, key } }, create: { bucketName: bucket, key, ...data }, update: data, select: { id: true } });
  if (stored.parts) await tx.s3ObjectPart.createMany({ data: stored.parts.map((p, i) => ({ objectId: id, position: i + 1, blobId: p.blobId, size: p.size })) });
  releaseBlobs([...(previous?.blobId && previous.blobId !== stored.blobId ? [previous.blobId] : []), ...previousParts]);
}

/** Deletes an object's manifest rows; the blobs they named, for the caller to release. */
async function dropManifest(tx: Tx, objectId: string): Promise<string[]> {
  const parts = await tx.s3ObjectPart.findMany({ where: { objectId }, select: { blobId: true } });
  if (parts.length) await tx.s3ObjectPart.deleteMany({ where: { objectId } });
  return parts.map((p) => p.blobId);
}

/** A multipart object's part blobs, in byte order. */
const manifestOf = (tx: Tx, objectId: string): Promise<ManifestPart[]> =>
  tx.s3ObjectPart.findMany({ where: { objectId }, orderBy: { position: "asc" }, select: { blobId: true, size: true } });

/** The request's tag keys and values as the gate's s3:RequestObjectTag/<key> and s3:RequestObjectTagKeys. */
export function requestTagContext(tags: Tag[]): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = {};
  if (tags.length === 0) return context;
  for (const t of tags) context[`s3:RequestObjectTag/${t.Key}`] = t.Value;
  context["s3:RequestObjectTagKeys"] = tags.map((t) => t.Key);
  return context;
}

/** PutObject: replaces any object under the key; ETag is the quoted MD5 of the bytes. */
export function putObject(principal: Principal, input: PutObjectInput): OperationSpec<PutObjectResult> {
  const maxBytes = input.maxBytes ?? env().IAMLAB_MAX_CONSOLE_OBJECT_BYTES;
  const tags = input.tagging ? parseTagging(input.tagging) : [];
  const size = isStaged(input.body) ? input.body.size : input.body.byteLength;
  return onObject(
    {
      name: "PutObject",
      action: "s3:PutObject",
      readOnly: false,
      bucket: input.bucket,
      key: input.key,
      context: { ...requestTagContext(tags), ...(input.acl ? { "s3:x-amz-acl": input.acl } : {}) },
      parameters: { bucketName: input.bucket, key: input.key, "Content-Type": input.contentType, "Content-Length": size, ...(input.acl ? { "x-amz-acl": input.acl } : {}) },
    },
    async (tx) => {
      assertCannedAcl(input.acl);
      const metadata = JSON.stringify(normalizeMetadata(input.metadata));
      const stored = await store(input.body, maxBytes);
      try {
        await writeObjectRow(tx, input.bucket, input.key, stored, { contentType: input.contentType, metadata, tags: JSON.stringify(tags) });
      } catch (err) {
        if (!isStaged(input.body)) releaseBlobs([stored.blobId]);
        throw err;
      }
      return { ETag: stored.etag, Size: stored.size };
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
  /** How many tags the object has (x-amz-tagging-count). */
  TagCount: number;
}

export interface GetObjectResult extends ObjectHead {
  /** The object's bytes, open: stream them (Body.stream(start, end)) or close them. */
  Body: OpenBlob;
  /** The bytes asked for (a Range), inclusive; absent for the whole object. */
  Range?: { start: number; end: number };
  /** "bytes start-end/size" for a range. */
  ContentRange?: string;
}

export interface ObjectRow {
  id: string;
  head: ObjectHead;
  /** Null for a multipart object (its manifest holds the blobs) or bytes still in the row. */
  blobId: string | null;
  tags: Tag[];
}

export async function findObject(tx: Tx, bucket: string, key: string): Promise<ObjectRow> {
  // One raw statement (every GetObject and HeadObject runs it): a model query costs Prisma a query compilation on every call.
  const [o] = await tx.$queryRaw<{ id: string; contentType: string; size: number | bigint; etag: string; lastModified: Date | string; metadata: string; storageClass: string; blobId: string | null; tags: string }[]>`
    SELECT "id", "contentType", "size", "etag", "lastModified", "metadata", "storageClass", "blobId", "tags" FROM "S3Object" WHERE "bucketName" = ${bucket} AND "key" = ${key}`;
  if (!o) throw new IamError("NoSuchKey", MSG.noSuchKey);
  const tags = parseStoredTags(o.tags);
  const head: ObjectHead = {
    ContentType: o.contentType,
    ContentLength: rawNumber(o.size),
    ETag: o.etag,
    LastModified: rawDate(o.lastModified),
    Metadata: parseJsonRecord(o.metadata),
    StorageClass: o.storageClass,
    TagCount: tags.length,
  };
  return { id: o.id, head, blobId: o.blobId, tags };
}

/**
 * A read's object: a missing key is NoSuchKey (404) only for a caller allowed
 * s3:ListBucket on the bucket; to anyone else S3 answers AccessDenied (403), so
 * that which keys exist is not told.
 */
async function findObjectOrHide(tx: Tx, bucket: BucketRow, key: string, authorize: OperationContext["authorize"]): Promise<ObjectRow> {
  try {
    return await findObject(tx, bucket.name, key);
  } catch (err) {
    if (!(err instanceof IamError && err.code === "NoSuchKey")) throw err;
    await authorize("s3:ListBucket", bucketResource(bucket));
    throw err;
  }
}

/** An object's bytes, open: its blob, or its manifest's part blobs read as one. */
async function openStoredBody(tx: Tx, row: ObjectRow): Promise<OpenBlob | undefined> {
  if (row.blobId) return openBlob(row.blobId);
  const parts = await manifestOf(tx, row.id);
  return parts.length ? openManifest(parts) : undefined;
}

/**
 * The bytes of an object read inside a transaction (a copy's source), open. A
 * row still holding its bytes inline (written before the blob store) gets its
 * blob here, through the transaction: adoptInlineBodies works outside any
 * transaction, and on SQLite it would wait for this one's lock.
 */
export async function openSourceBody(tx: Tx, row: ObjectRow): Promise<OpenBlob> {
  const open = await openStoredBody(tx, row);
  if (open) return open;
  const o = await tx.s3Object.findUniqueOrThrow({ where: { id: row.id }, select: { body: true } });
  const blob = await writeBlob(o.body ? new Uint8Array(o.body) : new Uint8Array(0));
  await tx.s3Object.update({ where: { id: row.id }, data: { blobId: blob.blobId, body: null } });
  return openBlob(blob.blobId);
}

function parseJsonRecord(text: string): Record<string, string> {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/** The conditional request headers of GetObject and HeadObject (RFC 7232 as S3 applies them). */
export interface Conditions {
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: Date;
  ifUnmodifiedSince?: Date;
}

export interface GetObjectInput extends Conditions {
  bucket: string;
  key: string;
  /** The Range header, e.g. "bytes=0-99", "bytes=100-", "bytes=-20". */
  range?: string;
}

const etagMatches = (list: string, etag: string) =>
  list
    .split(",")
    .map((s) => s.trim())
    .some((t) => t === "*" || t === etag || `"${t}"` === etag || t.replace(/^W\//, "") === etag);

/** S3's order: If-Match before If-Unmodified-Since (412), If-None-Match before If-Modified-Since (304). */
export function checkConditions(head: ObjectHead, c: Conditions): void {
  const modified = Math.floor(head.LastModified.getTime() / 1000) * 1000;
  if (c.ifMatch !== undefined && !etagMatches(c.ifMatch, head.ETag)) throw new IamError("PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
  if (c.ifMatch === undefined && c.ifUnmodifiedSince && modified > c.ifUnmodifiedSince.getTime())
    throw new IamError("PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
  if (c.ifNoneMatch !== undefined && etagMatches(c.ifNoneMatch, head.ETag)) throw new IamError("NotModified", "Not Modified");
  if (c.ifNoneMatch === undefined && c.ifModifiedSince && modified <= c.ifModifiedSince.getTime()) throw new IamError("NotModified", "Not Modified");
}

/**
 * A Range header against an object of `size` bytes: the inclusive byte range,
 * undefined for the whole object (no header, or one S3 ignores: not bytes=, or
 * several ranges), InvalidRange when no byte of it exists.
 */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return undefined;
  const unsatisfiable = () => new IamError("InvalidRange", "The requested range is not satisfiable");
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) throw unsatisfiable();
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== "" && Number(m[2]) < start) return undefined;
  if (start >= size) throw unsatisfiable();
  return { start, end };
}

function conditionParameters(input: GetObjectInput) {
  return {
    bucketName: input.bucket,
    key: input.key,
    ...(input.range ? { Range: input.range } : {}),
    ...(input.ifMatch ? { "If-Match": input.ifMatch } : {}),
    ...(input.ifNoneMatch ? { "If-None-Match": input.ifNoneMatch } : {}),
  };
}

/** GetObject: the object's headers and its bytes, open for streaming (all, or the range asked for). */
export function getObject(principal: Principal, input: GetObjectInput): OperationSpec<GetObjectResult> {
  return onObject({ name: "GetObject", action: "s3:GetObject", readOnly: true, bucket: input.bucket, key: input.key, parameters: conditionParameters(input) }, async (tx, bucket, authorize) => {
    await adoptInlineBodies();
    const row = await findObjectOrHide(tx, bucket, input.key, authorize);
    const { head } = row;
    checkConditions(head, input);
    const range = parseRange(input.range, head.ContentLength);
    const Body = await openStoredBody(tx, row);
    if (!Body) throw new IamError("NoSuchKey", MSG.noSuchKey); // neither blob nor manifest: inline bytes, which adoptInlineBodies has moved
    if (!range) return { ...head, Body };
    return { ...head, Body, Range: range, ContentLength: range.end - range.start + 1, ContentRange: `bytes ${range.start}-${range.end}/${head.ContentLength}` };
  });
}

/** HeadObject (s3:GetObject): headers without the bytes. */
export function headObject(principal: Principal, input: GetObjectInput): OperationSpec<ObjectHead & { ContentRange?: string }> {
  return onObject({ name: "HeadObject", action: "s3:GetObject", readOnly: true, bucket: input.bucket, key: input.key, parameters: conditionParameters(input) }, async (tx, bucket, authorize) => {
    const { head } = await findObjectOrHide(tx, bucket, input.key, authorize);
    checkConditions(head, input);
    const range = parseRange(input.range, head.ContentLength);
    if (!range) return head;
    return { ...head, ContentLength: range.end - range.start + 1, ContentRange: `bytes ${range.start}-${range.end}/${head.ContentLength}` };
  });
}

const OBJECT_ATTRIBUTES = new Set(["ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"]);

export interface GetObjectAttributesResult {
  LastModified: Date;
  ETag?: string;
  StorageClass?: string;
  ObjectSize?: number;
  ObjectParts?: { TotalPartsCount: number };
}

/**
 * GetObjectAttributes (s3:GetObjectAttributes at the gate, and s3:GetObject,
 * as S3 needs both for an unversioned object): the attributes asked for in
 * x-amz-object-attributes. The ETag comes without its quotes, as S3 writes it
 * here; ObjectParts only for a multipart object (its part count); no checksums
 * are stored, so Checksum is never in the answer.
 */
export function getObjectAttributes(principal: Principal, input: { bucket: string; key: string; objectAttributes: string | string[] }): OperationSpec<GetObjectAttributesResult> {
  const asked = (Array.isArray(input.objectAttributes) ? input.objectAttributes : input.objectAttributes.split(",")).map((a) => a.trim()).filter(Boolean);
  return onObject(
    { name: "GetObjectAttributes", action: "s3:GetObjectAttributes", readOnly: true, bucket: input.bucket, key: input.key, parameters: { bucketName: input.bucket, key: input.key, "x-amz-object-attributes": asked } },
    async (tx, bucket, authorize) => {
      if (asked.length === 0 || asked.some((a) => !OBJECT_ATTRIBUTES.has(a))) throw s3Error("InvalidArgument", "Invalid attribute name specified.");
      await authorize("s3:GetObject", bucketResource(bucket, objectArn(bucket.name, input.key)));
      const { head } = await findObjectOrHide(tx, bucket, input.key, authorize);
      const parts = /-(\d+)"$/.exec(head.ETag)?.[1];
      const want = new Set(asked);
      return {
        LastModified: head.LastModified,
        ...(want.has("ETag") ? { ETag: head.ETag.replace(/^"|"$/g, "") } : {}),
        ...(want.has("StorageClass") ? { StorageClass: head.StorageClass } : {}),
        ...(want.has("ObjectSize") ? { ObjectSize: head.ContentLength } : {}),
        ...(want.has("ObjectParts") && parts ? { ObjectParts: { TotalPartsCount: Number(parts) } } : {}),
      };
    },
  );
}

/** The object rows of `keys` are deleted (their manifests with them) and their blobs released. */
export async function deleteObjectRows(tx: Tx, bucket: string, keys: string[]): Promise<void> {
  const rows = await tx.s3Object.findMany({ where: { bucketName: bucket, key: { in: keys } }, select: { id: true, blobId: true } });
  const multipart = rows.filter((r) => !r.blobId).map((r) => r.id);
  const parts = multipart.length ? await tx.s3ObjectPart.findMany({ where: { objectId: { in: multipart } }, select: { blobId: true } }) : [];
  await tx.s3Object.deleteMany({ where: { bucketName: bucket, key: { in: keys } } });
  releaseBlobs([...rows.map((r) => r.blobId), ...parts.map((p) => p.blobId)]);
}

/** DeleteObject: succeeds whether or not the key exists, as S3 does (unversioned buckets). */
export function deleteObject(principal: Principal, input: { bucket: string; key: string }): OperationSpec<void> {
  return onObject({ name: "DeleteObject", action: "s3:DeleteObject", readOnly: false, bucket: input.bucket, key: input.key }, async (tx) => {
    await deleteObjectRows(tx, input.bucket, [input.key]);
  });
}

// ------------------------------------------------------------------ CopyObject

export interface CopyObjectInput {
  bucket: string;
  key: string;
  /** x-amz-copy-source: "bucket/key" (URL-encoded, an optional leading slash; ?versionId= is refused). */
  copySource: string;
  /** x-amz-metadata-directive: COPY (default) keeps the source's metadata and content type; REPLACE takes this request's. */
  metadataDirective?: string;
  taggingDirective?: string;
  contentType?: string;
  metadata?: Record<string, string>;
  tagging?: string;
}

export interface CopyObjectResult {
  CopyObjectResult: { ETag: string; LastModified: Date };
}

/** "bucket/key" from x-amz-copy-source, or InvalidArgument. */
export function parseCopySource(source: string): { bucket: string; key: string } {
  let s = source;
  const q = s.indexOf("?");
  if (q >= 0) {
    if (/(^|&)versionId=/.test(s.slice(q + 1)) && !/versionId=null(&|$)/.test(s.slice(q + 1))) throw s3Error("InvalidArgument", "Invalid version id specified");
    s = s.slice(0, q);
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(s);
  } catch {
    throw s3Error("InvalidArgument", "Invalid copy source encoding");
  }
  if (decoded.startsWith("/")) decoded = decoded.slice(1);
  const slash = decoded.indexOf("/");
  if (slash <= 0 || slash === decoded.length - 1) throw s3Error("InvalidArgument", "Copy Source must mention the source bucket and key: sourcebucket/sourcekey");
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1) };
}

/**
 * CopyObject: s3:PutObject on the target (the gate), s3:GetObject on the
 * source (checked inside, with the source bucket's policy). The bytes are
 * copied blob to blob, streamed.
 */
export function copyObject(principal: Principal, input: CopyObjectInput): OperationSpec<CopyObjectResult> {
  const source = parseCopySource(input.copySource);
  const directive = (input.metadataDirective ?? "COPY").toUpperCase();
  const tagDirective = (input.taggingDirective ?? "COPY").toUpperCase();
  return onObject(
    {
      name: "CopyObject",
      action: "s3:PutObject",
      readOnly: false,
      bucket: input.bucket,
      key: input.key,
      parameters: { bucketName: input.bucket, key: input.key, "x-amz-copy-source": input.copySource, "x-amz-metadata-directive": directive },
    },
    async (tx, _bucket, authorize) => {
      if (directive !== "COPY" && directive !== "REPLACE") throw s3Error("InvalidArgument", "Unknown metadata directive.");
      if (tagDirective !== "COPY" && tagDirective !== "REPLACE") throw s3Error("InvalidArgument", "Unknown tagging directive.");
      const sourceBucket = await findBucket(tx, source.bucket);
      assertObjectKey(source.key);
      await authorize("s3:GetObject", bucketResource(sourceBucket, objectArn(source.bucket, source.key)));
      const src = await findObject(tx, source.bucket, source.key);
      if (source.bucket === input.bucket && source.key === input.key && directive === "COPY")
        throw s3Error(
          "InvalidRequest",
          "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
        );
      const copied = await writeBlob((await openSourceBody(tx, src)).stream());
      const stored = { blobId: copied.blobId, size: copied.size, etag: `"${copied.md5}"` };
      const metadata = directive === "REPLACE" ? JSON.stringify(normalizeMetadata(input.metadata)) : JSON.stringify(src.head.Metadata);
      const contentType = directive === "REPLACE" ? input.contentType : src.head.ContentType;
      const tags = tagDirective === "REPLACE" ? (input.tagging ? parseTagging(input.tagging) : []) : src.tags;
      try {
        await writeObjectRow(tx, input.bucket, input.key, stored, { contentType, metadata, tags: JSON.stringify(tags) });
      } catch (err) {
        releaseBlobs([stored.blobId]);
        throw err;
      }
      return { CopyObjectResult: { ETag: stored.etag, LastModified: new Date() } };
    },
    (r) => ({ copyObjectResult: { ETag: r.CopyObjectResult.ETag } }),
  );
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
      await deleteObjectRows(tx, input.bucket, deleted);
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

// ------------------------------------------------------------------ ListObjects (v1)

export interface ListObjectsInput {
  bucket: string;
  prefix?: string;
  delimiter?: string;
  marker?: string;
  maxKeys?: number;
}

/** ListObjects (version 1): Marker/NextMarker paging over the same pages as ListObjectsV2. */
export function listObjects(principal: Principal, input: ListObjectsInput): OperationSpec<Omit<ListObjectsV2Result, "KeyCount" | "ContinuationToken" | "NextContinuationToken" | "StartAfter"> & { Marker: string; NextMarker?: string }> {
  const v2 = listObjectsV2(principal, { bucket: input.bucket, prefix: input.prefix, delimiter: input.delimiter, maxKeys: input.maxKeys });
  return {
    ...v2,
    response: () => null,
    name: "ListObjects",
    parameters: { bucketName: input.bucket, prefix: input.prefix, delimiter: input.delimiter, marker: input.marker, "max-keys": input.maxKeys },
    run: async ({ tx }) => {
      const delimiter = input.delimiter || undefined;
      const marker = input.marker ?? "";
      const token = marker ? encodeContinuationToken({ after: marker, prefix: Boolean(delimiter && marker.endsWith(delimiter)) }) : undefined;
      const page = await listObjectPage(tx, input.bucket, { prefix: input.prefix, delimiter: input.delimiter, maxKeys: input.maxKeys, continuationToken: token });
      const last = [...page.Contents.map((c) => c.Key), ...page.CommonPrefixes.map((p) => p.Prefix)].sort().at(-1);
      return {
        Name: page.Name,
        Prefix: page.Prefix,
        ...(page.Delimiter ? { Delimiter: page.Delimiter } : {}),
        Marker: marker,
        ...(page.IsTruncated && last ? { NextMarker: last } : {}),
        MaxKeys: page.MaxKeys,
        IsTruncated: page.IsTruncated,
        Contents: page.Contents,
        CommonPrefixes: page.CommonPrefixes,
      };
    },
  };
}
