// Scenarios with the AWS SDK for JavaScript v3 for the operations added to
// raise the API's coverage: tags on MFA devices and instance profiles,
// UpdateRoleDescription, GetMFADevice, GetAccountAuthorizationDetails, the
// policy simulator (SimulatePrincipalPolicy / SimulateCustomPolicy), account
// aliases and STS GetAccessKeyInfo. Each runs against the API handler on a
// loopback port and this file's own database, through the gate and the audit.
import {
  CreateAccountAliasCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  DeleteAccountAliasCommand,
  EnableMFADeviceCommand,
  GetMFADeviceCommand,
  ListAccountAliasesCommand,
  ListInstanceProfileTagsCommand,
  ListMFADeviceTagsCommand,
  PutUserPolicyCommand,
  SimulateCustomPolicyCommand,
  SimulatePrincipalPolicyCommand,
  TagInstanceProfileCommand,
  TagMFADeviceCommand,
  UntagInstanceProfileCommand,
  UntagMFADeviceCommand,
  UpdateRoleDescriptionCommand,
} from "@aws-sdk/client-iam";
import { GetAccessKeyInfoCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeAt, currentStep } from "@/lib/crypto/totp";
import { db } from "@/lib/db/client";
import { DEV, PROD } from "@/lib/testing/principals";
import { issueKey, startTestApi, sdkClients, sdkFailure, type Creds, type TestApi } from "../test-server";

let api: TestApi;
const iam = (credentials: Creds) => sdkClients(api).iam(credentials);
const sts = (credentials: Creds) => sdkClients(api).sts(credentials);
const failure = sdkFailure;

const doc = (statement: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement: statement });

let admin: Creds;
beforeAll(async () => {
  api = await startTestApi();
  admin = await issueKey("admin");
});
afterAll(() => api.close());

