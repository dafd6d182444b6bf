// Scenarios with the AWS SDK for JavaScript v3 (@aws-sdk/client-iam, -sts)
// against the API handler on a loopback port and this file's own database:
// keys created, used and rotated; a virtual MFA device enabled with real TOTP
// codes; AWS's limits; cross-account AssumeRole with MFA; a role trusting its
// account's root; denied calls with AWS's exact codes; the audit and the key's
// last use written.
import {
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  DeleteAccessKeyCommand,
  EnableMFADeviceCommand,
  GetAccessKeyLastUsedCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  ListUsersCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
} from "@aws-sdk/client-iam";
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeAt, currentStep } from "@/lib/crypto/totp";
import { db } from "@/lib/db/client";
import { DEMO_MFA_SEED } from "@/lib/db/seed/demo-identities";
import { DEV, PROD } from "@/lib/testing/principals";
import { issueKey, startTestApi, sdkClients, sdkFailure, type Creds, type TestApi } from "../test-server";

let api: TestApi;
const iam = (credentials: Creds) => sdkClients(api).iam(credentials);
const sts = (credentials: Creds) => sdkClients(api).sts(credentials);
const failure = sdkFailure;

let admin: Creds;
beforeAll(async () => {
  api = await startTestApi();
  admin = await issueKey("admin");
});
afterAll(() => api.close());

