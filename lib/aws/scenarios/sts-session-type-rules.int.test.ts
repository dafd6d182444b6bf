// What temporary credentials may call, by AWS's "Compare AWS STS credentials"
// table, through the AWS SDK v3 and the AWS CLI against the API handler:
// GetSessionToken credentials reach IAM only when the session was started with
// MFA and STS only for AssumeRole and GetCallerIdentity; a federated user's
// credentials reach no IAM operation and no STS operation but GetCallerIdentity.
import { CreateRoleCommand, GetUserCommand, ListUsersCommand } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, GetAccessKeyInfoCommand, GetCallerIdentityCommand, GetFederationTokenCommand, GetSessionTokenCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeAt, currentStep } from "@/lib/crypto/totp";
import { DEMO_MFA_SEED } from "@/lib/db/seed/demo-identities";
import { DEV } from "@/lib/testing/principals";
import { issueKey, sdkClients, sdkFailure, startTestApi, type Creds, type TestApi } from "../test-server";
import { aws } from "./cli";

let api: TestApi;
let admin: Creds;
let roleArn: string;
const iam = (c: Creds) => sdkClients(api).iam(c);
const sts = (c: Creds) => sdkClients(api).sts(c);
const creds = (c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } | undefined): Creds => ({
  accessKeyId: c!.AccessKeyId!,
  secretAccessKey: c!.SecretAccessKey!,
  sessionToken: c!.SessionToken!,
});
const INVALID_TOKEN = { code: "InvalidClientTokenId", status: 403, message: "The security token included in the request is invalid." };
const cannotCall = (operation: string) => ({ code: "AccessDenied", status: 403, message: `Cannot call ${operation} with session credentials` });

beforeAll(async () => {
  api = await startTestApi();
  admin = await issueKey("admin");
  const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${DEV}:root` }, Action: "sts:AssumeRole" }] });
  roleArn = (await iam(admin).send(new CreateRoleCommand({ RoleName: "session-rules-role", AssumeRolePolicyDocument: trust }))).Role!.Arn!;
});
afterAll(() => api.close());

describe("GetSessionToken credentials", () => {
  it("without MFA: IAM refuses the token, STS answers only AssumeRole and GetCallerIdentity", async () => {
    const session = creds((await sts(admin).send(new GetSessionTokenCommand({ DurationSeconds: 900 }))).Credentials);
    expect(await sdkFailure(iam(session).send(new ListUsersCommand({})))).toEqual(INVALID_TOKEN);
    expect(await sdkFailure(iam(session).send(new GetUserCommand({})))).toEqual(INVALID_TOKEN);
    expect((await sts(session).send(new GetCallerIdentityCommand({}))).Arn).toBe(`arn:aws:iam::${DEV}:user/admin`);
    const assumed = await sts(session).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "from-session" }));
    expect(assumed.AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${DEV}:assumed-role/session-rules-role/from-session`);
    expect(await sdkFailure(sts(session).send(new GetAccessKeyInfoCommand({ AccessKeyId: admin.accessKeyId })))).toEqual(cannotCall("GetAccessKeyInfo"));
    expect(await sdkFailure(sts(session).send(new GetSessionTokenCommand({})))).toEqual(cannotCall("GetSessionToken"));
    expect(await sdkFailure(sts(session).send(new GetFederationTokenCommand({ Name: "carol" })))).toEqual(cannotCall("GetFederationToken"));
    // The long-term key itself is not limited.
    expect((await iam(admin).send(new ListUsersCommand({}))).Users!.length).toBeGreaterThan(0);
    expect((await sts(admin).send(new GetAccessKeyInfoCommand({ AccessKeyId: admin.accessKeyId }))).Account).toBe(DEV);
  });

  it("with MFA: IAM operations are served; the AWS CLI sees the same", async () => {
    const erin = await issueKey("erin");
    const out = await sts(erin).send(new GetSessionTokenCommand({ DurationSeconds: 900, SerialNumber: `arn:aws:iam::${DEV}:mfa/erin`, TokenCode: codeAt(DEMO_MFA_SEED, currentStep()) }));
    const session = creds(out.Credentials);
    expect((await iam(session).send(new GetUserCommand({}))).User!.UserName).toBe("erin");
    expect(await sdkFailure(sts(session).send(new GetAccessKeyInfoCommand({ AccessKeyId: erin.accessKeyId })))).toEqual(cannotCall("GetAccessKeyInfo"));

    const plain = creds((await sts(admin).send(new GetSessionTokenCommand({ DurationSeconds: 900 }))).Credentials);
    const refused = await aws(api.endpoint, plain, "iam", "list-users");
    expect(refused.stderr).toContain("An error occurred (InvalidClientTokenId) when calling the ListUsers operation: The security token included in the request is invalid");
    const withMfa = await aws(api.endpoint, session, "iam", "get-user");
    expect(withMfa.json.User.UserName).toBe("erin");
  });
});

describe("federated-user credentials (GetFederationToken)", () => {
  it("reach no IAM operation and no STS operation but GetCallerIdentity", async () => {
    const everything = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] });
    const fed = creds((await sts(admin).send(new GetFederationTokenCommand({ Name: "fed-rules", Policy: everything }))).Credentials);
    expect((await sts(fed).send(new GetCallerIdentityCommand({}))).Arn).toBe(`arn:aws:sts::${DEV}:federated-user/fed-rules`);
    expect(await sdkFailure(iam(fed).send(new ListUsersCommand({})))).toEqual(INVALID_TOKEN);
    expect(await sdkFailure(sts(fed).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "from-fed" })))).toEqual(cannotCall("AssumeRole"));
    expect(await sdkFailure(sts(fed).send(new GetAccessKeyInfoCommand({ AccessKeyId: admin.accessKeyId })))).toEqual(cannotCall("GetAccessKeyInfo"));
    expect(await sdkFailure(sts(fed).send(new GetSessionTokenCommand({})))).toEqual(cannotCall("GetSessionToken"));
    expect(await sdkFailure(sts(fed).send(new GetFederationTokenCommand({ Name: "again" })))).toEqual(cannotCall("GetFederationToken"));
  });
});
