// S3 rules against the S3 user guide (bucket naming rules, "The meaning of
// public", the console's Access column) and S3's PutBucketPolicy messages.
import { describe, expect, it } from "vitest";
import { IamError } from "@/lib/iam/errors";
import { accessSummary, bucketNameProblem, decodeContinuationToken, encodeContinuationToken, isPolicyPublic, successor, validateBucketPolicy } from "./rules";

describe("bucket naming rules", () => {
  it.each(["abc", "my-bucket", "my.bucket.example", "a".repeat(63), "1bucket", "bucket-2026", "docexamplebucket1"])("accepts %s", (name) => {
    expect(bucketNameProblem(name)).toBeNull();
  });
  it.each([
    ["ab", "too short"],
    ["a".repeat(64), "too long"],
    ["MyBucket", "uppercase"],
    ["my_bucket", "underscore"],
    ["-bucket", "starts with hyphen"],
    ["bucket-", "ends with hyphen"],
    [".bucket", "starts with period"],
    ["my..bucket", "adjacent periods"],
    ["192.168.5.4", "IP address format"],
    ["xn--bucket", "xn-- prefix"],
    ["sthree-bucket", "sthree- prefix"],
    ["amzn-s3-demo-bucket", "amzn-s3-demo- prefix"],
    ["bucket-s3alias", "-s3alias suffix"],
    ["bucket--ol-s3", "--ol-s3 suffix"],
    ["bucket.mrap", ".mrap suffix"],
    ["bucket--x-s3", "--x-s3 suffix"],
    ["bucket--table-s3", "--table-s3 suffix"],
    ["my bucket", "space"],
  ])("refuses %s (%s)", (name) => {
    expect(bucketNameProblem(name)).not.toBeNull();
  });
});

const doc = (statement: object) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });

describe("public bucket policies (Block Public Access's definition)", () => {
  it("is public when Principal is * without conditions", () => {
    expect(isPolicyPublic(doc({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }))).toBe(true);
    expect(isPolicyPublic(doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }))).toBe(true);
  });
  it("is not public when the principal is a specific account", () => {
    expect(isPolicyPublic(doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::222233334444:root" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }))).toBe(false);
  });
  it("is not public when a condition fixes aws:SourceIp to a narrow range or aws:PrincipalOrgID", () => {
    expect(
      isPolicyPublic(doc({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*", Condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } } })),
    ).toBe(false);
    expect(
      isPolicyPublic(doc({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-examplecorp" } } })),
    ).toBe(false);
  });
  it("stays public with a wildcard value or a negated operator", () => {
    expect(
      isPolicyPublic(doc({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*", Condition: { StringLike: { "aws:PrincipalOrgID": "o-*" } } })),
    ).toBe(true);
    expect(
      isPolicyPublic(doc({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*", Condition: { StringNotEquals: { "aws:SourceAccount": "111122223333" } } })),
    ).toBe(true);
    expect(isPolicyPublic(doc({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*", Condition: { IpAddress: { "aws:SourceIp": "0.0.0.0/0" } } }))).toBe(true);
  });
  it("a Deny for everyone is not a public grant", () => {
    expect(isPolicyPublic(doc({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "arn:aws:s3:::b/*" }))).toBe(false);
  });
});

describe("access summary (console Access column)", () => {
  const allOn = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
  const allOff = { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false };
  const publicPolicy = doc({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" });
  it("Bucket and objects not public: all four settings on", () => expect(accessSummary(null, allOn)).toBe("Bucket and objects not public"));
  it("Objects can be public: settings off, policy not public", () => expect(accessSummary(null, allOff)).toBe("Objects can be public"));
  it("Public: a public policy that is not restricted", () => expect(accessSummary(publicPolicy, allOff)).toBe("Public"));
  it("RestrictPublicBuckets neutralises a public policy", () => {
    expect(accessSummary(publicPolicy, { ...allOff, RestrictPublicBuckets: true })).toBe("Objects can be public");
    expect(accessSummary(publicPolicy, allOn)).toBe("Bucket and objects not public");
  });
});

function s3ErrorOf(fn: () => unknown): IamError {
  try {
    fn();
  } catch (e) {
    if (e instanceof IamError) return e;
    throw e;
  }
  throw new Error("expected an IamError");
}

describe("bucket policy validation (PutBucketPolicy)", () => {
  const ok = { Effect: "Allow", Principal: { AWS: "arn:aws:iam::222233334444:root" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" };
  it("accepts a policy on the bucket and its objects", () => {
    expect(() => validateBucketPolicy(doc(ok), "b")).not.toThrow();
    expect(() => validateBucketPolicy(doc({ ...ok, Action: ["s3:ListBucket"], Resource: "arn:aws:s3:::b" }), "b")).not.toThrow();
  });
  it("refuses a resource of another bucket: Policy has invalid resource", () => {
    const e = s3ErrorOf(() => validateBucketPolicy(doc({ ...ok, Resource: "arn:aws:s3:::other/*" }), "b"));
    expect(e.code).toBe("MalformedPolicy");
    expect(e.message).toBe("Policy has invalid resource");
  });
  it("refuses a non-S3 action: Policy has invalid action", () => {
    expect(s3ErrorOf(() => validateBucketPolicy(doc({ ...ok, Action: "iam:PassRole" }), "b")).message).toBe("Policy has invalid action");
  });
  it("refuses a statement without Principal", () => {
    const { Principal: _p, ...noPrincipal } = ok;
    void _p;
    expect(s3ErrorOf(() => validateBucketPolicy(doc(noPrincipal), "b")).message).toBe("Missing required field Principal");
  });
  it("refuses an invalid principal", () => {
    expect(s3ErrorOf(() => validateBucketPolicy(doc({ ...ok, Principal: { AWS: "not-an-account" } }), "b")).message).toBe("Invalid principal in policy");
  });
  it("refuses a bucket action on object resources only", () => {
    expect(s3ErrorOf(() => validateBucketPolicy(doc({ ...ok, Action: "s3:ListBucket", Resource: "arn:aws:s3:::b/*" }), "b")).message).toBe(
      "Action does not apply to any resource(s) in statement",
    );
  });
  it("refuses text that is not JSON", () => {
    expect(s3ErrorOf(() => validateBucketPolicy("not json", "b")).message).toBe("Policies must be valid JSON and the first byte must be '{'");
  });
});

describe("listing helpers", () => {
  it("successor is greater than every key under the prefix and than the prefix itself", () => {
    const s = successor("photos/");
    for (const k of ["photos/", "photos/a", "photos/\uffff", "photos/zzz/zz"]) expect(k < s).toBe(true);
    expect("photos0" >= s).toBe(true);
  });
  it("round-trips continuation tokens and refuses garbage with S3's message", () => {
    const c = { after: "a/b/c.txt", prefix: false };
    expect(decodeContinuationToken(encodeContinuationToken(c))).toEqual(c);
    const e = s3ErrorOf(() => decodeContinuationToken("%%%"));
    expect(e.code).toBe("InvalidArgument");
    expect(e.message).toBe("The continuation token provided is incorrect");
  });
});
