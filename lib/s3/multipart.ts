import "server-only";
// S3 multipart uploads as operation builders (data events, s3:PutObject and
// friends): parts are blobs in the blob store like objects; completion copies
// no bytes: the object's manifest names the chosen parts' blobs in order
// (S3ObjectPart), reads stream across them, and the ETag is S3's, the MD5 of
// the parts' binary MD5s followed by "-N".
import crypto from "node:crypto";
import type { OperationSpec } from "@/lib/iam/operation";
import type { Tx } from "@/lib/db/client";
import { IamError } from "@/lib/iam/errors";
import type { Principal } from "@/lib/iam/principal";
import { objectArn } from "@/lib/iam/arn";
import { releaseBlobs, writeBlob, type StagedBlob } from "./blob-store";
import { bucketResource, findBucket, onBucket } from "./buckets";
import { findObject, onObject, openSourceBody, parseCopySource, requestTagContext, writeObjectRow } from "./objects";
import { assertObjectKey, normalizeMetadata, s3Error } from "./rules";
import { parseTagging } from "./tagging";

/** S3's smallest part (all but the last). */
export const MIN_PART_BYTES = 5 * 1024 * 1024;

const noSuchUpload = () =>
  new IamError("NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.");

async function findUpload(tx: Tx, bucket: string, key: string, uploadId: string) {
  const u = await tx.multipartUpload.findUnique({ where: { id: uploadId } });
  if (!u || u.bucketName !== bucket || u.key !== key) throw noSuchUpload();
  return u;
}

function assertPartNumber(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > 10000) throw s3Error("InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive");
}

export interface CreateMultipartUploadInput {
  bucket: string;
  key: string;
  contentType?: string;
  metadata?: Record<string, string>;
  tagging?: string;
}

export function createMultipartUpload(principal: Principal, input: CreateMultipartUploadInput): OperationSpec<{ Bucket: string; Key: string; UploadId: string }> {
  const tags = input.tagging ? parseTagging(input.tagging) : [];
  return onObject(
    { name: "CreateMultipartUpload", action: "s3:PutObject", readOnly: false, bucket: input.bucket, key: input.key, context: requestTagContext(tags) },
    async (tx) => {
      const id = crypto.randomBytes(32).toString("base64url");
      await tx.multipartUpload.create({
        data: {
          id,
          bucketName: input.bucket,
          key: input.key,
          contentType: input.contentType || "binary/octet-stream",
          metadata: JSON.stringify(normalizeMetadata(input.metadata)),
          tags: JSON.stringify(tags),
          initiatorArn: principal.arn,
        },
      });
      return { Bucket: input.bucket, Key: input.key, UploadId: id };
    },
    (r) => ({ uploadId: r.UploadId }),
  );
}

export interface UploadPartInput {
  bucket: string;
  key: string;
  uploadId: string;
  partNumber: number;
  /** The part's bytes: streamed into the blob store by the door, or in hand (written to the store here). */
  body: StagedBlob | Uint8Array;
}

export function uploadPart(principal: Principal, input: UploadPartInput): OperationSpec<{ ETag: string }> {
  return onObject(
    {
      name: "UploadPart",
      action: "s3:PutObject",
      readOnly: false,
      bucket: input.bucket,
      key: input.key,
      parameters: { bucketName: input.bucket, key: input.key, uploadId: input.uploadId, partNumber: input.partNumber, "Content-Length": input.body instanceof Uint8Array ? input.body.byteLength : input.body.size },
    },
    async (tx) => {
      assertPartNumber(input.partNumber);
      await findUpload(tx, input.bucket, input.key, input.uploadId);
      const where = { uploadId_partNumber: { uploadId: input.uploadId, partNumber: input.partNumber } };
      const previous = await tx.multipartPart.findUnique({ where, select: { blobId: true } });
      const blob = input.body instanceof Uint8Array ? await writeBlob(input.body) : input.body;
      const data = { blobId: blob.blobId, size: blob.size, etag: `"${blob.md5}"`, lastModified: new Date() };
      await tx.multipartPart.upsert({ where, create: { uploadId: input.uploadId, partNumber: input.partNumber, ...data }, update: data });
      if (previous) releaseBlobs([previous.blobId]);
      return { ETag: data.etag };
    },
    (r) => ({ ETag: r.ETag }),
  );
}

export interface UploadPartCopyInput {
  bucket: string;
  key: string;
  uploadId: string;
  partNumber: number;
  /** x-amz-copy-source: "bucket/key" of the object the part's bytes come from. */
  copySource: string;
  /** x-amz-copy-source-range: "bytes=first-last" (zero-based, inclusive); the whole source when absent. */
  copySourceRange?: string;
}

/** "bytes=first-last" within a source of `size` bytes. */
function copyRange(range: string | undefined, size: number): { start: number; end: number } | undefined {
  if (range === undefined) return undefined;
  const m = /^bytes=(\d+)-(\d+)$/.exec(range.trim());
  if (!m || Number(m[1]) > Number(m[2]))
    throw s3Error("InvalidArgument", "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy");
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (end >= size) throw s3Error("InvalidArgument", `Range specified is not valid for source object of size: ${size}`);
  return { start, end };
}

