// SigV4 as the server checks it: AWS's published test vectors, signatures made
// by @smithy/signature-v4 (the AWS SDK's signer), tampered requests, times,
// presigned URLs, malformed headers, and a fuzz run that must never crash.
import { SignatureV4 } from "@smithy/signature-v4";
import { NodeSha256 } from "./node-sha256";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AwsApiError } from "./errors";
import {
  canonicalQuery,
  canonicalUri,
  checkRequestTime,
  EMPTY_SHA256,
  headersFromRaw,
  parseAmzDate,
  parseSignature,
  payloadHashOf,
  type RawRequest,
  removeDotSegments,
  sha256Hex,
  signaturesEqual,
  verifySignature,
} from "./sigv4";

const AKID = "AKIDEXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const DATE = "20150830T123600Z";

function raw(method: string, target: string, headers: [string, string][]): RawRequest {
  const q = target.indexOf("?");
  return { method, path: q < 0 ? target : target.slice(0, q), query: q < 0 ? "" : target.slice(q + 1), headers: headersFromRaw(headers.flat()) };
}

/** Parses and verifies; returns the AWS error code, or "ok". */
function check(req: RawRequest, body?: Uint8Array, secret = SECRET): string {
  try {
    const sig = parseSignature(req);
    if (!sig) return "unsigned";
    verifySignature(req, sig, secret, payloadHashOf(sig, body));
    return "ok";
  } catch (err) {
    if (err instanceof AwsApiError) return err.code;
    throw err;
  }
}

const auth = (scope: string, signed: string, signature: string) => `AWS4-HMAC-SHA256 Credential=${AKID}/${scope}, SignedHeaders=${signed}, Signature=${signature}`;

describe("AWS's SigV4 test vectors (aws-sig-v4-test-suite, Credential AKIDEXAMPLE, 20150830T123600Z)", () => {
  const vectors: { name: string; method: string; target: string; headers: [string, string][]; body?: string; signed: string; signature: string; scope?: string }[] = [
    {
      name: "get-vanilla",
      method: "GET",
      target: "/",
      headers: [["Host", "example.amazonaws.com"], ["X-Amz-Date", DATE]],
      signed: "host;x-amz-date",
      signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
    },
    {
      name: "get-vanilla-query-order-key-case",
      method: "GET",
      target: "/?Param2=value2&Param1=value1",
      headers: [["Host", "example.amazonaws.com"], ["X-Amz-Date", DATE]],
      signed: "host;x-amz-date",
      signature: "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
    },
    {
      name: "post-x-www-form-urlencoded",
      method: "POST",
      target: "/",
      headers: [["Content-Type", "application/x-www-form-urlencoded"], ["Host", "example.amazonaws.com"], ["X-Amz-Date", DATE]],
      body: "Param1=value1",
      signed: "content-type;host;x-amz-date",
      signature: "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a",
    },
    {
      name: "IAM ListUsers (the SigV4 page's worked example)",
      method: "GET",
      target: "/?Action=ListUsers&Version=2010-05-08",
      headers: [["Content-Type", "application/x-www-form-urlencoded; charset=utf-8"], ["Host", "iam.amazonaws.com"], ["X-Amz-Date", DATE]],
      signed: "content-type;host;x-amz-date",
      signature: "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
      scope: "20150830/us-east-1/iam/aws4_request",
    },
  ];
  for (const v of vectors) {
    it(v.name, () => {
      const scope = v.scope ?? "20150830/us-east-1/service/aws4_request";
      const req = raw(v.method, v.target, [...v.headers, ["Authorization", auth(scope, v.signed, v.signature)]]);
      const sig = parseSignature(req)!;
      expect(sig).toMatchObject({ accessKeyId: AKID, scopeDate: "20150830", amzDate: DATE, kind: "header" });
      expect(check(req, v.body === undefined ? undefined : Buffer.from(v.body))).toBe("ok");
      // One hex digit off: refused.
      const bad = v.signature.slice(0, -1) + (v.signature.endsWith("0") ? "1" : "0");
      expect(check(raw(v.method, v.target, [...v.headers, ["Authorization", auth(scope, v.signed, bad)]]), v.body ? Buffer.from(v.body) : undefined)).toBe("SignatureDoesNotMatch");
    });
  }
});

