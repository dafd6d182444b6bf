// Centralized root access with the real AWS CLI against the API handler on a
// loopback port and this file's own database, where dev is the organization's
// management account and staging a member: the organization's features
// (enable, disable, list; management account only), then sts:AssumeRoot into
// staging's root user, limited by the root-task policy it names, and each
// refusal (feature off, a member calling, the management account as target,
// a policy that is not a root-task policy, more than 900 seconds, no
// sts:AssumeRoot permission).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { DEMO_ORG } from "@/lib/db/seed/demo-identities";
import { seedAwsManagedPolicies } from "@/lib/db/seed/aws-managed-policies";
import { DEV, PROD, STAGING } from "@/lib/testing/principals";
import { issueKey, startTestApi, type Creds, type TestApi } from "../test-server";
import { aws as awsCli } from "./cli";

let api: TestApi;
let admin: Creds;
let bob: Creds;
let stagingRoot: Creds;
/** A second access key of staging's root user: the credential the root sessions audit and delete. */
let stagingRootKey: string;
const aws = (c: Creds, ...args: string[]) => awsCli(api.endpoint, c, ...args);
/** The AWS error code of a failed CLI call ("An error occurred (CODE) when calling ..."). */
const errorCode = (r: { code: number; stderr: string }) => (r.code === 0 ? "succeeded" : /An error occurred \(([^)]+)\)/.exec(r.stderr)?.[1] ?? r.stderr);

const TASK = (name: string) => `arn=arn:aws:iam::aws:policy/root-task/${name}`;
const assumeRoot = (c: Creds, ...args: string[]) => aws(c, "sts", "assume-root", ...args);
const sessionOf = (r: { json?: { Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string } } }): Creds => ({
  accessKeyId: r.json!.Credentials.AccessKeyId,
  secretAccessKey: r.json!.Credentials.SecretAccessKey,
  sessionToken: r.json!.Credentials.SessionToken,
});

beforeAll(async () => {
  api = await startTestApi();
  await seedAwsManagedPolicies(db(), ["IAMAuditRootUserCredentials", "IAMCreateRootUserPassword", "IAMDeleteRootUserCredentials", "S3UnlockBucketPolicy", "SQSUnlockQueuePolicy"]);
  await db().organization.update({ where: { id: DEMO_ORG.id }, data: { managementAccountId: DEV } });
  admin = await issueKey("admin");
  bob = await issueKey("bob");
  stagingRoot = await issueKey(undefined, STAGING);
  stagingRootKey = (await issueKey(undefined, STAGING)).accessKeyId;
}, 120_000);
afterAll(() => api.close());

describe("the organization's centralized root access features", () => {
  it("are listed, enabled and disabled by the management account, with AWS's response shape", async () => {
    expect((await aws(admin, "iam", "list-organizations-features")).json).toEqual({ OrganizationId: DEMO_ORG.id, EnabledFeatures: [] });
    expect((await aws(admin, "iam", "enable-organizations-root-credentials-management")).json).toEqual({
      OrganizationId: DEMO_ORG.id,
      EnabledFeatures: ["RootCredentialsManagement"],
    });
    expect((await aws(admin, "iam", "enable-organizations-root-sessions")).json).toEqual({ OrganizationId: DEMO_ORG.id, EnabledFeatures: ["RootCredentialsManagement", "RootSessions"] });
    expect((await aws(admin, "iam", "disable-organizations-root-credentials-management")).json).toEqual({ OrganizationId: DEMO_ORG.id, EnabledFeatures: ["RootSessions"] });
    expect((await aws(admin, "iam", "list-organizations-features")).json).toEqual({ OrganizationId: DEMO_ORG.id, EnabledFeatures: ["RootSessions"] });
    const event = await db().auditEvent.findFirstOrThrow({ where: { eventName: "EnableOrganizationsRootSessions", identityAccessKeyId: admin.accessKeyId } });
    expect(event).toMatchObject({ errorCode: null, recipientAccountId: DEV, readOnly: false });
  }, 120_000);

  it("are refused to a member account and to a caller without the IAM permission", async () => {
    const enable = await aws(stagingRoot, "iam", "enable-organizations-root-sessions");
    expect(errorCode(enable)).toBe("CallerIsNotManagementAccountException");
    expect(errorCode(await aws(stagingRoot, "iam", "list-organizations-features"))).toBe("AccountNotManagementOrDelegatedAdministratorException");
    expect(errorCode(await aws(stagingRoot, "iam", "disable-organizations-root-sessions"))).toBe("AccountNotManagementOrDelegatedAdministratorException");
    // bob's ReadOnlyAccess lists IAM (iam:List*) but changes nothing.
    expect((await aws(bob, "iam", "list-organizations-features")).json).toMatchObject({ OrganizationId: DEMO_ORG.id });
    const denied = await aws(bob, "iam", "disable-organizations-root-sessions");
    expect(errorCode(denied)).toBe("AccessDenied");
    expect(denied.stderr).toContain("iam:DisableOrganizationsRootSessions");
    // Nothing changed.
    expect((await aws(admin, "iam", "list-organizations-features")).json.EnabledFeatures).toEqual(["RootSessions"]);
  }, 120_000);
});

