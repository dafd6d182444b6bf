// Completing a multipart upload copies no bytes: the object's manifest names
// the chosen parts' blobs in order; reads stream across them (a range reads
// only the parts it overlaps), a copy reads through them, replacing or
// deleting the object releases them, an abort releases the parts, and the
// orphan sweep keeps a manifest's blobs while the object lives.
import crypto from "node:crypto";
import fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { db, transaction } from "@/lib/db/client";
import { runOperation, type OperationSpec } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";
import { asUser, testRequest } from "@/lib/testing/principals";
import { blobPath, readAll, releasesSettled } from "./blob-store";
import { sweepOrphanBlobs } from "./blob-sweep";
import { abortMultipartUpload, completeMultipartUpload, createMultipartUpload, MIN_PART_BYTES, uploadPart } from "./multipart";
import { copyObject, deleteObjectRows, getObject, putObject } from "./objects";

const BUCKET = "example-dev-scratch";
let admin: Principal;
const run = <T>(spec: OperationSpec<T>) => runOperation<T>({ ...spec, principal: admin, request: testRequest() });
const HOUR = 3_600_000;
const age = (file: string, ms: number) => {
  const then = new Date(Date.now() - ms);
  fs.utimesSync(file, then, then);
};

beforeAll(async () => {
  admin = await asUser("admin");
});

/** Uploads `parts` as a multipart object under `key`; the upload's part rows as stored. */
async function multipart(key: string, parts: Buffer[], extra: Buffer[] = []) {
  const { UploadId } = await run(createMultipartUpload(admin, { bucket: BUCKET, key, contentType: "application/x-test" }));
  const etags: string[] = [];
  for (const [i, body] of [...parts, ...extra].entries()) etags.push((await run(uploadPart(admin, { bucket: BUCKET, key, uploadId: UploadId, partNumber: i + 1, body }))).ETag);
  const rows = await db().multipartPart.findMany({ where: { uploadId: UploadId }, orderBy: { partNumber: "asc" } });
  return { UploadId, etags, rows };
}

const objectRow = (key: string) => db().s3Object.findUniqueOrThrow({ where: { bucketName_key: { bucketName: BUCKET, key } }, include: { parts: { orderBy: { position: "asc" } } } });