describe("canonical forms", () => {
  it("removes dot segments and empty segments from non-S3 paths, and encodes them again", () => {
    expect(removeDotSegments("/example/..")).toBe("/");
    expect(removeDotSegments("/./")).toBe("/");
    expect(removeDotSegments("//example//")).toBe("/example/");
    expect(canonicalUri("/a%20b", "iam")).toBe("/a%2520b");
    expect(canonicalUri("/a%20b/../c", "s3")).toBe("/a%20b/../c");
  });
  it("sorts query parameters by key then value and re-encodes them", () => {
    expect(canonicalQuery("b=2&a=2&a=1&c", false)).toBe("a=1&a=2&b=2&c=");
    expect(canonicalQuery("k=a%20b&x=%7E&y=%2F", false)).toBe("k=a%20b&x=~&y=%2F");
    expect(canonicalQuery("X-Amz-Signature=abc&X-Amz-Date=1", true)).toBe("X-Amz-Date=1");
  });
  it("parses only real dates", () => {
    expect(parseAmzDate(DATE)?.toISOString()).toBe("2015-08-30T12:36:00.000Z");
    expect(parseAmzDate("20150231T000000Z")).toBeNull();
    expect(parseAmzDate("2015-08-30T12:36:00Z")).toBeNull();
  });
  it("compares signatures of any length without throwing", () => {
    expect(signaturesEqual("abc", "abc")).toBe(true);
    expect(signaturesEqual("abc", "abcd")).toBe(false);
    expect(signaturesEqual("abc", "")).toBe(false);
  });
});

/** A request signed by the AWS SDK's own signer, as our parser receives it. */
async function smithySigned(opts: {
  service: string;
  method?: string;
  path?: string;
  query?: Record<string, string>;
  body?: string;
  token?: string;
  presign?: number;
  at?: Date;
}) {
  const signer = new SignatureV4({
    credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: SECRET, sessionToken: opts.token },
    region: "us-east-1",
    service: opts.service,
    sha256: NodeSha256,
    uriEscapePath: opts.service !== "s3",
  });
  const request = {
    method: opts.method ?? "POST",
    protocol: "http:",
    hostname: "127.0.0.1",
    port: 4566,
    path: opts.path ?? "/",
    query: opts.query ?? {},
    headers: { host: "127.0.0.1:4566", "content-type": "application/x-www-form-urlencoded; charset=utf-8" } as Record<string, string>,
    body: opts.body,
  };
  // S3's presigner signs UNSIGNED-PAYLOAD, as botocore does; the header is not sent.
  if (opts.service === "s3" && opts.presign) request.headers["x-amz-content-sha256"] = "UNSIGNED-PAYLOAD";
  const signed = opts.presign
    ? await signer.presign(request, { expiresIn: opts.presign, signingDate: opts.at })
    : await signer.sign(request, { signingDate: opts.at });
  const query = Object.entries(signed.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join("&");
  const headers = Object.entries(signed.headers).filter(([k]) => !(opts.service === "s3" && opts.presign && k === "x-amz-content-sha256"));
  return { method: signed.method, path: signed.path, query, headers: headersFromRaw(headers.flat() as string[]) } satisfies RawRequest;
}