/**
 * UploadPartCopy: a part's bytes copied from an existing object (all of it or
 * a byte range), streamed blob to blob. s3:PutObject on the upload's object
 * (the gate), s3:GetObject on the source (checked inside, with the source
 * bucket's policy), as CopyObject.
 */
export function uploadPartCopy(principal: Principal, input: UploadPartCopyInput): OperationSpec<{ CopyPartResult: { ETag: string; LastModified: Date } }> {
  const source = parseCopySource(input.copySource);
  return onObject(
    {
      name: "UploadPartCopy",
      action: "s3:PutObject",
      readOnly: false,
      bucket: input.bucket,
      key: input.key,
      parameters: { bucketName: input.bucket, key: input.key, uploadId: input.uploadId, partNumber: input.partNumber, "x-amz-copy-source": input.copySource, "x-amz-copy-source-range": input.copySourceRange },
    },
    async (tx, _bucket, authorize) => {
      assertPartNumber(input.partNumber);
      await findUpload(tx, input.bucket, input.key, input.uploadId);
      const sourceBucket = await findBucket(tx, source.bucket);
      assertObjectKey(source.key);
      await authorize("s3:GetObject", bucketResource(sourceBucket, objectArn(source.bucket, source.key)));
      const src = await findObject(tx, source.bucket, source.key);
      const range = copyRange(input.copySourceRange, src.head.ContentLength);
      const from = await openSourceBody(tx, src);
      const blob = await writeBlob(from.stream(range?.start, range?.end));
      const where = { uploadId_partNumber: { uploadId: input.uploadId, partNumber: input.partNumber } };
      const data = { blobId: blob.blobId, size: blob.size, etag: `"${blob.md5}"`, lastModified: new Date() };
      try {
        const previous = await tx.multipartPart.findUnique({ where, select: { blobId: true } });
        await tx.multipartPart.upsert({ where, create: { uploadId: input.uploadId, partNumber: input.partNumber, ...data }, update: data });
        if (previous) releaseBlobs([previous.blobId]);
      } catch (err) {
        releaseBlobs([blob.blobId]);
        throw err;
      }
      return { CopyPartResult: { ETag: data.etag, LastModified: data.lastModified } };
    },
    (r) => ({ ETag: r.CopyPartResult.ETag }),
  );
}

export interface CompletedPart {
  PartNumber: number;
  ETag: string;
}

const normalEtag = (e: string) => (e.startsWith('"') ? e : `"${e}"`);

export function completeMultipartUpload(
  principal: Principal,
  input: { bucket: string; key: string; uploadId: string; multipartUpload?: { Parts?: CompletedPart[] } },
): OperationSpec<{ Location: string; Bucket: string; Key: string; ETag: string }> {
  const asked = input.multipartUpload?.Parts ?? [];
  return onObject(
    {
      name: "CompleteMultipartUpload",
      action: "s3:PutObject",
      readOnly: false,
      bucket: input.bucket,
      key: input.key,
      parameters: { bucketName: input.bucket, key: input.key, uploadId: input.uploadId },
    },
    async (tx) => {
      const upload = await findUpload(tx, input.bucket, input.key, input.uploadId);
      if (asked.length === 0) throw s3Error("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");
      for (let i = 1; i < asked.length; i++) {
        if (!(asked[i]!.PartNumber > asked[i - 1]!.PartNumber)) throw new IamError("InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered by part number.");
      }
      const stored = new Map((await tx.multipartPart.findMany({ where: { uploadId: upload.id } })).map((p) => [p.partNumber, p]));
      const chosen = asked.map((a) => {
        const p = stored.get(a.PartNumber);
        if (!p || typeof a.ETag !== "string" || normalEtag(a.ETag) !== p.etag)
          throw new IamError("InvalidPart", "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not have matched the part's entity tag.");
        return p;
      });
      chosen.slice(0, -1).forEach((p) => {
        if (p.size < MIN_PART_BYTES) throw new IamError("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.");
      });
      const md5s = Buffer.concat(chosen.map((p) => Buffer.from(p.etag.slice(1, -1), "hex")));
      const etag = `"${crypto.createHash("md5").update(md5s).digest("hex")}-${chosen.length}"`;
      // The chosen parts' blobs become the object's manifest (no bytes copied); the upload's other parts are released.
      const manifest = chosen.map((p) => ({ blobId: p.blobId, size: p.size }));
      const size = manifest.reduce((sum, p) => sum + p.size, 0);
      await writeObjectRow(tx, input.bucket, input.key, { blobId: null, parts: manifest, size, etag }, { contentType: upload.contentType, metadata: upload.metadata, tags: upload.tags });
      await tx.multipartUpload.delete({ where: { id: upload.id } });
      const kept = new Set(manifest.map((p) => p.blobId));
      releaseBlobs([...stored.values()].map((p) => p.blobId).filter((id) => !kept.has(id)));
      return { Location: `/${input.bucket}/${input.key}`, Bucket: input.bucket, Key: input.key, ETag: etag };
    },
    (r) => ({ ETag: r.ETag }),
  );
}

