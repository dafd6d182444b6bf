// SigV4 as S3 uses it, with requests made by the AWS SDK itself: @aws-sdk/client-s3
// with a request handler that captures instead of sending (so the request is the
// SDK's own: its key encoding, default checksums, aws-chunked trailers), and
// @smithy/signature-v4 for presigned GET and PUT URLs. S3's canonical URI is the
// path as sent (not encoded twice), expired URLs are AccessDenied, clock skew is
// RequestTimeTooSkewed, unsigned requests are anonymous.
import { Readable } from "node:stream";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { SignatureV4 } from "@smithy/signature-v4";
import { describe, expect, it } from "vitest";
import { AwsApiError } from "./errors";
import { NodeSha256 } from "./node-sha256";
import { s3PayloadStream } from "./s3-payload";
import { checkRequestTime, headersFromRaw, parseSignature, type RawRequest, signingKeyFor, verifyRequest } from "./sigv4";

const KEY_ID = "AKIAIOSFODNN7EXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const ODD_KEY = "a b/ü+%!'()*~=&?#[]@$,;:.txt";

type Captured = { method: string; path: string; query: Record<string, string | string[] | null>; headers: Record<string, string>; body?: unknown };

/** Runs an S3 command through the SDK and returns the request it would have sent. */
async function captured(command: GetObjectCommand | ListObjectsV2Command | PutObjectCommand, opts: { token?: string; at?: Date } = {}): Promise<{ raw: RawRequest; body?: unknown }> {
  let seen: Captured | undefined;
  const client = new S3Client({
    endpoint: "http://127.0.0.1:4605",
    region: "us-east-1",
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET, sessionToken: opts.token },
    systemClockOffset: opts.at ? opts.at.getTime() - Date.now() : 0,
    requestHandler: {
      handle: async (req: Captured) => {
        seen = req;
        throw new Error("captured");
      },
    } as never,
  });
  await client.send(command as never).catch(() => undefined);
  if (!seen) throw new Error("the SDK sent nothing");
  const query = Object.entries(seen.query)
    .flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]))
    .map(([k, v]) => (v === null ? encodeURIComponent(k!) : `${encodeURIComponent(k!)}=${encodeURIComponent(v!)}`))
    .join("&");
  return { raw: { method: seen.method, path: seen.path, query, headers: headersFromRaw(Object.entries(seen.headers).flat()) }, body: seen.body };
}

/** Parses, checks the time (S3's codes) and verifies as authenticateS3 does; the AWS error code or "ok". */
function check(raw: RawRequest, now = new Date(), secret = SECRET): string {
  try {
    const sig = parseSignature(raw);
    if (!sig) return "anonymous";
    checkRequestTime(sig, now, true);
    verifyRequest(raw, sig, secret, undefined);
    return "ok";
  } catch (err) {
    if (err instanceof AwsApiError) return `${err.code} ${err.status}: ${err.message}`;
    throw err;
  }
}

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of stream) parts.push(typeof p === "string" ? Buffer.from(p) : (p as Buffer));
  return Buffer.concat(parts);
}

