// MFA codes and old passwords cannot be guessed without limit: failures are
// counted per device and per identity, whatever the address, across sign-in,
// elevation (AssumeRole with TokenCode) and resync; re-entering the password
// does not reset them; ChangePassword's old-password check is throttled too.
import { describe, expect, it } from "vitest";
import { codeAt, currentStep } from "@/lib/crypto/totp";
import { db } from "@/lib/db/client";
import { DEMO_MFA_SEED, DEMO_PASSWORD } from "@/lib/db/seed/demo-identities";
import { runOperation, type OperationSpec } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";
import { resyncMfaDevice } from "@/lib/iam/services/mfa";
import { changePassword } from "@/lib/iam/services/passwords";
import { elevate } from "@/lib/sts/console-session";
import { asUser, DEV, testRequest } from "@/lib/testing/principals";
import { checkMfaCode, checkPassword } from "./sign-in";

let n = 0;
/** A new client address for every attempt: address counters must not matter. */
const fromNewAddress = () => testRequest({ sourceIp: `198.18.${Math.floor(++n / 250)}.${n % 250}` });
const wrongCode = (seed: string) => String((Number(codeAt(seed, currentStep())) + 500_000) % 1_000_000).padStart(6, "0");
const run = <T,>(principal: Principal, spec: OperationSpec<T>) => runOperation({ ...spec, principal, request: fromNewAddress() });

async function erinChallenge(): Promise<string> {
  const step = await checkPassword({ kind: "user", account: "111122223333", userName: "erin", password: DEMO_PASSWORD }, fromNewAddress());
  if (step.status !== "mfa") throw new Error("erin should be asked for a code");
  return step.challenge;
}

describe("MFA code throttling", () => {
  it("at sign-in, neither a new address nor re-entering the password resets the count; then even the right code is refused", async () => {
    const codes: string[] = [];
    for (let i = 0; i < 6; i++) {
      // The password again every two codes, from a new address each time.
      const challenge = i % 2 === 0 ? await erinChallenge() : codes.at(-1)!;
      codes.push(challenge);
      const err = await checkMfaCode(challenge, wrongCode(DEMO_MFA_SEED), fromNewAddress()).catch((e) => e);
      expect(["InvalidAuthenticationCode", "Throttling"]).toContain(err.code);
    }
    const right = await checkMfaCode(await erinChallenge(), codeAt(DEMO_MFA_SEED, currentStep()), fromNewAddress()).catch((e) => e);
    expect(right.code).toBe("Throttling");
    expect(right.message).toMatch(/Too many failed MFA code attempts.*Wait \d+ seconds/);
    // The refused right code was not consumed, and the counters name the device and its owner, not an address.
    const erin = await db().iamUser.findFirstOrThrow({ where: { accountId: DEV, nameLower: "erin" }, include: { mfaDevices: true } });
    const rows = await db().signInThrottle.findMany({ where: { key: { startsWith: "mfa-" } } });
    expect(rows.map((r) => r.key).sort()).toEqual([`mfa-device:${erin.mfaDevices[0]!.id}`, `mfa-owner:${erin.id}`]);
  });

  it("at elevation (AssumeRole with a TokenCode), from any address", async () => {
    const seed = await enrolledUser("mfa-elev");
    const user = await asUser("mfa-elev");
    for (let i = 0; i < 5; i++) {
      const err = await run(user, elevate(user, { tokenCode: wrongCode(seed) })).catch((e) => e);
      expect(err.code).toBe("AccessDenied");
    }
    const err = await run(user, elevate(user, { tokenCode: wrongCode(seed) })).catch((e) => e);
    expect(err.code).toBe("AccessDenied");
    const right = await run(user, elevate(user, { tokenCode: codeAt(seed, currentStep()) })).catch((e) => e);
    expect(right.code).toBe("Throttling");
  });

  it("at resync, and the count is shared with the other doors (one device, one counter)", async () => {
    const seed = await enrolledUser("mfa-resync");
    const user = await asUser("mfa-resync");
    const device = await db().mfaDevice.findFirstOrThrow({ where: { user: { name: "mfa-resync" } } });
    for (let i = 0; i < 3; i++) await run(user, elevate(user, { tokenCode: wrongCode(seed) })).catch(() => {});
    for (let i = 0; i < 3; i++) {
      const err = await run(user, resyncMfaDevice(user, { serialNumber: device.serialNumber, authenticationCode1: "000000", authenticationCode2: "111111" })).catch((e) => e);
      expect(err.code).toBe("InvalidAuthenticationCode");
    }
    const s = currentStep();
    const right = await run(
      user,
      resyncMfaDevice(user, { serialNumber: device.serialNumber, authenticationCode1: codeAt(seed, s), authenticationCode2: codeAt(seed, s + 1) }),
    ).catch((e) => e);
    expect(right.code).toBe("Throttling");
  });
});

describe("ChangePassword's old-password check", () => {
  it("is throttled per identity: after five wrong guesses even the right one is refused the same way", async () => {
    const user = await asUser("bob");
    for (let i = 0; i < 5; i++) {
      const err = await run(user, changePassword(user, { oldPassword: `guess-${i}`, newPassword: "A-new-Passw0rd!" })).catch((e) => e);
      expect(err.code).toBe("AccessDenied");
      expect(err.message).toBe("The old password is incorrect.");
    }
    await run(user, changePassword(user, { oldPassword: "guess-5", newPassword: "A-new-Passw0rd!" })).catch(() => {});
    const right = await run(user, changePassword(user, { oldPassword: DEMO_PASSWORD, newPassword: "A-new-Passw0rd!" })).catch((e) => e);
    expect(right.code).toBe("Throttling");
    // ... and it is the sign-in counter: bob's console sign-in is slowed down too.
    const signIn = await checkPassword({ kind: "user", account: "example-dev", userName: "bob", password: DEMO_PASSWORD }, fromNewAddress()).catch((e) => e);
    expect(signIn.code).toBe("Throttling");
  });
});

/** A new IAM user in dev with admin rights and an enabled virtual MFA device; returns the seed. */
async function enrolledUser(name: string): Promise<string> {
  const { createUser } = await import("@/lib/iam/services/users");
  const { createVirtualMfaDevice, enableMfaDevice } = await import("@/lib/iam/services/mfa");
  const { attachUserPolicy } = await import("@/lib/iam/services/attachments");
  const admin = await asUser("admin");
  await run(admin, createUser(admin, { userName: name, path: "/", tags: [] } as never));
  await run(admin, attachUserPolicy(admin, { userName: name, policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" } as never));
  const device = (await run(admin, createVirtualMfaDevice(admin, { virtualMFADeviceName: name, path: "/", tags: [] } as never))) as { serialNumber: string; base32StringSeed: string };
  const s = currentStep() - 2;
  await run(admin, enableMfaDevice(admin, { userName: name, serialNumber: device.serialNumber, authenticationCode1: codeAt(device.base32StringSeed, s), authenticationCode2: codeAt(device.base32StringSeed, s + 1) }));
  return device.base32StringSeed;
}