export function abortMultipartUpload(principal: Principal, input: { bucket: string; key: string; uploadId: string }): OperationSpec<void> {
  return onObject({ name: "AbortMultipartUpload", action: "s3:AbortMultipartUpload", readOnly: false, bucket: input.bucket, key: input.key }, async (tx) => {
    const upload = await findUpload(tx, input.bucket, input.key, input.uploadId);
    const parts = await tx.multipartPart.findMany({ where: { uploadId: upload.id }, select: { blobId: true } });
    await tx.multipartUpload.delete({ where: { id: upload.id } });
    releaseBlobs(parts.map((p) => p.blobId));
  });
}

export interface ListPartsResult {
  Bucket: string;
  Key: string;
  UploadId: string;
  PartNumberMarker: number;
  NextPartNumberMarker?: number;
  MaxParts: number;
  IsTruncated: boolean;
  Parts: { PartNumber: number; LastModified: Date; ETag: string; Size: number }[];
  Initiator: { ID: string; DisplayName: string };
  Owner: { ID: string; DisplayName: string };
  StorageClass: string;
}

export function listParts(
  principal: Principal,
  input: { bucket: string; key: string; uploadId: string; maxParts?: number; partNumberMarker?: number },
): OperationSpec<ListPartsResult> {
  return onObject({ name: "ListParts", action: "s3:ListMultipartUploadParts", readOnly: true, bucket: input.bucket, key: input.key }, async (tx, b) => {
    const upload = await findUpload(tx, input.bucket, input.key, input.uploadId);
    const max = Math.min(input.maxParts ?? 1000, 1000);
    const marker = input.partNumberMarker ?? 0;
    const rows = await tx.multipartPart.findMany({ where: { uploadId: upload.id, partNumber: { gt: marker } }, orderBy: { partNumber: "asc" }, take: max + 1 });
    const page = rows.slice(0, max);
    const truncated = rows.length > max;
    return {
      Bucket: input.bucket,
      Key: input.key,
      UploadId: upload.id,
      PartNumberMarker: marker,
      ...(page.length ? { NextPartNumberMarker: page[page.length - 1]!.partNumber } : {}),
      MaxParts: max,
      IsTruncated: truncated,
      Parts: page.map((p) => ({ PartNumber: p.partNumber, LastModified: p.lastModified, ETag: p.etag, Size: p.size })),
      Initiator: { ID: upload.initiatorArn, DisplayName: upload.initiatorArn.split("/").pop() ?? upload.initiatorArn },
      Owner: { ID: b.accountId, DisplayName: b.accountId },
      StorageClass: "STANDARD",
    };
  });
}

export interface ListMultipartUploadsResult {
  Bucket: string;
  KeyMarker: string;
  UploadIdMarker: string;
  NextKeyMarker?: string;
  NextUploadIdMarker?: string;
  Prefix: string;
  MaxUploads: number;
  IsTruncated: boolean;
  Uploads: { UploadId: string; Key: string; Initiated: Date; StorageClass: string; Initiator: { ID: string; DisplayName: string } }[];
}

export function listMultipartUploads(
  principal: Principal,
  input: { bucket: string; prefix?: string; keyMarker?: string; uploadIdMarker?: string; maxUploads?: number },
): OperationSpec<ListMultipartUploadsResult> {
  return onBucket(
    principal,
    { name: "ListMultipartUploads", action: "s3:ListBucketMultipartUploads", readOnly: true, bucket: input.bucket },
    async (tx, b) => {
      const max = Math.min(input.maxUploads ?? 1000, 1000);
      const prefix = input.prefix ?? "";
      const rows = await tx.multipartUpload.findMany({
        where: {
          bucketName: b.name,
          ...(prefix ? { key: { startsWith: prefix } } : {}),
          ...(input.keyMarker ? { OR: [{ key: { gt: input.keyMarker } }, ...(input.uploadIdMarker ? [{ key: input.keyMarker, id: { gt: input.uploadIdMarker } }] : [])] } : {}),
        },
        orderBy: [{ key: "asc" }, { id: "asc" }],
        take: max + 1,
      });
      const page = rows.slice(0, max).filter((u) => u.key.startsWith(prefix));
      const truncated = rows.length > max;
      const last = page[page.length - 1];
      return {
        Bucket: b.name,
        KeyMarker: input.keyMarker ?? "",
        UploadIdMarker: input.uploadIdMarker ?? "",
        ...(truncated && last ? { NextKeyMarker: last.key, NextUploadIdMarker: last.id } : {}),
        Prefix: prefix,
        MaxUploads: max,
        IsTruncated: truncated,
        Uploads: page.map((u) => ({ UploadId: u.id, Key: u.key, Initiated: u.initiatedAt, StorageClass: "STANDARD", Initiator: { ID: u.initiatorArn, DisplayName: u.initiatorArn.split("/").pop() ?? "" } })),
      };
    },
  );
}
