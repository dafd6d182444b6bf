// The real AWS CLI's S3 commands against the API handler on a loopback port and
// this file's own database: `aws s3 cp` of a 20 MiB file up (the CLI switches
// to multipart past 8 MiB) and down, byte for byte; `aws s3 sync` of a folder;
// an `aws s3 presign` URL fetched with plain HTTP, then refused once expired.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueKey, startTestApi, type TestApi } from "../test-server";
import { aws, clientEnv, type Creds, run } from "./cli";

const SLOW = 240_000;

let api: TestApi;
let admin: Creds;
let work: string;
/** The server's clock runs this far ahead of the real one (expiry tests). */
let clockOffsetMs = 0;

beforeAll(async () => {
  api = await startTestApi({ now: () => new Date(Date.now() + clockOffsetMs) });
  admin = await issueKey("admin");
  work = fs.mkdtempSync(path.join(os.tmpdir(), "iamlab-s3-cli-"));
  expect((await aws(api.endpoint, admin, "s3api", "create-bucket", "--bucket", "cli-bucket")).code).toBe(0);
});
afterAll(async () => {
  await api.close();
  fs.rmSync(work, { recursive: true, force: true });
});

/** `aws s3 ...` (text output, not JSON) with the admin's key. */
const s3cli = (...args: string[]) => run("aws", ["s3", ...args], clientEnv(api.endpoint, admin));

const sha256 = (file: string) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");

describe("aws s3 against IAM Lab", () => {
  it("copies a 20 MiB file up (multipart) and down, byte for byte", async () => {
    const file = path.join(work, "twenty.bin");
    fs.writeFileSync(file, crypto.randomBytes(20 * 1024 * 1024));
    const up = await s3cli("cp", file, "s3://cli-bucket/big/twenty.bin");
    expect(up.code).toBe(0);
    // Multipart: the ETag is the MD5 of the parts' MD5s and their count.
    const head = await aws(api.endpoint, admin, "s3api", "head-object", "--bucket", "cli-bucket", "--key", "big/twenty.bin");
    expect(head.json).toMatchObject({ ContentLength: 20 * 1024 * 1024, ETag: expect.stringMatching(/^"[0-9a-f]{32}-3"$/) });
    const back = path.join(work, "twenty.back");
    const down = await s3cli("cp", "s3://cli-bucket/big/twenty.bin", back);
    expect(down.code).toBe(0);
    expect(sha256(back)).toBe(sha256(file));
  }, SLOW);

  it("syncs a folder up, then only what changed, and back down", async () => {
    const dir = path.join(work, "folder");
    const files: Record<string, Buffer> = {
      "a.txt": Buffer.from("alpha"),
      "nested/b c.txt": Buffer.from("bravo charlie"),
      "nested/deeper/ünï+cøde.bin": crypto.randomBytes(100_000),
    };
    for (const [rel, bytes] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), bytes);
    }
    const first = await s3cli("sync", dir, "s3://cli-bucket/sync");
    expect(first.code).toBe(0);
    expect(first.stdout.match(/^upload:/gm)).toHaveLength(3);
    fs.writeFileSync(path.join(dir, "a.txt"), "alpha, changed");
    const second = await s3cli("sync", dir, "s3://cli-bucket/sync");
    expect(second.stdout.match(/^upload:/gm)).toHaveLength(1);
    const listed = await aws(api.endpoint, admin, "s3api", "list-objects-v2", "--bucket", "cli-bucket", "--prefix", "sync/");
    expect(listed.json.Contents.map((o: { Key: string }) => o.Key).sort()).toEqual(Object.keys(files).map((k) => `sync/${k}`).sort());
    const back = path.join(work, "folder-back");
    expect((await s3cli("sync", "s3://cli-bucket/sync", back)).code).toBe(0);
    for (const rel of Object.keys(files)) expect(sha256(path.join(back, rel))).toBe(sha256(path.join(dir, rel)));
  }, SLOW);

  it("presigns a URL that plain HTTP can fetch, refused once it has expired", async () => {
    const file = path.join(work, "shared.txt");
    fs.writeFileSync(file, "shared by a presigned URL");
    expect((await s3cli("cp", file, "s3://cli-bucket/shared.txt")).code).toBe(0);
    // CLI v1 presigns with SigV2 unless told otherwise; IAM Lab, like new AWS regions, takes SigV4 only.
    const config = path.join(work, "sigv4.cfg");
    fs.writeFileSync(config, "[default]\ns3 =\n    signature_version = s3v4\n");
    const presigned = await run("aws", ["s3", "presign", "s3://cli-bucket/shared.txt", "--expires-in", "300"], { ...clientEnv(api.endpoint, admin), AWS_CONFIG_FILE: config });
    const url = presigned.stdout.trim();
    expect(url).toMatch(/X-Amz-Signature=[0-9a-f]{64}/);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("shared by a presigned URL");
    // One byte changed in the URL.
    const tampered = await fetch(url.replace("shared.txt", "shared.txu"));
    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toContain("<Code>SignatureDoesNotMatch</Code>");
    clockOffsetMs = 301_000;
    try {
      const expired = await fetch(url);
      expect(expired.status).toBe(403);
      const body = await expired.text();
      expect(body).toContain("<Code>AccessDenied</Code>");
      expect(body).toContain("<Message>Request has expired</Message>");
    } finally {
      clockOffsetMs = 0;
    }
  }, SLOW);
});
