import { beforeAll, describe, expect, it } from "vitest";
import { codeAt, currentStep } from "@/lib/crypto/totp";
import { db } from "@/lib/db/client";
import { consumeMfaCode } from "@/lib/iam/mfa-code";
import { IamError } from "@/lib/iam/errors";
import type { Principal } from "@/lib/iam/principal";
import { asRoot, asUser, DEV } from "@/lib/testing/principals";
import {
  createVirtualMfaDevice,
  deactivateMfaDevice,
  deleteVirtualMfaDevice,
  enableMfaDevice,
  listMfaDevices,
  listVirtualMfaDevices,
  resyncMfaDevice,
} from "./mfa";
import { auditText, expectDenied, failure, nobody, run } from "./test-helpers";
import { createUser } from "./users";

let admin: Principal;
let bob: Principal;
let none: Principal;

beforeAll(async () => {
  admin = await asUser("admin");
  bob = await asUser("bob");
  none = await nobody(admin);
  for (const name of ["mfa-a", "mfa-b", "mfa-many"]) await run(admin, createUser(admin, { userName: name, path: "/", tags: [] }));
});

async function newDevice(name: string, as: Principal = admin) {
  return run(as, createVirtualMfaDevice(as, { virtualMFADeviceName: name, path: "/", tags: [] }));
}

/** Two consecutive codes ending at the current step. */
function codes(seed: string) {
  const s = currentStep();
  return { authenticationCode1: codeAt(seed, s - 1), authenticationCode2: codeAt(seed, s) };
}

describe("MFA: AccessDenied for every operation builder", () => {
  it("denies bob and a user without policies", async () => {
    const device = await newDevice("denied-probe");
    const c = codes(device.base32StringSeed);
    const writes = [
      (p: Principal) => createVirtualMfaDevice(p, { virtualMFADeviceName: "by-denied", path: "/", tags: [] }),
      (p: Principal) => enableMfaDevice(p, { userName: "mfa-a", serialNumber: device.serialNumber, ...c }),
      (p: Principal) => resyncMfaDevice(p, { userName: "erin", serialNumber: `arn:aws:iam::${DEV}:mfa/erin`, ...c }),
      (p: Principal) => deactivateMfaDevice(p, { userName: "erin", serialNumber: `arn:aws:iam::${DEV}:mfa/erin` }),
      (p: Principal) => deleteVirtualMfaDevice(p, { serialNumber: device.serialNumber }),
    ];
    for (const build of writes) {
      await expectDenied(bob, build(bob));
      await expectDenied(none, build(none));
    }
    await expectDenied(none, listMfaDevices(none, { userName: "erin" }));
    await expectDenied(none, listVirtualMfaDevices(none, { assignmentStatus: "Any" }));
  });
});

