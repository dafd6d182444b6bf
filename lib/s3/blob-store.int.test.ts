// The blob store: bytes in files under the data directory, a cut upload leaves
// nothing, ranges read only their bytes, and deleting or replacing an object
// removes its file once the change is committed; the seed writes blobs, and rows
// holding their bytes inline (an older version's) move to blobs before the first read.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db, transaction } from "@/lib/db/client";
import { runOperation, type OperationSpec } from "@/lib/iam/operation";
import { asUser, testRequest } from "@/lib/testing/principals";
import { blobPath, blobRoot, openBlob, readAll, releasesSettled, writeBlob } from "./blob-store";
import { deleteObjectRows, getObject, putObject } from "./objects";

const BUCKET = "example-dev-scratch";
const run = async <T>(spec: (p: Awaited<ReturnType<typeof asUser>>) => OperationSpec<T>) => {
  const admin = await asUser("admin");
  return runOperation({ ...spec(admin), principal: admin, request: testRequest() });
};
const blobOf = async (key: string, bucket = BUCKET) => (await db().s3Object.findUniqueOrThrow({ where: { bucketName_key: { bucketName: bucket, key } } })).blobId!;
const tmpFiles = () => (fs.existsSync(path.join(blobRoot(), "tmp")) ? fs.readdirSync(path.join(blobRoot(), "tmp")) : []);

describe("blob store", () => {
  it("reads the seed's objects from blobs, and moves bodies an older version stored in rows into the blob store before the first read", async () => {
    // The seed writes blobs: no seeded row holds its bytes.
    expect(await db().s3Object.count({ where: { body: { not: null } } })).toBe(0);
    const seeded = await blobOf("README.txt", "example-dev-assets");
    expect(fs.readFileSync(blobPath(seeded), "utf8")).toBe("Assets for the dev environment.\n");
    // A row as written before the blob store: bytes inline, no blob. (First in this file: adoption runs once per process, before its first read.)
    const inline = Buffer.from("bytes kept in the row");
    await db().s3Object.create({ data: { bucketName: BUCKET, key: "blob/inline.txt", body: inline, size: inline.length, etag: `"${crypto.createHash("md5").update(inline).digest("hex")}"` } });
    const got = await run((p) => getObject(p, { bucket: BUCKET, key: "blob/inline.txt" }));
    expect((await readAll(got.Body)).equals(inline)).toBe(true);
    expect(await db().s3Object.count({ where: { blobId: null } })).toBe(0);
    expect(await db().s3Object.count({ where: { body: { not: null } } })).toBe(0);
    const readme = await run((p) => getObject(p, { bucket: "example-dev-assets", key: "README.txt" }));
    expect((await readAll(readme.Body)).toString()).toBe("Assets for the dev environment.\n");
  });

  it("writes a body to a file with its MD5, and reads a range without the rest", async () => {
    const bytes = crypto.randomBytes(300_000);
    const blob = await writeBlob((async function* () {
      for (let i = 0; i < bytes.length; i += 65536) yield bytes.subarray(i, i + 65536);
    })());
    expect(blob.size).toBe(bytes.length);
    expect(blob.md5).toBe(crypto.createHash("md5").update(bytes).digest("hex"));
    expect(fs.readFileSync(blobPath(blob.blobId)).equals(bytes)).toBe(true);
    const open = await openBlob(blob.blobId);
    expect((await readAll(open, 1000, 1999)).equals(bytes.subarray(1000, 2000))).toBe(true);
  });

  it("leaves no file when the source fails midway or is shorter than declared", async () => {
    const before = tmpFiles().length;
    const cut = writeBlob((async function* () {
      yield Buffer.alloc(1000, 1);
      throw new Error("connection reset");
    })());
    await expect(cut).rejects.toThrow("connection reset");
    await expect(writeBlob(Buffer.alloc(10), { expectedLength: 20 })).rejects.toMatchObject({ code: "IncompleteBody" });
    await expect(writeBlob(Buffer.alloc(30), { maxBytes: 20 })).rejects.toMatchObject({ code: "EntityTooLarge" });
    expect(tmpFiles().length).toBe(before);
  });

  it("removes an object's file when it is replaced and when it is deleted, and keeps the current one", async () => {
    await run((p) => putObject(p, { bucket: BUCKET, key: "blob/one.txt", body: Buffer.from("first") }));
    const first = await blobOf("blob/one.txt");
    await run((p) => putObject(p, { bucket: BUCKET, key: "blob/one.txt", body: Buffer.from("second") }));
    const second = await blobOf("blob/one.txt");
    await releasesSettled();
    expect(fs.existsSync(blobPath(first))).toBe(false);
    expect(fs.existsSync(blobPath(second))).toBe(true);
    const got = await run((p) => getObject(p, { bucket: BUCKET, key: "blob/one.txt", range: "bytes=1-3" }));
    expect(got.ContentRange).toBe("bytes 1-3/6");
    expect((await readAll(got.Body, got.Range!.start, got.Range!.end)).toString()).toBe("eco");
    // DeleteObject's row removal (the lab SCP keeps the operation itself for the elevated role, see s3.int.test.ts).
    await transaction((tx) => deleteObjectRows(tx, BUCKET, ["blob/one.txt"]));
    await releasesSettled();
    expect(fs.existsSync(blobPath(second))).toBe(false);
  });
});
