// GetAccountAuthorizationDetails with the AWS SDK for JavaScript v3 against the
// API handler on a loopback port and this file's own database: the snapshot's
// relationships, URL-encoded documents as AWS sends them (SDK v3 does not
// decode them), every policy version, the filter, paging with MaxItems/Marker
// across kinds, AWS-managed policies only when used, and the gate's refusal.
import {
  AddRoleToInstanceProfileCommand,
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetAccountAuthorizationDetailsCommand,
  type GetAccountAuthorizationDetailsCommandOutput,
  PutGroupPolicyCommand,
  PutRolePermissionsBoundaryCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  TagInstanceProfileCommand,
  TagRoleCommand,
} from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV } from "@/lib/testing/principals";
import { issueKey, sdkClients, sdkFailure, startTestApi, type Creds, type TestApi } from "../test-server";

let api: TestApi;
let admin: Creds;
const iam = (c: Creds) => sdkClients(api).iam(c);
const doc = (action: string, resource = "*") => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: resource }] });
const TRUST = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] });
const POLICY_ARN = `arn:aws:iam::${DEV}:policy/aad/aad-policy`;
const READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess";

beforeAll(async () => {
  api = await startTestApi();
  admin = await issueKey("admin");
  const c = iam(admin);
  await c.send(new CreatePolicyCommand({ PolicyName: "aad-policy", Path: "/aad/", PolicyDocument: doc("s3:ListBucket"), Description: "for the snapshot" }));
  await c.send(new CreatePolicyVersionCommand({ PolicyArn: POLICY_ARN, PolicyDocument: doc("s3:GetObject", "arn:aws:s3:::b/*"), SetAsDefault: true }));
  await c.send(new CreateUserCommand({ UserName: "aad-user", Path: "/aad/", Tags: [{ Key: "team", Value: "blue" }] }));
  await c.send(new CreateGroupCommand({ GroupName: "aad-group" }));
  await c.send(new AddUserToGroupCommand({ GroupName: "aad-group", UserName: "aad-user" }));
  await c.send(new AttachUserPolicyCommand({ UserName: "aad-user", PolicyArn: POLICY_ARN }));
  await c.send(new AttachGroupPolicyCommand({ GroupName: "aad-group", PolicyArn: POLICY_ARN }));
  await c.send(new PutUserPolicyCommand({ UserName: "aad-user", PolicyName: "inline-user", PolicyDocument: doc("iam:GetUser") }));
  await c.send(new PutGroupPolicyCommand({ GroupName: "aad-group", PolicyName: "inline-group", PolicyDocument: doc("iam:ListUsers") }));
  await c.send(new PutUserPermissionsBoundaryCommand({ UserName: "aad-user", PermissionsBoundary: READ_ONLY }));
  await c.send(new CreateRoleCommand({ RoleName: "aad-role", AssumeRolePolicyDocument: TRUST, Description: "snapshot role" }));
  await c.send(new TagRoleCommand({ RoleName: "aad-role", Tags: [{ Key: "env", Value: "dev" }] }));
  await c.send(new PutRolePermissionsBoundaryCommand({ RoleName: "aad-role", PermissionsBoundary: POLICY_ARN }));
  await c.send(new CreateInstanceProfileCommand({ InstanceProfileName: "aad-profile" }));
  await c.send(new TagInstanceProfileCommand({ InstanceProfileName: "aad-profile", Tags: [{ Key: "k", Value: "v" }] }));
  await c.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "aad-profile", RoleName: "aad-role" }));
}, 60_000);
afterAll(() => api.close());

const details = (c: Creds, input: ConstructorParameters<typeof GetAccountAuthorizationDetailsCommand>[0] = {}) =>
  iam(c).send(new GetAccountAuthorizationDetailsCommand({ MaxItems: 1000, ...input }));

const decoded = (s: string | undefined) => JSON.parse(decodeURIComponent(s!)) as unknown;

