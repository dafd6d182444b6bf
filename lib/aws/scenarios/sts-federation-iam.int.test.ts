// A federated user's temporary credentials (GetFederationToken) with the real
// AWS CLI: AWS lets them call other services within their session policy but no
// IAM API operation, whatever the policies allow; IAM answers that the security
// token is invalid.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { DEV } from "@/lib/testing/principals";
import { issueKey, startTestApi, type Creds, type TestApi } from "../test-server";
import { aws as awsCli } from "./cli";

let api: TestApi;
let admin: Creds;
const aws = (c: Creds, ...args: string[]) => awsCli(api.endpoint, c, ...args);
const EVERYTHING = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] });

beforeAll(async () => {
  api = await startTestApi();
  admin = await issueKey("admin");
}, 60_000);
afterAll(() => api.close());

describe("a federated user's credentials", () => {
  it("call other services and STS GetCallerIdentity, but no IAM operation (InvalidClientTokenId), even with a session policy allowing everything", async () => {
    const out = await aws(admin, "sts", "get-federation-token", "--name", "fed-admin", "--policy", EVERYTHING);
    expect(out.code).toBe(0);
    const fed: Creds = { accessKeyId: out.json.Credentials.AccessKeyId, secretAccessKey: out.json.Credentials.SecretAccessKey, sessionToken: out.json.Credentials.SessionToken };
    expect((await aws(fed, "sts", "get-caller-identity")).json.Arn).toBe(`arn:aws:sts::${DEV}:federated-user/fed-admin`);
    expect((await aws(fed, "s3api", "list-buckets")).code).toBe(0);
    for (const args of [["list-users"], ["get-user"], ["create-user", "--user-name", "from-federated"]]) {
      const r = await aws(fed, "iam", ...args);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain("An error occurred (InvalidClientTokenId)");
      expect(r.stderr).toContain("The security token included in the request is invalid");
    }
    expect(await db().iamUser.findFirst({ where: { name: "from-federated" } })).toBeNull();
    // The admin's own long-term key still calls IAM.
    expect((await aws(admin, "iam", "get-user")).json.User.UserName).toBe("admin");
    // The refusal is in the event history under the federated user's key.
    const refused = await db().auditEvent.findFirstOrThrow({ where: { eventName: "ListUsers", identityAccessKeyId: fed.accessKeyId } });
    expect(refused.errorCode).toBe("InvalidClientTokenId");
  }, 240_000);
});
