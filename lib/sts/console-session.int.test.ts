// Console switch role, recent roles, switching back and MFA elevation.
// [engine] marks tests that need the policy engine behind the gate.
import crypto from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { codeAt, currentStep } from "@/lib/crypto/totp";
import { db } from "@/lib/db/client";
import { DEMO_MFA_SEED } from "@/lib/db/seed/demo-identities";
import { ADMINISTRATOR_ACCESS_ARN } from "@/lib/iam/arn";
import type { IamError } from "@/lib/iam/errors";
import { runOperation } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";
import { asUser, DEV, STAGING, testRequest } from "@/lib/testing/principals";
import { dropRoleSession, elevate, elevationRoleFor, ELEVATION_ROLE, recentRoles, switchRole, type SwitchRoleInput } from "./console-session";
import { principalForSession } from "./credentials";

const doSwitch = (p: Principal, input: SwitchRoleInput) => runOperation({ ...switchRole(p, input), principal: p, request: testRequest() });
const fail = (p: Promise<unknown>) => p.then(() => { throw new Error("expected a refusal"); }, (e: unknown) => e as IamError);
const tick = () => new Promise((r) => setTimeout(r, 5));

const NAMES = ["Blue", "Green", "Orange", "Purple", "Teal", "Yellow"];

beforeAll(async () => {
  const admin = await db().managedPolicy.findUniqueOrThrow({ where: { arn: ADMINISTRATOR_ACCESS_ARN } });
  const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${DEV}:root` }, Action: "sts:AssumeRole" }] });
  for (const name of NAMES) {
    const id = `AROA${crypto.randomBytes(9).toString("hex").toUpperCase().slice(0, 17)}`;
    await db().role.create({ data: { id, accountId: DEV, name, nameLower: name.toLowerCase(), arn: `arn:aws:iam::${DEV}:role/${name}`, trustPolicy: trust, maxSessionDuration: 43200 } });
    await db().policyAttachment.create({ data: { accountId: DEV, policyId: admin.id, roleId: id } });
  }
});

describe("switchRole", () => {
  it("assumes the role from the signed-in user for one hour, by account alias, with the user name as session name", async () => {
    const admin = await asUser("admin");
    const before = Date.now();
    const r = await doSwitch(admin, { account: "example-dev", roleName: "Blue", displayName: "Blue team", color: "#0000ff" });
    expect(r.roleArn).toBe(`arn:aws:iam::${DEV}:role/Blue`);
    expect(r.sessionArn).toBe(`arn:aws:sts::${DEV}:assumed-role/Blue/admin`);
    // A role allowing 12 hours still gets the console's one hour.
    expect(Math.abs(r.expiresAt.getTime() - (before + 3600_000))).toBeLessThan(5000);
    const row = await db().roleSession.findUniqueOrThrow({ where: { id: r.sessionId } });
    expect(row).toMatchObject({ displayName: "Blue team", color: "#0000ff", sessionName: "admin", sourcePrincipalArn: admin.arn });
    const principal = (await principalForSession(db(), r.sessionId))!;
    expect(principal).toMatchObject({ type: "AssumedRole", roleName: "Blue", sourceArn: admin.arn });
  });

  it("accepts the account ID and defaults the display name to ROLE @ alias", async () => {
    const r = await doSwitch(await asUser("admin"), { account: DEV, roleName: "Green" });
    expect(r.displayName).toBe("Green @ example-dev");
  });

  it("refuses an unknown account or role with AccessDenied", async () => {
    const admin = await asUser("admin");
    expect((await fail(doSwitch(admin, { account: "no-such-alias", roleName: "Blue" }))).code).toBe("AccessDenied");
    expect((await fail(doSwitch(admin, { account: DEV, roleName: "Nope" }))).code).toBe("AccessDenied");
  });

  it("[engine] switches alice into StagingDeveloper across accounts", async () => {
    const alice = await asUser("alice");
    const r = await doSwitch(alice, { account: STAGING, roleName: "StagingDeveloper" });
    expect(r.accountId).toBe(STAGING);
  });
});

describe("recentRoles", () => {
  it("keeps the last five distinct roles per identity, newest first", async () => {
    const erin = await asUser("erin");
    for (const name of NAMES) {
      await doSwitch(erin, { account: DEV, roleName: name, displayName: `${name} display` });
      await tick();
    }
    await doSwitch(erin, { account: DEV, roleName: "Green", displayName: "Green again" });
    const recent = await recentRoles(erin.arn);
    expect(recent.map((r) => r.roleName)).toEqual(["Green", "Yellow", "Teal", "Purple", "Orange"]);
    expect(recent[0]).toMatchObject({ displayName: "Green again", accountId: DEV, accountAlias: "example-dev", roleArn: `arn:aws:iam::${DEV}:role/Green` });
  });

  it("is per identity", async () => {
    const bob = await asUser("bob");
    expect(await recentRoles(bob.arn)).toEqual([]);
  });
});

describe("dropRoleSession", () => {
  it("revokes the session once; the session no longer resolves", async () => {
    const admin = await asUser("admin");
    const r = await doSwitch(admin, { account: DEV, roleName: "Teal" });
    const other = await asUser("erin");
    expect(await dropRoleSession(r.sessionId, other.arn)).toBe(false);
    expect(await dropRoleSession(r.sessionId, admin.arn)).toBe(true);
    expect(await dropRoleSession(r.sessionId, admin.arn)).toBe(false);
    expect((await db().roleSession.findUniqueOrThrow({ where: { id: r.sessionId } })).revokedAt).not.toBeNull();
    expect(await principalForSession(db(), r.sessionId)).toBeNull();
  });
});

describe("elevation", () => {
  it("finds the elevation role of each account", async () => {
    const role = await elevationRoleFor(DEV);
    expect(role?.name).toBe(ELEVATION_ROLE);
    expect(role?.arn).toBe(`arn:aws:iam::${DEV}:role/S3ElevatedAccess`);
    expect(await elevationRoleFor("999999999999")).toBeNull();
  });

  it("elevates erin for 15 minutes with an MFA code from her device; the code works once", async () => {
    const erin = await asUser("erin");
    const code = codeAt(DEMO_MFA_SEED, currentStep());
    const before = Date.now();
    const r = await runOperation({ ...elevate(erin, { tokenCode: code }), principal: erin, request: testRequest() });
    expect(r.roleName).toBe(ELEVATION_ROLE);
    expect(Math.abs(r.expiresAt.getTime() - (before + 900_000))).toBeLessThan(5000);
    const row = await db().roleSession.findUniqueOrThrow({ where: { id: r.sessionId } });
    expect(row.mfaAuthenticated).toBe(true);
    const again = await fail(runOperation({ ...elevate(erin, { tokenCode: code }), principal: erin, request: testRequest() }));
    expect(again.message).toBe("MultiFactorAuthentication failed with invalid MFA one time pass code.");
  });

  it("refuses elevation for a user without an MFA device", async () => {
    const admin = await asUser("admin");
    const e = await fail(runOperation({ ...elevate(admin, { tokenCode: "123456" }), principal: admin, request: testRequest() }));
    expect(e.code).toBe("AccessDenied");
  });
});