describe("GetAccountAuthorizationDetails", () => {
  it("returns users with groups, attached and inline policies, boundary and tags; documents URL-encoded", async () => {
    const out = await details(admin);
    const user = out.UserDetailList!.find((u) => u.UserName === "aad-user")!;
    expect(user).toMatchObject({
      Path: "/aad/",
      Arn: `arn:aws:iam::${DEV}:user/aad/aad-user`,
      GroupList: ["aad-group"],
      AttachedManagedPolicies: [{ PolicyName: "aad-policy", PolicyArn: POLICY_ARN }],
      PermissionsBoundary: { PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: READ_ONLY },
      Tags: [{ Key: "team", Value: "blue" }],
    });
    expect(user.UserId).toMatch(/^AIDA/);
    expect(user.CreateDate).toBeInstanceOf(Date);
    expect(user.UserPolicyList!.map((p) => p.PolicyName)).toEqual(["inline-user"]);
    // On the wire as AWS sends it: URL-encoded JSON.
    expect(user.UserPolicyList![0]!.PolicyDocument).toMatch(/^%7B/);
    expect(decoded(user.UserPolicyList![0]!.PolicyDocument)).toEqual(JSON.parse(doc("iam:GetUser")));
    const group = out.GroupDetailList!.find((g) => g.GroupName === "aad-group")!;
    expect(group.AttachedManagedPolicies).toEqual([{ PolicyName: "aad-policy", PolicyArn: POLICY_ARN }]);
    expect(decoded(group.GroupPolicyList![0]!.PolicyDocument)).toEqual(JSON.parse(doc("iam:ListUsers")));
    expect(out.IsTruncated).toBe(false);
    expect(out.Marker).toBeUndefined();
  });

  it("returns roles with trust policy, instance profiles (with their roles and tags), boundary, tags and RoleLastUsed", async () => {
    const role = (await details(admin, { Filter: ["Role"] })).RoleDetailList!.find((r) => r.RoleName === "aad-role")!;
    expect(decoded(role.AssumeRolePolicyDocument)).toEqual(JSON.parse(TRUST));
    expect(role.Tags).toEqual([{ Key: "env", Value: "dev" }]);
    expect(role.PermissionsBoundary).toEqual({ PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: POLICY_ARN });
    expect(role.RoleLastUsed).toEqual({});
    expect(role.InstanceProfileList).toHaveLength(1);
    const profile = role.InstanceProfileList![0]!;
    expect(profile).toMatchObject({ InstanceProfileName: "aad-profile", Arn: `arn:aws:iam::${DEV}:instance-profile/aad-profile`, Tags: [{ Key: "k", Value: "v" }] });
    expect(profile.Roles!.map((r) => r.RoleName)).toEqual(["aad-role"]);
    expect(decoded(profile.Roles![0]!.AssumeRolePolicyDocument)).toEqual(JSON.parse(TRUST));
  });

  it("returns managed policies with every version, newest first, and usage counts in this account", async () => {
    const out = await details(admin, { Filter: ["LocalManagedPolicy"] });
    expect(out.UserDetailList).toEqual([]);
    expect(out.RoleDetailList).toEqual([]);
    expect(out.Policies!.every((p) => p.Arn!.startsWith(`arn:aws:iam::${DEV}:policy/`))).toBe(true);
    const policy = out.Policies!.find((p) => p.Arn === POLICY_ARN)!;
    expect(policy).toMatchObject({ PolicyName: "aad-policy", Path: "/aad/", DefaultVersionId: "v2", AttachmentCount: 2, PermissionsBoundaryUsageCount: 1, IsAttachable: true, Description: "for the snapshot" });
    expect(policy.PolicyVersionList!.map((v) => [v.VersionId, v.IsDefaultVersion])).toEqual([
      ["v2", true],
      ["v1", false],
    ]);
    expect(decoded(policy.PolicyVersionList![1]!.Document)).toEqual(JSON.parse(doc("s3:ListBucket")));
  });

  it("lists AWS-managed policies only when the account uses them", async () => {
    const aws = (await details(admin, { Filter: ["AWSManagedPolicy"] })).Policies!;
    expect(aws.length).toBeGreaterThan(0);
    expect(aws.every((p) => p.Arn!.startsWith("arn:aws:iam::aws:policy/") && p.AttachmentCount! + p.PermissionsBoundaryUsageCount! > 0)).toBe(true);
    expect(aws.find((p) => p.Arn === READ_ONLY)?.PermissionsBoundaryUsageCount).toBeGreaterThanOrEqual(1);
  });

  it("pages across kinds with MaxItems and Marker: every entity once, the same as one page", async () => {
    const all = await details(admin);
    const names = (o: GetAccountAuthorizationDetailsCommandOutput) => [
      ...o.UserDetailList!.map((u) => `u:${u.UserName}`),
      ...o.GroupDetailList!.map((g) => `g:${g.GroupName}`),
      ...o.RoleDetailList!.map((r) => `r:${r.RoleName}`),
      ...o.Policies!.map((p) => `p:${p.Arn}`),
    ];
    const whole = names(all);
    expect(whole.length).toBeGreaterThan(6);
    const paged: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await details(admin, { MaxItems: 3, Marker: marker });
      const got = names(page);
      expect(got.length).toBeLessThanOrEqual(3);
      paged.push(...got);
      marker = page.Marker;
      expect(page.IsTruncated).toBe(marker !== undefined);
      pages++;
    } while (marker && pages < 200);
    expect(paged).toEqual(whole);
    expect(pages).toBe(Math.ceil(whole.length / 3));
  });

  it("refuses a bad filter, a bad MaxItems and a forged Marker with AWS's errors; the gate refuses a user without permission", async () => {
    expect(await sdkFailure(details(admin, { Filter: ["Users" as never] }))).toMatchObject({ code: "ValidationError", status: 400 });
    expect(await sdkFailure(details(admin, { MaxItems: 0 }))).toMatchObject({ code: "ValidationError", status: 400 });
    expect(await sdkFailure(details(admin, { Marker: "not-a-marker" }))).toMatchObject({ code: "InvalidInput", status: 400 });
    await iam(admin).send(new CreateUserCommand({ UserName: "aad-nobody" }));
    const nobody = await issueKey("aad-nobody");
    const denied = await sdkFailure(details(nobody));
    expect(denied).toMatchObject({ code: "AccessDenied", status: 403 });
    expect(denied.message).toContain("iam:GetAccountAuthorizationDetails");
  });
});
