import "server-only";
// Slows guessing down. After a number of failures in a window, each further
// failure doubles a wait (capped) before the next attempt is even checked, the
// right answer included. Kept in the database so every server sees the same
// counters. What is counted, under which key:
//   - console passwords (sign-in, ChangePassword's old password): per identity
//     ("id:<accountId>/<user>", "root:<email>") and per client address ("ip:...");
//   - MFA codes (sign-in, elevation, AssumeRole's TokenCode, resync): per device
//     ("mfa-device:<id>") and per owner ("mfa-owner:<user id | root:<account>>"),
//     whatever the address, and a right password does not clear them.
import type { Tx } from "@/lib/db/client";
import { IamError } from "@/lib/iam/errors";

interface Rule {
  /** Failures allowed in the window before waits start. */
  free: number;
  windowMs: number;
  maxWaitS: number;
}

const MINUTE = 60_000;
const RULES: Record<string, Rule> = {
  id: { free: 5, windowMs: 15 * MINUTE, maxWaitS: 300 },
  root: { free: 5, windowMs: 15 * MINUTE, maxWaitS: 300 },
  // An address may be shared by many people (NAT, a classroom).
  ip: { free: 20, windowMs: 15 * MINUTE, maxWaitS: 300 },
  // A code has a million values and three are valid at a time: few tries, a long memory.
  "mfa-device": { free: 5, windowMs: 60 * MINUTE, maxWaitS: 900 },
  "mfa-owner": { free: 5, windowMs: 60 * MINUTE, maxWaitS: 900 },
};

const ruleFor = (key: string): Rule => RULES[key.slice(0, key.indexOf(":"))] ?? RULES.id!;

export const throttleKeys = {
  /** An IAM user, by account ID (never the alias: one person, one counter) and case-folded name. */
  user: (accountId: string, userName: string) => `id:${accountId}/${userName.trim().toLowerCase()}`,
  root: (email: string) => `root:${email.trim().toLowerCase()}`,
  address: (ip: string | undefined) => `ip:${ip ?? "unknown"}`,
  mfaDevice: (deviceId: string) => `mfa-device:${deviceId}`,
  mfaOwner: (device: { userId: string | null; accountId: string }) => `mfa-owner:${device.userId ?? `root:${device.accountId}`}`,
};

/** Seconds to wait before another attempt may be checked, or 0. */
export async function waitSeconds(tx: Tx, keys: string[], now = new Date()): Promise<number> {
  const rows = await tx.signInThrottle.findMany({ where: { key: { in: keys } } });
  const until = Math.max(0, ...rows.map((r) => r.blockedUntil?.getTime() ?? 0));
  return until > now.getTime() ? Math.ceil((until - now.getTime()) / 1000) : 0;
}

export async function recordFailure(tx: Tx, keys: string[], now = new Date()): Promise<void> {
  for (const key of new Set(keys)) {
    const rule = ruleFor(key);
    const row = await tx.signInThrottle.findUnique({ where: { key } });
    const fresh = !row || now.getTime() - row.windowStart.getTime() > rule.windowMs;
    const failures = fresh ? 1 : row.failures + 1;
    const over = failures - rule.free;
    const blockedUntil = over > 0 ? new Date(now.getTime() + Math.min(rule.maxWaitS, 2 ** (over - 1)) * 1000) : null;
    const data = { failures, windowStart: fresh ? now : row.windowStart, blockedUntil };
    await tx.signInThrottle.upsert({ where: { key }, create: { key, ...data }, update: data });
  }
}

export async function clearFailures(tx: Tx, keys: string[]): Promise<void> {
  await tx.signInThrottle.deleteMany({ where: { key: { in: keys } } });
}

/** Throws AWS's Throttling refusal while any of the keys must wait. */
export async function assertNotThrottled(tx: Tx, keys: string[], what: string): Promise<void> {
  const wait = await waitSeconds(tx, keys);
  if (wait > 0) throw new IamError("Throttling", `Too many failed ${what}. Wait ${wait} seconds, then try again.`);
}

// A refusal that must be counted. It is thrown inside the operation's
// transaction, which rolls back: the count is written afterwards, with the
// refusal's audit record (lib/iam/operation.ts calls countRefusal), or by the
// caller that runs outside an operation (sign-in).
const FAILURE_KEYS = Symbol.for("iamlab.throttle.failureKeys");

export function counted<E extends IamError>(err: E, keys: string[]): E {
  (err as unknown as Record<symbol, string[]>)[FAILURE_KEYS] = keys;
  return err;
}

/** Records the failure a refusal carries (see counted); nothing for any other error. */
export async function countRefusal(tx: Tx, err: unknown): Promise<void> {
  const keys = err && typeof err === "object" ? (err as Record<symbol, string[] | undefined>)[FAILURE_KEYS] : undefined;
  if (keys?.length) await recordFailure(tx, keys);
}
