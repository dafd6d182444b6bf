// Failed authentications over the API are in the event history of the
// account whose key was presented, as CloudTrail records refused calls: the
// key's identity and ID, the action, the error; no parameters, no signature,
// no secret. AWS SDK v3 against the API handler and this file's own database.
import { ListUsersCommand, UpdateAccessKeyCommand } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, GetSessionTokenCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { DEV } from "@/lib/testing/principals";
import { issueKey, sdkClients, sdkFailure, startTestApi, type Creds, type TestApi } from "../test-server";

let api: TestApi;
let admin: Creds;
beforeAll(async () => {
  api = await startTestApi();
  admin = await issueKey("admin");
});
afterAll(() => api.close());

const failures = (accessKeyId: string) => db().auditEvent.findMany({ where: { identityAccessKeyId: accessKeyId, errorCode: { not: null } }, orderBy: { eventTime: "asc" } });

describe("failed authentications in the event history", () => {
  it("records a wrong signature and an inactive key under the key's identity, without secrets", async () => {
    const alice = await issueKey("alice");
    const forged = { ...alice, secretAccessKey: "x".repeat(40) };
    expect((await sdkFailure(sdkClients(api).iam(forged).send(new ListUsersCommand({})))).code).toBe("SignatureDoesNotMatch");
    await sdkClients(api).iam(admin).send(new UpdateAccessKeyCommand({ UserName: "alice", AccessKeyId: alice.accessKeyId, Status: "Inactive" }));
    expect((await sdkFailure(sdkClients(api).sts(alice).send(new GetCallerIdentityCommand({})))).code).toBe("InvalidClientTokenId");
    const events = await failures(alice.accessKeyId);
    expect(events.map((e) => [e.eventSource, e.eventName, e.errorCode, e.identityType, e.identityArn, e.recipientAccountId, e.readOnly])).toEqual([
      ["iam.amazonaws.com", "ListUsers", "SignatureDoesNotMatch", "IAMUser", `arn:aws:iam::${DEV}:user/alice`, DEV, true],
      ["sts.amazonaws.com", "GetCallerIdentity", "InvalidClientTokenId", "IAMUser", `arn:aws:iam::${DEV}:user/alice`, DEV, true],
    ]);
    for (const e of events) {
      expect(e.requestParameters).toBeNull();
      expect(e.sourceIPAddress).toBe("127.0.0.1");
      expect(JSON.stringify(e)).not.toContain(alice.secretAccessKey);
      expect(JSON.stringify(e)).not.toContain("Signature=");
    }
  });

  it("records an expired session under the session's identity, and nothing for a key nobody has", async () => {
    const session = (await sdkClients(api).sts(admin).send(new GetSessionTokenCommand({ DurationSeconds: 900 }))).Credentials!;
    await db().roleSession.update({ where: { accessKeyId: session.AccessKeyId! }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = { accessKeyId: session.AccessKeyId!, secretAccessKey: session.SecretAccessKey!, sessionToken: session.SessionToken! };
    expect((await sdkFailure(sdkClients(api).iam(expired).send(new ListUsersCommand({})))).code).toBe("ExpiredToken");
    expect((await failures(expired.accessKeyId)).map((e) => [e.eventName, e.errorCode, e.identityArn])).toEqual([["ListUsers", "ExpiredToken", `arn:aws:iam::${DEV}:user/admin`]]);
    const before = await db().auditEvent.count();
    const nobody = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "x".repeat(40) };
    expect((await sdkFailure(sdkClients(api).iam(nobody).send(new ListUsersCommand({})))).code).toBe("InvalidClientTokenId");
    expect(await db().auditEvent.count()).toBe(before);
  });
});