describe("tags on MFA devices and instance profiles, UpdateRoleDescription, GetMFADevice", () => {
  it("tags, lists and untags an MFA device and an instance profile; AWS's limits and errors; gated by the tag keys", async () => {
    const serial = (await iam(admin).send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: "cov-device" }))).VirtualMFADevice!.SerialNumber!;
    await iam(admin).send(new TagMFADeviceCommand({ SerialNumber: serial, Tags: [{ Key: "team", Value: "blue" }, { Key: "Env", Value: "dev" }] }));
    expect((await iam(admin).send(new ListMFADeviceTagsCommand({ SerialNumber: serial }))).Tags).toEqual([
      { Key: "Env", Value: "dev" },
      { Key: "team", Value: "blue" },
    ]);
    await iam(admin).send(new UntagMFADeviceCommand({ SerialNumber: serial, TagKeys: ["ENV"] }));
    expect((await iam(admin).send(new ListMFADeviceTagsCommand({ SerialNumber: serial }))).Tags).toEqual([{ Key: "team", Value: "blue" }]);
    expect(await failure(iam(admin).send(new ListMFADeviceTagsCommand({ SerialNumber: `arn:aws:iam::${DEV}:mfa/none` })))).toMatchObject({ code: "NoSuchEntity", status: 404 });
    const tooMany = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
    expect(await failure(iam(admin).send(new TagMFADeviceCommand({ SerialNumber: serial, Tags: tooMany })))).toEqual({
      code: "LimitExceeded",
      status: 409,
      message: "Cannot exceed quota for TagsPerMFADevice: 50",
    });

    await iam(admin).send(new CreateInstanceProfileCommand({ InstanceProfileName: "cov-profile" }));
    await iam(admin).send(new TagInstanceProfileCommand({ InstanceProfileName: "cov-profile", Tags: [{ Key: "cost-center", Value: "42" }] }));
    expect((await iam(admin).send(new ListInstanceProfileTagsCommand({ InstanceProfileName: "cov-profile" }))).Tags).toEqual([{ Key: "cost-center", Value: "42" }]);
    expect(await failure(iam(admin).send(new TagInstanceProfileCommand({ InstanceProfileName: "cov-profile", Tags: [{ Key: "aws:x", Value: "1" }] })))).toMatchObject({
      status: 400,
      message: "User-specified tag keys cannot start with the reserved prefix 'aws:'.",
    });
    await iam(admin).send(new UntagInstanceProfileCommand({ InstanceProfileName: "cov-profile", TagKeys: ["cost-center"] }));
    expect((await iam(admin).send(new ListInstanceProfileTagsCommand({ InstanceProfileName: "cov-profile" }))).Tags).toEqual([]);
    expect(await failure(iam(admin).send(new ListInstanceProfileTagsCommand({ InstanceProfileName: "no-such-profile" })))).toEqual({
      code: "NoSuchEntity",
      status: 404,
      message: "Instance Profile no-such-profile cannot be found.",
    });

    // A user allowed to tag only with team=blue (aws:RequestTag) is refused other tags.
    await iam(admin).send(new CreateUserCommand({ UserName: "cov-tagger" }));
    await iam(admin).send(
      new PutUserPolicyCommand({
        UserName: "cov-tagger",
        PolicyName: "tag-blue",
        PolicyDocument: doc([{ Effect: "Allow", Action: "iam:TagInstanceProfile", Resource: "*", Condition: { StringEquals: { "aws:RequestTag/team": "blue" } } }]),
      }),
    );
    const tagger = await issueKey("cov-tagger");
    await iam(tagger).send(new TagInstanceProfileCommand({ InstanceProfileName: "cov-profile", Tags: [{ Key: "team", Value: "blue" }] }));
    expect(await failure(iam(tagger).send(new TagInstanceProfileCommand({ InstanceProfileName: "cov-profile", Tags: [{ Key: "team", Value: "red" }] })))).toMatchObject({
      code: "AccessDenied",
      status: 403,
    });
    expect(await failure(iam(tagger).send(new ListInstanceProfileTagsCommand({ InstanceProfileName: "cov-profile" })))).toMatchObject({ code: "AccessDenied" });

    const events = await db().auditEvent.findMany({ where: { eventName: { in: ["TagMFADevice", "UntagMFADevice", "TagInstanceProfile", "UntagInstanceProfile"] } }, select: { eventName: true, errorCode: true } });
    expect(events.filter((e) => !e.errorCode).map((e) => e.eventName).sort()).toEqual(["TagInstanceProfile", "TagInstanceProfile", "TagMFADevice", "UntagInstanceProfile", "UntagMFADevice"]);
  });

  it("UpdateRoleDescription answers the role with its new description", async () => {
    await iam(admin).send(
      new CreateRoleCommand({ RoleName: "cov-role", AssumeRolePolicyDocument: doc([{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }]) }),
    );
    const r = await iam(admin).send(new UpdateRoleDescriptionCommand({ RoleName: "cov-role", Description: "for the coverage test" }));
    expect(r.Role).toMatchObject({ RoleName: "cov-role", Description: "for the coverage test", Arn: `arn:aws:iam::${DEV}:role/cov-role` });
    expect(await failure(iam(admin).send(new UpdateRoleDescriptionCommand({ RoleName: "no-such-role", Description: "x" })))).toEqual({
      code: "NoSuchEntity",
      status: 404,
      message: "The role with name no-such-role cannot be found.",
    });
  });

  it("GetMFADevice answers an enabled device of the user, NoSuchEntity otherwise", async () => {
    await iam(admin).send(new CreateUserCommand({ UserName: "cov-mfa" }));
    const device = (await iam(admin).send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: "cov-mfa" }))).VirtualMFADevice!;
    const seed = Buffer.from(device.Base32StringSeed!).toString("utf8");
    const step = currentStep();
    await iam(admin).send(
      new EnableMFADeviceCommand({ UserName: "cov-mfa", SerialNumber: device.SerialNumber, AuthenticationCode1: codeAt(seed, step), AuthenticationCode2: codeAt(seed, step + 1) }),
    );
    const got = await iam(admin).send(new GetMFADeviceCommand({ UserName: "cov-mfa", SerialNumber: device.SerialNumber }));
    expect(got).toMatchObject({ UserName: "cov-mfa", SerialNumber: device.SerialNumber });
    expect(got.EnableDate).toBeInstanceOf(Date);
    expect(await failure(iam(admin).send(new GetMFADeviceCommand({ UserName: "admin", SerialNumber: device.SerialNumber })))).toMatchObject({ code: "NoSuchEntity", status: 404 });
  });
});

