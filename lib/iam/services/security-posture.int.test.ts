// The dashboard's findings on the seeded account: each appears when its
// condition is created through the real operations, and goes when it is fixed.
import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { recordAudit } from "@/lib/audit/record";
import { db, transaction } from "@/lib/db/client";
import { IAM } from "@/lib/iam/catalogue";
import type { CatalogueOperation } from "@/lib/iam/catalogue/operation";
import type { Principal, UserPrincipal } from "@/lib/iam/principal";
import { asUser, testRequest } from "@/lib/testing/principals";
import { getSecurityPosture, getSharedKeys, findingEntities, grantsFullAccess, trustsAnyone, type FindingId } from "./security-posture";
import { failure, run } from "./test-helpers";

let admin: Principal;
beforeAll(async () => {
  admin = await asUser("admin");
});

function call<S extends z.ZodType, T>(op: CatalogueOperation<S, T>, input: unknown): Promise<T> {
  return run(admin, op.operation(op.input.parse(input), admin));
}

async function counts(): Promise<Record<FindingId, number>> {
  const posture = await run(admin, getSecurityPosture(admin));
  const shared = await run(admin, getSharedKeys(admin));
  return { ...Object.fromEntries(posture.findings.map((f) => [f.id, f.count])), "shared-keys": shared.length } as Record<FindingId, number>;
}

const DAY = 86_400_000;
const allow = (statement: object) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });

describe("policy shapes", () => {
  it("recognises *:* grants and open trust policies, and nothing narrower", () => {
    expect(grantsFullAccess(allow({ Effect: "Allow", Action: "*", Resource: "*" }))).toBe(true);
    expect(grantsFullAccess(allow({ Effect: "Allow", Action: ["s3:GetObject", "*"], Resource: ["*"] }))).toBe(true);
    expect(grantsFullAccess(allow({ Effect: "Allow", Action: "s3:*", Resource: "*" }))).toBe(false);
    expect(grantsFullAccess(allow({ Effect: "Deny", Action: "*", Resource: "*" }))).toBe(false);
    expect(grantsFullAccess(allow({ Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::b/*" }))).toBe(false);
    expect(grantsFullAccess("not json")).toBe(false);
    expect(trustsAnyone(allow({ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }))).toBe(true);
    expect(trustsAnyone(allow({ Effect: "Allow", Principal: { AWS: ["arn:aws:iam::111122223333:root", "*"] }, Action: "sts:AssumeRole" }))).toBe(true);
    expect(trustsAnyone(allow({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-1" } } }))).toBe(false);
    expect(trustsAnyone(allow({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }))).toBe(false);
  });
});

describe("security findings", () => {
  it("appear when each condition is created and disappear when it is fixed", async () => {
    const before = await counts();
    expect(before["root-no-mfa"]).toBe(1);

    // A console user without MFA; and its credentials never used, created 100 days ago.
    await call(IAM.CreateUser, { userName: "posture-console" });
    await call(IAM.CreateLoginProfile, { userName: "posture-console", password: "Posture-Password-2026!" });
    let now = await counts();
    expect(now["console-users-without-mfa"]).toBe(before["console-users-without-mfa"] + 1);
    const user = await db().iamUser.findFirstOrThrow({ where: { name: "posture-console" } });
    await db().loginProfile.update({ where: { userId: user.id }, data: { createdAt: new Date(Date.now() - 100 * DAY) } });
    expect((await counts())["unused-credentials"]).toBe(before["unused-credentials"] + 1);
    expect((await findingEntities(db() as never, user.accountId, "console-users-without-mfa", new Date())).map((e) => e.label)).toContain("posture-console");
    await call(IAM.DeleteLoginProfile, { userName: "posture-console" });
    now = await counts();
    expect(now["console-users-without-mfa"]).toBe(before["console-users-without-mfa"]);
    expect(now["unused-credentials"]).toBe(before["unused-credentials"]);

    // Two active keys, one of them 100 days old; the root user's key.
    const k1 = (await call(IAM.CreateAccessKey, { userName: "posture-console" })) as { accessKeyId: string };
    const k2 = (await call(IAM.CreateAccessKey, { userName: "posture-console" })) as { accessKeyId: string };
    await db().accessKey.update({ where: { id: k1.accessKeyId }, data: { createdAt: new Date(Date.now() - 100 * DAY) } });
    now = await counts();
    expect(now["two-active-keys"]).toBe(before["two-active-keys"] + 1);
    expect(now["old-active-keys"]).toBe(before["old-active-keys"] + 1);
    await call(IAM.UpdateAccessKey, { userName: "posture-console", accessKeyId: k1.accessKeyId, status: "Inactive" });
    now = await counts();
    expect(now["two-active-keys"]).toBe(before["two-active-keys"]);
    expect(now["old-active-keys"]).toBe(before["old-active-keys"]);

    // Policies granting *:*: customer managed and inline; a narrower one does not count.
    await call(IAM.CreatePolicy, { policyName: "PostureAdmin", policyDocument: allow({ Effect: "Allow", Action: "*", Resource: "*" }) });
    await call(IAM.CreatePolicy, { policyName: "PostureS3", policyDocument: allow({ Effect: "Allow", Action: "s3:*", Resource: "*" }) });
    await call(IAM.PutUserPolicy, { userName: "posture-console", policyName: "everything", policyDocument: allow({ Effect: "Allow", Action: ["*"], Resource: "*" }) });
    now = await counts();
    expect(now["full-admin-policies"]).toBe(before["full-admin-policies"] + 2);
    await call(IAM.DeleteUserPolicy, { userName: "posture-console", policyName: "everything" });
    expect((await counts())["full-admin-policies"]).toBe(before["full-admin-policies"] + 1);

    // A role anyone may assume; with a condition it no longer counts.
    await call(IAM.CreateRole, { roleName: "PostureOpen", assumeRolePolicyDocument: allow({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }) });
    expect((await counts())["roles-trusting-anyone"]).toBe(before["roles-trusting-anyone"] + 1);
    await call(IAM.UpdateAssumeRolePolicy, {
      roleName: "PostureOpen",
      policyDocument: allow({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-example" } } }),
    });
    expect((await counts())["roles-trusting-anyone"]).toBe(before["roles-trusting-anyone"]);

    // A key used from three addresses within a day looks shared; from one, it does not.
    const keyUser = { ...(admin as UserPrincipal), accessKeyId: k2.accessKeyId };
    for (const ip of ["198.51.100.1", "198.51.100.2", "198.51.100.2"]) {
      await transaction((tx) => recordAudit(tx, { principal: keyUser, request: testRequest({ sourceIp: ip, userAgent: "aws-cli/1.45" }), eventSource: "iam.amazonaws.com", eventName: "ListUsers", readOnly: true }));
    }
    expect((await counts())["shared-keys"]).toBe(before["shared-keys"]);
    await transaction((tx) => recordAudit(tx, { principal: keyUser, request: testRequest({ sourceIp: "203.0.113.9", userAgent: "aws-cli/1.45" }), eventSource: "iam.amazonaws.com", eventName: "ListUsers", readOnly: true }));
    expect((await counts())["shared-keys"]).toBe(before["shared-keys"] + 1);
    // Events older than a day do not count.
    await db().auditEvent.updateMany({ where: { identityAccessKeyId: k2.accessKeyId }, data: { eventTime: new Date(Date.now() - 2 * DAY) } });
    expect((await counts())["shared-keys"]).toBe(before["shared-keys"]);
  }, 120_000);

  it("are refused to a user without iam:GetAccountAuthorizationDetails", async () => {
    const newhire = await asUser("newhire");
    expect((await failure(newhire, getSecurityPosture(newhire))).code).toBe("AccessDenied");
  });
});
