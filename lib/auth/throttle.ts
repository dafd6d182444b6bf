import "server-only";
// Slows password guessing down, per identity and per client address: after
// a number of failures in a window, each further failure doubles a wait
// (capped) before the next attempt is even checked. Kept in the database so
// every server process sees the same counters.
import type { Tx } from "@/lib/db/client";

const WINDOW_MS = 15 * 60 * 1000;
/** Failures allowed before waits start: an address may be shared by many people (NAT, a classroom). */
const FREE_FAILURES = { identity: 5, address: 20 };
const MAX_WAIT_S = 300;

/** Seconds to wait before another attempt may be checked, or 0. */
export async function waitSeconds(tx: Tx, keys: string[], now = new Date()): Promise<number> {
  const rows = await tx.signInThrottle.findMany({ where: { key: { in: keys } } });
  const until = Math.max(0, ...rows.map((r) => r.blockedUntil?.getTime() ?? 0));
  return until > now.getTime() ? Math.ceil((until - now.getTime()) / 1000) : 0;
}

export async function recordFailure(tx: Tx, keys: string[], now = new Date()): Promise<void> {
  for (const key of keys) {
    const row = await tx.signInThrottle.findUnique({ where: { key } });
    const fresh = !row || now.getTime() - row.windowStart.getTime() > WINDOW_MS;
    const failures = fresh ? 1 : row.failures + 1;
    const over = failures - (key.startsWith("ip:") ? FREE_FAILURES.address : FREE_FAILURES.identity);
    const blockedUntil = over > 0 ? new Date(now.getTime() + Math.min(MAX_WAIT_S, 2 ** (over - 1)) * 1000) : null;
    const data = { failures, windowStart: fresh ? now : row.windowStart, blockedUntil };
    await tx.signInThrottle.upsert({ where: { key }, create: { key, ...data }, update: data });
  }
}

export async function clearFailures(tx: Tx, identityKey: string): Promise<void> {
  await tx.signInThrottle.deleteMany({ where: { key: identityKey } });
}