describe("account aliases", () => {
  it("lists, replaces, refuses another account's alias, deletes; the audit has each change", async () => {
    expect(await iam(admin).send(new ListAccountAliasesCommand({}))).toMatchObject({ AccountAliases: ["example-dev"], IsTruncated: false });
    await iam(admin).send(new CreateAccountAliasCommand({ AccountAlias: "example-dev-renamed" }));
    expect((await iam(admin).send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual(["example-dev-renamed"]);
    expect((await db().account.findUniqueOrThrow({ where: { id: DEV } })).alias).toBe("example-dev-renamed");
    expect(await failure(iam(admin).send(new CreateAccountAliasCommand({ AccountAlias: "example-prod" })))).toEqual({
      code: "EntityAlreadyExists",
      status: 409,
      message: "The account alias example-prod already exists.",
    });
    expect(await failure(iam(admin).send(new CreateAccountAliasCommand({ AccountAlias: "Bad--Alias" })))).toMatchObject({ code: "ValidationError", status: 400 });
    expect(await failure(iam(admin).send(new DeleteAccountAliasCommand({ AccountAlias: "example-dev" })))).toEqual({
      code: "NoSuchEntity",
      status: 404,
      message: "The account alias example-dev cannot be found.",
    });
    await iam(admin).send(new DeleteAccountAliasCommand({ AccountAlias: "example-dev-renamed" }));
    expect((await iam(admin).send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual([]);
    await iam(admin).send(new CreateAccountAliasCommand({ AccountAlias: "example-dev" }));
    // A user without iam:*AccountAlias is refused.
    const bob = await issueKey("bob");
    expect(await failure(iam(bob).send(new CreateAccountAliasCommand({ AccountAlias: "bobs-account" })))).toMatchObject({ code: "AccessDenied", status: 403 });
    const events = await db().auditEvent.findMany({ where: { eventName: { in: ["CreateAccountAlias", "DeleteAccountAlias"] }, errorCode: null }, select: { eventName: true } });
    expect(events.map((e) => e.eventName).sort()).toEqual(["CreateAccountAlias", "CreateAccountAlias", "DeleteAccountAlias"]);
  });
});

describe("STS GetAccessKeyInfo", () => {
  it("answers the account of a long-term or temporary key without any permission; unknown keys are refused", async () => {
    // bob has ReadOnlyAccess: no sts:GetAccessKeyInfo is needed, as AWS documents.
    const bob = await issueKey("bob");
    const prodRoot = await issueKey(undefined, PROD);
    expect((await sts(bob).send(new GetAccessKeyInfoCommand({ AccessKeyId: admin.accessKeyId }))).Account).toBe(DEV);
    expect((await sts(bob).send(new GetAccessKeyInfoCommand({ AccessKeyId: prodRoot.accessKeyId }))).Account).toBe(PROD);
    expect(await failure(sts(bob).send(new GetAccessKeyInfoCommand({ AccessKeyId: "AKIAAAAAAAAAAAAAAAAA" })))).toMatchObject({ code: "InvalidParameterValue", status: 400 });
    expect(await failure(sts(bob).send(new GetAccessKeyInfoCommand({ AccessKeyId: "short" })))).toMatchObject({ code: "ValidationError", status: 400 });
    const audited = await db().auditEvent.findFirst({ where: { eventName: "GetAccessKeyInfo", errorCode: null } });
    expect(audited?.eventSource).toBe("sts.amazonaws.com");
  });
});

describe("the policy simulator through the API", () => {
  it("SimulatePrincipalPolicy: a real user's policies decide; matched statements name the policy", async () => {
    const bob = `arn:aws:iam::${DEV}:user/bob`;
    const r = await iam(admin).send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: bob, ActionNames: ["s3:GetObject", "iam:CreateUser"], ResourceArns: ["arn:aws:s3:::example-dev-assets/a.txt"] }));
    expect(r.IsTruncated).toBe(false);
    const [get, create] = r.EvaluationResults!;
    expect(get).toMatchObject({ EvalActionName: "s3:GetObject", EvalResourceName: "arn:aws:s3:::example-dev-assets/a.txt", EvalDecision: "allowed" });
    expect(get!.MatchedStatements!.map((m) => [m.SourcePolicyId, m.SourcePolicyType])).toContainEqual(["ReadOnlyAccess", "aws-managed"]);
    expect(get!.MatchedStatements![0]!.StartPosition!.Line).toBeGreaterThanOrEqual(1);
    expect(create).toMatchObject({ EvalActionName: "iam:CreateUser", EvalDecision: "implicitDeny", MatchedStatements: [] });
    expect(create!.ResourceSpecificResults).toEqual([expect.objectContaining({ EvalResourceDecision: "implicitDeny" })]);
    // An added policy (PolicyInputList) denies on top of the real ones; positions are 1-based, from the statement's "{" to just past its "}".
    const deny = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "s3:GetObject", Resource: "*" }] });
    const denied = await iam(admin).send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: bob, ActionNames: ["s3:GetObject"], PolicyInputList: [deny] }));
    expect(denied.EvaluationResults![0]).toMatchObject({
      EvalDecision: "explicitDeny",
      EvalResourceName: "*",
      MatchedStatements: [{ SourcePolicyId: "PolicyInputList.1", SourcePolicyType: "IAM Policy", StartPosition: { Line: 1, Column: deny.indexOf("[{") + 2 }, EndPosition: { Line: 1, Column: deny.lastIndexOf("}]") + 2 } }],
    });
    expect(await failure(iam(admin).send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${DEV}:user/nobody`, ActionNames: ["s3:GetObject"] })))).toMatchObject({
      code: "NoSuchEntity",
      status: 404,
    });
    // Gated: iam:SimulatePrincipalPolicy on the simulated principal.
    await iam(admin).send(new CreateUserCommand({ UserName: "cov-nobody" }));
    const nobody = await issueKey("cov-nobody");
    expect(await failure(iam(nobody).send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: bob, ActionNames: ["s3:GetObject"] })))).toMatchObject({ code: "AccessDenied", status: 403 });
  });

  it("SimulateCustomPolicy: ContextEntries are honoured, missing keys are reported, results are paged, bad documents refused", async () => {
    const policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Sid: "FromVpc", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: "*", Condition: { StringEquals: { "aws:SourceVpc": "vpc-1111" } } },
        { Sid: "NeverDelete", Effect: "Deny", Action: "s3:DeleteObject", Resource: "*" },
      ],
    });
    const without = await iam(admin).send(new SimulateCustomPolicyCommand({ PolicyInputList: [policy], ActionNames: ["s3:GetObject"] }));
    expect(without.EvaluationResults![0]).toMatchObject({ EvalDecision: "implicitDeny", MissingContextValues: ["aws:SourceVpc"] });
    const withVpc = await iam(admin).send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [policy],
        ActionNames: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        ContextEntries: [{ ContextKeyName: "aws:SourceVpc", ContextKeyValues: ["vpc-1111"], ContextKeyType: "string" }],
        MaxItems: 2,
      }),
    );
    expect(withVpc.EvaluationResults!.map((e) => e.EvalDecision)).toEqual(["allowed", "allowed"]);
    expect(withVpc.EvaluationResults![0]!.MatchedStatements![0]).toMatchObject({ SourcePolicyId: "PolicyInputList.1", SourcePolicyType: "IAM Policy" });
    expect(withVpc.IsTruncated).toBe(true);
    const rest = await iam(admin).send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [policy],
        ActionNames: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        ContextEntries: [{ ContextKeyName: "aws:SourceVpc", ContextKeyValues: ["vpc-1111"], ContextKeyType: "string" }],
        MaxItems: 2,
        Marker: withVpc.Marker,
      }),
    );
    expect(rest).toMatchObject({ IsTruncated: false, EvaluationResults: [{ EvalActionName: "s3:DeleteObject", EvalDecision: "explicitDeny" }] });
    expect(await failure(iam(admin).send(new SimulateCustomPolicyCommand({ PolicyInputList: ["{not json"], ActionNames: ["s3:GetObject"] })))).toMatchObject({
      code: "MalformedPolicyDocument",
      status: 400,
    });
    const audited = await db().auditEvent.count({ where: { eventName: "SimulateCustomPolicy", errorCode: null } });
    expect(audited).toBe(3);
  });
});