describe("signatures made by @smithy/signature-v4 (the AWS SDK's signer)", () => {
  const body = "Action=CreateUser&UserName=alice%20b&Version=2010-05-08&Tags.member.1.Key=team";

  it("verifies header signatures, with and without a session token", async () => {
    expect(check(await smithySigned({ service: "iam", body }), Buffer.from(body))).toBe("ok");
    const withToken = await smithySigned({ service: "sts", body, token: "IQoJb3JpZ2luX2VjEXAMPLE" });
    expect(parseSignature(withToken)?.securityToken).toBe("IQoJb3JpZ2luX2VjEXAMPLE");
    expect(check(withToken, Buffer.from(body))).toBe("ok");
  });

  it("verifies presigned URLs, including the path and query of S3 requests", async () => {
    const iam = await smithySigned({ service: "iam", method: "GET", query: { Action: "ListUsers", Version: "2010-05-08" }, presign: 300 });
    expect(parseSignature(iam)).toMatchObject({ kind: "query", expiresSeconds: 300 });
    expect(check(iam)).toBe("ok");
    const s3 = await smithySigned({ service: "s3", method: "GET", path: "/bucket/a%20key/%E2%82%AC", query: { "response-content-type": "text/plain" }, presign: 3600 });
    expect(check(s3)).toBe("ok");
  });

  it("refuses every tampered part: body, header, path, query, method, secret, token", async () => {
    const req = await smithySigned({ service: "iam", body, token: "token-1" });
    expect(check(req, Buffer.from(body.replace("alice", "alicf")))).toBe("SignatureDoesNotMatch");
    const { "x-amz-content-sha256": _claim, ...unclaimed } = req.headers;
    expect(check({ ...req, headers: unclaimed }, Buffer.from(body))).toBe("SignatureDoesNotMatch");
    expect(check({ ...req, headers: { ...req.headers, host: ["127.0.0.1:4567"] } }, Buffer.from(body))).toBe("SignatureDoesNotMatch");
    expect(check({ ...req, headers: { ...req.headers, "x-amz-security-token": ["token-2"] } }, Buffer.from(body))).toBe("SignatureDoesNotMatch");
    expect(check({ ...req, path: "/x" }, Buffer.from(body))).toBe("SignatureDoesNotMatch");
    expect(check({ ...req, query: "a=b" }, Buffer.from(body))).toBe("SignatureDoesNotMatch");
    expect(check({ ...req, method: "PUT" }, Buffer.from(body))).toBe("SignatureDoesNotMatch");
    expect(check(req, Buffer.from(body), SECRET.replace("K7", "K8"))).toBe("SignatureDoesNotMatch");
    // One byte changed in a presigned URL.
    const url = await smithySigned({ service: "sts", method: "GET", query: { Action: "GetCallerIdentity", Version: "2011-06-15" }, presign: 60 });
    expect(check({ ...url, query: url.query.replace("GetCallerIdentity", "GetCallerIdentitx") })).toBe("SignatureDoesNotMatch");
    expect(check({ ...url, query: url.query.replace(/X-Amz-Expires=60/, "X-Amz-Expires=61") })).toBe("SignatureDoesNotMatch");
  });
});

describe("request time", () => {
  const at = new Date("2026-03-01T10:00:00Z");
  const sigAt = async (offsetMs: number, presign?: number) => parseSignature(await smithySigned({ service: "iam", body: "", at: new Date(at.getTime() + offsetMs), presign }))!;
  const code = (f: () => void) => {
    try {
      f();
      return "ok";
    } catch (err) {
      return `${(err as AwsApiError).code}: ${(err as AwsApiError).message}`;
    }
  };

  it("accepts 15 minutes of clock skew either way, and refuses more with AWS's message", async () => {
    const early = await sigAt(-15 * 60_000);
    expect(code(() => checkRequestTime(early, at))).toBe("ok");
    const ahead = await sigAt(14 * 60_000);
    expect(code(() => checkRequestTime(ahead, at))).toBe("ok");
    expect(code(() => checkRequestTime(early, new Date(at.getTime() + 1000)))).toBe(
      "SignatureDoesNotMatch: Signature expired: 20260301T094500Z is now earlier than 20260301T094501Z (20260301T100001Z - 15 min.)",
    );
    expect(code(() => checkRequestTime(early, new Date(at.getTime() + 1000), true))).toMatch(/^RequestTimeTooSkewed/);
    const late = await sigAt(16 * 60_000);
    expect(code(() => checkRequestTime(late, at))).toMatch(/^SignatureDoesNotMatch: Signature not yet current: 20260301T101600Z is still later than/);
  });

  it("honours X-Amz-Expires of presigned URLs, up to seven days", async () => {
    const url = await sigAt(0, 60);
    expect(code(() => checkRequestTime(url, new Date(at.getTime() + 59_000)))).toBe("ok");
    expect(code(() => checkRequestTime(url, new Date(at.getTime() + 61_000)))).toMatch(/^SignatureDoesNotMatch: Signature expired/);
    expect(code(() => checkRequestTime(url, new Date(at.getTime() + 61_000), true))).toBe("AccessDenied: Request has expired");
    const week = await sigAt(0, 604_800);
    expect(code(() => checkRequestTime(week, new Date(at.getTime() + 6 * 86_400_000)))).toBe("ok");
    const req = await smithySigned({ service: "iam", method: "GET", query: { Action: "ListUsers" }, presign: 60 });
    expect(code(() => parseSignature({ ...req, query: req.query.replace("X-Amz-Expires=60", "X-Amz-Expires=604801") }))).toMatch(/^IncompleteSignature: X-Amz-Expires must be less than a week/);
  });
});

