import "server-only";
// Object bytes as files under the data directory (IAMLAB_DATA_DIR/blobs), one
// file per stored body, named by a random ID the object (or multipart part)
// row refers to. A body is streamed to a temporary file and renamed into place
// only when it arrived whole, so a cut upload leaves nothing behind; the MD5
// (S3's ETag) is computed on the way. Reads stream, and a range reads only its
// bytes. A blob is written before the transaction that references it and
// released after: released blobs are unlinked once no row refers to them
// (checked again later while the releasing transaction may still be open).
//
// On PostgreSQL, where several servers share one database, every server must
// see the same directory (IAMLAB_DATA_DIR on a shared filesystem): see README.
import crypto from "node:crypto";
import fsp from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { IamError } from "@/lib/iam/errors";

export interface StagedBlob {
  blobId: string;
  size: number;
  /** Hex MD5 of the bytes. */
  md5: string;
}

export const BLOB_ID = /^[0-9a-f]{32}$/;

export function blobRoot(): string {
  return path.join(env().dataDir, "blobs");
}

export function blobPath(blobId: string): string {
  if (!BLOB_ID.test(blobId)) throw new Error("not a blob ID");
  return path.join(blobRoot(), blobId.slice(0, 2), blobId);
}

export const tmpDir = () => path.join(blobRoot(), "tmp");

export interface WriteOptions {
  /** Refuse (EntityTooLarge) a body larger than this. */
  maxBytes?: number;
  /** The declared length (Content-Length): a body of another length is refused (IncompleteBody) and not kept. */
  expectedLength?: number;
}

/** Streams `source` into a new blob; nothing is left behind when the source fails or is cut. */
export async function writeBlob(source: AsyncIterable<Uint8Array> | Uint8Array, options: WriteOptions = {}): Promise<StagedBlob> {
  const blobId = crypto.randomBytes(16).toString("hex");
  await fsp.mkdir(tmpDir(), { recursive: true, mode: 0o700 });
  const tmp = path.join(tmpDir(), `${blobId}.part`);
  const md5 = crypto.createHash("md5");
  let size = 0;
  const file = await fsp.open(tmp, "wx", 0o600);
  try {
    const chunks = source instanceof Uint8Array ? [source] : source;
    for await (const chunk of chunks) {
      size += chunk.byteLength;
      if (options.maxBytes !== undefined && size > options.maxBytes) throw new IamError("EntityTooLarge", "Your proposed upload exceeds the maximum allowed object size.");
      if (options.expectedLength !== undefined && size > options.expectedLength) throw incomplete(size, options.expectedLength);
      md5.update(chunk);
      await file.write(chunk);
    }
    if (options.expectedLength !== undefined && size !== options.expectedLength) throw incomplete(size, options.expectedLength);
    await file.close();
    const final = blobPath(blobId);
    await fsp.mkdir(path.dirname(final), { recursive: true, mode: 0o700 });
    await fsp.rename(tmp, final);
    return { blobId, size, md5: md5.digest("hex") };
  } catch (err) {
    await file.close().catch(() => undefined);
    await fsp.rm(tmp, { force: true });
    throw err;
  }
}

function incomplete(size: number, expected: number): IamError {
  return new IamError("IncompleteBody", `You did not provide the number of bytes specified by the Content-Length HTTP header (got ${size > expected ? "more than " : ""}${Math.min(size, expected + 1) === size ? size : expected + 1} of ${expected}).`);
}

/** An open blob: its size, and streams of all or part of it. Close it when not streamed. */
export interface OpenBlob {
  size: number;
  /** The bytes from `start` to `end` inclusive (the whole blob by default); closes the blob when done. */
  stream(start?: number, end?: number): Readable;
  close(): Promise<void>;
}

/**
 * Opens a blob for reading. The file is opened at once, so a concurrent delete
 * (which unlinks it) does not cut a read that has started.
 */
export async function openBlob(blobId: string): Promise<OpenBlob> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(blobPath(blobId), "r");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new IamError("NoSuchKey", "The specified key does not exist.");
    throw err;
  }
  const { size } = await handle.stat();
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  return {
    size,
    stream(start = 0, end = size - 1) {
      closed = true; // the stream owns the handle now
      if (end < start) {
        void handle.close();
        return Readable.from([]);
      }
      return handle.createReadStream({ start, end, autoClose: true, highWaterMark: 256 * 1024 });
    },
    close,
  };
}

