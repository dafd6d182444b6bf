// Who is offered elevation: the gate's own answer for the AssumeRole an elevation
// would make, with MFA assumed present (nothing changed, nothing audited).
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { asUser, DEV, testRequest } from "@/lib/testing/principals";
import { codeAt, currentStep } from "@/lib/crypto/totp";
import { DEMO_MFA_SEED } from "@/lib/db/seed/demo-identities";
import { runOperation } from "@/lib/iam/operation";
import { couldElevate, elevate, elevationRoleFor, recentRoles, whoCanElevate } from "./console-session";

describe("couldElevate", () => {
  it("says yes for alice and erin (even alice without a device or an MFA sign-in), no for bob and carol, with AWS's reason", async () => {
    const role = (await elevationRoleFor(DEV))!;
    const audited = await db().auditEvent.count();
    for (const name of ["admin", "alice", "erin"]) expect((await couldElevate(await asUser(name), testRequest(), role)).allowed, name).toBe(true);
    for (const name of ["bob", "carol"]) {
      const check = await couldElevate(await asUser(name), testRequest(), role);
      expect(check.allowed, name).toBe(false);
      expect(check.reason).toBe("because no identity-based policy allows the sts:AssumeRole action");
    }
    expect(await db().auditEvent.count()).toBe(audited);
  });

  it("names who can to a caller who may list users, and no one to a caller who may not", async () => {
    const role = (await elevationRoleFor(DEV))!;
    expect((await whoCanElevate(await asUser("bob"), testRequest(), role))?.userNames).toEqual(["admin", "alice", "erin"]);
    expect(await whoCanElevate(await asUser("newhire"), testRequest(), role)).toBeNull();
  });
});

describe("recentRoles and elevation", () => {
  it("does not list the elevation role: re-entering it needs a fresh MFA code, not one click", async () => {
    const erin = await asUser("erin");
    await runOperation({ ...elevate(erin, { tokenCode: codeAt(DEMO_MFA_SEED, currentStep()) }), principal: erin, request: testRequest() });
    expect(await db().roleSession.count({ where: { sourcePrincipalArn: erin.arn } })).toBe(1);
    expect(await recentRoles(erin.arn)).toEqual([]);
  });
});
