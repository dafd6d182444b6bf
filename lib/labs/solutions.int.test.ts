// Every built-in lab solved through catalogue operations, the way a learner's
// console or CLI calls arrive: the checks go green for the right solution and
// stay red for the subtly wrong one.
import { describe, expect, it } from "vitest";
import { codeAt, currentStep } from "@/lib/crypto/totp";
import { IAM, S3, STS } from "@/lib/iam/catalogue";
import { asRoleSession, call, startTestSandbox, type TestSandbox } from "./test-helpers";

const allGreen = (checks: Record<string, boolean>) => Object.entries(checks).filter(([, ok]) => !ok).map(([title]) => title);
const reportsReader = (s: TestSandbox) => `arn:aws:iam::${s.accounts.dev}:policy/ReportsReader`;

describe("lab 01: users and groups with least privilege", () => {
  async function groupAnalysts(s: TestSandbox) {
    const learner = await s.user("learner");
    await call(learner, IAM.CreateGroup, { groupName: "Analysts" });
    await call(learner, IAM.AttachGroupPolicy, { groupName: "Analysts", policyArn: reportsReader(s) });
    for (const u of ["alice", "bob"]) await call(learner, IAM.AddUserToGroup, { groupName: "Analysts", userName: u });
    return learner;
  }

  it("starts red and goes green for the right solution", async () => {
    const s = await startTestSandbox("01-least-privilege-groups");
    const before = await s.checks();
    expect(before["Analysts has exactly ReportsReader attached"]).toBe(false);
    expect(before["No user has a policy of their own"]).toBe(false);
    expect(before["bob can no longer delete the bucket"]).toBe(false);
    expect(before["alice can read the reports"]).toBe(true);

    const learner = await groupAnalysts(s);
    for (const u of ["alice", "bob"]) await call(learner, IAM.DetachUserPolicy, { userName: u, policyArn: reportsReader(s) });
    await call(learner, IAM.DeleteUserPolicy, { userName: "bob", policyName: "reports-everything" });
    expect(allGreen(await s.checks())).toEqual([]);
  });

  it("stays red when bob's inline policy is left on him", async () => {
    const s = await startTestSandbox("01-least-privilege-groups");
    const learner = await groupAnalysts(s);
    for (const u of ["alice", "bob"]) await call(learner, IAM.DetachUserPolicy, { userName: u, policyArn: reportsReader(s) });
    const checks = await s.checks();
    expect(checks["Analysts has exactly ReportsReader attached"]).toBe(true);
    expect(checks["No user has a policy of their own"]).toBe(false);
    expect(checks["bob can no longer delete the bucket"]).toBe(false);
  });

  it("stays red when the group gets a broader policy than ReportsReader", async () => {
    const s = await startTestSandbox("01-least-privilege-groups");
    const learner = await groupAnalysts(s);
    await call(learner, IAM.AttachGroupPolicy, { groupName: "Analysts", policyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" });
    for (const u of ["alice", "bob"]) await call(learner, IAM.DetachUserPolicy, { userName: u, policyArn: reportsReader(s) });
    await call(learner, IAM.DeleteUserPolicy, { userName: "bob", policyName: "reports-everything" });
    const checks = await s.checks();
    expect(checks["Analysts has exactly ReportsReader attached"]).toBe(false);
    expect(checks["alice cannot write reports"]).toBe(false);
  });
});

describe("lab 03: managed policies, versions and rollback", () => {
  const appDeploy = (s: TestSandbox) => `arn:aws:iam::${s.accounts.dev}:policy/AppDeploy`;

  it("goes green for rollback to v1, deleting v2 and the inline copy", async () => {
    const s = await startTestSandbox("03-managed-policy-rollback");
    expect(allGreen(await s.checks()).length).toBeGreaterThan(0);
    const learner = await s.user("learner");
    await call(learner, IAM.SetDefaultPolicyVersion, { policyArn: appDeploy(s), versionId: "v1" });
    await call(learner, IAM.DeletePolicyVersion, { policyArn: appDeploy(s), versionId: "v2" });
    await call(learner, IAM.DeleteUserPolicy, { userName: "dev1", policyName: "old-deploy-copy" });
    expect(allGreen(await s.checks())).toEqual([]);
  });

  it("stays red when the 'fix' is a new version that still allows s3:DeleteBucket", async () => {
    const s = await startTestSandbox("03-managed-policy-rollback");
    const learner = await s.user("learner");
    const doc = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:Get*", "s3:Put*", "s3:Delete*", "s3:List*"], Resource: "*" }] };
    await call(learner, IAM.CreatePolicyVersion, { policyArn: appDeploy(s), policyDocument: JSON.stringify(doc), setAsDefault: true });
    await call(learner, IAM.DeletePolicyVersion, { policyArn: appDeploy(s), versionId: "v2" });
    await call(learner, IAM.DeleteUserPolicy, { userName: "dev1", policyName: "old-deploy-copy" });
    const checks = await s.checks();
    expect(checks["The bad version v2 is deleted"]).toBe(true);
    expect(checks["AppDeploy's default version is v1's document"]).toBe(false);
    expect(checks["dev1 can no longer delete buckets"]).toBe(false);
  });

  it("stays red when dev1's inline copy is kept", async () => {
    const s = await startTestSandbox("03-managed-policy-rollback");
    const learner = await s.user("learner");
    await call(learner, IAM.SetDefaultPolicyVersion, { policyArn: appDeploy(s), versionId: "v1" });
    await call(learner, IAM.DeletePolicyVersion, { policyArn: appDeploy(s), versionId: "v2" });
    const checks = await s.checks();
    expect(checks["dev1 can no longer delete buckets"]).toBe(true);
    expect(checks["dev1 has no inline policy"]).toBe(false);
    expect(checks["dev1 cannot delete objects"]).toBe(false);
  });
});

describe("lab 05: MFA before destruction", () => {
  async function assignMfa(s: TestSandbox) {
    const learner = await s.user("learner");
    const device = await call(learner, IAM.CreateVirtualMFADevice, { virtualMFADeviceName: "learner" });
    const step = currentStep();
    await call(learner, IAM.EnableMFADevice, {
      userName: "learner",
      serialNumber: device.serialNumber,
      authenticationCode1: codeAt(device.base32StringSeed, step - 1),
      authenticationCode2: codeAt(device.base32StringSeed, step),
    });
  }
  const bucket = (s: TestSandbox) => `old-logs-${s.sandbox.id}`;
  const elevated = (s: TestSandbox) => `arn:aws:iam::${s.accounts.dev}:role/S3ElevatedAccess`;

  it("goes green when the learner elevates with MFA and deletes the bucket", async () => {
    const s = await startTestSandbox("05-mfa-before-destruction");
    await assignMfa(s);
    const everyday = await s.user("learner");
    await expect(call(everyday, S3.DeleteObject, { bucket: bucket(s), key: "2025/app.log" })).rejects.toMatchObject({ code: "AccessDenied" });
    await expect(call(everyday, STS.AssumeRole, { roleArn: elevated(s), roleSessionName: "learner" })).rejects.toMatchObject({ code: "AccessDenied" });

    const withMfa = await s.user("learner", "dev", { mfa: true });
    const creds = await call(withMfa, STS.AssumeRole, { roleArn: elevated(s), roleSessionName: "learner" });
    const role = await asRoleSession(withMfa, creds, elevated(s));
    await call(role, S3.DeleteObject, { bucket: bucket(s), key: "2025/app.log" });
    await call(role, S3.DeleteBucket, { bucket: bucket(s) });
    expect(allGreen(await s.checks())).toEqual([]);
  });

  it("stays red when the trust policy's MFA condition is removed and the bucket deleted without MFA", async () => {
    const s = await startTestSandbox("05-mfa-before-destruction");
    await assignMfa(s);
    const admin = await s.user("learner");
    // PowerUserAccess has no iam:*: the shortcut needs another administrator; the lab's own trust is rewritten here directly.
    const { db } = await import("@/lib/db/client");
    await db().role.update({
      where: { arn: elevated(s) },
      data: { trustPolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${s.accounts.dev}:root` }, Action: "sts:AssumeRole" }] }) },
    });
    const creds = await call(admin, STS.AssumeRole, { roleArn: elevated(s), roleSessionName: "learner" });
    const role = await asRoleSession(admin, creds, elevated(s));
    await call(role, S3.DeleteObject, { bucket: bucket(s), key: "2025/app.log" });
    await call(role, S3.DeleteBucket, { bucket: bucket(s) });
    const checks = await s.checks();
    expect(checks["old-logs is gone"]).toBe(true);
    expect(checks["You assumed S3ElevatedAccess with MFA"]).toBe(false);
    expect(checks["The bucket was deleted by the elevated session"]).toBe(false);
    expect(checks["The role still refuses anyone without MFA"]).toBe(false);
  });
});
