// The console's trusted-entity choices and role limits, against the IAM API
// reference and the trust policies AWS's console writes.
import { describe, expect, it } from "vitest";
import { IamError } from "@/lib/iam/errors";
import { validatePolicyDocument } from "@/lib/iam/policy";
import { checkMaxSessionDuration, revokeOlderSessionsPolicy, trustPolicyFor } from "./validation";

const statement = (doc: string) => JSON.parse(doc).Statement[0];

describe("trustPolicyFor", () => {
  it("trusts this account's root, without conditions by default", () => {
    expect(statement(trustPolicyFor({ kind: "this-account" }, "111122223333"))).toEqual({
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::111122223333:root" },
      Action: "sts:AssumeRole",
    });
  });
  it("adds sts:ExternalId and aws:MultiFactorAuthPresent conditions for another account", () => {
    expect(statement(trustPolicyFor({ kind: "other-account", accountId: "222233334444", externalId: "x-1", requireMfa: true }, "111122223333")).Condition).toEqual({
      StringEquals: { "sts:ExternalId": "x-1" },
      Bool: { "aws:MultiFactorAuthPresent": "true" },
    });
  });
  it("refuses an account ID that is not 12 digits", () => {
    expect(() => trustPolicyFor({ kind: "other-account", accountId: "1234" }, "111122223333")).toThrow(IamError);
  });
  it("writes valid trust policies for every choice", () => {
    for (const doc of [
      trustPolicyFor({ kind: "this-account", requireMfa: true }, "111122223333"),
      trustPolicyFor({ kind: "other-account", accountId: "222233334444", externalId: "abc" }, "111122223333"),
      trustPolicyFor({ kind: "service", services: ["ec2.amazonaws.com", "lambda.amazonaws.com"] }, "111122223333"),
    ]) {
      expect(validatePolicyDocument(doc, "trust").ok).toBe(true);
    }
  });
  it("refuses something that is not a service principal", () => {
    expect(() => trustPolicyFor({ kind: "service", services: ["ec2"] }, "111122223333")).toThrow('Invalid principal in policy: "SERVICE":"ec2"');
  });
});

describe("MaxSessionDuration", () => {
  it.each([3600, 7200, 43200])("accepts %s", (v) => expect(checkMaxSessionDuration(v)).toBe(v));
  it.each([0, 3599, 43201, 3600.5])("refuses %s", (v) => expect(() => checkMaxSessionDuration(v)).toThrow(IamError));
});

describe("revoke older sessions", () => {
  it("is a valid inline policy denying everything before the given time", () => {
    const doc = revokeOlderSessionsPolicy(new Date("2026-01-02T03:04:05.000Z"));
    expect(validatePolicyDocument(doc, "identity", { inline: true }).ok).toBe(true);
    expect(statement(doc)).toEqual({ Effect: "Deny", Action: ["*"], Resource: ["*"], Condition: { DateLessThan: { "aws:TokenIssueTime": "2026-01-02T03:04:05.000Z" } } });
  });
});
