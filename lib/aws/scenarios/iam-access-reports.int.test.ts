// Access reports and policy introspection with the AWS SDK for JavaScript v3
// against the API handler on a loopback port and this file's own database:
// service last accessed jobs for a user, a group and a policy (service and
// action level, with the entities), the Organizations access report over the
// demo organization's SCPs, the policies granting a service, the context keys
// of policies, and the account's STS token preference.
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  CreateGroupCommand,
  CreateUserCommand,
  GenerateOrganizationsAccessReportCommand,
  GenerateServiceLastAccessedDetailsCommand,
  GetAccountSummaryCommand,
  GetContextKeysForCustomPolicyCommand,
  GetContextKeysForPrincipalPolicyCommand,
  GetOrganizationsAccessReportCommand,
  GetServiceLastAccessedDetailsCommand,
  GetServiceLastAccessedDetailsWithEntitiesCommand,
  ListPoliciesGrantingServiceAccessCommand,
  ListUsersCommand,
  PutUserPolicyCommand,
  SetSecurityTokenServicePreferencesCommand,
} from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ORG } from "@/lib/db/seed/demo-identities";
import { DEV, STAGING } from "@/lib/testing/principals";
import { issueKey, sdkClients, sdkFailure, startTestApi, type Creds, type TestApi } from "../test-server";

let api: TestApi;
let admin: Creds;
let reader: Creds;
const iam = (c: Creds = admin) => sdkClients(api).iam(c);
const READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess";
const S3_ONLY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: ["s3:ListAllMyBuckets", "s3:GetObject"], Resource: "arn:aws:s3:::${aws:username}/*", Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } }],
});

beforeAll(async () => {
  api = await startTestApi();
  admin = await issueKey("admin");
  reader = await issueKey("bob");
  // A group with ReadOnlyAccess and one member with an inline S3 policy, who calls IAM once with her own key.
  await iam().send(new CreateGroupCommand({ GroupName: "auditors" }));
  await iam().send(new AttachGroupPolicyCommand({ GroupName: "auditors", PolicyArn: READ_ONLY }));
  await iam().send(new CreateUserCommand({ UserName: "dana" }));
  await iam().send(new AddUserToGroupCommand({ GroupName: "auditors", UserName: "dana" }));
  await iam().send(new PutUserPolicyCommand({ UserName: "dana", PolicyName: "s3-own-prefix", PolicyDocument: S3_ONLY }));
  await iam().send(new CreateUserCommand({ UserName: "idle" }));
  await iam().send(new AddUserToGroupCommand({ GroupName: "auditors", UserName: "idle" }));
  const dana = await issueKey("dana");
  await iam(dana).send(new ListUsersCommand({}));
});
afterAll(() => api.close());

/** Generates a service last accessed job and waits until it has run (IN_PROGRESS at first, as in AWS); its ID. */
async function completedJob(arn: string, granularity?: "SERVICE_LEVEL" | "ACTION_LEVEL", c: Creds = admin): Promise<string> {
  const { JobId } = await iam(c).send(new GenerateServiceLastAccessedDetailsCommand({ Arn: arn, Granularity: granularity }));
  let status = (await iam(c).send(new GetServiceLastAccessedDetailsCommand({ JobId }))).JobStatus;
  expect(status).toBe("IN_PROGRESS");
  for (let i = 0; i < 100 && status === "IN_PROGRESS"; i++) {
    await new Promise((done) => setTimeout(done, 100));
    status = (await iam(c).send(new GetServiceLastAccessedDetailsCommand({ JobId }))).JobStatus;
  }
  expect(status).toBe("COMPLETED");
  return JobId!;
}

