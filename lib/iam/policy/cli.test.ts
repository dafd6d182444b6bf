/**
 * The CLI contract of scripts/iam-evaluate.ts: JSON array of cases on stdin, one JSON result
 * per case per line on stdout; a malformed case gives {"error"} and does not stop the others.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCases } from "../../../scripts/iam-evaluate";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const allowS3 = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] };
const cases = [
  {
    request: { principal: "arn:aws:iam::111122223333:user/alice", action: "s3:GetObject", resource: { resource: "arn:aws:s3:::b/k" } },
    identityPolicies: [{ name: "s3", policy: allowS3 }],
  },
  { request: { principal: "arn:aws:iam::111122223333:user/alice", action: "GetObject", resource: { resource: "arn:aws:s3:::b/k" } } },
  {
    request: { principal: "arn:aws:iam::111122223333:user/alice", action: "s3:GetObject", resource: { resource: "arn:aws:s3:::b/k" } },
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

describe("iam-evaluate CLI", () => {
  it("evaluates each case on its own line (in process)", () => {
    check(runCases(JSON.stringify(cases)));
  });

  it("answers an error line for stdin that is not a JSON array", () => {
    expect(JSON.parse(runCases("{oops")[0]).error).toMatch(/not JSON/);
    expect(JSON.parse(runCases("{}")[0]).error).toMatch(/array/);
  });

  it("works as a process: stdin to stdout", () => {
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
