// The credential report through the real AWS CLI, compared with a CSV this test
// builds on its own from the database (its own reads, its own formatting), after
// changes that exercise each value convention: a password never used, a
// password policy with rotation, an active and an inactive key, a used key, MFA.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aws, type Creds } from "@/lib/aws/scenarios/cli";
import { issueKey, startTestApi, type TestApi } from "@/lib/aws/test-server";
import { db } from "@/lib/db/client";
import { DEV } from "@/lib/testing/principals";

const SLOW = 240_000;

let api: TestApi;
let admin: Creds;
beforeAll(async () => {
  api = await startTestApi();
  admin = await issueKey("admin");
});
afterAll(() => api.close());

const HEADER =
  "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active," +
  "access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service," +
  "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service," +
  "cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

/** 2026-01-02T03:04:05+00:00 */
function awsTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}T${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}+00:00`;
}

type Key = { status: string; createdAt: Date; lastUsedAt: Date | null; lastUsedRegion: string | null; lastUsedService: string | null };
function keyCells(k: Key | undefined): string[] {
  if (k === undefined) return ["false", "N/A", "N/A", "N/A", "N/A"];
  if (k.lastUsedAt === null) return [String(k.status === "Active"), awsTime(k.createdAt), "N/A", "N/A", "N/A"];
  return [String(k.status === "Active"), awsTime(k.createdAt), awsTime(k.lastUsedAt), k.lastUsedRegion!, k.lastUsedService!];
}

/** The report as this test expects it: header, root line, then user lines sorted (AWS does not promise an order). */
async function expectedReport(): Promise<{ header: string; root: string; users: string[] }> {
  const c = db();
  const account = await c.account.findUniqueOrThrow({ where: { id: DEV } });
  const policy = await c.passwordPolicy.findUnique({ where: { accountId: DEV } });
  const keysOf = async (userId: string | null) => c.accessKey.findMany({ where: { accountId: DEV, userId }, orderBy: { createdAt: "asc" } });
  const rootKeys = await keysOf(null);
  const rootMfa = (await c.mfaDevice.count({ where: { accountId: DEV, forRoot: true, enabledAt: { not: null } } })) > 0;
  const root = [
    "<root_account>",
    `arn:aws:iam::${DEV}:root`,
    awsTime(account.createdAt),
    "not_supported",
    account.rootPasswordLastUsed ? awsTime(account.rootPasswordLastUsed) : "no_information",
    "not_supported",
    "not_supported",
    String(rootMfa),
    ...keyCells(rootKeys[0]),
    ...keyCells(rootKeys[1]),
    "false,N/A,false,N/A",
  ].join(",");
  const users: string[] = [];
  for (const u of await c.iamUser.findMany({ where: { accountId: DEV } })) {
    const login = await c.loginProfile.findUnique({ where: { userId: u.id } });
    const keys = await keysOf(u.id);
    const mfa = (await c.mfaDevice.count({ where: { userId: u.id, enabledAt: { not: null } } })) > 0;
    const rotation = login && policy?.maxPasswordAge ? awsTime(new Date(login.passwordLastChanged.getTime() + policy.maxPasswordAge * 86_400_000)) : "N/A";
    users.push(
      [
        u.name,
        u.arn,
        awsTime(u.createdAt),
        String(login !== null),
        login === null ? "N/A" : login.passwordLastUsed ? awsTime(login.passwordLastUsed) : "no_information",
        login === null ? "N/A" : awsTime(login.passwordLastChanged),
        rotation,
        String(mfa),
        ...keyCells(keys[0]),
        ...keyCells(keys[1]),
        "false,N/A,false,N/A",
      ].join(","),
    );
  }
  return { header: HEADER, root, users: users.sort() };
}

function splitReport(csv: string) {
  const lines = csv.split("\n");
  expect(lines.at(-1), "the report ends with a newline").toBe("");
  const [header, root, ...users] = lines.slice(0, -1);
  return { header, root, users: users.sort() };
}

/** Calls generate-credential-report until it answers COMPLETE (at most 20 times); the states seen, each INPROGRESS or COMPLETE. */
async function generateUntilComplete(r: (...args: string[]) => Promise<{ json?: { State: string } }>): Promise<string[]> {
  const states: string[] = [];
  for (let i = 0; i < 20 && states.at(-1) !== "COMPLETE"; i++) {
    states.push(String((await r("generate-credential-report")).json?.State));
    if (states.at(-1) !== "COMPLETE") await new Promise((done) => setTimeout(done, 250));
  }
  expect(states.every((s) => s === "INPROGRESS" || s === "COMPLETE")).toBe(true);
  expect(states.at(-1)).toBe("COMPLETE");
  return states;
}

describe("credential report (AWS CLI)", () => {
  it("is not present before generation, STARTED then COMPLETE, matches the account's state, and expires after 4 hours", async () => {
    const before = await aws(api.endpoint, admin, "iam", "get-credential-report");
    expect(before.code).not.toBe(0);
    expect(before.stderr).toContain("An error occurred (ReportNotPresent) when calling the GetCredentialReport operation");

    // State that exercises the conventions.
    const r = (...args: string[]) => aws(api.endpoint, admin, "iam", ...args);
    expect((await r("create-user", "--user-name", "report-pw")).code).toBe(0);
    expect((await r("create-login-profile", "--user-name", "report-pw", "--password", "Report-Password-2026!")).code).toBe(0);
    expect((await r("update-account-password-policy", "--max-password-age", "90", "--minimum-password-length", "12")).code).toBe(0);
    expect((await r("create-user", "--user-name", "report-keys")).code).toBe(0);
    const k1 = (await r("create-access-key", "--user-name", "report-keys")).json.AccessKey;
    const k2 = (await r("create-access-key", "--user-name", "report-keys")).json.AccessKey;
    expect((await r("update-access-key", "--user-name", "report-keys", "--access-key-id", k2.AccessKeyId, "--status", "Inactive")).code).toBe(0);
    // The first key is used: last used date, region and service appear.
    const used = await aws(api.endpoint, { accessKeyId: k1.AccessKeyId, secretAccessKey: k1.SecretAccessKey }, "sts", "get-caller-identity");
    expect(used.code).toBe(0);

    const first = await r("generate-credential-report");
    expect(first.stderr).toBe("");
    expect(first.json.State).toBe("STARTED");
    // The state as generated (the caller's own key's last use moves on with each later call).
    const expected = await expectedReport();
    // The report is built in the background: the usual pattern generates again until COMPLETE.
    expect(await generateUntilComplete(r)).toEqual(expect.arrayContaining(["COMPLETE"]));

    const got = await r("get-credential-report");
    expect(got.stderr).toBe("");
    expect(got.json.ReportFormat).toBe("text/csv");
    const csv = Buffer.from(got.json.Content, "base64").toString("utf8");
    const actual = splitReport(csv);
    expect(actual).toEqual(expected);
    // Spot checks of what the expected CSV must hold, so the comparison cannot pass on two empty reports.
    expect(expected.users.length).toBeGreaterThanOrEqual(8);
    expect(expected.users.find((l) => l.startsWith("report-pw,"))).toMatch(/^report-pw,[^,]+,[^,]+,true,no_information,[^,]+,\d{4}-\d\d-\d\dT[\d:]+\+00:00,false,false,N\/A,N\/A,N\/A,N\/A,false,/);
    expect(expected.users.find((l) => l.startsWith("report-keys,"))).toMatch(/^report-keys,[^,]+,[^,]+,false,N\/A,N\/A,N\/A,false,true,[^,]+,[^,]+,us-east-1,sts,false,[^,]+,N\/A,N\/A,N\/A,false,N\/A,false,N\/A$/);

    // A report younger than 4 hours is returned as it is: a new user does not appear.
    expect((await r("create-user", "--user-name", "report-late")).code).toBe(0);
    expect((await r("generate-credential-report")).json.State).toBe("COMPLETE");
    const same = Buffer.from((await r("get-credential-report")).json.Content, "base64").toString("utf8");
    expect(same).toBe(csv);

    // Four hours later: expired; a new generation starts and includes the new user.
    await db().credentialReport.update({ where: { accountId: DEV }, data: { generatedAt: new Date(Date.now() - 4 * 3600_000 - 1000) } });
    const expired = await r("get-credential-report");
    expect(expired.stderr).toContain("An error occurred (ReportExpired) when calling the GetCredentialReport operation");
    expect((await r("generate-credential-report")).json.State).toBe("STARTED");
    const expectedFresh = await expectedReport();
    await generateUntilComplete(r);
    const fresh = splitReport(Buffer.from((await r("get-credential-report")).json.Content, "base64").toString("utf8"));
    expect(fresh).toEqual(expectedFresh);
    expect(fresh.users.some((l) => l.startsWith("report-late,"))).toBe(true);
  }, SLOW);

  it("is refused to a user without iam:GenerateCredentialReport, with AWS's AccessDenied", async () => {
    const bobKey = await issueKey("newhire");
    const denied = await aws(api.endpoint, bobKey, "iam", "generate-credential-report");
    expect(denied.stderr).toContain(`An error occurred (AccessDenied) when calling the GenerateCredentialReport operation: User: arn:aws:iam::${DEV}:user/newhire is not authorized to perform: iam:GenerateCredentialReport`);
  }, SLOW);
});