describe("service last accessed details", () => {
  it("reports a user's allowed services with the last access, and at ACTION_LEVEL the actions", async () => {
    const JobId = await completedJob(`arn:aws:iam::${DEV}:user/dana`, "ACTION_LEVEL");
    expect(JobId).toHaveLength(36);
    // ReadOnlyAccess reaches a few hundred services: one page of 1000.
    const report = await iam().send(new GetServiceLastAccessedDetailsCommand({ JobId, MaxItems: 1000 }));
    expect(report).toMatchObject({ JobStatus: "COMPLETED", JobType: "ACTION_LEVEL", IsTruncated: false });
    expect(report.JobCompletionDate!.getTime()).toBeGreaterThanOrEqual(report.JobCreationDate!.getTime());
    const byNs = new Map(report.ServicesLastAccessed!.map((s) => [s.ServiceNamespace, s]));
    // ReadOnlyAccess (via the group) reaches every service; dana used IAM only.
    expect(byNs.get("iam")).toMatchObject({ ServiceName: "AWS Identity and Access Management", LastAuthenticatedEntity: `arn:aws:iam::${DEV}:user/dana`, TotalAuthenticatedEntities: 1 });
    expect(byNs.get("iam")!.TrackedActionsLastAccessed!.map((a) => a.ActionName)).toContain("ListUsers");
    expect(byNs.get("s3")).toMatchObject({ TotalAuthenticatedEntities: 0 });
    expect(byNs.get("s3")!.LastAuthenticated).toBeUndefined();
    expect(byNs.get("s3")!.TrackedActionsLastAccessed).toEqual([]);
    // Pages follow the Marker.
    const first = await iam().send(new GetServiceLastAccessedDetailsCommand({ JobId, MaxItems: 1 }));
    expect(first.IsTruncated).toBe(true);
    const second = await iam().send(new GetServiceLastAccessedDetailsCommand({ JobId, MaxItems: 1, Marker: first.Marker }));
    expect(second.ServicesLastAccessed![0]!.ServiceNamespace).not.toBe(first.ServicesLastAccessed![0]!.ServiceNamespace);
  });

  it("lists a group's members by last access for one service, the idle one last", async () => {
    const JobId = await completedJob(`arn:aws:iam::${DEV}:group/auditors`);
    expect((await iam().send(new GetServiceLastAccessedDetailsCommand({ JobId }))).JobType).toBe("SERVICE_LEVEL");
    const entities = await iam().send(new GetServiceLastAccessedDetailsWithEntitiesCommand({ JobId, ServiceNamespace: "iam" }));
    expect(entities.JobStatus).toBe("COMPLETED");
    expect(entities.EntityDetailsList!.map((e) => [e.EntityInfo!.Name, e.EntityInfo!.Type, e.LastAuthenticated !== undefined])).toEqual([
      ["dana", "USER", true],
      ["idle", "USER", false],
    ]);
    expect(entities.EntityDetailsList![0]!.EntityInfo).toMatchObject({ Arn: `arn:aws:iam::${DEV}:user/dana`, Path: "/" });
    expect(entities.EntityDetailsList![0]!.EntityInfo!.Id).toMatch(/^AIDA/);
  });

  it("refuses unknown jobs, entities, markers and other kinds of ARN with AWS's codes", async () => {
    expect(await sdkFailure(iam().send(new GetServiceLastAccessedDetailsCommand({ JobId: "00000000-0000-0000-0000-000000000000" })))).toMatchObject({ code: "NoSuchEntity", status: 404 });
    expect(await sdkFailure(iam().send(new GetServiceLastAccessedDetailsCommand({ JobId: "short" })))).toMatchObject({ code: "ValidationError", status: 400 });
    expect(await sdkFailure(iam().send(new GenerateServiceLastAccessedDetailsCommand({ Arn: `arn:aws:iam::${DEV}:user/nobody-here` })))).toMatchObject({ code: "NoSuchEntity" });
    expect(await sdkFailure(iam().send(new GenerateServiceLastAccessedDetailsCommand({ Arn: "arn:aws:s3:::some-bucket-name" })))).toMatchObject({ code: "InvalidInput", status: 400 });
    // Another account's user is another account's resource: the gate refuses it.
    expect(await sdkFailure(iam().send(new GenerateServiceLastAccessedDetailsCommand({ Arn: `arn:aws:iam::${STAGING}:user/admin` })))).toMatchObject({ code: "AccessDenied", status: 403 });
    const JobId = await completedJob(READ_ONLY);
    expect(await sdkFailure(iam().send(new GetServiceLastAccessedDetailsCommand({ JobId, Marker: "bm90LWEtbWFya2Vy" })))).toMatchObject({ code: "InvalidInput" });
    // ReadOnlyAccess includes iam:Generate* and iam:Get* (as AWS's does): a read-only user may run the report.
    expect(await completedJob(`arn:aws:iam::${DEV}:user/bob`, undefined, reader)).toHaveLength(36);
  });
});

