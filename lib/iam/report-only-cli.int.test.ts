// Report-only with the real AWS CLI against the API door: an application's key
// (bob, ReadOnlyAccess) is refused, then let through and recorded as would-be
// denials while the account's switch is on, then refused again; what report-only
// never relaxes stays refused over the API too.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aws, type Creds } from "@/lib/aws/scenarios/cli";
import { issueKey, startTestApi, type TestApi } from "@/lib/aws/test-server";
import { db } from "@/lib/db/client";
import { asUser, DEV, testRequest } from "@/lib/testing/principals";
import { parseGateRecords } from "./gate-record";
import { runOperation } from "./operation";
import { setReportOnlyMode } from "./report-only";

const SLOW = 400_000;
let api: TestApi;
let app: Creds;

const setMode = async (enabled: boolean) => {
  const admin = await asUser("admin");
  await runOperation({ ...setReportOnlyMode(admin, { enabled }), principal: admin, request: testRequest() });
};

beforeAll(async () => {
  api = await startTestApi();
  app = await issueKey("bob");
});
afterAll(() => api.close());

describe("report-only with the AWS CLI", () => {
  it("refuses, then records would-be denials, then refuses again", async () => {
    const before = await aws(api.endpoint, app, "iam", "create-user", "--user-name", "app-made-before");
    expect(before.code).not.toBe(0);
    expect(before.stderr).toContain("An error occurred (AccessDenied) when calling the CreateUser operation");

    await setMode(true);
    const created = await aws(api.endpoint, app, "iam", "create-user", "--user-name", "app-made");
    expect(created.stderr).toBe("");
    expect(created.json.User).toMatchObject({ UserName: "app-made", Arn: `arn:aws:iam::${DEV}:user/app-made` });
    const tagged = await aws(api.endpoint, app, "iam", "tag-user", "--user-name", "app-made", "--tags", "Key=team,Value=app");
    expect(tagged).toMatchObject({ code: 0, stderr: "" });
    const events = await db().auditEvent.findMany({ where: { identityAccessKeyId: app.accessKeyId, eventName: { in: ["CreateUser", "TagUser"] }, errorCode: null } });
    expect(events.map((e) => [e.eventName, e.wouldBeDenied]).sort()).toEqual([
      ["CreateUser", true],
      ["TagUser", true],
    ]);
    const createDecision = parseGateRecords(events.find((e) => e.eventName === "CreateUser")!.gateDecisions)[0];
    expect(createDecision).toMatchObject({ action: "iam:CreateUser", resource: `arn:aws:iam::${DEV}:user/app-made`, decision: "ImplicitlyDenied", enforced: false });

    // Still refused while on: another account's bucket, an SCP's deny, an AWS managed policy.
    const prodObject = await aws(api.endpoint, app, "s3api", "get-object", "--bucket", "example-prod-logs", "--key", "2026/11/27/app.log", "/dev/null");
    expect(prodObject.stderr).toContain("AccessDenied");
    const scpDenied = await aws(api.endpoint, app, "s3api", "delete-object", "--bucket", "example-dev-scratch", "--key", "tmp/notes.txt");
    expect(scpDenied.stderr).toContain("AccessDenied");
    expect(await db().s3Object.count({ where: { bucketName: "example-dev-scratch", key: "tmp/notes.txt" } })).toBe(1);
    const managed = await aws(api.endpoint, app, "iam", "delete-policy", "--policy-arn", "arn:aws:iam::aws:policy/ReadOnlyAccess");
    expect(managed.code).not.toBe(0);

    await setMode(false);
    const after = await aws(api.endpoint, app, "iam", "create-user", "--user-name", "app-made-after");
    expect(after.stderr).toContain("An error occurred (AccessDenied) when calling the CreateUser operation");
    expect(await db().iamUser.count({ where: { accountId: DEV, name: { in: ["app-made-before", "app-made-after"] } } })).toBe(0);
  }, SLOW);
});
