// Bad input on the S3 REST door, each answered with S3's code and status, with
// nothing half-written and the server still serving: malformed XML bodies, a
// body shorter or longer than its Content-Length, odd keys (Unicode, "..",
// longer than 1,024 bytes), bad bucket names and unknown subresources. (A
// presigned URL with one byte changed: s3-cli.int.test.ts, with aws s3 presign.)
import crypto from "node:crypto";
import http from "node:http";
import net from "node:net";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { NodeSha256 } from "../node-sha256";
import { EMPTY_SHA256 } from "../sigv4";
import { issueKey, sdkFailure, startTestApi, type TestApi } from "../test-server";
import { aws, type Creds } from "./cli";

const BUCKET = "bad-input-bucket";

let api: TestApi;
let admin: Creds;
let s3: S3Client;

type Reply = { status: number; body: string; headers: http.IncomingHttpHeaders };
const codeOf = (r: { body: string }) => /<Code>([^<]*)<\/Code>/.exec(r.body)?.[1];
const sha256 = (b: Buffer | string) => crypto.createHash("sha256").update(b).digest("hex");

const signer = () => new SignatureV4({ credentials: admin, region: "us-east-1", service: "s3", sha256: NodeSha256, uriEscapePath: false });

/** Signed headers for a request (path already percent-encoded; query as pairs). */
async function sign(method: string, path: string, query: Record<string, string>, contentSha256: string, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const signed = await signer().sign({ method, protocol: "http:", hostname: "127.0.0.1", port: api.port, path, query, headers: { host: `127.0.0.1:${api.port}`, "x-amz-content-sha256": contentSha256, ...extra } });
  return signed.headers as Record<string, string>;
}

function send(method: string, pathAndQuery: string, headers: Record<string, string>, body?: Buffer | string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const b = body === undefined ? undefined : Buffer.from(body);
    const req = http.request({ host: "127.0.0.1", port: api.port, method, path: pathAndQuery, headers: { ...headers, "content-length": b?.length ?? 0 } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), headers: res.headers }));
    });
    req.on("error", reject);
    req.end(b);
  });
}

async function signedSend(method: string, path: string, query: Record<string, string>, body?: string): Promise<Reply> {
  const qs = new URLSearchParams(query).toString().replace(/=(&|$)/g, "$1");
  return send(method, `${path}${qs ? `?${qs}` : ""}`, await sign(method, path, query, body === undefined ? EMPTY_SHA256 : sha256(body)), body);
}

/** Raw bytes on a socket: the head as written, then `body`, then the client stops writing. */
function rawExchange(head: string, body: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port: api.port, allowHalfOpen: true });
    const chunks: Buffer[] = [];
    socket.on("data", (c) => chunks.push(c));
    socket.on("error", () => undefined);
    socket.on("close", () => resolve(Buffer.concat(chunks).toString()));
    socket.write(head);
    socket.end(body);
    setTimeout(() => socket.destroy(), 8_000).unref();
  });
}

async function stillServing(): Promise<void> {
  const list = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  expect(list.$metadata.httpStatusCode).toBe(200);
}

const objectCount = (key: string) => db().s3Object.count({ where: { bucketName: BUCKET, key } });

beforeAll(async () => {
  api = await startTestApi();
  admin = await issueKey("admin");
  s3 = new S3Client({ endpoint: api.endpoint, region: "us-east-1", forcePathStyle: true, credentials: admin, maxAttempts: 1 });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "tagged.txt", Body: "x" }));
});
afterAll(() => api.close());

describe("malformed XML bodies", () => {
  it("are MalformedXML (400) and change nothing", async () => {
    for (const [query, body] of [
      [{ tagging: "" }, "<Tagging><TagSet><Tag><Key>a</Key>"],
      [{ tagging: "" }, "not xml at all"],
      [{ tagging: "" }, "<Tagging/><Tagging/>"],
      [{ tagging: "" }, '<!DOCTYPE Tagging [<!ENTITY lol "lol">]><Tagging><TagSet><Tag><Key>&lol;</Key><Value>v</Value></Tag></TagSet></Tagging>'],
      [{ versioning: "" }, "<VersioningConfiguration><Status>Enabled</Status>"],
      [{ delete: "" }, "<Delete><Object><Key>tagged.txt</Key></Object><Quiet>perhaps</Quiet></Delete>"],
      [{ cors: "" }, "<CORSConfiguration><CORSRule></CORSRule></CORSConfiguration>"],
    ] as const) {
      const path = Object.keys(query)[0] === "tagging" ? `/${BUCKET}/tagged.txt` : `/${BUCKET}`;
      const method = Object.keys(query)[0] === "delete" ? "POST" : "PUT";
      const r = await signedSend(method, path, { ...query }, body);
      expect([r.status, codeOf(r)], `${method} ${Object.keys(query)[0]}: ${body}`).toEqual([400, "MalformedXML"]);
    }
    const bucket = await db().bucket.findUniqueOrThrow({ where: { name: BUCKET } });
    expect([bucket.versioning, bucket.cors]).toEqual([null, null]);
    expect(await db().s3Object.findFirstOrThrow({ where: { bucketName: BUCKET, key: "tagged.txt" } }).then((o) => o.tags)).toBe("[]");
    await stillServing();
  });
});

