import "server-only";
// Checks a TOTP code against a virtual MFA device and consumes it: a code is
// accepted once. The conditional update makes two concurrent uses of one code
// impossible (only one of them moves lastUsedWindow forward).
import { decryptSecret } from "@/lib/crypto/secrets";
import { matchCode } from "@/lib/crypto/totp";
import type { Tx } from "@/lib/db/client";

export async function consumeMfaCode(tx: Tx, deviceId: string, code: string, now = Date.now()): Promise<boolean> {
  const device = await tx.mfaDevice.findUnique({ where: { id: deviceId }, select: { seedCiphertext: true, lastUsedWindow: true } });
  if (!device) return false;
  const step = matchCode(decryptSecret(device.seedCiphertext), code.trim(), now);
  if (step === null) return false;
  if (device.lastUsedWindow !== null && step <= device.lastUsedWindow) return false;
  const { count } = await tx.mfaDevice.updateMany({
    where: { id: deviceId, OR: [{ lastUsedWindow: null }, { lastUsedWindow: { lt: step } }] },
    data: { lastUsedWindow: step, lastUsedAt: new Date(now) },
  });
  return count === 1;
}
