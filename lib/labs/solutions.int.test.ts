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
    return { serialNumber: device.serialNumber, seed: device.base32StringSeed, step };
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

  it("counts an MFA code given with AssumeRole from a session without MFA (the console's elevation) as assuming with MFA", async () => {
    const s = await startTestSandbox("05-mfa-before-destruction");
    const device = await assignMfa(s);
    const everyday = await s.user("learner");
    const title = "You assumed S3ElevatedAccess with MFA";
    await expect(call(everyday, STS.AssumeRole, { roleArn: elevated(s), roleSessionName: "learner", serialNumber: device.serialNumber, tokenCode: "000000" })).rejects.toMatchObject({ code: "AccessDenied" });
    expect((await s.checks())[title]).toBe(false);
    const creds = await call(everyday, STS.AssumeRole, { roleArn: elevated(s), roleSessionName: "learner", serialNumber: device.serialNumber, tokenCode: codeAt(device.seed, device.step + 1) });
    expect((await s.checks())[title]).toBe(true);
    const role = await asRoleSession(everyday, creds, elevated(s));
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

const doc = (statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const labKeyOf = async (s: TestSandbox, user: string) => {
  const { db } = await import("@/lib/db/client");
  return (await db().accessKey.findFirstOrThrow({ where: { accountId: s.accounts.dev, user: { name: user } }, orderBy: { createdAt: "asc" } })).id;
};

describe("lab 02: rotating an access key without downtime", () => {
  async function rotate(s: TestSandbox, options: { deactivateFirst: boolean; useNewKey: boolean }) {
    const learner = await s.user("learner");
    const oldKey = await labKeyOf(s, "deploy-bot");
    const created = await call(learner, IAM.CreateAccessKey, { userName: "deploy-bot" });
    const bot = await s.user("deploy-bot", "dev", { accessKeyId: options.useNewKey ? created.accessKeyId : oldKey });
    await call(bot, STS.GetCallerIdentity, {});
    if (options.deactivateFirst) await call(learner, IAM.UpdateAccessKey, { userName: "deploy-bot", accessKeyId: oldKey, status: "Inactive" });
    await call(learner, IAM.DeleteAccessKey, { userName: "deploy-bot", accessKeyId: oldKey });
  }

  it("goes green for create, use, deactivate, delete", async () => {
    const s = await startTestSandbox("02-access-key-rotation");
    expect((await s.checks())["No active key is older than a day"]).toBe(false);
    await rotate(s, { deactivateFirst: true, useNewKey: true });
    expect(allGreen(await s.checks())).toEqual([]);
  });

  it("stays red when the old key is deleted without deactivating it first, and the new key never used", async () => {
    const s = await startTestSandbox("02-access-key-rotation");
    await rotate(s, { deactivateFirst: false, useNewKey: false });
    const checks = await s.checks();
    expect(checks["The old key is deleted"]).toBe(true);
    expect(checks["The old key was deactivated before it was deleted"]).toBe(false);
    expect(checks["deploy-bot made a call with the new key"]).toBe(false);
  });

  it("stays red when the new key is the one deactivated (and activated again) before the old one is deleted", async () => {
    const s = await startTestSandbox("02-access-key-rotation");
    const learner = await s.user("learner");
    const oldKey = await labKeyOf(s, "deploy-bot");
    const created = await call(learner, IAM.CreateAccessKey, { userName: "deploy-bot" });
    const newKey = (created as { accessKeyId: string }).accessKeyId;
    await call(learner, IAM.UpdateAccessKey, { userName: "deploy-bot", accessKeyId: newKey, status: "Inactive" });
    await call(learner, IAM.UpdateAccessKey, { userName: "deploy-bot", accessKeyId: newKey, status: "Active" });
    // The old key, activated again after a deactivation, does not count either: the check wants it made Inactive.
    await call(learner, IAM.UpdateAccessKey, { userName: "deploy-bot", accessKeyId: oldKey, status: "Active" });
    await call(learner, IAM.DeleteAccessKey, { userName: "deploy-bot", accessKeyId: oldKey });
    const checks = await s.checks();
    expect(checks["The old key is deleted"]).toBe(true);
    expect(checks["deploy-bot has exactly one active key"]).toBe(true);
    expect(checks["The old key was deactivated before it was deleted"]).toBe(false);
  });
});

describe("lab 04: an instance profile instead of a stored key", () => {
  async function solve(s: TestSandbox, trustedService: string) {
    const learner = await s.user("learner");
    const trust = doc([{ Effect: "Allow", Principal: { Service: trustedService }, Action: "sts:AssumeRole" }]);
    await call(learner, IAM.CreateRole, { roleName: "AppServerRole", assumeRolePolicyDocument: trust });
    await call(learner, IAM.AttachRolePolicy, { roleName: "AppServerRole", policyArn: `arn:aws:iam::${s.accounts.dev}:policy/ReadAssets` });
    await call(learner, IAM.CreateInstanceProfile, { instanceProfileName: "AppServerProfile" });
    await call(learner, IAM.AddRoleToInstanceProfile, { instanceProfileName: "AppServerProfile", roleName: "AppServerRole" });
    await call(learner, IAM.DeleteAccessKey, { userName: "app-server", accessKeyId: await labKeyOf(s, "app-server") });
    await call(learner, IAM.DetachUserPolicy, { userName: "app-server", policyArn: `arn:aws:iam::${s.accounts.dev}:policy/ReadAssets` });
    await call(learner, IAM.DeleteUser, { userName: "app-server" });
  }

  it("goes green for an EC2 role in an instance profile and the user retired", async () => {
    const s = await startTestSandbox("04-instance-profile-role");
    await solve(s, "ec2.amazonaws.com");
    expect(allGreen(await s.checks())).toEqual([]);
  });

  it("stays red when the role trusts Lambda instead of EC2", async () => {
    const s = await startTestSandbox("04-instance-profile-role");
    await solve(s, "lambda.amazonaws.com");
    const checks = await s.checks();
    expect(checks["AppServerRole trusts ec2.amazonaws.com"]).toBe(false);
    expect(checks["The role can read the assets"]).toBe(true);
  });
});

describe("lab 06: cross-account roles", () => {
  const trustDev = (s: TestSandbox, mfa: boolean) =>
    doc([{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${s.accounts.dev}:root` }, Action: "sts:AssumeRole", ...(mfa ? { Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } } : {}) }]);

  async function solve(s: TestSandbox, prodDeployNeedsMfa: boolean) {
    const learner = await s.user("learner");
    const adminIn = async (account: "staging" | "prod") => {
      const arn = `arn:aws:iam::${s.accounts[account]}:role/OrganizationAccountAccessRole`;
      return asRoleSession(learner, await call(learner, STS.AssumeRole, { roleArn: arn, roleSessionName: "learner" }), arn);
    };
    const staging = await adminIn("staging");
    await call(staging, IAM.CreateRole, { roleName: "StagingDeveloper", assumeRolePolicyDocument: trustDev(s, false) });
    await call(staging, IAM.AttachRolePolicy, { roleName: "StagingDeveloper", policyArn: "arn:aws:iam::aws:policy/PowerUserAccess" });
    const prod = await adminIn("prod");
    await call(prod, IAM.CreateRole, { roleName: "ProdReadOnly", assumeRolePolicyDocument: trustDev(s, false) });
    await call(prod, IAM.AttachRolePolicy, { roleName: "ProdReadOnly", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" });
    await call(prod, IAM.CreateRole, { roleName: "ProdDeploy", assumeRolePolicyDocument: trustDev(s, prodDeployNeedsMfa) });
    await call(prod, IAM.AttachRolePolicy, { roleName: "ProdDeploy", policyArn: "arn:aws:iam::aws:policy/PowerUserAccess" });
    const roles = ["StagingDeveloper", "ProdReadOnly", "ProdDeploy"].map((r) => `arn:aws:iam::${s.accounts[r.startsWith("Staging") ? "staging" : "prod"]}:role/${r}`);
    await call(learner, IAM.PutGroupPolicy, { groupName: "Developers", policyName: "switch-roles", policyDocument: doc([{ Effect: "Allow", Action: "sts:AssumeRole", Resource: roles }]) });
  }

  it("goes green when ProdDeploy's trust asks for MFA", async () => {
    const s = await startTestSandbox("06-cross-account-roles");
    expect((await s.checks())["dave can switch into StagingDeveloper"]).toBe(false);
    await solve(s, true);
    expect(allGreen(await s.checks())).toEqual([]);
    // And dave really switches, through STS.
    const dave = await s.user("dave");
    const staging = `arn:aws:iam::${s.accounts.staging}:role/StagingDeveloper`;
    await expect(call(dave, STS.AssumeRole, { roleArn: staging, roleSessionName: "dave" })).resolves.toBeDefined();
  });

  it("stays red when ProdDeploy trusts dev without MFA", async () => {
    const s = await startTestSandbox("06-cross-account-roles");
    await solve(s, false);
    const checks = await s.checks();
    expect(checks["dave can switch into ProdDeploy with MFA"]).toBe(true);
    expect(checks["dave cannot switch into ProdDeploy without MFA"]).toBe(false);
  });
});

describe("lab 07: a leaked key in the event history", () => {
  it("goes green after the investigation, deactivation and a new key", { timeout: 90_000 }, async () => {
    const s = await startTestSandbox("07-leaked-key-investigation");
    const learner = await s.user("learner");
    const leaked = await labKeyOf(s, "ci-runner");
    const { lookupEvents } = await import("@/lib/audit/query");
    const { runOperation } = await import("@/lib/iam/operation");
    const { testRequest } = await import("@/lib/testing/principals");
    const found = await runOperation({ ...lookupEvents(learner, { q: `accesskey:${leaked}`, includeReadOnly: true }), principal: learner, request: testRequest() });
    const intruder = found.items.filter((e) => e.sourceIPAddress === "203.0.113.66");
    expect(intruder.map((e) => e.eventName).sort()).toEqual(["DeleteBucket", "GetObject", "ListBuckets"]);
    await call(learner, IAM.UpdateAccessKey, { userName: "ci-runner", accessKeyId: leaked, status: "Inactive" });
    await call(learner, IAM.CreateAccessKey, { userName: "ci-runner" });
    expect(allGreen(await s.checks())).toEqual([]);
  });

  it("stays red when the leaked key is deleted instead of kept inactive for the investigation", async () => {
    const s = await startTestSandbox("07-leaked-key-investigation");
    const learner = await s.user("learner");
    await call(learner, IAM.DeleteAccessKey, { userName: "ci-runner", accessKeyId: await labKeyOf(s, "ci-runner") });
    await call(learner, IAM.CreateAccessKey, { userName: "ci-runner" });
    const checks = await s.checks();
    expect(checks["ci-runner has one active key"]).toBe(true);
    expect(checks["The leaked key is inactive"]).toBe(false);
    expect(checks["You looked at the event history"]).toBe(false);
  });
});

describe("lab 08: don't share access keys", () => {
  async function setUp(s: TestSandbox) {
    const learner = await s.user("learner");
    await call(learner, IAM.CreateGroup, { groupName: "Ops" });
    await call(learner, IAM.AttachGroupPolicy, { groupName: "Ops", policyArn: "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" });
    const keys: Record<string, string> = {};
    for (const name of ["dana", "evan"]) {
      await call(learner, IAM.CreateUser, { userName: name });
      await call(learner, IAM.AddUserToGroup, { groupName: "Ops", userName: name });
      keys[name] = (await call(learner, IAM.CreateAccessKey, { userName: name })).accessKeyId;
    }
    await call(learner, IAM.DeleteAccessKey, { userName: "team-shared", accessKeyId: await labKeyOf(s, "team-shared") });
    return keys;
  }

  it("goes green when dana and evan each work with their own key", async () => {
    const s = await startTestSandbox("08-no-shared-keys");
    const keys = await setUp(s);
    for (const name of ["dana", "evan"]) await call(await s.user(name, "dev", { accessKeyId: keys[name] }), S3.ListBuckets, {});
    expect(allGreen(await s.checks())).toEqual([]);
  });

  it("stays red when only one of them has used their own key", async () => {
    const s = await startTestSandbox("08-no-shared-keys");
    const keys = await setUp(s);
    await call(await s.user("dana", "dev", { accessKeyId: keys.dana }), S3.ListBuckets, {});
    const checks = await s.checks();
    expect(checks["The shared key is deleted"]).toBe(true);
    expect(checks["dana and evan each called ListBuckets with their own key"]).toBe(false);
  });
});
