/**
 * The engine's JSON contract (contract.ts): JSON array of cases in, one JSON result per case
 * out; a malformed case gives {"error"} and does not stop the others. The last test runs the
 * thin CLI wrapper (scripts/iam-evaluate.ts) as a process, stdin to stdout.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { evaluateContractCase, runContractCases } from "./index";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const ALICE = "arn:aws:iam::111122223333:user/alice";
const allowS3 = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] };
const getObject = { principal: ALICE, action: "s3:GetObject", resource: { resource: "arn:aws:s3:::b/k" } };
const cases = [
  { request: getObject, identityPolicies: [{ name: "s3", policy: allowS3 }] },
  { request: { ...getObject, action: "GetObject" } },
  {
    request: getObject,
    identityPolicies: [{ name: "s3", policy: JSON.stringify(allowS3) }],
    permissionBoundaries: [{ name: "ec2-only", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "ec2:*", Resource: "*" }] } }],
  },
  "not a case",
  {
    request: {
      principal: "arn:aws:iam::444455556666:user/bob",
      action: "s3:GetObject",
      resource: { resource: "arn:aws:s3:::b/k", accountId: "111122223333" },
      context: { "aws:SourceIp": "10.0.0.1" },
    },
    identityPolicies: [{ name: "s3", policy: allowS3 }],
    resourcePolicy: {
      name: "bucket",
      policy: { Version: "2012-10-17", Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*", Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } } }] },
    },
    serviceControlPolicies: [{ orgIdentifier: "r-1", policies: [{ name: "all", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } }] }],
  },
];

function check(lines: string[]) {
  expect(lines).toHaveLength(5);
  const out = lines.map((l) => JSON.parse(l));
  expect(out[0].decision).toBe("Allowed");
  expect(out[0].explain[0].statements[0].action).toEqual({ matched: true, not: false, pattern: "s3:*" });
  expect(out[1].error).toMatch(/service:Action/);
  expect(out[2].decision).toBe("ImplicitlyDenied");
  expect(out[3].error).toBeTruthy();
  expect(out[4].decision).toBe("ExplicitlyDenied");
  expect(out[4].decisive[0]).toMatchObject({ policyType: "resource", statementIndex: 0, effect: "Deny" });
}

describe("iam:evaluate contract", () => {
  it("evaluates each case on its own line", () => {
    check(runContractCases(JSON.stringify(cases)));
  });

  it("answers an error line for input that is not a JSON array", () => {
    expect(JSON.parse(runContractCases("{oops")[0]).error).toMatch(/not JSON/);
    expect(JSON.parse(runContractCases("{}")[0]).error).toMatch(/array/);
  });

  it("accepts a bare policy document for resourcePolicy and sessionPolicy, like a named one", () => {
    const bucket = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: ALICE }, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }] };
    const named = evaluateContractCase({ request: getObject, resourcePolicy: { name: "bucket", policy: bucket } }, { explain: false });
    const bare = evaluateContractCase({ request: getObject, resourcePolicy: bucket }, { explain: false });
    expect(bare).toMatchObject({ decision: "Allowed" });
    expect("decision" in bare && bare.decision).toBe("decision" in named && named.decision);
    // Its twin: the same bare document naming bob does not allow alice.
    const bob = { ...bucket, Statement: [{ ...bucket.Statement[0], Principal: { AWS: "arn:aws:iam::111122223333:user/bob" } }] };
    expect(evaluateContractCase({ request: getObject, resourcePolicy: bob }, { explain: false })).toMatchObject({ decision: "ImplicitlyDenied" });

    // A bare session policy limits the role session just like a named one.
    const session = { request: { ...getObject, principal: "arn:aws:sts::111122223333:assumed-role/app/s1" }, identityPolicies: [allowS3] };
    const ec2Only = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "ec2:*", Resource: "*" }] };
    expect(evaluateContractCase(session, { explain: false })).toMatchObject({ decision: "Allowed" });
    expect(evaluateContractCase({ ...session, sessionPolicy: ec2Only }, { explain: false })).toMatchObject({ decision: "ImplicitlyDenied" });
    expect(evaluateContractCase({ ...session, sessionPolicy: allowS3 }, { explain: false })).toMatchObject({ decision: "Allowed" });
  });

  it("refuses a policy field that is neither a named policy nor a document", () => {
    expect(evaluateContractCase({ request: getObject, resourcePolicy: { Version: "2012-10-17" } })).toMatchObject({ error: expect.stringMatching(/resourcePolicy/) });
    expect(evaluateContractCase({ request: getObject, sessionPolicy: { policy: allowS3, Statement: [] } })).toMatchObject({ error: expect.stringMatching(/both/) });
    expect(evaluateContractCase({ request: getObject, identityPolicies: [42] })).toMatchObject({ error: expect.stringMatching(/identityPolicies\[0\]/) });
  });

  it('says that a bare string "Principal": "arn:..." is invalid policy grammar', () => {
    const bad = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: ALICE, Action: "s3:GetObject", Resource: "*" }] };
    const r = evaluateContractCase({ request: getObject, resourcePolicy: bad }, { explain: false });
    expect("findings" in r && r.findings).toEqual([{ type: "ERROR", policy: "resourcePolicy", message: expect.stringMatching(/Principal/) }]);
    // The engine's fail-closed rule: a policy it cannot read denies, and the reason says why.
    expect(r).toMatchObject({ decision: "ExplicitlyDenied", reason: expect.stringMatching(/Principal/) });
    // Its twin: the same statement with the ARN under "AWS" is valid and allows alice.
    const good = { ...bad, Statement: [{ ...bad.Statement[0], Principal: { AWS: ALICE } }] };
    const ok = evaluateContractCase({ request: getObject, resourcePolicy: good }, { explain: false });
    expect(ok).toMatchObject({ decision: "Allowed" });
    expect("findings" in ok).toBe(false);
  });

  it("works as a process: stdin to stdout (scripts/iam-evaluate.ts)", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "scripts/iam-evaluate.ts")], {
      cwd: root,
      input: JSON.stringify(cases),
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    check(r.stdout.trim().split("\n"));
  }, 60_000);
});