describe("malformed signatures get AWS's codes", () => {
  const base: [string, string][] = [["Host", "h"], ["X-Amz-Date", DATE]];
  const parse = (authorization: string, headers = base) => {
    try {
      parseSignature(raw("POST", "/", [...headers, ["Authorization", authorization]]));
      return "ok";
    } catch (err) {
      return `${(err as AwsApiError).code} ${(err as AwsApiError).status}: ${(err as AwsApiError).message}`;
    }
  };
  it.each([
    ["AWS AKID:sig", /^IncompleteSignature 400/],
    ["AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request", /^IncompleteSignature 400: Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter./],
    ["AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/iam/aws4_request, SignedHeaders=host, Signature=00", /^IncompleteSignature 400: Credential must have exactly 5 slash-delimited elements/],
    ["AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150831/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=00", /^SignatureDoesNotMatch 403: Date in Credential scope does not match/],
    ["AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws5_request, SignedHeaders=host, Signature=00", /^SignatureDoesNotMatch 403: Credential should be scoped with a valid terminator/],
    ["AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=x-amz-date, Signature=00", /^SignatureDoesNotMatch 403: 'Host'/],
    ["AWS4-HMAC-SHA256 Credential=AKID%00/20150830/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=00", /^InvalidClientTokenId 403/],
  ])("%s", (authorization, expected) => {
    expect(parse(authorization)).toMatch(expected);
  });
  it("needs a date", () => {
    expect(parse("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=00", [["Host", "h"]])).toMatch(
      /requires existence of either a 'X-Amz-Date' or a 'Date' header/,
    );
  });
  it("treats a request without Authorization or X-Amz-* parameters as unsigned", () => {
    expect(parseSignature(raw("GET", "/?Action=ListUsers", base))).toBeNull();
    expect(() => parseSignature(raw("GET", "/?X-Amz-Algorithm=AWS4-HMAC-SHA256", base))).toThrow(/must include 'X-Amz-Credential'/);
  });
});

describe("fuzz: random and mutated requests never crash the parser or the verifier", () => {
  it("only ever throws AwsApiError", async () => {
    const good = await smithySigned({ service: "iam", body: "Action=ListUsers&Version=2010-05-08" });
    const authorization = good.headers.authorization![0]!;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: "binary" }),
          fc.tuple(fc.nat({ max: authorization.length }), fc.string({ maxLength: 4 })).map(([i, s]) => authorization.slice(0, i) + s + authorization.slice(i + 1)),
        ),
        fc.string(),
        fc.string({ unit: "binary" }),
        (auth, query, date) => {
          const req: RawRequest = { ...good, query, headers: { ...good.headers, authorization: [auth], "x-amz-date": [date] } };
          for (const r of [req, { ...req, headers: { ...req.headers, authorization: undefined as never } }]) {
            try {
              const sig = parseSignature(r);
              if (sig) {
                checkRequestTime(sig, new Date());
                verifySignature(r, sig, SECRET, payloadHashOf(sig, Buffer.from("x")));
              }
            } catch (err) {
              if (!(err instanceof AwsApiError)) throw err;
            }
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("hashes an empty body as AWS's empty-payload hash", () => {
    expect(sha256Hex("")).toBe(EMPTY_SHA256);
  });
});
