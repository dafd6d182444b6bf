// STS request rules, against the STS API reference and the recorded responses
// (shared/reference/aws-sts-recorded-responses.json).
import { describe, expect, it } from "vitest";
import { IamError } from "@/lib/iam/errors";
import {
  assumedRoleArn,
  assumedRoleId,
  assumeRoleDuration,
  checkExternalId,
  checkPackedPolicySize,
  checkRoleSessionName,
  checkSessionTags,
  checkSourceIdentity,
  checkTokenCode,
  getSessionTokenDuration,
  parseRoleArn,
} from "./rules";

function errorOf(fn: () => unknown): IamError {
  try {
    fn();
  } catch (e) {
    if (e instanceof IamError) return e;
    throw e;
  }
  throw new Error("expected an IamError");
}

describe("AssumeRole DurationSeconds", () => {
  const role = (max: number) => ({ roleMaxSessionDuration: max, chained: false });
  it.each([
    [undefined, 3600, 3600],
    [undefined, 43200, 3600],
    [900, 3600, 900],
    [3600, 3600, 3600],
    [7200, 7200, 7200],
    [43200, 43200, 43200],
  ])("requested %s with role max %s grants %s seconds", (requested, max, granted) => {
    expect(assumeRoleDuration({ requested, ...role(max) })).toBe(granted);
  });

  it("refuses less than 900 seconds with the constraint message", () => {
    const e = errorOf(() => assumeRoleDuration({ requested: 899, ...role(3600) }));
    expect(e.code).toBe("ValidationError");
    expect(e.message).toBe("1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900");
  });

  it("refuses more than 43200 seconds with the constraint message", () => {
    const e = errorOf(() => assumeRoleDuration({ requested: 43201, ...role(43200) }));
    expect(e.message).toBe("1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200");
  });

  it("refuses more than the role's MaxSessionDuration", () => {
    const e = errorOf(() => assumeRoleDuration({ requested: 3601, ...role(3600) }));
    expect(e.code).toBe("ValidationError");
    expect(e.message).toBe("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
  });

  it("caps role chaining at one hour even when the role allows more", () => {
    expect(assumeRoleDuration({ requested: 3600, roleMaxSessionDuration: 43200, chained: true })).toBe(3600);
    const e = errorOf(() => assumeRoleDuration({ requested: 3601, roleMaxSessionDuration: 43200, chained: true }));
    expect(e.code).toBe("ValidationError");
    expect(e.message).toBe("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
  });

  it("defaults a chained session to one hour", () => {
    expect(assumeRoleDuration({ requested: undefined, roleMaxSessionDuration: 43200, chained: true })).toBe(3600);
  });
});

describe("GetSessionToken DurationSeconds", () => {
  it("defaults to 12 hours for a user", () => expect(getSessionTokenDuration(undefined, false)).toBe(43200));
  it("allows 900 to 129600 seconds for a user", () => {
    expect(getSessionTokenDuration(900, false)).toBe(900);
    expect(getSessionTokenDuration(129600, false)).toBe(129600);
  });
  it("refuses values outside 900..129600", () => {
    expect(errorOf(() => getSessionTokenDuration(899, false)).message).toBe(
      "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    );
    expect(errorOf(() => getSessionTokenDuration(129601, false)).message).toBe(
      "1 validation error detected: Value '129601' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 129600",
    );
  });
  it("caps the root user's session at one hour", () => {
    expect(getSessionTokenDuration(undefined, true)).toBe(3600);
    expect(getSessionTokenDuration(7200, true)).toBe(3600);
    expect(getSessionTokenDuration(900, true)).toBe(900);
  });
});

describe("RoleSessionName", () => {
  it.each(["ab", "alice", "a.b@example.com", "user+tag=1,x-y_z", "x".repeat(64)])("accepts %s", (name) => {
    expect(() => checkRoleSessionName(name)).not.toThrow();
  });

  it("refuses characters outside [\\w+=,.@-] with the recorded message", () => {
    const e = errorOf(() => checkRoleSessionName("Session1:2"));
    expect(e.code).toBe("ValidationError");
    expect(e.message).toBe(
      "1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    );
  });

  it.each(["with space", "slash/name", "star*"])("refuses %s", (name) => {
    expect(errorOf(() => checkRoleSessionName(name)).code).toBe("ValidationError");
  });

  it("refuses 1 and 65 characters", () => {
    expect(errorOf(() => checkRoleSessionName("a")).message).toContain("Member must have length greater than or equal to 2");
    expect(errorOf(() => checkRoleSessionName("x".repeat(65))).message).toContain("Member must have length less than or equal to 64");
  });
});

describe("other request parameters", () => {
  it("checks TokenCode as six digits", () => {
    expect(() => checkTokenCode("123456")).not.toThrow();
    expect(errorOf(() => checkTokenCode("12345")).code).toBe("ValidationError");
    expect(errorOf(() => checkTokenCode("12345a")).code).toBe("ValidationError");
  });
  it("checks ExternalId length and characters", () => {
    expect(() => checkExternalId("Unique-ID:1234/x")).not.toThrow();
    expect(errorOf(() => checkExternalId("a")).code).toBe("ValidationError");
    expect(errorOf(() => checkExternalId("has space")).code).toBe("ValidationError");
  });
  it("refuses a source identity with the reserved aws: prefix", () => {
    expect(() => checkSourceIdentity("alice@example.com")).not.toThrow();
    expect(errorOf(() => checkSourceIdentity("aws:me")).code).toBe("ValidationError");
  });
});

describe("session tags", () => {
  it("refuses duplicate keys that differ only in case (recorded message)", () => {
    const e = errorOf(() => checkSessionTags([{ Key: "team", Value: "a" }, { Key: "Team", Value: "b" }], undefined));
    expect(e.code).toBe("InvalidParameterValue");
    expect(e.message).toBe("Duplicate tag keys found. Please note that Tag keys are case insensitive.");
  });
  it("refuses a transitive key that is not among the tags (recorded message)", () => {
    const e = errorOf(() => checkSessionTags([{ Key: "team", Value: "a" }], ["project"]));
    expect(e.message).toBe("The specified transitive tag key must be included in the requested tags.");
  });
  it("refuses overriding a transitive tag of the calling session, ignoring case (recorded message)", () => {
    const e = errorOf(() => checkSessionTags([{ Key: "PROJECT", Value: "b" }], undefined, { project: "a" }, ["project"]));
    expect(e.message).toBe("One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.");
  });
  it("carries transitive tags of the calling session over and adds the new ones", () => {
    expect(checkSessionTags([{ Key: "team", Value: "x" }], undefined, { project: "p", other: "o" }, ["project"])).toEqual({ project: "p", team: "x" });
  });
  it("refuses more than 50 tags", () => {
    const tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
    expect(errorOf(() => checkSessionTags(tags, undefined)).code).toBe("ValidationError");
  });
});

describe("session policy size", () => {
  const policyOf = (chars: number) => {
    const head = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::';
    const tail = '"}]}';
    return head + "b".repeat(chars - head.length - tail.length) + tail;
  };
  it("accepts a policy of 2048 packed characters", () => {
    expect(() => checkPackedPolicySize(policyOf(2048), {})).not.toThrow();
  });
  it("refuses one over 2048 with PackedPolicyTooLarge", () => {
    const e = errorOf(() => checkPackedPolicySize(policyOf(2100), {}));
    expect(e.code).toBe("PackedPolicyTooLarge");
    expect(e.message).toMatch(/^Packed policy consumes \d+% of allotted space, please use smaller policy\.$/);
  });
  it("does not count whitespace", () => {
    const spaced = JSON.stringify(JSON.parse(policyOf(2000)), null, 8);
    expect(spaced.length).toBeGreaterThan(2048);
    expect(() => checkPackedPolicySize(spaced, {})).not.toThrow();
  });
});

describe("ARNs", () => {
  it("parses role ARNs with and without a path", () => {
    expect(parseRoleArn("arn:aws:iam::222233334444:role/StagingDeveloper")).toEqual({ accountId: "222233334444", path: "/", name: "StagingDeveloper" });
    expect(parseRoleArn("arn:aws:iam::222233334444:role/team/app/Deployer")).toEqual({ accountId: "222233334444", path: "/team/app/", name: "Deployer" });
  });
  it.each(["nothing-valid-in-here", "arn::b:::something/test-role", "arn:a::::something/test-role", "arn:a:::something/test-role", "arn:a:a::aaaaaaaaaa:"])(
    "answers '%s is invalid' for a malformed ARN (recorded)",
    (arn) => {
      const e = errorOf(() => parseRoleArn(arn));
      expect(e.code).toBe("ValidationError");
      expect(e.message).toBe(`${arn} is invalid`);
    },
  );
  it("returns null for a well-formed ARN that names no role", () => {
    expect(parseRoleArn("arn:aws:iam::222233334444:user/alice")).toBeNull();
  });
  it("builds the assumed-role ARN and ID as AWS returns them", () => {
    expect(assumedRoleArn("222233334444", "StagingDeveloper", "alice")).toBe("arn:aws:sts::222233334444:assumed-role/StagingDeveloper/alice");
    expect(assumedRoleId("AROAEXAMPLEID", "alice")).toBe("AROAEXAMPLEID:alice");
  });
});
