// GetFederationToken and GetUser-without-UserName with the AWS SDK v3 against
// the API handler on a loopback port and this file's own database: the
// federated user's permissions are the caller's limited by the session
// policies passed (none: no permissions), its ARN and ID are AWS's, session
// credentials and bad names are refused with AWS's codes.
import { CreateRoleCommand, CreateUserCommand, GetUserCommand, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { AssumeRoleCommand, GetCallerIdentityCommand, GetFederationTokenCommand, GetSessionTokenCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { DEV } from "@/lib/testing/principals";
import { issueKey, sdkClients, sdkFailure, startTestApi, type Creds, type TestApi } from "../test-server";

let api: TestApi;
let admin: Creds;
let broker: Creds;
const iam = (c: Creds) => sdkClients(api).iam(c);
const sts = (c: Creds) => sdkClients(api).sts(c);
const s3 = (c: Creds) => new S3Client({ endpoint: api.endpoint, region: "us-east-1", forcePathStyle: true, credentials: c, maxAttempts: 1 });
const creds = (c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } | undefined): Creds => ({
  accessKeyId: c!.AccessKeyId!,
  secretAccessKey: c!.SecretAccessKey!,
  sessionToken: c!.SessionToken!,
});
const BUCKET = "iamlab-federation-test";

beforeAll(async () => {
  api = await startTestApi();
  admin = await issueKey("admin");
  await s3(admin).send(new CreateBucketCommand({ Bucket: BUCKET }));
  await iam(admin).send(new CreateUserCommand({ UserName: "broker" }));
  // The broker may federate and read and write the bucket; the federated users get what their session policy leaves of it.
  await iam(admin).send(
    new PutUserPolicyCommand({
      UserName: "broker",
      PolicyName: "broker",
      PolicyDocument: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: ["sts:GetFederationToken", "iam:GetUser"], Resource: "*" },
          { Effect: "Allow", Action: ["s3:ListBucket", "s3:PutObject"], Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`] },
        ],
      }),
    }),
  );
  broker = await issueKey("broker");
});
afterAll(() => api.close());

describe("GetFederationToken", () => {
  it("gives a federated user the caller's permissions limited by the session policy, under AWS's ARN and ID", async () => {
    const readOnly = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:ListBucket", "s3:GetObject"], Resource: "*" }] });
    const out = await sts(broker).send(new GetFederationTokenCommand({ Name: "carol", Policy: readOnly, DurationSeconds: 900 }));
    expect(out.FederatedUser).toEqual({ FederatedUserId: `${DEV}:carol`, Arn: `arn:aws:sts::${DEV}:federated-user/carol` });
    expect(out.Credentials!.AccessKeyId).toMatch(/^ASIA/);
    expect(out.Credentials!.Expiration!.getTime() - Date.now()).toBeGreaterThan(880_000);
    expect(out.Credentials!.Expiration!.getTime() - Date.now()).toBeLessThanOrEqual(900_000);
    expect(out.PackedPolicySize).toBeGreaterThan(0);
    const carol = creds(out.Credentials);
    expect(await sts(carol).send(new GetCallerIdentityCommand({}))).toMatchObject({ UserId: `${DEV}:carol`, Account: DEV, Arn: `arn:aws:sts::${DEV}:federated-user/carol` });
    // Listing: allowed by both the broker's policy and the session policy.
    expect((await s3(carol).send(new ListObjectsV2Command({ Bucket: BUCKET }))).KeyCount).toBe(0);
    // Writing: the broker may, the session policy does not allow it.
    const put = await sdkFailure(s3(carol).send(new PutObjectCommand({ Bucket: BUCKET, Key: "x", Body: "x" })));
    expect(put).toMatchObject({ code: "AccessDenied", status: 403 });
    const noPolicy = await sts(broker).send(new GetFederationTokenCommand({ Name: "dave" }));
    expect(noPolicy.PackedPolicySize).toBe(0);
    // Conditions see a federated user: aws:PrincipalType FederatedUser, aws:userid ACCOUNT:NAME.
    const asFederated = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "s3:ListBucket", Resource: "*", Condition: { StringEquals: { "aws:PrincipalType": "FederatedUser", "aws:userid": `${DEV}:erin` } } }],
    });
    const erin = creds((await sts(broker).send(new GetFederationTokenCommand({ Name: "erin", Policy: asFederated }))).Credentials);
    expect((await s3(erin).send(new ListObjectsV2Command({ Bucket: BUCKET }))).KeyCount).toBe(0);
    const other = creds((await sts(broker).send(new GetFederationTokenCommand({ Name: "frank", Policy: asFederated }))).Credentials);
    expect(await sdkFailure(s3(other).send(new ListObjectsV2Command({ Bucket: BUCKET })))).toMatchObject({ code: "AccessDenied" });
    // Without any session policy the federated user has no permissions at all.
    expect(await sdkFailure(s3(creds(noPolicy.Credentials)).send(new ListObjectsV2Command({ Bucket: BUCKET })))).toMatchObject({ code: "AccessDenied", status: 403 });
    // The audit shows the call, with the key's ID and no secret.
    const event = await db().auditEvent.findFirstOrThrow({ where: { eventName: "GetFederationToken", identityAccessKeyId: broker.accessKeyId, errorCode: null }, orderBy: { eventTime: "asc" } });
    expect(event.responseElements).toContain(carol.accessKeyId);
    expect(event.responseElements).not.toContain(carol.secretAccessKey);
    expect(event.responseElements).not.toContain(carol.sessionToken);
  });

  it("takes managed session policies (PolicyArns) as well, and refuses unknown ones", async () => {
    const out = await sts(broker).send(new GetFederationTokenCommand({ Name: "erin-fed", PolicyArns: [{ arn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" }] }));
    const fed = creds(out.Credentials);
    expect((await s3(fed).send(new ListObjectsV2Command({ Bucket: BUCKET }))).KeyCount).toBe(0);
    await s3(fed).send(new PutObjectCommand({ Bucket: BUCKET, Key: "from-federated", Body: "hello" }));
    const unknown = await sdkFailure(sts(broker).send(new GetFederationTokenCommand({ Name: "x1", PolicyArns: [{ arn: `arn:aws:iam::${DEV}:policy/does-not-exist` }] })));
    expect(unknown).toMatchObject({ code: "MalformedPolicyDocument", status: 400 });
  });

  it("refuses session credentials, bad names and callers without sts:GetFederationToken, with AWS's codes", async () => {
    const session = creds((await sts(broker).send(new GetSessionTokenCommand({ DurationSeconds: 900 }))).Credentials);
    expect(await sdkFailure(sts(session).send(new GetFederationTokenCommand({ Name: "carol" })))).toEqual({
      code: "AccessDenied",
      status: 403,
      message: "Cannot call GetFederationToken with session credentials",
    });
    expect(await sdkFailure(sts(broker).send(new GetFederationTokenCommand({ Name: "bad name" })))).toEqual({
      code: "ValidationError",
      status: 400,
      message: "1 validation error detected: Value 'bad name' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    });
    expect((await sdkFailure(sts(broker).send(new GetFederationTokenCommand({ Name: "x", DurationSeconds: 900 })))).code).toBe("ValidationError");
    expect((await sdkFailure(sts(broker).send(new GetFederationTokenCommand({ Name: "carol", DurationSeconds: 129_601 })))).code).toBe("ValidationError");
    await iam(admin).send(new CreateUserCommand({ UserName: "no-fed" }));
    const noFed = await issueKey("no-fed");
    expect(await sdkFailure(sts(noFed).send(new GetFederationTokenCommand({ Name: "carol" })))).toMatchObject({
      code: "AccessDenied",
      status: 403,
      message: expect.stringContaining(`User: arn:aws:iam::${DEV}:user/no-fed is not authorized to perform: sts:GetFederationToken on resource: arn:aws:sts::${DEV}:federated-user/carol`),
    });
  });
});

describe("GetUser without UserName", () => {
  it("answers the calling user, the root user for root keys, and asks a role session for a name", async () => {
    const me = (await iam(broker).send(new GetUserCommand({}))).User!;
    expect(me).toMatchObject({ UserName: "broker", Arn: `arn:aws:iam::${DEV}:user/broker`, Path: "/" });
    const root = await issueKey(undefined);
    const rootUser = (await iam(root).send(new GetUserCommand({}))).User!;
    expect(rootUser.UserId).toBe(DEV);
    expect(rootUser.Arn).toBe(`arn:aws:iam::${DEV}:root`);
    expect(rootUser.UserName).toBeUndefined();
    expect(rootUser.CreateDate).toBeInstanceOf(Date);
    const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${DEV}:root` }, Action: "sts:AssumeRole" }] });
    const role = (await iam(admin).send(new CreateRoleCommand({ RoleName: "getuser-role", AssumeRolePolicyDocument: trust }))).Role!;
    const assumed = await sts(admin).send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: "getuser" }));
    expect(await sdkFailure(iam(creds(assumed.Credentials)).send(new GetUserCommand({})))).toEqual({
      code: "ValidationError",
      status: 400,
      message: "Must specify userName when calling with non-User credentials",
    });
  });
});
