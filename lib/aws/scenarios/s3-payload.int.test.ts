// S3 uploads in every SigV4 payload mode over real HTTP to the API handler (this
// file's own database): signed aws-chunked bodies (STREAMING-AWS4-HMAC-SHA256-PAYLOAD
// with and without a signed trailer), unsigned trailers, and bad ones: a chunk
// tampered mid-stream, a short body, a wrong checksum. Each bad upload gets
// AWS's error and status, stores nothing, and the server keeps serving.
import crypto from "node:crypto";
import http from "node:http";
import zlib from "node:zlib";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodeSha256 } from "../node-sha256";
import { encodeAwsChunked } from "../s3-payload/encode";
import { EMPTY_SHA256, signingKey } from "../sigv4";
import { issueKey, startTestApi, type TestApi } from "../test-server";
import type { Creds } from "./cli";

let api: TestApi;
let admin: Creds;
const BUCKET = "payload-modes";

type Reply = { status: number; body: string };

/** One request signed by the SDK's signer; `contentSha256` is the payload mode it signs. */
async function signedRequest(method: string, path: string, contentSha256: string, extra: Record<string, string>, body?: Buffer): Promise<{ reply: Reply; seed: string; amzDate: string; scope: string }> {
  const signer = new SignatureV4({ credentials: admin, region: "us-east-1", service: "s3", sha256: NodeSha256, uriEscapePath: false });
  const host = api.endpoint.replace("http://", "");
  const signed = await signer.sign({ method, protocol: "http:", hostname: "127.0.0.1", port: api.port, path, query: {}, headers: { host, "x-amz-content-sha256": contentSha256, ...extra } });
  const authorization = String(signed.headers.authorization);
  const seed = /Signature=([0-9a-f]{64})/.exec(authorization)![1]!;
  const amzDate = String(signed.headers["x-amz-date"]);
  const reply = await send(method, path, signed.headers as Record<string, string>, body);
  return { reply, seed, amzDate, scope: `${amzDate.slice(0, 8)}/us-east-1/s3/aws4_request` };
}

function send(method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: api.port, method, path, headers: { ...headers, "content-length": body?.length ?? 0 } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** A chunked PUT whose body is built once the seed signature is known (the signature covers the headers only). */
async function chunkedPut(key: string, mode: string, data: Buffer, build: (signing: { signingKey: Buffer; seedSignature: string; amzDate: string; scope: string }) => Buffer, extra: Record<string, string> = {}): Promise<Reply> {
  const signer = new SignatureV4({ credentials: admin, region: "us-east-1", service: "s3", sha256: NodeSha256, uriEscapePath: false });
  const host = api.endpoint.replace("http://", "");
  const path = `/${BUCKET}/${key}`;
  const headers = { host, "x-amz-content-sha256": mode, "content-encoding": "aws-chunked", "x-amz-decoded-content-length": String(data.length), ...extra };
  const signed = await signer.sign({ method: "PUT", protocol: "http:", hostname: "127.0.0.1", port: api.port, path, query: {}, headers });
  const amzDate = String(signed.headers["x-amz-date"]);
  const seedSignature = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))![1]!;
  const body = build({ signingKey: signingKey(admin.secretAccessKey, amzDate.slice(0, 8), "us-east-1", "s3"), seedSignature, amzDate, scope: `${amzDate.slice(0, 8)}/us-east-1/s3/aws4_request` });
  return send("PUT", path, signed.headers as Record<string, string>, body);
}

const get = async (key: string) => (await signedRequest("GET", `/${BUCKET}/${key}`, EMPTY_SHA256, {})).reply;
const crc32 = (d: Buffer) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(zlib.crc32(d));
  return b.toString("base64");
};
const code = (r: Reply) => /<Code>([^<]*)<\/Code>/.exec(r.body)?.[1];

beforeAll(async () => {
  api = await startTestApi();
  admin = await issueKey("admin");
  const made = await signedRequest("PUT", `/${BUCKET}`, EMPTY_SHA256, {});
  expect(made.reply.status).toBe(200);
});
afterAll(() => api.close());

describe("S3 payload modes over HTTP", () => {
  const data = crypto.randomBytes(150_000);

  it("stores signed aws-chunked uploads (with and without a signed CRC32 trailer) and an unsigned one with a CRC32 trailer", async () => {
    const plain = await chunkedPut("signed.bin", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", data, (signing) => encodeAwsChunked(data, { signing }));
    expect(plain.status).toBe(200);
    expect((await get("signed.bin")).body).toBe(data.toString());
    const trailer = await chunkedPut("signed-trailer.bin", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", data, (signing) => encodeAwsChunked(data, { signing, trailers: [["x-amz-checksum-crc32", crc32(data)]] }), {
      "x-amz-trailer": "x-amz-checksum-crc32",
    });
    expect(trailer.status).toBe(200);
    const unsigned = await chunkedPut("unsigned-trailer.bin", "STREAMING-UNSIGNED-PAYLOAD-TRAILER", data, () => encodeAwsChunked(data, { trailers: [["x-amz-checksum-crc32", crc32(data)]] }), {
      "x-amz-trailer": "x-amz-checksum-crc32",
    });
    expect(unsigned.status).toBe(200);
  });

  it("refuses a chunk tampered mid-stream (SignatureDoesNotMatch), a short body (IncompleteBody) and a wrong trailer (BadDigest), storing nothing", async () => {
    const tampered = await chunkedPut("tampered.bin", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", data, (signing) => {
      const body = encodeAwsChunked(data, { signing });
      body[body.length - 5_000] ^= 1;
      return body;
    });
    expect([tampered.status, code(tampered)]).toEqual([403, "SignatureDoesNotMatch"]);
    expect((await get("tampered.bin")).status).toBe(404);

    const short = await chunkedPut("short.bin", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", data, (signing) => encodeAwsChunked(data.subarray(0, 100_000), { signing }));
    expect([short.status, code(short)]).toEqual([400, "IncompleteBody"]);
    expect((await get("short.bin")).status).toBe(404);

    const wrong = await chunkedPut("wrong-crc.bin", "STREAMING-UNSIGNED-PAYLOAD-TRAILER", data, () => encodeAwsChunked(data, { trailers: [["x-amz-checksum-crc32", "AAAAAA=="]] }), {
      "x-amz-trailer": "x-amz-checksum-crc32",
    });
    expect([wrong.status, code(wrong)]).toEqual([400, "BadDigest"]);
    expect((await get("wrong-crc.bin")).status).toBe(404);

    // The hex payload hash of another body.
    const other = await signedRequest("PUT", `/${BUCKET}/sha-mismatch.bin`, crypto.createHash("sha256").update("something else").digest("hex"), {}, data);
    expect([other.reply.status, code(other.reply)]).toEqual([400, "XAmzContentSHA256Mismatch"]);
    expect((await get("sha-mismatch.bin")).status).toBe(404);

    // And the server keeps serving.
    expect((await get("signed.bin")).status).toBe(200);
  });
});
