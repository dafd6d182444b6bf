// Scenarios with the real AWS CLI (v1, on every machine) against the API
// handler on a loopback port and this file's own database.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeAt, currentStep } from "@/lib/crypto/totp";
import { DEMO_MFA_SEED } from "@/lib/db/seed/demo-identities";
import { DEV, PROD } from "@/lib/testing/principals";
import { issueKey, startTestApi, type TestApi } from "../test-server";
import { aws, type Creds } from "./cli";

// Each CLI call starts a Python process (about a second here, more on a busy machine).
const SLOW = 240_000;

let api: TestApi;
let admin: Creds;
beforeAll(async () => {
  api = await startTestApi();
  admin = await issueKey("admin");
});
afterAll(() => api.close());

describe("the AWS CLI against IAM Lab", () => {
  it("creates a user and a key, and the new key works at once", async () => {
    const created = await aws(api.endpoint, admin, "iam", "create-user", "--user-name", "cli-user", "--tags", "Key=team,Value=blue");
    expect(created.stderr).toBe("");
    expect(created.json.User).toMatchObject({ UserName: "cli-user", Arn: `arn:aws:iam::${DEV}:user/cli-user`, Path: "/" });
    const attached = await aws(api.endpoint, admin, "iam", "attach-user-policy", "--user-name", "cli-user", "--policy-arn", "arn:aws:iam::aws:policy/ReadOnlyAccess");
    expect(attached).toMatchObject({ code: 0, stderr: "" });
    const key = (await aws(api.endpoint, admin, "iam", "create-access-key", "--user-name", "cli-user")).json.AccessKey;
    const user = { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
    const me = await aws(api.endpoint, user, "sts", "get-caller-identity");
    expect(me.json).toEqual({ UserId: created.json.User.UserId, Account: DEV, Arn: `arn:aws:iam::${DEV}:user/cli-user` });
    // Denied, with AWS's code and message as the CLI prints them.
    const denied = await aws(api.endpoint, user, "iam", "create-user", "--user-name", "nope");
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain(
      `An error occurred (AccessDenied) when calling the CreateUser operation: User: arn:aws:iam::${DEV}:user/cli-user is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${DEV}:user/nope`,
    );
    const missing = await aws(api.endpoint, user, "iam", "get-user", "--user-name", "nobody");
    expect(missing.stderr).toContain("An error occurred (NoSuchEntity) when calling the GetUser operation: The user with name nobody cannot be found.");
  }, SLOW);

  it("enables a virtual MFA device from the seed file the CLI writes, then assumes an MFA-gated role across accounts", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iamlab-cli-"));
    const seedFile = path.join(dir, "seed.txt");
    const device = await aws(api.endpoint, admin, "iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", "cli-user", "--outfile", seedFile, "--bootstrap-method", "Base32StringSeed");
    expect(device.stderr).toBe("");
    const serial = device.json.VirtualMFADevice.SerialNumber;
    const seed = fs.readFileSync(seedFile, "utf8").trim();
    const step = currentStep();
    const enabled = await aws(api.endpoint, admin, "iam", "enable-mfa-device", "--user-name", "cli-user", "--serial-number", serial, "--authentication-code1", codeAt(seed, step), "--authentication-code2", codeAt(seed, step + 1));
    expect(enabled.stderr).toBe("");
    expect((await aws(api.endpoint, admin, "iam", "list-mfa-devices", "--user-name", "cli-user")).json.MFADevices[0].SerialNumber).toBe(serial);

    const erin = await issueKey("erin");
    const assumed = await aws(
      api.endpoint,
      erin,
      "sts",
      "assume-role",
      "--role-arn",
      `arn:aws:iam::${PROD}:role/S3ElevatedAccess`,
      "--role-session-name",
      "cli",
      "--serial-number",
      `arn:aws:iam::${DEV}:mfa/erin`,
      "--token-code",
      codeAt(DEMO_MFA_SEED, currentStep()),
    );
    expect(assumed.stderr).toBe("");
    const c = assumed.json.Credentials;
    const me = await aws(api.endpoint, { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken }, "sts", "get-caller-identity");
    expect(me.json.Arn).toBe(`arn:aws:sts::${PROD}:assumed-role/S3ElevatedAccess/cli`);
  }, SLOW);

  it("answers an operation IAM Lab does not serve with NotImplemented, not a 500", async () => {
    const r = await aws(api.endpoint, admin, "iam", "list-open-id-connect-providers");
    if (r.code === 0) return; // served since: nothing to check here
    expect(r.stderr).toMatch(/An error occurred \(NotImplemented\) when calling the ListOpenIDConnectProviders operation/);
  }, SLOW);
});
