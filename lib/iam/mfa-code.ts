import "server-only";
// The one place a TOTP code is checked against a virtual MFA device: sign-in,
// elevation and AssumeRole/GetSessionToken with TokenCode (one code), enabling
// and resynchronising a device (two consecutive codes).
//
// - A code is accepted once: the conditional update makes two concurrent uses of
//   one code impossible (only one of them moves lastUsedWindow forward).
// - Failures are throttled per device and per owner (lib/auth/throttle.ts),
//   whatever the caller's address: once throttled, even the right code is
//   refused (and not consumed) until the wait is over. A right code clears them.
import { decryptSecret } from "@/lib/crypto/secrets";
import { codeAt, currentStep, matchCode } from "@/lib/crypto/totp";
import type { Tx } from "@/lib/db/client";
import { assertNotThrottled, clearFailures, counted, throttleKeys } from "@/lib/auth/throttle";
import type { IamError } from "./errors";

interface DeviceRow {
  id: string;
  accountId: string;
  userId: string | null;
  forRoot: boolean;
  seedCiphertext: string;
  lastUsedWindow: number | null;
}

const DEVICE_FIELDS = { id: true, accountId: true, userId: true, forRoot: true, seedCiphertext: true, lastUsedWindow: true } as const;

/** The device's counter and its owner's (an unassigned device, being enabled, has none). */
const keysOf = (devices: DeviceRow[]) => [
  ...new Set(devices.flatMap((d) => [throttleKeys.mfaDevice(d.id), ...(d.userId || d.forRoot ? [throttleKeys.mfaOwner(d)] : [])])),
];

/** Moves the device's last used step to `step`, only if it is still earlier: true if this call won. */
async function advance(tx: Tx, deviceId: string, step: number, now: number, data: object = {}): Promise<boolean> {
  const { count } = await tx.mfaDevice.updateMany({
    where: { id: deviceId, OR: [{ lastUsedWindow: null }, { lastUsedWindow: { lt: step } }] },
    data: { ...data, lastUsedWindow: step, lastUsedAt: new Date(now) },
  });
  return count === 1;
}

/**
 * Checks one code against the devices (all of one identity's) and consumes it.
 * Returns the device that accepted it; throws `refusal()` (counted against the
 * devices and their owner) when none did, Throttling while they must wait.
 */
export async function consumeMfaCode(
  tx: Tx,
  deviceIds: string | string[],
  code: string,
  refusal: () => IamError,
  now = Date.now(),
): Promise<string> {
  const ids = typeof deviceIds === "string" ? [deviceIds] : deviceIds;
  const devices = await tx.mfaDevice.findMany({ where: { id: { in: ids } }, select: DEVICE_FIELDS });
  if (devices.length === 0) throw refusal();
  const keys = keysOf(devices);
  await assertNotThrottled(tx, keys, "MFA code attempts for this device");
  for (const device of devices) {
    const step = matchCode(decryptSecret(device.seedCiphertext), code.trim(), now);
    if (step === null || (device.lastUsedWindow !== null && step <= device.lastUsedWindow)) continue;
    if (await advance(tx, device.id, step, now)) {
      await clearFailures(tx, keys);
      return device.id;
    }
  }
  throw counted(refusal(), keys);
}

/**
 * The step of the first of two consecutive codes, searched within `window`
 * steps of now (the second code may be at most one step ahead), or null.
 */
export function consecutiveCodes(seed: string, code1: string, code2: string, window: number, now = Date.now()): number | null {
  const step = currentStep(now);
  for (let s = step - window - 1; s <= step + Math.max(window - 1, 0); s++) {
    if (codeAt(seed, s) === code1 && codeAt(seed, s + 1) === code2) return s;
  }
  return null;
}

/**
 * Enabling and resynchronising: two consecutive codes within `window` steps of
 * now. The later step is recorded as used, and `data` written with it, in one
 * conditional update. Throttled and counted like a single code.
 */
export async function consumeConsecutiveCodes(
  tx: Tx,
  deviceId: string,
  code1: string,
  code2: string,
  window: number,
  data: object,
  refusal: () => IamError,
  now = Date.now(),
): Promise<void> {
  const device = await tx.mfaDevice.findUnique({ where: { id: deviceId }, select: DEVICE_FIELDS });
  if (!device) throw refusal();
  const keys = keysOf([device]);
  await assertNotThrottled(tx, keys, "MFA code attempts for this device");
  const s = consecutiveCodes(decryptSecret(device.seedCiphertext), code1, code2, window, now);
  if (s === null || (device.lastUsedWindow !== null && s <= device.lastUsedWindow) || !(await advance(tx, device.id, s + 1, now, data))) {
    throw counted(refusal(), keys);
  }
  await clearFailures(tx, keys);
}