describe("multipart objects as manifests", () => {
  const p1 = crypto.randomBytes(MIN_PART_BYTES);
  const p2 = crypto.randomBytes(MIN_PART_BYTES + 17);
  const p3 = crypto.randomBytes(1000);
  const whole = Buffer.concat([p1, p2, p3]);

  it("completes by naming the parts' blobs in order, and reads them back whole and by ranges across part boundaries", async () => {
    // Four parts uploaded, three completed: part 3 is left out.
    const up = await multipart("manifest/three.bin", [p1, p2, Buffer.from("left out")], [p3]);
    const done = await run(
      completeMultipartUpload(admin, {
        bucket: BUCKET,
        key: "manifest/three.bin",
        uploadId: up.UploadId,
        multipartUpload: { Parts: [1, 2, 4].map((n) => ({ PartNumber: n, ETag: up.etags[n - 1]! })) },
      }),
    );
    const md5s = Buffer.concat([p1, p2, p3].map((b) => crypto.createHash("md5").update(b).digest()));
    expect(done.ETag).toBe(`"${crypto.createHash("md5").update(md5s).digest("hex")}-3"`);

    const row = await objectRow("manifest/three.bin");
    expect(row.blobId).toBeNull();
    expect(row.size).toBe(whole.length);
    expect(row.parts.map((p) => p.blobId)).toEqual([up.rows[0]!.blobId, up.rows[1]!.blobId, up.rows[3]!.blobId]);
    expect(row.parts.map((p) => p.size)).toEqual([p1.length, p2.length, p3.length]);
    expect(await db().multipartUpload.count({ where: { id: up.UploadId } })).toBe(0);
    await releasesSettled();
    expect(fs.existsSync(blobPath(up.rows[2]!.blobId))).toBe(false); // the part left out
    for (const p of row.parts) expect(fs.existsSync(blobPath(p.blobId))).toBe(true);

    const got = await run(getObject(admin, { bucket: BUCKET, key: "manifest/three.bin" }));
    expect(got.ContentLength).toBe(whole.length);
    expect(got.ContentType).toBe("application/x-test");
    expect((await readAll(got.Body)).equals(whole)).toBe(true);

    const ranges: [number, number][] = [
      [MIN_PART_BYTES - 10, MIN_PART_BYTES + 9], // across the first boundary
      [MIN_PART_BYTES - 1, 2 * MIN_PART_BYTES + 17], // the last byte of part 1 to the first of part 3
      [MIN_PART_BYTES + 5, MIN_PART_BYTES + 5], // one byte inside part 2
      [whole.length - 20, whole.length - 1], // inside the last part
    ];
    for (const [start, end] of ranges) {
      const r = await run(getObject(admin, { bucket: BUCKET, key: "manifest/three.bin", range: `bytes=${start}-${end}` }));
      expect(r.ContentRange).toBe(`bytes ${start}-${end}/${whole.length}`);
      expect((await readAll(r.Body, r.Range!.start, r.Range!.end)).equals(whole.subarray(start, end + 1))).toBe(true);
    }
    const suffix = await run(getObject(admin, { bucket: BUCKET, key: "manifest/three.bin", range: "bytes=-1500" }));
    expect((await readAll(suffix.Body, suffix.Range!.start, suffix.Range!.end)).equals(whole.subarray(whole.length - 1500))).toBe(true);
  });

  it("copies a multipart object into a single blob, byte for byte", async () => {
    await run(copyObject(admin, { bucket: BUCKET, key: "manifest/copy.bin", copySource: `${BUCKET}/manifest/three.bin` }));
    const copy = await objectRow("manifest/copy.bin");
    expect(copy.blobId).not.toBeNull();
    expect(copy.parts).toEqual([]);
    const got = await run(getObject(admin, { bucket: BUCKET, key: "manifest/copy.bin" }));
    expect((await readAll(got.Body)).equals(whole)).toBe(true);
  });

  it("keeps a manifest's blobs from the orphan sweep, and releases them when the object is replaced or deleted", async () => {
    const parts = (await objectRow("manifest/three.bin")).parts.map((p) => p.blobId);
    for (const id of parts) age(blobPath(id), 2 * HOUR);
    await sweepOrphanBlobs();
    for (const id of parts) expect(fs.existsSync(blobPath(id))).toBe(true);

    // Replaced by a single-blob PutObject: the manifest's rows and files go.
    await run(putObject(admin, { bucket: BUCKET, key: "manifest/three.bin", body: Buffer.from("small now") }));
    await releasesSettled();
    expect(await db().s3ObjectPart.count({ where: { blobId: { in: parts } } })).toBe(0);
    for (const id of parts) expect(fs.existsSync(blobPath(id))).toBe(false);
    const small = await run(getObject(admin, { bucket: BUCKET, key: "manifest/three.bin" }));
    expect((await readAll(small.Body)).toString()).toBe("small now");

    // A multipart object deleted (the row removal DeleteObject runs): its parts' files go.
    const up = await multipart("manifest/deleted.bin", [p1, p3]);
    await run(
      completeMultipartUpload(admin, { bucket: BUCKET, key: "manifest/deleted.bin", uploadId: up.UploadId, multipartUpload: { Parts: up.etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })) } }),
    );
    await transaction((tx) => deleteObjectRows(tx, BUCKET, ["manifest/deleted.bin"]));
    await releasesSettled();
    for (const r of up.rows) expect(fs.existsSync(blobPath(r.blobId))).toBe(false);
    expect(await db().s3ObjectPart.count({ where: { blobId: { in: up.rows.map((r) => r.blobId) } } })).toBe(0);
  });

  it("replaces a multipart object by another without losing the new one's parts", async () => {
    const first = await multipart("manifest/again.bin", [p1, p3]);
    await run(completeMultipartUpload(admin, { bucket: BUCKET, key: "manifest/again.bin", uploadId: first.UploadId, multipartUpload: { Parts: first.etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })) } }));
    const second = await multipart("manifest/again.bin", [p2, p3]);
    await run(completeMultipartUpload(admin, { bucket: BUCKET, key: "manifest/again.bin", uploadId: second.UploadId, multipartUpload: { Parts: second.etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })) } }));
    await releasesSettled();
    for (const r of first.rows) expect(fs.existsSync(blobPath(r.blobId))).toBe(false);
    const row = await objectRow("manifest/again.bin");
    expect(row.parts.map((p) => p.blobId)).toEqual(second.rows.map((r) => r.blobId));
    const got = await run(getObject(admin, { bucket: BUCKET, key: "manifest/again.bin" }));
    expect((await readAll(got.Body)).equals(Buffer.concat([p2, p3]))).toBe(true);
  });

  it("releases every part of an aborted upload and writes no object", async () => {
    const up = await multipart("manifest/aborted.bin", [p1, p3]);
    await run(abortMultipartUpload(admin, { bucket: BUCKET, key: "manifest/aborted.bin", uploadId: up.UploadId }));
    await releasesSettled();
    for (const r of up.rows) expect(fs.existsSync(blobPath(r.blobId))).toBe(false);
    expect(await db().s3Object.count({ where: { bucketName: BUCKET, key: "manifest/aborted.bin" } })).toBe(0);
  });
});
