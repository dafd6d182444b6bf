// The orphan sweep: blob files no row refers to go once they are an hour old,
// and stale upload temporaries once they are a day old; what an object or a
// multipart part refers to, and anything recent, stays. A directory that
// belongs to another database is not swept.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { runOperation, type OperationSpec } from "@/lib/iam/operation";
import { asUser, testRequest } from "@/lib/testing/principals";
import { blobPath, blobRoot, tmpDir, writeBlob } from "./blob-store";
import { sweepOrphanBlobs } from "./blob-sweep";
import { createMultipartUpload, uploadPart } from "./multipart";
import { putObject } from "./objects";

const BUCKET = "example-dev-scratch";
const HOUR = 3_600_000;
const age = (file: string, ms: number) => {
  const then = new Date(Date.now() - ms);
  fs.utimesSync(file, then, then);
};

describe("orphan blob sweep", () => {
  it("removes old unreferenced blobs and stale temporaries, and keeps referenced or recent ones", async () => {
    const admin = await asUser("admin");
    const op = <T>(spec: OperationSpec<T>) => runOperation({ ...spec, principal: admin, request: testRequest() });
    await op(putObject(admin, { bucket: BUCKET, key: "sweep/kept.txt", body: Buffer.from("kept") }));
    const objectBlob = (await db().s3Object.findUniqueOrThrow({ where: { bucketName_key: { bucketName: BUCKET, key: "sweep/kept.txt" } } })).blobId!;
    const { UploadId } = await op(createMultipartUpload(admin, { bucket: BUCKET, key: "sweep/parts.bin" }));
    await op(uploadPart(admin, { bucket: BUCKET, key: "sweep/parts.bin", uploadId: UploadId, partNumber: 1, body: Buffer.from("part one") }));
    const partBlob = (await db().multipartPart.findFirstOrThrow({ where: { uploadId: UploadId } })).blobId;
    const oldOrphan = (await writeBlob(Buffer.from("nobody refers to me"))).blobId;
    const newOrphan = (await writeBlob(Buffer.from("my transaction may still commit"))).blobId;
    fs.mkdirSync(tmpDir(), { recursive: true });
    const staleTmp = path.join(tmpDir(), "0123456789abcdef0123456789abcdef.part");
    const activeTmp = path.join(tmpDir(), "fedcba9876543210fedcba9876543210.part");
    fs.writeFileSync(staleTmp, "cut upload");
    fs.writeFileSync(activeTmp, "upload under way");
    for (const id of [objectBlob, partBlob, oldOrphan]) age(blobPath(id), 2 * HOUR);
    age(staleTmp, 25 * HOUR);
    age(activeTmp, 2 * HOUR);

    const result = await sweepOrphanBlobs();
    expect(result.skipped).toBeUndefined();
    expect(fs.existsSync(blobPath(oldOrphan))).toBe(false);
    expect(fs.existsSync(staleTmp)).toBe(false);
    for (const id of [objectBlob, partBlob, newOrphan]) expect(fs.existsSync(blobPath(id))).toBe(true);
    expect(fs.existsSync(activeTmp)).toBe(true);
    expect(result.removed).toBeGreaterThanOrEqual(1);
    expect(result.removedTemporaries).toBe(1);
  });

  it("sweeps nothing in a directory another database has claimed", async () => {
    await sweepOrphanBlobs(); // claims the directory for this database
    const marker = path.join(blobRoot(), ".database");
    const ours = fs.readFileSync(marker, "utf8");
    fs.writeFileSync(marker, "another-database");
    try {
      const orphan = (await writeBlob(Buffer.from("another database's object, perhaps"))).blobId;
      age(blobPath(orphan), 2 * HOUR);
      const result = await sweepOrphanBlobs();
      expect(result.skipped).toMatch(/belongs to another database/);
      expect(fs.existsSync(blobPath(orphan))).toBe(true);
    } finally {
      fs.writeFileSync(marker, ours);
    }
  });
});
