// A console session can be ended: each of the six triggers ends the server-side
// session the cookie names, so the cookie stops working at once.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { DEMO_PASSWORD } from "@/lib/db/seed/demo-identities";
import { runOperation, type OperationSpec } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";
import { deactivateMfaDevice } from "@/lib/iam/services/mfa";
import { changePassword, deleteLoginProfile, updateLoginProfile } from "@/lib/iam/services/passwords";
import { switchRole } from "@/lib/sts/console-session";
import { asRoot, asUser, DEV, STAGING, testRequest } from "@/lib/testing/principals";
import { SESSION_HOURS, type SignedInIdentity } from "./config";
import { endConsoleSession, isLiveSession, liveIdentity, signOutEverywhere, startConsoleSession } from "./console-sessions";

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

  it("give, in one look-up, the user, the account as the console shows it, and whether there may be role history", async () => {
    const s = await signedIn("alice");
    const alice = await db().iamUser.findFirstOrThrow({ where: { accountId: DEV, nameLower: "alice" }, include: { account: true } });
    const live = await liveIdentity(s);
    expect(live?.user).toEqual({ id: alice.id, name: "alice", arn: alice.arn, passwordResetRequired: false });
    expect(live?.account).toEqual({
      id: DEV,
      organizationId: alice.account.organizationId,
      name: alice.account.name,
      alias: alice.account.alias,
      color: alice.account.color,
      reportOnly: false,
    });
    expect(live?.mayHaveRoleHistory).toBe(false);
    // A switch into a role makes history; report-only and a required reset show at once.
    const principal = await asUser("alice");
    await run(principal, switchRole(principal, { account: STAGING, roleName: "StagingDeveloper" }));
    await db().account.update({ where: { id: DEV }, data: { reportOnly: true } });
    await db().loginProfile.update({ where: { userId: alice.id }, data: { passwordResetRequired: true } });
    const after = await liveIdentity(s);
    expect(after?.mayHaveRoleHistory).toBe(true);
    expect(after?.account.reportOnly).toBe(true);
    expect(after?.user?.passwordResetRequired).toBe(true);
    // The later tests run in this account as it was.
    await db().account.update({ where: { id: DEV }, data: { reportOnly: false } });
    await db().loginProfile.update({ where: { userId: alice.id }, data: { passwordResetRequired: false } });
  });

  it("are not live once expired", async () => {
    const s = await signedIn("bob");
    expect(await liveIdentity(s, new Date(s.signedInAt + (SESSION_HOURS * 3600_000) / 2))).not.toBeNull();
    expect(await liveIdentity(s, new Date(s.signedInAt + SESSION_HOURS * 3600_000 + 1000))).toBeNull();
  });

  it("of the root user have no user, and are not a user's", async () => {
    const base = { kind: "root" as const, accountId: DEV, mfa: false, signedInAt: Date.now() };
    const root = { ...base, sessionId: await startConsoleSession(base) };
    const live = await liveIdentity(root);
    expect(live?.account.id).toBe(DEV);
    expect(live?.user).toBeUndefined();
    const alice = await db().iamUser.findFirstOrThrow({ where: { accountId: DEV, nameLower: "alice" } });
    expect(await liveIdentity({ ...root, kind: "user", userId: alice.id })).toBeNull();
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