describe("a body that does not match its Content-Length", () => {
  it("shorter than declared, the client stops: IncompleteBody (400) and no object", async () => {
    const path = `/${BUCKET}/short.bin`;
    const headers = await sign("PUT", path, {}, "UNSIGNED-PAYLOAD");
    const head = `PUT ${path} HTTP/1.1\r\n${Object.entries({ ...headers, "content-length": "1000" })
      .map(([k, v]) => `${k}: ${v}`)
      .join("\r\n")}\r\n\r\n`;
    const reply = await rawExchange(head, Buffer.alloc(400, 1));
    // The connection ends mid-body: the server answers 400 (its HTTP parser's, or IncompleteBody when the door answers first).
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    if (reply.includes("<Code>")) expect(reply).toContain("<Code>IncompleteBody</Code>");
    expect(await objectCount("short.bin")).toBe(0);
    await stillServing();
  });

  it("longer than declared with a signed payload hash: the declared bytes do not match it (XAmzContentSHA256Mismatch) and nothing is stored", async () => {
    const path = `/${BUCKET}/long.bin`;
    const full = Buffer.alloc(300, 7);
    const headers = await sign("PUT", path, {}, sha256(full));
    const head = `PUT ${path} HTTP/1.1\r\n${Object.entries({ ...headers, "content-length": "100", connection: "close" })
      .map(([k, v]) => `${k}: ${v}`)
      .join("\r\n")}\r\n\r\n`;
    const reply = await rawExchange(head, full);
    // The 100 declared bytes do not hash to the signed SHA-256; the 200 after them are a malformed next request. Either way: 400.
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    if (reply.includes("<Code>")) expect(reply).toContain("<Code>XAmzContentSHA256Mismatch</Code>");
    expect(await objectCount("long.bin")).toBe(0);
    await stillServing();
  });

  it("a declared length the SDK's body does not reach is refused before anything is stored", async () => {
    const failed = await sdkFailure(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "sdk-short.bin", Body: "abc", ContentLength: 2 })));
    expect(failed.status).toBe(400);
    expect(await objectCount("sdk-short.bin")).toBe(0);
    await stillServing();
  });
});

describe("odd keys", () => {
  it("Unicode, '..', spaces, '+' and a key of exactly 1,024 bytes are stored and read back under the same name", async () => {
    const keys = ["ü/日本語/😀 file+plus.txt", "a/../b", "../escape", "./dot", "a//double", "percent%20kept", "x".repeat(1024), `${"é".repeat(511)}ab`];
    for (const key of keys) {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: `body of ${key.length}` }));
      const got = await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToString();
      expect(got, key).toBe(`body of ${key.length}`);
    }
    const listed = (await aws(api.endpoint, admin, "s3api", "list-objects-v2", "--bucket", BUCKET)).json.Contents.map((c: { Key: string }) => c.Key);
    for (const key of keys) expect(listed).toContain(key);
  }, 120_000);

  it("a key longer than 1,024 bytes (UTF-8) is KeyTooLongError (400) and not stored", async () => {
    for (const key of ["x".repeat(1025), "é".repeat(513)]) {
      const failed = await sdkFailure(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: "x" })));
      expect(failed, `${key.length} characters`).toMatchObject({ code: "KeyTooLongError", status: 400 });
      expect(await objectCount(key)).toBe(0);
    }
    await stillServing();
  });
});

describe("bad bucket names and unknown subresources", () => {
  it("bucket names S3 refuses are InvalidBucketName (400)", async () => {
    for (const name of ["ab", "Upper-Case", "under_score", "192.168.5.4", "ends-with-", "a..b", "xn--prefixed", "b".repeat(64), "sthree-x", "x-s3alias"]) {
      const r = await signedSend("PUT", `/${name}`, {});
      expect([r.status, codeOf(r)], name).toEqual([400, "InvalidBucketName"]);
      expect(await db().bucket.count({ where: { name } })).toBe(0);
    }
  });

  it("a subresource S3 has but IAM Lab does not run is NotImplemented (501); a method no route takes is MethodNotAllowed (405); an unknown parameter is ignored, as S3 ignores it", async () => {
    const torrent = await signedSend("GET", `/${BUCKET}/tagged.txt`, { torrent: "" });
    expect([torrent.status, codeOf(torrent)]).toEqual([501, "NotImplemented"]);
    const replication = await signedSend("GET", `/${BUCKET}`, { replication: "" });
    expect([replication.status, codeOf(replication)]).toEqual([501, "NotImplemented"]);
    const post = await signedSend("POST", `/${BUCKET}/tagged.txt`, {}, "");
    expect([post.status, codeOf(post)]).toEqual([405, "MethodNotAllowed"]);
    const ignored = await signedSend("GET", `/${BUCKET}`, { "no-such-parameter": "1", "list-type": "2" });
    expect(ignored.status).toBe(200);
    expect(ignored.body).toContain("<ListBucketResult");
  });
});
