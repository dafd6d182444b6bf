// Scenarios with boto3 (the machine's Python) against the API handler on a
// loopback port: boto3_scenarios.py prints one "ok" line per scenario.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_MFA_SEED } from "@/lib/db/seed/demo-identities";
import { DEV, PROD } from "@/lib/testing/principals";
import { issueKey, startTestApi, type TestApi } from "../test-server";
import { run, scriptPath } from "./cli";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

describe("boto3 against IAM Lab", () => {
  it("runs the scenarios: keys, MFA, limits, cross-account AssumeRole with MFA, errors, session tokens, presigned URLs", async () => {
    const admin = await issueKey("admin");
    const erin = await issueKey("erin");
    const r = await run("python3", [scriptPath("boto3_scenarios.py")], {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_CONFIG_FILE: "/dev/null",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      AWS_EC2_METADATA_DISABLED: "true",
      IAMLAB_ENDPOINT: api.endpoint,
      ADMIN_KEY: admin.accessKeyId,
      ADMIN_SECRET: admin.secretAccessKey,
      ERIN_KEY: erin.accessKeyId,
      ERIN_SECRET: erin.secretAccessKey,
      ERIN_MFA_SEED: DEMO_MFA_SEED,
      DEV,
      PROD,
    });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim().split("\n")).toEqual([
      "ok keys: created, used, rotated; third key LimitExceeded; deleted key InvalidClientTokenId",
      "ok policy documents decode",
      "ok virtual MFA enabled with TOTP codes",
      "ok 5-version limit",
      "ok cross-account AssumeRole with MFA",
      "ok errors: NoSuchEntity, EntityAlreadyExists, ValidationError, MalformedPolicyDocument",
      "ok GetSessionToken",
      "ok presigned URL",
    ]);
    expect(r.code).toBe(0);
  }, 240_000);
});
