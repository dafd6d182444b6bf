// A console session can be ended: each of the six triggers ends the server-side
// session the cookie names, so the cookie stops working at once.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { DEMO_PASSWORD } from "@/lib/db/seed/demo-identities";
import { runOperation, type OperationSpec } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";
import { deactivateMfaDevice } from "@/lib/iam/services/mfa";
import { changePassword, deleteLoginProfile, updateLoginProfile } from "@/lib/iam/services/passwords";
import { asRoot, asUser, DEV, testRequest } from "@/lib/testing/principals";
import type { SignedInIdentity } from "./config";
import { endConsoleSession, isLiveSession, signOutEverywhere, startConsoleSession } from "./console-sessions";

const run = <T,>(principal: Principal, spec: OperationSpec<T>) => runOperation({ ...spec, principal, request: testRequest() });

async function signedIn(userName: string, mfa = false): Promise<SignedInIdentity> {
  const user = await db().iamUser.findFirstOrThrow({ where: { accountId: DEV, nameLower: userName } });
  const base = { kind: "user" as const, accountId: DEV, userId: user.id, mfa, signedInAt: Date.now() };
  return { ...base, sessionId: await startConsoleSession(base) };
}

describe("console sessions", () => {
  it("live from sign-in, and only for the identity they were issued to", async () => {
    const s = await signedIn("alice");
    expect(await isLiveSession(s)).toBe(true);
    const bob = await db().iamUser.findFirstOrThrow({ where: { accountId: DEV, nameLower: "bob" } });
    expect(await isLiveSession({ ...s, userId: bob.id })).toBe(false);
    expect(await isLiveSession({ ...s, sessionId: undefined })).toBe(false);
    expect(await isLiveSession({ ...s, sessionId: "forged" })).toBe(false);
  });

  it("end at sign-out", async () => {
    const s = await signedIn("alice");
    const other = await signedIn("alice");
    await endConsoleSession(s.sessionId!, "SignOut");
    expect(await isLiveSession(s)).toBe(false);
    expect(await isLiveSession(other)).toBe(true);
  });

  it("all end when the user changes their password", async () => {
    const [a, b] = [await signedIn("carol"), await signedIn("carol")];
    const carol = await asUser("carol");
    await run(carol, changePassword(carol, { oldPassword: DEMO_PASSWORD, newPassword: "Carol-New-Passw0rd!" }));
    expect(await isLiveSession(a)).toBe(false);
    expect(await isLiveSession(b)).toBe(false);
  });

  it("all end when an admin resets the password, but not when only a reset is required", async () => {
    const s = await signedIn("alice");
    const admin = await asUser("admin");
    await run(admin, updateLoginProfile(admin, { userName: "alice", passwordResetRequired: true }));
    expect(await isLiveSession(s)).toBe(true);
    await run(admin, updateLoginProfile(admin, { userName: "alice", password: "Alice-Reset-Passw0rd!" }));
    expect(await isLiveSession(s)).toBe(false);
  });

  it("all end when the login profile is removed (and stay ended when it is created again)", async () => {
    const s = await signedIn("newhire");
    const admin = await asUser("admin");
    await run(admin, deleteLoginProfile(admin, { userName: "newhire" }));
    expect(await isLiveSession(s)).toBe(false);
  });

  it("all end when the user's MFA device is deactivated", async () => {
    const s = await signedIn("erin", true);
    const device = await db().mfaDevice.findFirstOrThrow({ where: { user: { name: "erin" } } });
    const admin = await asUser("admin");
    await run(admin, deactivateMfaDevice(admin, { userName: "erin", serialNumber: device.serialNumber }));
    expect(await isLiveSession(s)).toBe(false);
  });

  it("all end when an admin signs the user out everywhere; a read-only user may not", async () => {
    const [a, b] = [await signedIn("alice"), await signedIn("alice")];
    const bob = await asUser("bob");
    const denied = await run(bob, signOutEverywhere(bob, { userName: "alice" })).catch((e) => e);
    expect(denied.code).toBe("AccessDenied");
    expect(await isLiveSession(a)).toBe(true);
    const admin = await asUser("admin");
    expect(await run(admin, signOutEverywhere(admin, { userName: "alice" }))).toEqual({ sessionsEnded: 2 });
    expect(await isLiveSession(a)).toBe(false);
    expect(await isLiveSession(b)).toBe(false);
    const audit = await db().auditEvent.findFirst({ where: { eventName: "RevokeConsoleSessions", errorCode: null } });
    expect(audit).not.toBeNull();
  });

  it("the root user's sessions end when the root password changes", async () => {
    const base = { kind: "root" as const, accountId: DEV, mfa: false, signedInAt: Date.now() };
    const s = { ...base, sessionId: await startConsoleSession(base) };
    expect(await isLiveSession(s)).toBe(true);
    const root = asRoot(DEV);
    await run(root, changePassword(root, { oldPassword: DEMO_PASSWORD, newPassword: "Root-New-Passw0rd!" }));
    expect(await isLiveSession(s)).toBe(false);
  });
});