describe("sts:AssumeRoot", () => {
  // Root sessions on, whatever ran before (the features' own tests turn them on through the CLI).
  beforeAll(() => db().organization.update({ where: { id: DEMO_ORG.id }, data: { rootSessions: true } }));

  it("gives the member account's root user, limited to what the task policy leaves (IAMAuditRootUserCredentials)", async () => {
    const out = await assumeRoot(admin, "--target-principal", STAGING, "--task-policy-arn", TASK("IAMAuditRootUserCredentials"), "--duration-seconds", "600");
    expect(out.code).toBe(0);
    expect(out.json.Credentials.AccessKeyId).toMatch(/^ASIA/);
    const lifetime = new Date(out.json.Credentials.Expiration).getTime() - Date.now();
    expect(lifetime).toBeGreaterThan(580_000);
    expect(lifetime).toBeLessThanOrEqual(600_000);
    const root = sessionOf(out);
    expect((await aws(root, "sts", "get-caller-identity")).json).toEqual({ UserId: STAGING, Account: STAGING, Arn: `arn:aws:iam::${STAGING}:root` });
    // What the task policy lists, on the root user's own credentials: allowed.
    const keys = await aws(root, "iam", "list-access-keys");
    expect(keys.code).toBe(0);
    expect(keys.json.AccessKeyMetadata.map((k: { AccessKeyId: string }) => k.AccessKeyId)).toEqual(expect.arrayContaining([stagingRoot.accessKeyId, stagingRootKey]));
    expect((await aws(root, "iam", "list-mfa-devices")).code).toBe(0);
    // Anything else, or the listed actions on another user: denied by the task policy.
    const users = await aws(root, "iam", "list-users");
    expect(errorCode(users)).toBe("AccessDenied");
    expect(users.stderr).toContain("with an explicit deny in a session policy");
    expect(errorCode(await aws(root, "iam", "create-access-key"))).toBe("AccessDenied");
    expect(errorCode(await aws(root, "iam", "delete-access-key", "--access-key-id", stagingRootKey))).toBe("AccessDenied");
    expect(errorCode(await aws(root, "iam", "list-access-keys", "--user-name", "someone"))).toBe("AccessDenied");
    expect(errorCode(await aws(root, "s3api", "list-buckets"))).toBe("AccessDenied");
    // The session cannot start other sessions.
    expect(errorCode(await assumeRoot(root, "--target-principal", STAGING, "--task-policy-arn", TASK("IAMAuditRootUserCredentials")))).toBe("AccessDenied");
    // Audited in the caller's account with the issued key's ID, never its secret or token; the session's calls in staging.
    const event = await db().auditEvent.findFirstOrThrow({ where: { eventName: "AssumeRoot", identityAccessKeyId: admin.accessKeyId, errorCode: null } });
    expect(event.recipientAccountId).toBe(DEV);
    expect(event.responseElements).toContain(root.accessKeyId);
    expect(event.responseElements).not.toContain(root.secretAccessKey);
    expect(event.responseElements).not.toContain(root.sessionToken!);
    expect(event.requestParameters).toContain("IAMAuditRootUserCredentials");
    const refusal = await db().auditEvent.findFirstOrThrow({ where: { eventName: "ListUsers", identityAccessKeyId: root.accessKeyId } });
    expect(refusal).toMatchObject({ recipientAccountId: STAGING, errorCode: "AccessDenied" });
  }, 240_000);

  it("with IAMDeleteRootUserCredentials deletes the root user's access key, and nothing else", async () => {
    const out = await assumeRoot(admin, "--target-principal", `arn:aws:iam::${STAGING}:root`, "--task-policy-arn", TASK("IAMDeleteRootUserCredentials"));
    expect(out.code).toBe(0);
    // 900 seconds by default.
    expect(new Date(out.json.Credentials.Expiration).getTime() - Date.now()).toBeGreaterThan(880_000);
    const root = sessionOf(out);
    expect((await aws(root, "iam", "delete-access-key", "--access-key-id", stagingRootKey)).code).toBe(0);
    const left = (await aws(root, "iam", "list-access-keys")).json.AccessKeyMetadata.map((k: { AccessKeyId: string }) => k.AccessKeyId);
    expect(left).toEqual([stagingRoot.accessKeyId]);
    expect(errorCode(await aws(root, "iam", "update-access-key", "--access-key-id", stagingRoot.accessKeyId, "--status", "Inactive"))).toBe("AccessDenied");
    expect(errorCode(await aws(root, "iam", "create-user", "--user-name", "intruder"))).toBe("AccessDenied");
  }, 240_000);

  it("with S3UnlockBucketPolicy reads and deletes a member's bucket policy that denies everyone, and nothing more", async () => {
    const bucket = "iamlab-locked-out-staging";
    const lock = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Sid: "DenyEveryone", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`] }],
    });
    // The demo's lab guard SCP keeps bucket policy changes for the elevation role: lifted here so staging's root can lock its bucket.
    const guard = { policyId: "p-labguard01", targetId: DEMO_ORG.rootId };
    await db().scpAttachment.deleteMany({ where: guard });
    try {
      expect((await aws(stagingRoot, "s3api", "create-bucket", "--bucket", bucket)).code).toBe(0);
      expect((await aws(stagingRoot, "s3api", "put-bucket-policy", "--bucket", bucket, "--policy", lock)).code).toBe(0);
      // Another task's session may not touch S3 at all.
      const auditing = sessionOf(await assumeRoot(admin, "--target-principal", STAGING, "--task-policy-arn", TASK("IAMAuditRootUserCredentials")));
      expect(errorCode(await aws(auditing, "s3api", "get-bucket-policy", "--bucket", bucket))).toBe("AccessDenied");
      const out = await assumeRoot(admin, "--target-principal", STAGING, "--task-policy-arn", TASK("S3UnlockBucketPolicy"));
      expect(out.code).toBe(0);
      const unlock = sessionOf(out);
      expect((await aws(unlock, "s3api", "list-buckets")).json.Buckets.map((b: { Name: string }) => b.Name)).toContain(bucket);
      expect(JSON.parse((await aws(unlock, "s3api", "get-bucket-policy", "--bucket", bucket)).json.Policy).Statement[0].Sid).toBe("DenyEveryone");
      // The bucket's contents stay out of reach (the task policy and the bucket policy both deny).
      expect(errorCode(await aws(unlock, "s3api", "list-objects-v2", "--bucket", bucket))).toBe("AccessDenied");
      expect(errorCode(await aws(unlock, "s3api", "put-object", "--bucket", bucket, "--key", "x"))).toBe("AccessDenied");
      expect((await aws(unlock, "s3api", "delete-bucket-policy", "--bucket", bucket)).code).toBe(0);
      expect(errorCode(await aws(unlock, "s3api", "get-bucket-policy", "--bucket", bucket))).toBe("NoSuchBucketPolicy");
      // Unlocked: the bucket's owner lists it again.
      expect((await aws(stagingRoot, "s3api", "list-objects-v2", "--bucket", bucket)).code).toBe(0);
    } finally {
      await db().scpAttachment.create({ data: guard });
    }
  }, 240_000);

  it("refuses what AWS refuses: a member caller, the management account as target, another policy, over 900 seconds, no permission, root sessions off", async () => {
    const audit = ["--task-policy-arn", TASK("IAMAuditRootUserCredentials")];
    expect((await aws(admin, "iam", "enable-organizations-root-sessions")).json.EnabledFeatures).toContain("RootSessions");
    const withRootKey = await assumeRoot(stagingRoot, "--target-principal", DEV, ...audit);
    expect(errorCode(withRootKey)).toBe("AccessDenied");
    expect(withRootKey.stderr).toContain("root user credentials");
    // An administrator of a member account: not the management account.
    expect((await aws(stagingRoot, "iam", "create-user", "--user-name", "staging-admin")).code).toBe(0);
    expect((await aws(stagingRoot, "iam", "attach-user-policy", "--user-name", "staging-admin", "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess")).code).toBe(0);
    const stagingAdmin = await issueKey("staging-admin", STAGING);
    const fromMember = await assumeRoot(stagingAdmin, "--target-principal", PROD, ...audit);
    expect(errorCode(fromMember)).toBe("AccessDenied");
    expect(fromMember.stderr).toContain(`Account ${STAGING} is not the management account`);
    const self = await assumeRoot(admin, "--target-principal", DEV, ...audit);
    expect(errorCode(self)).toBe("AccessDenied");
    expect(self.stderr).toContain("not a member account");
    const outsider = await assumeRoot(admin, "--target-principal", "999988887777", ...audit);
    expect(errorCode(outsider)).toBe("AccessDenied");
    const notTask = await assumeRoot(admin, "--target-principal", STAGING, "--task-policy-arn", "arn=arn:aws:iam::aws:policy/ReadOnlyAccess");
    expect(errorCode(notTask)).toBe("ValidationError");
    expect(notTask.stderr).toContain("root-task");
    const tooLong = await assumeRoot(admin, "--target-principal", STAGING, ...audit, "--duration-seconds", "901");
    expect(errorCode(tooLong)).toBe("ValidationError");
    expect(tooLong.stderr).toContain("Member must have value less than or equal to 900");
    const badTarget = await assumeRoot(admin, "--target-principal", "arn:aws:iam::222233334444:user/alice", ...audit);
    expect(errorCode(badTarget)).toBe("ValidationError");
    const noPermission = await assumeRoot(bob, "--target-principal", STAGING, ...audit);
    expect(errorCode(noPermission)).toBe("AccessDenied");
    expect(noPermission.stderr).toContain("is not authorized to perform: sts:AssumeRoot on resource: arn:aws:iam::222233334444:root");

    expect((await aws(admin, "iam", "disable-organizations-root-sessions")).json.EnabledFeatures).toEqual([]);
    const off = await assumeRoot(admin, "--target-principal", STAGING, ...audit);
    expect(errorCode(off)).toBe("AccessDenied");
    expect(off.stderr).toContain("Root sessions are not enabled");
    // Each refusal is audited in the caller's account: dev's seven (six of admin's, bob's), staging's two.
    const refused = (accountId: string) => db().auditEvent.count({ where: { eventName: "AssumeRoot", recipientAccountId: accountId, errorCode: { not: null } } });
    expect(await refused(DEV)).toBe(7);
    expect(await refused(STAGING)).toBeGreaterThanOrEqual(2);
  }, 420_000);
});