/** An open blob's bytes (or a range of them) in memory: for small objects and tests. */
export async function readAll(blob: OpenBlob, start?: number, end?: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of blob.stream(start, end)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A blob of a multipart object's manifest, in byte order. */
export interface ManifestPart {
  blobId: string;
  size: number;
}

/**
 * Opens a multipart object's part blobs as one: a stream of a range reads only
 * the parts it overlaps, one after another. Every part file is opened at once,
 * as openBlob does, so a concurrent delete does not cut a read that has started.
 */
export async function openManifest(parts: ManifestPart[]): Promise<OpenBlob> {
  const opened: OpenBlob[] = [];
  try {
    for (const p of parts) opened.push(await openBlob(p.blobId));
  } catch (err) {
    await Promise.all(opened.map((o) => o.close()));
    throw err;
  }
  const size = opened.reduce((sum, o) => sum + o.size, 0);
  const closeAll = () => Promise.all(opened.map((o) => o.close())).then(() => undefined);
  return {
    size,
    stream(start = 0, end = size - 1) {
      async function* bytes() {
        try {
          let from = 0; // the part's first byte in the object
          for (const part of opened) {
            const first = Math.max(start, from);
            const last = Math.min(end, from + part.size - 1);
            if (first > last) await part.close();
            else for await (const chunk of part.stream(first - from, last - from)) yield chunk as Buffer;
            from += part.size;
          }
        } finally {
          await closeAll(); // a reader that stops early (a client gone) leaves no part open
        }
      }
      return Readable.from(bytes(), { objectMode: false });
    },
    close: closeAll,
  };
}

// ------------------------------------------------------------------ release

/** Of `blobIds`, those a row refers to: objects, multipart objects' manifests and uploads' parts. */
export async function referenced(blobIds: string[]): Promise<Set<string>> {
  const [objects, manifests, parts] = await Promise.all([
    db().s3Object.findMany({ where: { blobId: { in: blobIds } }, select: { blobId: true } }),
    db().s3ObjectPart.findMany({ where: { blobId: { in: blobIds } }, select: { blobId: true } }),
    db().multipartPart.findMany({ where: { blobId: { in: blobIds } }, select: { blobId: true } }),
  ]);
  return new Set([...objects, ...manifests, ...parts].map((r) => r.blobId!));
}

/**
 * The waits before each check of a released blob: the releasing transaction
 * may commit (or roll back) meanwhile; 30 s is its timeout. Releases are
 * checked in batches, so a busy server looks up many released blobs in one
 * round of queries instead of a round per request.
 */
const RECHECK_MS = [50, 250, 2_000, 10_000, 32_000];
const CHECK_BATCH = 500;
/** Released blobs waiting for a check: when, and which of RECHECK_MS it is. */
const waiting = new Map<string, { due: number; step: number }>();
let timer: NodeJS.Timeout | undefined;
let checking: Promise<void> | undefined;

function wake(): void {
  if (timer || checking || waiting.size === 0) return;
  let next = Infinity;
  for (const w of waiting.values()) next = Math.min(next, w.due);
  timer = setTimeout(() => {
    timer = undefined;
    checking = checkDue()
      .catch((err) => console.error("blob release failed:", (err as Error).message))
      .finally(() => {
        checking = undefined;
        wake();
      });
  }, Math.max(0, next - Date.now()));
  timer.unref?.();
}

/** Unlinks the due blobs no row refers to; the others wait for their next check, or stay after the last (the release was rolled back). */
async function checkDue(): Promise<void> {
  const now = Date.now();
  const due = [...waiting].filter(([, w]) => w.due <= now).map(([id]) => id);
  for (let i = 0; i < due.length; i += CHECK_BATCH) {
    const batch = due.slice(i, i + CHECK_BATCH);
    const still = await referenced(batch).catch(() => new Set(batch));
    await Promise.all(batch.filter((id) => !still.has(id)).map((id) => fsp.rm(blobPath(id), { force: true })));
    for (const id of batch) {
      const step = waiting.get(id)!.step + 1;
      if (!still.has(id) || step >= RECHECK_MS.length) waiting.delete(id);
      else waiting.set(id, { due: Date.now() + RECHECK_MS[step]!, step });
    }
  }
}

/**
 * Blobs no row should refer to any more (a replaced or deleted object, an
 * aborted upload, a write whose transaction failed): unlinked once no row
 * refers to them. Safe to call inside the transaction that drops the reference.
 */
export function releaseBlobs(blobIds: (string | null | undefined)[]): void {
  const due = Date.now() + RECHECK_MS[0]!;
  for (const id of blobIds) if (typeof id === "string" && BLOB_ID.test(id)) waiting.set(id, { due, step: 0 });
  wake();
}

/** Waits for the releases already started (tests). */
export async function releasesSettled(): Promise<void> {
  while (waiting.size || checking || timer) await new Promise((r) => setTimeout(r, 20));
}

// ------------------------------------------------------------------ bodies stored inline before the blob store

let adopted: Promise<void> | undefined;

/**
 * Objects written before the blob store (or by an older seed) hold their bytes in
 * the row; they are moved to blobs once per process, before the first read.
 */
export function adoptInlineBodies(): Promise<void> {
  adopted ??= (async () => {
    for (;;) {
      // No blob and no manifest: the bytes are in the row.
      const rows = await db().s3Object.findMany({ where: { blobId: null, parts: { none: {} } }, select: { id: true, body: true }, take: 100 });
      if (rows.length === 0) return;
      for (const row of rows) {
        const blob = await writeBlob(row.body ? new Uint8Array(row.body) : new Uint8Array(0));
        const moved = await db().s3Object.updateMany({ where: { id: row.id, blobId: null, parts: { none: {} } }, data: { blobId: blob.blobId, body: null } });
        if (moved.count === 0) releaseBlobs([blob.blobId]);
      }
    }
  })().catch((err) => {
    adopted = undefined;
    throw err;
  });
  return adopted;
}