/** Generates an Organizations access report and waits until its job has run (IN_PROGRESS at first, as in AWS); its ID. */
async function completedOrganizationsJob(entityPath: string, organizationsPolicyId?: string): Promise<string> {
  const { JobId } = await iam().send(new GenerateOrganizationsAccessReportCommand({ EntityPath: entityPath, OrganizationsPolicyId: organizationsPolicyId }));
  let status = (await iam().send(new GetOrganizationsAccessReportCommand({ JobId }))).JobStatus;
  expect(status).toBe("IN_PROGRESS");
  for (let i = 0; i < 100 && status === "IN_PROGRESS"; i++) {
    await new Promise((done) => setTimeout(done, 100));
    status = (await iam().send(new GetOrganizationsAccessReportCommand({ JobId }))).JobStatus;
  }
  expect(status).toBe("COMPLETED");
  return JobId!;
}

describe("Organizations access report", () => {
  it("reports the services the SCPs allow under the root, with the last access and the account's path", async () => {
    const path = `${DEMO_ORG.id}/${DEMO_ORG.rootId}`;
    const JobId = await completedOrganizationsJob(path);
    const report = await iam().send(new GetOrganizationsAccessReportCommand({ JobId, SortKey: "LAST_AUTHENTICATED_TIME_DESCENDING" }));
    expect(report.JobStatus).toBe("COMPLETED");
    // FullAWSAccess allows every service IAM Lab serves.
    expect(report.NumberOfServicesAccessible).toBe(report.AccessDetails!.length);
    const newest = report.AccessDetails![0]!;
    expect(newest.ServiceNamespace).toBe("iam");
    expect(newest.EntityPath).toBe(`${path}/${DEV}`);
    expect(newest.TotalAuthenticatedEntities).toBeGreaterThanOrEqual(2);
    expect(report.NumberOfServicesNotAccessed).toBe(report.AccessDetails!.filter((d) => !d.LastAuthenticatedTime).length);
    const byName = await iam().send(new GetOrganizationsAccessReportCommand({ JobId }));
    const names = byName.AccessDetails!.map((d) => d.ServiceNamespace!);
    expect(names).toEqual([...names].sort());
  });

  it("narrows to one account and one SCP; refuses paths outside the organization", async () => {
    const path = `${DEMO_ORG.id}/${DEMO_ORG.rootId}/${STAGING}`;
    const JobId = await completedOrganizationsJob(path, "p-FullAWSAccess");
    const report = await iam().send(new GetOrganizationsAccessReportCommand({ JobId }));
    expect(report.AccessDetails!.every((d) => !d.EntityPath || d.EntityPath === path)).toBe(true);
    // A Deny-only SCP allows no service.
    const deny = await completedOrganizationsJob(path, "p-labguard01");
    expect((await iam().send(new GetOrganizationsAccessReportCommand({ JobId: deny }))).NumberOfServicesAccessible).toBe(0);
    expect(await sdkFailure(iam().send(new GenerateOrganizationsAccessReportCommand({ EntityPath: path, OrganizationsPolicyId: "p-notthere0" })))).toMatchObject({ code: "NoSuchEntity" });
    expect(await sdkFailure(iam().send(new GenerateOrganizationsAccessReportCommand({ EntityPath: "o-abcdefghij/r-ex01" })))).toMatchObject({ code: "InvalidInput" });
    expect(await sdkFailure(iam().send(new GenerateOrganizationsAccessReportCommand({ EntityPath: `${DEMO_ORG.id}/${DEMO_ORG.rootId}/ou-ex01-notthere` })))).toMatchObject({ code: "InvalidInput" });
    expect(await sdkFailure(iam().send(new GetOrganizationsAccessReportCommand({ JobId: "00000000-0000-0000-0000-000000000000" })))).toMatchObject({ code: "NoSuchEntity" });
  });
});

