// Simulated instances and their metadata service, with the real AWS CLI and the
// JavaScript SDK's default credential chain: what runs "on" an instance gets
// its profile's role credentials from IMDSv2, uses them against the API door,
// and receives fresh ones before they expire; a role that does not trust EC2
// gives none; a terminated instance's credentials stop working.
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestApi, type TestApi } from "@/lib/aws/test-server";
import { run } from "@/lib/aws/scenarios/cli";
import { db } from "@/lib/db/client";
import { EC2, IAM } from "@/lib/iam/catalogue";
import type { CatalogueOperation } from "@/lib/iam/catalogue";
import { runOperation } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";
import { asUser, DEV, testRequest } from "@/lib/testing/principals";
import { startImdsService, type ImdsService } from "./imds-server";

// A port range of this file's own, so parallel runs on one machine do not meet.
const BASE = vi.hoisted(() => {
  const base = 20000 + Math.floor(Math.random() * 3000) * 10;
  process.env.IAMLAB_IMDS_PORTS = `${base}-${base + 9}`;
  return base;
});

const EC2_TRUST = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] });
const ACCOUNT_TRUST = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${DEV}:root` }, Action: "sts:AssumeRole" }] });
const LIST_ROLES = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iam:ListRoles", Resource: "*" }] });

let admin: Principal;
let api: TestApi;
let imds: ImdsService;
let appInstance: { InstanceId: string; metadataEndpoint: string };

async function as<T>(principal: Principal, op: CatalogueOperation, input: Record<string, unknown>): Promise<T> {
  return (await runOperation({ ...op.operation(op.input.parse(input), principal), principal, request: testRequest() })) as T;
}

async function roleWithProfile(name: string, trust: string) {
  await as(admin, IAM.CreateRole, { roleName: name, assumeRolePolicyDocument: trust });
  await as(admin, IAM.PutRolePolicy, { roleName: name, policyName: "list-roles", policyDocument: LIST_ROLES });
  await as(admin, IAM.CreateInstanceProfile, { instanceProfileName: name });
  await as(admin, IAM.AddRoleToInstanceProfile, { instanceProfileName: name, roleName: name });
}

const launch = (principal: Principal, profile: string) =>
  as<{ InstanceId: string; metadataEndpoint: string }>(principal, EC2.RunInstances, {
    imageId: "ami-0c02fb55956c7d316",
    minCount: 1,
    maxCount: 1,
    iamInstanceProfile: { Name: profile },
  });

async function token(endpoint: string): Promise<string> {
  const r = await fetch(`${endpoint}/latest/api/token`, { method: "PUT", headers: { "x-aws-ec2-metadata-token-ttl-seconds": "60" } });
  expect(r.status).toBe(200);
  return r.text();
}

async function metadata(endpoint: string, path: string, t?: string) {
  const r = await fetch(`${endpoint}/latest/meta-data/${path}`, { headers: t ? { "x-aws-ec2-metadata-token": t } : {} });
  return { status: r.status, body: await r.text() };
}

/** The AWS CLI against the test API, without the machine's configuration; credentials from `extra`. */
function cli(extra: Record<string, string>, ...args: string[]) {
  return run("aws", [...args, "--output", "json"], {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ENDPOINT_URL: api.endpoint,
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_MAX_ATTEMPTS: "1",
    AWS_PAGER: "",
    ...extra,
  });
}

/** The AWS CLI as a program on the instance: no keys, only the metadata service. */
const cliOnInstance = (instance: { metadataEndpoint: string }, ...args: string[]) => cli({ AWS_EC2_METADATA_SERVICE_ENDPOINT: instance.metadataEndpoint }, ...args);

beforeAll(async () => {
  admin = await asUser("admin");
  await roleWithProfile("AppServerRole", EC2_TRUST);
  appInstance = await launch(admin, "AppServerRole");
  imds = startImdsService(100_000)!;
  await imds.reconcile();
  api = await startTestApi();
});

afterAll(async () => {
  await imds?.stop();
  await api?.close();
});

describe("simulated EC2 instances and their metadata service", () => {
  it("gives each running instance its own metadata endpoint from the configured range", () => {
    expect(appInstance.metadataEndpoint).toBe(`http://127.0.0.1:${BASE}`);
    expect(imds.ports()).toEqual([BASE]);
  });

  it("speaks IMDSv2: a token first (PUT with a TTL), then GETs that carry it", async () => {
    const endpoint = appInstance.metadataEndpoint;
    expect((await metadata(endpoint, "instance-id")).status).toBe(401);
    expect((await fetch(`${endpoint}/latest/api/token`, { method: "PUT" })).status).toBe(400);
    expect((await fetch(`${endpoint}/latest/api/token`, { method: "PUT", headers: { "x-aws-ec2-metadata-token-ttl-seconds": "21601" } })).status).toBe(400);
    const proxied = await fetch(`${endpoint}/latest/api/token`, { method: "PUT", headers: { "x-aws-ec2-metadata-token-ttl-seconds": "60", "x-forwarded-for": "10.0.0.9" } });
    expect(proxied.status).toBe(403);
    const t = await token(endpoint);
    expect(await metadata(endpoint, "instance-id", t)).toEqual({ status: 200, body: appInstance.InstanceId });
    expect(await metadata(endpoint, "iam/security-credentials/", t)).toEqual({ status: 200, body: "AppServerRole" });
    expect((await metadata(endpoint, "iam/security-credentials/SomeOtherRole", t)).status).toBe(404);
    const forged = (t[0] === "A" ? "B" : "A") + t.slice(1);
    expect((await metadata(endpoint, "instance-id", forged)).status).toBe(401);
  });

  it("hands out the role's credentials, the same ones until they near expiry, each issue audited as EC2's AssumeRole", async () => {
    const endpoint = appInstance.metadataEndpoint;
    const t = await token(endpoint);
    const first = JSON.parse((await metadata(endpoint, "iam/security-credentials/AppServerRole", t)).body);
    expect(first).toMatchObject({ Code: "Success", Type: "AWS-HMAC", AccessKeyId: expect.stringMatching(/^ASIA/) });
    expect(Date.parse(first.Expiration) - Date.now()).toBeGreaterThan(5 * 3600 * 1000);
    const again = JSON.parse((await metadata(endpoint, "iam/security-credentials/AppServerRole", t)).body);
    expect(again.AccessKeyId).toBe(first.AccessKeyId);
    expect(again.Token).toBe(first.Token);

    // Near expiry (as if 5h50m had passed), the next request gets new credentials; the old stay valid to their end.
    const old = await db().roleSession.findUniqueOrThrow({ where: { accessKeyId: first.AccessKeyId } });
    await db().roleSession.update({ where: { id: old.id }, data: { expiresAt: new Date(Date.now() + 10 * 60 * 1000) } });
    const fresh = JSON.parse((await metadata(endpoint, "iam/security-credentials/AppServerRole", t)).body);
    expect(fresh.AccessKeyId).not.toBe(first.AccessKeyId);
    expect((await db().roleSession.findUniqueOrThrow({ where: { id: old.id } })).revokedAt).toBeNull();

    const issued = await db().auditEvent.findMany({ where: { eventName: "AssumeRole", identityType: "AWSService", errorCode: null } });
    expect(issued).toHaveLength(2);
    expect(issued.every((e) => e.sourceIPAddress === "ec2.amazonaws.com" && JSON.parse(e.requestParameters!).roleSessionName === appInstance.InstanceId)).toBe(true);
    expect(issued.some((e) => (e.responseElements ?? "").includes(fresh.SecretAccessKey))).toBe(false);
  });

  it("the AWS CLI on the instance finds the credentials itself and acts as the role, with the role's permissions only", async () => {
    const who = await cliOnInstance(appInstance, "sts", "get-caller-identity");
    expect(who.stderr).toBe("");
    expect(JSON.parse(who.stdout).Arn).toBe(`arn:aws:sts::${DEV}:assumed-role/AppServerRole/${appInstance.InstanceId}`);
    const roles = await cliOnInstance(appInstance, "iam", "list-roles");
    expect(roles.code).toBe(0);
    const users = await cliOnInstance(appInstance, "iam", "list-users");
    expect(users.code).not.toBe(0);
    expect(users.stderr).toContain("AccessDenied");
  });

  it("the JavaScript SDK's default credential chain finds them too", async () => {
    const saved = { ...process.env };
    for (const k of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_EC2_METADATA_DISABLED"]) delete process.env[k];
    Object.assign(process.env, { AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null", AWS_EC2_METADATA_SERVICE_ENDPOINT: appInstance.metadataEndpoint });
    try {
      const sts = new STSClient({ endpoint: api.endpoint, region: "us-east-1" });
      const me = await sts.send(new GetCallerIdentityCommand({}));
      expect(me.Arn).toBe(`arn:aws:sts::${DEV}:assumed-role/AppServerRole/${appInstance.InstanceId}`);
    } finally {
      process.env = saved;
    }
  });

  it("gives no credentials for a role whose trust policy does not let EC2 assume it", async () => {
    await roleWithProfile("NotForEc2", ACCOUNT_TRUST);
    const instance = await launch(admin, "NotForEc2");
    await imds.reconcile();
    const t = await token(instance.metadataEndpoint);
    const answer = JSON.parse((await metadata(instance.metadataEndpoint, "iam/security-credentials/NotForEc2", t)).body);
    expect(answer.Code).toBe("AssumeRoleUnauthorizedAccess");
    expect(answer.AccessKeyId).toBeUndefined();
    const refused = await db().auditEvent.findFirst({ where: { eventName: "AssumeRole", identityType: "AWSService", errorCode: "AccessDenied" } });
    expect(JSON.parse(refused!.resources!)[0].ARN).toBe(`arn:aws:iam::${DEV}:role/NotForEc2`);
  });

  it("launching with a profile passes its role: refused without iam:PassRole on it", async () => {
    await as(admin, IAM.CreateUser, { userName: "launcher" });
    const onlyEc2 = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "ec2:*", Resource: "*" }] });
    await as(admin, IAM.PutUserPolicy, { userName: "launcher", policyName: "ec2", policyDocument: onlyEc2 });
    const launcher = await asUser("launcher");
    await expect(launch(launcher, "AppServerRole")).rejects.toMatchObject({ code: "AccessDenied", message: expect.stringContaining("iam:PassRole") });
    expect(await db().ec2Instance.count({ where: { instanceProfileArn: { contains: "AppServerRole" } } })).toBe(1);
  });

  it("terminating an instance revokes its credentials and closes its metadata service", async () => {
    const t = await token(appInstance.metadataEndpoint);
    const creds = JSON.parse((await metadata(appInstance.metadataEndpoint, "iam/security-credentials/AppServerRole", t)).body);
    await as(admin, EC2.TerminateInstances, { instanceIds: [appInstance.InstanceId] });
    const after = await cli(
      { AWS_EC2_METADATA_DISABLED: "true", AWS_ACCESS_KEY_ID: creds.AccessKeyId, AWS_SECRET_ACCESS_KEY: creds.SecretAccessKey, AWS_SESSION_TOKEN: creds.Token },
      "sts",
      "get-caller-identity",
    );
    expect(after.stderr).toContain("InvalidClientTokenId");
    await imds.reconcile();
    expect(imds.ports()).not.toContain(BASE);
    await expect(fetch(`${appInstance.metadataEndpoint}/latest/api/token`, { method: "PUT", headers: { "x-aws-ec2-metadata-token-ttl-seconds": "60" } })).rejects.toThrow();
  });

  it("answers AWS's errors for unknown or malformed instance IDs and unknown images", async () => {
    await expect(as(admin, EC2.TerminateInstances, { instanceIds: ["i-0000000000000000a"] })).rejects.toMatchObject({ code: "InvalidInstanceID.NotFound" });
    await expect(as(admin, EC2.TerminateInstances, { instanceIds: ["not-an-id"] })).rejects.toMatchObject({ code: "InvalidInstanceID.Malformed" });
    await expect(as(admin, EC2.RunInstances, { imageId: "ami-nope", minCount: 1, maxCount: 1 })).rejects.toMatchObject({ code: "InvalidParameterValue" });
  });
});