describe("AWS SDK v3 against IAM Lab", () => {
  it("creates a user and a key, uses the key, rotates it; the old key stops working at once", async () => {
    await iam(admin).send(new CreateUserCommand({ UserName: "sdk-dev", Tags: [{ Key: "team", Value: "blue" }] }));
    await iam(admin).send(
      new PutUserPolicyCommand({
        UserName: "sdk-dev",
        PolicyName: "self",
        PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["iam:*AccessKey*", "iam:GetUser"], Resource: `arn:aws:iam::${DEV}:user/sdk-dev` }] }),
      }),
    );
    const first = (await iam(admin).send(new CreateAccessKeyCommand({ UserName: "sdk-dev" }))).AccessKey!;
    expect(first.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(first.SecretAccessKey).toHaveLength(40);
    const k1 = { accessKeyId: first.AccessKeyId!, secretAccessKey: first.SecretAccessKey! };
    expect((await sts(k1).send(new GetCallerIdentityCommand({}))).Arn).toBe(`arn:aws:iam::${DEV}:user/sdk-dev`);

    // Rotation, done by the user with their own key: a second key, the first deactivated, then deleted.
    const second = (await iam(k1).send(new CreateAccessKeyCommand({}))).AccessKey!;
    const k2 = { accessKeyId: second.AccessKeyId!, secretAccessKey: second.SecretAccessKey! };
    expect(await failure(iam(k1).send(new CreateAccessKeyCommand({})))).toEqual({ code: "LimitExceeded", status: 409, message: "Cannot exceed quota for AccessKeysPerUser: 2" });
    await iam(k2).send(new UpdateAccessKeyCommand({ AccessKeyId: k1.accessKeyId, Status: "Inactive" }));
    expect(await failure(sts(k1).send(new GetCallerIdentityCommand({})))).toEqual({ code: "InvalidClientTokenId", status: 403, message: "The security token included in the request is invalid." });
    await iam(k2).send(new DeleteAccessKeyCommand({ AccessKeyId: k1.accessKeyId }));
    const keys = (await iam(k2).send(new ListAccessKeysCommand({}))).AccessKeyMetadata!;
    expect(keys.map((k) => [k.AccessKeyId, k.Status, k.UserName])).toEqual([[k2.accessKeyId, "Active", "sdk-dev"]]);

    // The key's last use is what GetAccessKeyLastUsed shows.
    const used = await iam(k2).send(new GetAccessKeyLastUsedCommand({ AccessKeyId: k2.accessKeyId }));
    expect(used.UserName).toBe("sdk-dev");
    expect(used.AccessKeyLastUsed).toMatchObject({ ServiceName: "iam", Region: "us-east-1" });
    expect(Date.now() - used.AccessKeyLastUsed!.LastUsedDate!.getTime()).toBeLessThan(60_000);

    // The audit has each call with the key, the user agent and the source address.
    const events = await db().auditEvent.findMany({ where: { identityAccessKeyId: k2.accessKeyId }, orderBy: { eventTime: "asc" } });
    expect(events.map((e) => e.eventName)).toEqual(["UpdateAccessKey", "DeleteAccessKey", "ListAccessKeys", "GetAccessKeyLastUsed"]);
    expect(events[0]).toMatchObject({ sourceIPAddress: "127.0.0.1", identityUserName: "sdk-dev" });
    expect(events[0]!.userAgent).toMatch(/aws-sdk-js/);
  });

  it("enables a virtual MFA device with two real TOTP codes", async () => {
    const device = (await iam(admin).send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: "sdk-dev-phone" }))).VirtualMFADevice!;
    expect(device.SerialNumber).toBe(`arn:aws:iam::${DEV}:mfa/sdk-dev-phone`);
    const seed = Buffer.from(device.Base32StringSeed!).toString("utf8");
    expect(seed).toMatch(/^[A-Z2-7]+=*$/);
    const step = currentStep();
    const bad = await failure(iam(admin).send(new EnableMFADeviceCommand({ UserName: "sdk-dev", SerialNumber: device.SerialNumber, AuthenticationCode1: "000000", AuthenticationCode2: "000001" })));
    expect(bad.code).toBe("InvalidAuthenticationCode");
    await iam(admin).send(
      new EnableMFADeviceCommand({ UserName: "sdk-dev", SerialNumber: device.SerialNumber, AuthenticationCode1: codeAt(seed, step), AuthenticationCode2: codeAt(seed, step + 1) }),
    );
    const devices = (await iam(admin).send(new ListMFADevicesCommand({ UserName: "sdk-dev" }))).MFADevices!;
    expect(devices.map((d) => d.SerialNumber)).toEqual([device.SerialNumber]);
  });

  it("keeps five versions of a managed policy at most, with AWS's error", async () => {
    const doc = (n: number) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: `v${n}`, Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] });
    const policy = (await iam(admin).send(new CreatePolicyCommand({ PolicyName: "sdk-versions", PolicyDocument: doc(1) }))).Policy!;
    for (let n = 2; n <= 5; n++) await iam(admin).send(new CreatePolicyVersionCommand({ PolicyArn: policy.Arn, PolicyDocument: doc(n), SetAsDefault: n === 5 }));
    expect(await failure(iam(admin).send(new CreatePolicyVersionCommand({ PolicyArn: policy.Arn, PolicyDocument: doc(6) })))).toEqual({
      code: "LimitExceeded",
      status: 409,
      message: "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.",
    });
    // The document comes back URL-encoded on the wire; the SDK hands it over as sent.
    const v5 = (await iam(admin).send(new GetPolicyVersionCommand({ PolicyArn: policy.Arn, VersionId: "v5" }))).PolicyVersion!;
    expect(decodeURIComponent(v5.Document!)).toBe(doc(5));
    expect(v5.IsDefaultVersion).toBe(true);
  });

  it("assumes a role in another account with MFA (SerialNumber, TokenCode) and uses its credentials", async () => {
    const erin = await issueKey("erin");
    const roleArn = `arn:aws:iam::${PROD}:role/S3ElevatedAccess`;
    const serial = `arn:aws:iam::${DEV}:mfa/erin`;
    const without = await failure(sts(erin).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "no-mfa" })));
    expect(without).toMatchObject({ code: "AccessDenied", status: 403 });
    expect(without.message).toMatch(new RegExp(`^User: arn:aws:iam::${DEV}:user/erin is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`));
    const assumed = await sts(erin).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "cleanup", SerialNumber: serial, TokenCode: codeAt(DEMO_MFA_SEED, currentStep()), DurationSeconds: 900 }));
    expect(assumed.AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${PROD}:assumed-role/S3ElevatedAccess/cleanup`);
    expect(assumed.Credentials!.AccessKeyId).toMatch(/^ASIA/);
    expect(assumed.Credentials!.Expiration!.getTime() - Date.now()).toBeGreaterThan(800_000);
    const session = { accessKeyId: assumed.Credentials!.AccessKeyId!, secretAccessKey: assumed.Credentials!.SecretAccessKey!, sessionToken: assumed.Credentials!.SessionToken! };
    const me = await sts(session).send(new GetCallerIdentityCommand({}));
    expect(me).toMatchObject({ Account: PROD, Arn: `arn:aws:sts::${PROD}:assumed-role/S3ElevatedAccess/cleanup` });
    expect(me.UserId).toMatch(/^AROA[A-Z2-7]+:cleanup$/);
    // A session token that was tampered with is refused; without one the ASIA key is unknown.
    expect((await failure(sts({ ...session, sessionToken: `${session.sessionToken}x` }).send(new GetCallerIdentityCommand({})))).code).toBe("InvalidClientTokenId");
    expect((await failure(sts({ ...session, sessionToken: undefined }).send(new GetCallerIdentityCommand({})))).code).toBe("InvalidClientTokenId");
    // The role grants S3 only: IAM is denied, with the session's ARN in the message.
    const denied = await failure(iam(session).send(new ListUsersCommand({})));
    expect(denied).toMatchObject({ code: "AccessDenied", status: 403 });
    expect(denied.message).toMatch(/assumed-role\/S3ElevatedAccess\/cleanup is not authorized to perform: iam:ListUsers/);
  });

  it("uses a role that trusts its own account's root, from a user of that account", async () => {
    const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${DEV}:root` }, Action: "sts:AssumeRole" }] });
    await iam(admin).send(new CreateRoleCommand({ RoleName: "sdk-same-account", AssumeRolePolicyDocument: trust, MaxSessionDuration: 7200 }));
    await iam(admin).send(new AttachRolePolicyCommand({ RoleName: "sdk-same-account", PolicyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }));
    const role = (await iam(admin).send(new GetRoleCommand({ RoleName: "sdk-same-account" }))).Role!;
    expect(JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument!))).toEqual(JSON.parse(trust));
    expect(role.MaxSessionDuration).toBe(7200);
    const assumed = await sts(admin).send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: "reader" }));
    const session = { accessKeyId: assumed.Credentials!.AccessKeyId!, secretAccessKey: assumed.Credentials!.SecretAccessKey!, sessionToken: assumed.Credentials!.SessionToken! };
    expect((await iam(session).send(new ListUsersCommand({ MaxItems: 2 }))).Users).toHaveLength(2);
    expect((await failure(iam(session).send(new CreateUserCommand({ UserName: "nope" })))).code).toBe("AccessDenied");
    // A role session cannot call GetSessionToken (AWS's rule).
    expect((await failure(sts(session).send(new GetSessionTokenCommand({})))).code).toBe("AccessDenied");
  });

  it("pages ListUsers with Marker and MaxItems", async () => {
    const first = await iam(admin).send(new ListUsersCommand({ MaxItems: 2 }));
    expect(first.Users).toHaveLength(2);
    expect(first.IsTruncated).toBe(true);
    const next = await iam(admin).send(new ListUsersCommand({ MaxItems: 100, Marker: first.Marker }));
    const names = [...first.Users!, ...next.Users!].map((u) => u.UserName);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(["admin", "alice", "bob", "erin"]));
  });

  it("refuses unknown keys and wrong secrets with AWS's codes", async () => {
    expect(await failure(sts({ accessKeyId: "AKIAAAAAAAAAAAAAAAAA", secretAccessKey: "x" }).send(new GetCallerIdentityCommand({})))).toEqual({
      code: "InvalidClientTokenId",
      status: 403,
      message: "The security token included in the request is invalid.",
    });
    const wrong = await failure(sts({ ...admin, secretAccessKey: `${admin.secretAccessKey.slice(0, -1)}x` }).send(new GetCallerIdentityCommand({})));
    expect(wrong).toMatchObject({ code: "SignatureDoesNotMatch", status: 403 });
    expect(wrong.message).toMatch(/^The request signature we calculated does not match the signature you provided/);
  });
});
