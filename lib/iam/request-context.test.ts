// The pure parts of the request context: which keys tags sent or removed
// become, and where a resource's tags are stored and under which keys.
import { describe, expect, it } from "vitest";
import { CREATES_ITS_RESOURCE, CURRENT_BOUNDARY_ACTIONS, requestTagContext, resourceTagSource, tagKeysContext } from "./request-context";

describe("requestTagContext / tagKeysContext", () => {
  it("puts each tag sent under aws:RequestTag/<key> and all keys in aws:TagKeys", () => {
    expect(requestTagContext([{ key: "team", value: "core" }, { key: "Cost-Center", value: "" }])).toEqual({
      "aws:RequestTag/team": "core",
      "aws:RequestTag/Cost-Center": "",
      "aws:TagKeys": ["team", "Cost-Center"],
    });
  });

  it("adds nothing for a request without tags (the keys are then absent, as in AWS)", () => {
    expect(requestTagContext([])).toEqual({});
    expect(requestTagContext(undefined)).toEqual({});
    expect(tagKeysContext([])).toEqual({});
  });

  it("names the keys an untag request removes", () => {
    expect(tagKeysContext(["team", "owner"])).toEqual({ "aws:TagKeys": ["team", "owner"] });
  });
});

describe("resourceTagSource", () => {
  const iam = (rest: string) => `arn:aws:iam::111122223333:${rest}`;

  it("users and roles: aws:ResourceTag and iam:ResourceTag, under their own ARN", () => {
    for (const arn of [iam("user/alice"), iam("user/team/a/bob"), iam("role/Deploy"), iam("role/service-role/x")]) {
      expect(resourceTagSource(arn)).toEqual({ arn, prefixes: ["aws:ResourceTag/", "iam:ResourceTag/"] });
    }
  });

  it("policies, instance profiles and MFA devices: aws:ResourceTag only", () => {
    for (const arn of [iam("policy/p"), iam("instance-profile/web"), iam("mfa/alice")]) {
      expect(resourceTagSource(arn)).toEqual({ arn, prefixes: ["aws:ResourceTag/"] });
    }
  });

  it("buckets and the objects in them: the bucket's tags, as aws:ResourceTag and s3:BucketTag", () => {
    const bucket = { arn: "arn:aws:s3:::logs", prefixes: ["aws:ResourceTag/", "s3:BucketTag/"] };
    expect(resourceTagSource("arn:aws:s3:::logs")).toEqual(bucket);
    expect(resourceTagSource("arn:aws:s3:::logs/2026/11/app.log")).toEqual(bucket);
    expect(resourceTagSource("arn:aws:s3:::logs/*")).toEqual(bucket);
  });

  it("nothing for what has no tags: groups, AWS-managed policies, '*', other services", () => {
    for (const arn of ["*", iam("group/Developers"), "arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::111122223333:root", "arn:aws:sts::111122223333:assumed-role/r/s", "arn:aws:ec2:us-east-1:111122223333:instance/i-1"]) {
      expect(resourceTagSource(arn)).toBeNull();
    }
  });
});

describe("the action lists", () => {
  it("are lower-case, as the gate looks them up", () => {
    for (const a of [...CREATES_ITS_RESOURCE, ...CURRENT_BOUNDARY_ACTIONS]) expect(a).toBe(a.toLowerCase());
    expect(CREATES_ITS_RESOURCE.has("iam:createuser")).toBe(true);
    expect(CURRENT_BOUNDARY_ACTIONS.has("iam:attachuserpolicy")).toBe(true);
  });
});