describe("policies granting a service, context keys, STS preferences", () => {
  it("names the policies that reach each service: the user's inline one and the group's managed one", async () => {
    const r = await iam().send(new ListPoliciesGrantingServiceAccessCommand({ Arn: `arn:aws:iam::${DEV}:user/dana`, ServiceNamespaces: ["s3", "iam"] }));
    expect(r.IsTruncated).toBe(false);
    const [s3, iamAccess] = r.PoliciesGrantingServiceAccess!;
    expect(s3!.ServiceNamespace).toBe("s3");
    expect(s3!.Policies).toEqual(
      expect.arrayContaining([
        { PolicyName: "ReadOnlyAccess", PolicyType: "MANAGED", PolicyArn: READ_ONLY },
        { PolicyName: "s3-own-prefix", PolicyType: "INLINE", EntityType: "USER", EntityName: "dana" },
      ]),
    );
    expect(iamAccess!.Policies!.map((p) => p.PolicyName)).toEqual(["ReadOnlyAccess"]);
    expect(await sdkFailure(iam().send(new ListPoliciesGrantingServiceAccessCommand({ Arn: `arn:aws:iam::${DEV}:user/nobody-here`, ServiceNamespaces: ["s3"] })))).toMatchObject({ code: "NoSuchEntity" });
  });

  it("lists the condition keys and policy variables of custom and principal policies", async () => {
    const custom = await iam().send(new GetContextKeysForCustomPolicyCommand({ PolicyInputList: [S3_ONLY] }));
    expect(custom.ContextKeyNames).toEqual(["aws:MultiFactorAuthPresent", "aws:username"]);
    const principal = await iam().send(
      new GetContextKeysForPrincipalPolicyCommand({
        PolicySourceArn: `arn:aws:iam::${DEV}:user/dana`,
        PolicyInputList: [JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "*", Resource: "*", Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } } }] })],
      }),
    );
    expect(principal.ContextKeyNames).toEqual(expect.arrayContaining(["aws:SourceIp", "aws:MultiFactorAuthPresent", "aws:username"]));
    expect(await sdkFailure(iam().send(new GetContextKeysForCustomPolicyCommand({ PolicyInputList: ["{not json"] })))).toMatchObject({ code: "InvalidInput", status: 400 });
    expect(await sdkFailure(iam().send(new GetContextKeysForPrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${DEV}:group/none-such` })))).toMatchObject({ code: "NoSuchEntity" });
  });

  it("stores the global endpoint token version and shows it in the account summary", async () => {
    await iam().send(new SetSecurityTokenServicePreferencesCommand({ GlobalEndpointTokenVersion: "v2Token" }));
    expect((await iam().send(new GetAccountSummaryCommand({}))).SummaryMap!.GlobalEndpointTokenVersion).toBe(2);
    await iam().send(new SetSecurityTokenServicePreferencesCommand({ GlobalEndpointTokenVersion: "v1Token" }));
    expect((await iam().send(new GetAccountSummaryCommand({}))).SummaryMap!.GlobalEndpointTokenVersion).toBe(1);
    expect(await sdkFailure(iam().send(new SetSecurityTokenServicePreferencesCommand({ GlobalEndpointTokenVersion: "v3Token" as "v1Token" })))).toMatchObject({ code: "ValidationError" });
    expect(await sdkFailure(iam(reader).send(new SetSecurityTokenServicePreferencesCommand({ GlobalEndpointTokenVersion: "v2Token" })))).toMatchObject({ code: "AccessDenied" });
  });
});