describe("virtual MFA devices", () => {
  it("creates a device returning the seed, otpauth URI and QR code once; none of them is audited", async () => {
    const device = await newDevice("mfa-a");
    expect(device.serialNumber).toBe(`arn:aws:iam::${DEV}:mfa/mfa-a`);
    expect(device.base32StringSeed).toMatch(/^[A-Z2-7]{32}$/);
    expect(device.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    expect(device.otpauthUri).toContain(`secret=${device.base32StringSeed}`);
    expect(device.qrCodePng).toMatch(/^data:image\/png;base64,/);
    const row = await db().mfaDevice.findUniqueOrThrow({ where: { serialNumber: device.serialNumber } });
    expect(row.seedCiphertext).not.toContain(device.base32StringSeed);
    const audit = await auditText();
    expect(audit).toContain(device.serialNumber);
    expect(audit).not.toContain(device.base32StringSeed);
    expect(audit).not.toContain("data:image/png");

    const dup = await failure(admin, createVirtualMfaDevice(admin, { virtualMFADeviceName: "mfa-a", path: "/", tags: [] }));
    expect(dup.code).toBe("EntityAlreadyExists");
    expect(dup.message).toBe("MFADevice entity at the same path and name already exists.");
  });

  it("enables with two consecutive codes, refuses wrong ones, and never accepts a code twice", async () => {
    const device = await newDevice("mfa-b");
    const seed = device.base32StringSeed;
    const s = currentStep();

    // Not consecutive (two steps apart) and plainly wrong codes are refused with AWS's message.
    for (const pair of [
      { authenticationCode1: codeAt(seed, s - 2), authenticationCode2: codeAt(seed, s) },
      { authenticationCode1: "000000", authenticationCode2: "111111" },
      { authenticationCode1: codeAt(seed, s), authenticationCode2: codeAt(seed, s - 1) },
    ]) {
      const err = await failure(admin, enableMfaDevice(admin, { userName: "mfa-b", serialNumber: device.serialNumber, ...pair }));
      expect(err.code).toBe("InvalidAuthenticationCode");
      expect(err.message).toBe("Authentication code for device is not valid.");
    }
    expect((await db().mfaDevice.findUniqueOrThrow({ where: { serialNumber: device.serialNumber } })).enabledAt).toBeNull();

    const c = codes(seed);
    const enabled = await run(admin, enableMfaDevice(admin, { userName: "mfa-b", serialNumber: device.serialNumber, ...c }));
    expect(enabled).toMatchObject({ userName: "mfa-b", serialNumber: device.serialNumber });
    const listed = await run(admin, listMfaDevices(admin, { userName: "mfa-b" }));
    expect(listed.mfaDevices.map((d) => d.serialNumber)).toEqual([device.serialNumber]);

    const again = await failure(admin, enableMfaDevice(admin, { userName: "mfa-a", serialNumber: device.serialNumber, ...c }));
    expect(again.code).toBe("EntityAlreadyExists");
    expect(again.message).toBe("MFA Device is already in use.");

    // The second code was consumed: signing in with it is refused.
    const row = await db().mfaDevice.findUniqueOrThrow({ where: { serialNumber: device.serialNumber } });
    const reused = await db().$transaction((tx) => consumeMfaCode(tx, row.id, c.authenticationCode2, () => new IamError("InvalidAuthenticationCode", "no"))).catch((e) => e);
    expect(reused.code).toBe("InvalidAuthenticationCode");

    // Deactivated and enabled again with the very same codes: replay refused.
    await run(admin, deactivateMfaDevice(admin, { userName: "mfa-b", serialNumber: device.serialNumber }));
    const replay = await failure(admin, enableMfaDevice(admin, { userName: "mfa-b", serialNumber: device.serialNumber, ...c }));
    expect(replay.code).toBe("InvalidAuthenticationCode");
    expect(await auditText()).not.toContain(`"${c.authenticationCode1}"`);
  });

  it("deactivate and delete: in use cannot be deleted; a device of another user is invalid", async () => {
    const device = await newDevice("mfa-del");
    await run(admin, enableMfaDevice(admin, { userName: "mfa-a", serialNumber: device.serialNumber, ...codes(device.base32StringSeed) }));
    const inUse = await failure(admin, deleteVirtualMfaDevice(admin, { serialNumber: device.serialNumber }));
    expect(inUse.code).toBe("DeleteConflict");
    const wrongUser = await failure(admin, deactivateMfaDevice(admin, { userName: "mfa-b", serialNumber: device.serialNumber }));
    expect(wrongUser.code).toBe("NoSuchEntity");
    expect(wrongUser.message).toBe("MFA Device invalid for user.");
    await run(admin, deactivateMfaDevice(admin, { userName: "mfa-a", serialNumber: device.serialNumber }));
    const unassigned = await run(admin, listVirtualMfaDevices(admin, { assignmentStatus: "Unassigned" }));
    expect(unassigned.virtualMFADevices.map((d) => d.serialNumber)).toContain(device.serialNumber);
    await run(admin, deleteVirtualMfaDevice(admin, { serialNumber: device.serialNumber }));
    const gone = await failure(admin, deleteVirtualMfaDevice(admin, { serialNumber: device.serialNumber }));
    expect(gone.code).toBe("NoSuchEntity");
  });

  it("resyncs with two consecutive codes from a drifted clock", async () => {
    const device = await newDevice("mfa-resync");
    await db().mfaDevice.update({ where: { serialNumber: device.serialNumber }, data: { userId: (await db().iamUser.findFirstOrThrow({ where: { name: "mfa-a" } })).id, enabledAt: new Date() } });
    const s = currentStep() - 8; // four minutes behind
    await run(admin, resyncMfaDevice(admin, { userName: "mfa-a", serialNumber: device.serialNumber, authenticationCode1: codeAt(device.base32StringSeed, s), authenticationCode2: codeAt(device.base32StringSeed, s + 1) }));
    const err = await failure(
      admin,
      resyncMfaDevice(admin, { userName: "mfa-a", serialNumber: device.serialNumber, authenticationCode1: codeAt(device.base32StringSeed, s), authenticationCode2: codeAt(device.base32StringSeed, s + 1) }),
    );
    expect(err.code).toBe("InvalidAuthenticationCode");
  });

  it("allows at most 8 devices per user", async () => {
    for (let i = 0; i < 8; i++) {
      const d = await newDevice(`many-${i}`);
      await run(admin, enableMfaDevice(admin, { userName: "mfa-many", serialNumber: d.serialNumber, ...codes(d.base32StringSeed) }));
    }
    const ninth = await newDevice("many-8");
    const err = await failure(admin, enableMfaDevice(admin, { userName: "mfa-many", serialNumber: ninth.serialNumber, ...codes(ninth.base32StringSeed) }));
    expect(err.code).toBe("LimitExceeded");
    expect(err.message).toBe("Cannot exceed quota for MFADevicesPerUser: 8");
    expect((await run(admin, listMfaDevices(admin, { userName: "mfa-many" }))).mfaDevices).toHaveLength(8);
  });

  it("works for the root user", async () => {
    const root = asRoot(DEV);
    const device = await newDevice("root-account-mfa-device", root);
    const enabled = await run(root, enableMfaDevice(root, { serialNumber: device.serialNumber, ...codes(device.base32StringSeed) }));
    expect(enabled.userName).toBeUndefined();
    const row = await db().mfaDevice.findUniqueOrThrow({ where: { serialNumber: device.serialNumber } });
    expect(row.forRoot).toBe(true);
    expect(row.userId).toBeNull();
    expect((await run(root, listMfaDevices(root, {}))).mfaDevices.map((d) => d.serialNumber)).toEqual([device.serialNumber]);
  });
});
