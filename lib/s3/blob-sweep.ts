import "server-only";
// Object bodies no row refers to: a server that stopped between writing a
// blob and committing the row that names it, or between a release and its
// unlink (lib/s3/blob-store.ts), leaves files behind. The sweep removes blob
// files older than an hour that no object or multipart part refers to, and
// upload temporaries older than a day. A blob is named by its row within the
// 30 s a transaction may last, so an hour leaves a wide margin.
//
// A blob directory belongs to one database: the first sweep writes the
// database's blob-store ID into it, and a server of another database that
// shares the directory (a misconfigured IAMLAB_DATA_DIR) sweeps nothing,
// since the rows of the other database are not its to see.
import crypto from "node:crypto";
import fsp from "node:fs/promises";
import path from "node:path";
import { db } from "@/lib/db/client";
import { BLOB_ID, blobRoot, referenced, tmpDir } from "./blob-store";

const HOUR = 60 * 60 * 1000;
const BATCH = 500;

export interface SweepResult {
  removed: number;
  removedTemporaries: number;
  /** Why nothing was swept. */
  skipped?: string;
}

/** The ID of this database's blob store (recorded once, by the first server to ask). */
async function blobStoreId(): Promise<string> {
  const key = "blobStoreId";
  const existing = await db().installationSetting.findUnique({ where: { key } });
  if (existing) return existing.value;
  await db()
    .installationSetting.create({ data: { key, value: crypto.randomUUID() } })
    .catch(() => undefined); // another server recorded one first
  return (await db().installationSetting.findUniqueOrThrow({ where: { key } })).value;
}

/** True when the blob directory is this database's (claiming it if nobody has). */
async function ownsDirectory(): Promise<boolean> {
  const id = await blobStoreId();
  const marker = path.join(blobRoot(), ".database");
  await fsp.mkdir(blobRoot(), { recursive: true, mode: 0o700 });
  const claimed = await fsp.writeFile(marker, id, { flag: "wx", mode: 0o600 }).then(
    () => true,
    (err: NodeJS.ErrnoException) => (err.code === "EEXIST" ? false : Promise.reject(err)),
  );
  return claimed || (await fsp.readFile(marker, "utf8")).trim() === id;
}

async function filesOlderThan(dir: string, cutoff: number, accept: (name: string) => boolean): Promise<string[]> {
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  const old: string[] = [];
  for (const name of names.filter(accept)) {
    const stat = await fsp.stat(path.join(dir, name)).catch(() => null);
    if (stat?.isFile() && stat.mtimeMs < cutoff) old.push(name);
  }
  return old;
}

/** Removes orphaned blobs and stale upload temporaries; `now` and the ages are for tests. */
export async function sweepOrphanBlobs(options: { now?: number; blobAgeMs?: number; temporaryAgeMs?: number } = {}): Promise<SweepResult> {
  const { now = Date.now(), blobAgeMs = HOUR, temporaryAgeMs = 24 * HOUR } = options;
  if (!(await ownsDirectory()))
    return { removed: 0, removedTemporaries: 0, skipped: `${blobRoot()} belongs to another database (its .database marker): not swept` };
  let removed = 0;
  const shards = (await fsp.readdir(blobRoot()).catch(() => [] as string[])).filter((n) => /^[0-9a-f]{2}$/.test(n));
  for (const shard of shards) {
    const old = await filesOlderThan(path.join(blobRoot(), shard), now - blobAgeMs, (n) => BLOB_ID.test(n));
    for (let i = 0; i < old.length; i += BATCH) {
      const batch = old.slice(i, i + BATCH);
      const inUse = await referenced(batch);
      const orphans = batch.filter((id) => !inUse.has(id));
      await Promise.all(orphans.map((id) => fsp.rm(path.join(blobRoot(), shard, id), { force: true })));
      removed += orphans.length;
    }
  }
  const temporaries = await filesOlderThan(tmpDir(), now - temporaryAgeMs, (n) => n.endsWith(".part"));
  await Promise.all(temporaries.map((n) => fsp.rm(path.join(tmpDir(), n), { force: true })));
  return { removed, removedTemporaries: temporaries.length };
}

let timer: NodeJS.Timeout | undefined;

/** Sweeps a minute after the server starts, then every six hours, without keeping the process alive. */
export function startBlobSweeper(): void {
  if (timer) return;
  const sweep = () =>
    sweepOrphanBlobs()
      .then((r) => {
        if (r.skipped) console.warn(`IAM Lab: ${r.skipped}`);
        else if (r.removed || r.removedTemporaries) console.log(`IAM Lab: removed ${r.removed} orphaned object bodies and ${r.removedTemporaries} stale upload temporaries`);
      })
      .catch((err) => console.error("IAM Lab: blob sweep failed:", (err as Error).message));
  timer = setTimeout(function again() {
    void sweep().finally(() => (timer = setTimeout(again, 6 * HOUR).unref()));
  }, 60_000).unref();
}