describe("requests signed by @aws-sdk/client-s3", () => {
  it("signs the key's path as sent: odd characters are encoded once, and that is what S3 verifies", async () => {
    const { raw } = await captured(new GetObjectCommand({ Bucket: "bucket", Key: ODD_KEY }));
    expect(raw.path).toBe("/bucket/a%20b/%C3%BC%2B%25%21%27%28%29%2A~%3D%26%3F%23%5B%5D%40%24%2C%3B%3A.txt");
    expect(check(raw)).toBe("ok");
    // The same key encoded another (equivalent) way is another canonical URI: refused, with S3's message.
    expect(check({ ...raw, path: raw.path.replace("%20", "+") })).toBe(
      "SignatureDoesNotMatch 403: The request signature we calculated does not match the signature you provided. Check your key and signing method.",
    );
    expect(check({ ...raw, path: raw.path.replace("%C3%BC", "%c3%bc") })).toMatch(/^SignatureDoesNotMatch/);
  });

  it("signs queries (ListObjectsV2 with prefix and delimiter) and session tokens", async () => {
    const { raw } = await captured(new ListObjectsV2Command({ Bucket: "bucket", Prefix: "a b/ü", Delimiter: "/", ContinuationToken: "x+y=z" }), { token: "FwoGZXIvYXdzEXAMPLE" });
    expect(parseSignature(raw)?.securityToken).toBe("FwoGZXIvYXdzEXAMPLE");
    expect(check(raw)).toBe("ok");
    expect(check({ ...raw, query: raw.query.replace("prefix=", "prefix=x") })).toMatch(/^SignatureDoesNotMatch/);
    expect(check({ ...raw, headers: { ...raw.headers, "x-amz-security-token": ["other"] } })).toMatch(/^SignatureDoesNotMatch/);
  });

  it("PutObject of a buffer: x-amz-content-sha256 is the body's digest and the CRC32 goes in a header; both checked", async () => {
    const data = Buffer.from("hello, S3 ".repeat(1000));
    const { raw, body } = await captured(new PutObjectCommand({ Bucket: "bucket", Key: ODD_KEY, Body: data }));
    expect(raw.headers["x-amz-content-sha256"]?.[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(raw.headers["x-amz-checksum-crc32"]).toBeDefined();
    expect(check(raw)).toBe("ok");
    const sig = parseSignature(raw)!;
    const out = s3PayloadStream(Readable.from([body as Buffer]), { headers: raw.headers, signature: sig, signingKey: signingKeyFor(sig, SECRET) });
    expect((await readAll(out)).equals(data)).toBe(true);
    expect(out.summary?.checksum?.algorithm).toBe("CRC32");
    // Another body under the same signature: refused at the end of the stream.
    const other = s3PayloadStream(Readable.from([Buffer.from(data).fill(0x41, 0, 1)]), { headers: raw.headers, signature: sig });
    await expect(readAll(other)).rejects.toMatchObject({ code: "XAmzContentSHA256Mismatch" });
  });

  it("PutObject of a stream: the SDK's default aws-chunked body with a CRC32 trailer (STREAMING-UNSIGNED-PAYLOAD-TRAILER)", async () => {
    const data = Buffer.alloc(300_000, 7);
    data.write("start", 0);
    const { raw, body } = await captured(new PutObjectCommand({ Bucket: "bucket", Key: "big", Body: Readable.from([data.subarray(0, 100_000), data.subarray(100_000)]), ContentLength: data.length }));
    expect(raw.headers["x-amz-content-sha256"]?.[0]).toBe("STREAMING-UNSIGNED-PAYLOAD-TRAILER");
    expect(raw.headers["x-amz-trailer"]?.[0]).toBe("x-amz-checksum-crc32");
    expect(check(raw)).toBe("ok");
    const sig = parseSignature(raw)!;
    const out = s3PayloadStream(body as Readable, { headers: raw.headers, signature: sig, signingKey: signingKeyFor(sig, SECRET) });
    expect((await readAll(out)).equals(data)).toBe(true);
    expect(out.summary).toMatchObject({ length: 300_000, checksum: { algorithm: "CRC32" } });
  });

  it("refuses a header-signed request more than 15 minutes off with RequestTimeTooSkewed", async () => {
    const now = new Date();
    const { raw } = await captured(new GetObjectCommand({ Bucket: "bucket", Key: "k" }), { at: new Date(now.getTime() - 16 * 60_000) });
    expect(check(raw, now)).toBe("RequestTimeTooSkewed 403: The difference between the request time and the current time is too large.");
    const { raw: ahead } = await captured(new GetObjectCommand({ Bucket: "bucket", Key: "k" }), { at: new Date(now.getTime() + 16 * 60_000) });
    expect(check(ahead, now)).toMatch(/^RequestTimeTooSkewed 403/);
    const { raw: close } = await captured(new GetObjectCommand({ Bucket: "bucket", Key: "k" }), { at: new Date(now.getTime() - 14 * 60_000) });
    expect(check(close, now)).toBe("ok");
  });

  it("treats a request without any signature as anonymous", () => {
    expect(check({ method: "GET", path: "/public-bucket/k", query: "", headers: headersFromRaw(["Host", "127.0.0.1:4605"]) })).toBe("anonymous");
  });
});

describe("presigned GET and PUT URLs (@smithy/signature-v4, as the SDK's presigner)", () => {
  const signer = new SignatureV4({ credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET }, region: "us-east-1", service: "s3", sha256: NodeSha256, uriEscapePath: false });

  async function presign(method: "GET" | "PUT", expiresIn: number, signingDate: Date): Promise<RawRequest> {
    const request = {
      method,
      protocol: "http:",
      hostname: "127.0.0.1",
      port: 4605,
      path: `/bucket/${ODD_KEY.split("/").map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join("/")}`,
      query: {},
      headers: { host: "127.0.0.1:4605", "x-amz-content-sha256": "UNSIGNED-PAYLOAD" } as Record<string, string>,
    };
    const signed = await signer.presign(request, { expiresIn, signingDate });
    const query = Object.entries(signed.query ?? {})
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
      .join("&");
    // The client sends the URL alone: no x-amz-content-sha256 header.
    return { method, path: signed.path, query, headers: headersFromRaw(["Host", "127.0.0.1:4605"]) };
  }

  it("verifies GET and PUT within their lifetime, and refuses them after it with AccessDenied 'Request has expired'", async () => {
    const at = new Date(Date.now() - 1000);
    for (const method of ["GET", "PUT"] as const) {
      const url = await presign(method, 3600, at);
      expect(check(url, new Date(at.getTime() + 3_599_000))).toBe("ok");
      expect(check(url, new Date(at.getTime() + 3_601_000))).toBe("AccessDenied 403: Request has expired");
      expect(check({ ...url, method: method === "GET" ? "PUT" : "GET" }, at)).toMatch(/^SignatureDoesNotMatch 403/);
      expect(check({ ...url, query: url.query.replace("X-Amz-Expires=3600", "X-Amz-Expires=36000") }, at)).toMatch(/^SignatureDoesNotMatch 403/);
    }
  });

  it("takes X-Amz-Expires up to seven days and no more", async () => {
    const at = new Date();
    const week = await presign("GET", 604_800, at);
    expect(check(week, new Date(at.getTime() + 604_799_000))).toBe("ok");
    expect(check(week, new Date(at.getTime() + 604_801_000))).toBe("AccessDenied 403: Request has expired");
    expect(check({ ...week, query: week.query.replace("X-Amz-Expires=604800", "X-Amz-Expires=604801") }, at)).toMatch(/^IncompleteSignature 400: X-Amz-Expires must be less than a week/);
  });

  it("a presigned PUT's body is taken as it comes (UNSIGNED-PAYLOAD)", async () => {
    const url = await presign("PUT", 60, new Date());
    const out = s3PayloadStream(Readable.from([Buffer.from("anything")]), { headers: url.headers, signature: parseSignature(url) });
    expect((await readAll(out)).toString()).toBe("anything");
  });
});
