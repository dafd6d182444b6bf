import "server-only";
// Data events (S3 object reads and writes) are recorded only where a trail asks
// for them, as CloudTrail does: a trail's data-event selector names a bucket
// (or every bucket) and a key prefix, and whether it takes reads, writes or
// both. Management events are always recorded; this is asked for data events only.
import type { Tx } from "@/lib/db/client";

export type ReadWriteType = "All" | "ReadOnly" | "WriteOnly";

export interface DataEventTarget {
  /** The trail's account that would record it (the caller's, or the bucket owner's). */
  accountId: string;
  bucket: string;
  /** The object key; "" for a bucket-level data call (ListObjectsV2). */
  key: string;
  readOnly: boolean;
}

/** Whether a selector of kind `readWriteType` takes an event that is (or is not) read-only. */
export const readWriteCovers = (readWriteType: string, readOnly: boolean) =>
  readWriteType === "All" || (readOnly ? readWriteType === "ReadOnly" : readWriteType === "WriteOnly");

/** True only when a logging trail of the account has a data-event selector covering the bucket, key and kind. */
export async function dataEventSelected(db: Tx, t: DataEventTarget): Promise<boolean> {
  const selectors = await db.trailDataSelector.findMany({
    where: { accountId: t.accountId, bucket: { in: [t.bucket, ""] }, trail: { isLogging: true } },
    select: { prefix: true, readWriteType: true },
  });
  return selectors.some((s) => t.key.startsWith(s.prefix) && readWriteCovers(s.readWriteType, t.readOnly));
}

/** The bucket and key an S3 ARN names: arn:aws:s3:::bucket or arn:aws:s3:::bucket/key. */
export function s3TargetOf(arn: string | undefined): { bucket: string; key: string } | null {
  if (!arn?.startsWith("arn:aws:s3:::")) return null;
  const rest = arn.slice("arn:aws:s3:::".length);
  const slash = rest.indexOf("/");
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  return bucket ? { bucket, key: slash === -1 ? "" : rest.slice(slash + 1) } : null;
}

/**
 * Whether a data event on `resourceArn` is recorded: a trail of the caller's
 * account, or of the bucket owner's account, selects it. No S3 ARN (the bucket
 * was not found) means no data event to record.
 */
export async function dataEventRecorded(
  db: Tx,
  e: { resourceArn: string | undefined; readOnly: boolean; accountIds: string[] },
): Promise<boolean> {
  const target = s3TargetOf(e.resourceArn);
  if (!target) return false;
  for (const accountId of new Set(e.accountIds)) {
    if (await dataEventSelected(db, { accountId, ...target, readOnly: e.readOnly })) return true;
  }
  return false;
}
