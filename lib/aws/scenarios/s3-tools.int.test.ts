// Two independent S3 clients with their own S3 code (Debian's rclone and s3cmd,
// as GUI/sync tools would be) against the API handler on a loopback port and
// this file's own database: copy, list, sync (the lab SCP refusing sync's deletions) and read back, with a
// long-term key and with temporary credentials (GetSessionToken's session token).
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { GetSessionTokenCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueKey, sdkClients, startTestApi, type TestApi } from "../test-server";
import { aws, type Creds, type Env, run } from "./cli";

const SLOW = 240_000;

let api: TestApi;
let admin: Creds;
let session: Creds;
let work: string;

beforeAll(async () => {
  api = await startTestApi();
  admin = await issueKey("admin");
  const token = await sdkClients(api).sts(admin).send(new GetSessionTokenCommand({ DurationSeconds: 3600 }));
  session = { accessKeyId: token.Credentials!.AccessKeyId!, secretAccessKey: token.Credentials!.SecretAccessKey!, sessionToken: token.Credentials!.SessionToken! };
  work = fs.mkdtempSync(path.join(os.tmpdir(), "iamlab-s3-tools-"));
});
afterAll(async () => {
  await api.close();
  fs.rmSync(work, { recursive: true, force: true });
});

/** A folder of files with odd names and sizes (one past a multipart-ish 5 MiB), and their digests by relative path. */
function makeFolder(name: string): { dir: string; files: Map<string, string> } {
  const dir = path.join(work, name);
  const files = new Map<string, string>();
  const entries: [string, number][] = [
    ["hello.txt", 12],
    ["empty.bin", 0],
    ["sub dir/ü nicode+plus.txt", 3_000],
    ["sub dir/deeper/(brackets) [1]!.dat", 70_000],
    ["big.bin", 5 * 1024 * 1024 + 17],
  ];
  for (const [rel, size] of entries) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const bytes = crypto.randomBytes(size);
    fs.writeFileSync(file, bytes);
    files.set(rel, crypto.createHash("sha256").update(bytes).digest("hex"));
  }
  return { dir, files };
}

/** Every file under `dir` by relative path -> SHA-256. */
function digests(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), crypto.createHash("sha256").update(fs.readFileSync(p)).digest("hex"));
    }
  };
  walk(dir);
  return out;
}

const makeBucket = async (bucket: string) => {
  const r = await aws(api.endpoint, admin, "s3api", "create-bucket", "--bucket", bucket);
  expect(r.stderr).toBe("");
};

function rcloneEnv(creds: Creds): Env {
  const env: Env = {
    PATH: process.env.PATH,
    HOME: work,
    RCLONE_CONFIG: path.join(work, "rclone.conf"),
    RCLONE_CONFIG_LAB_TYPE: "s3",
    RCLONE_CONFIG_LAB_PROVIDER: "Other",
    RCLONE_CONFIG_LAB_ENDPOINT: api.endpoint,
    RCLONE_CONFIG_LAB_REGION: "us-east-1",
    RCLONE_CONFIG_LAB_ACCESS_KEY_ID: creds.accessKeyId,
    RCLONE_CONFIG_LAB_SECRET_ACCESS_KEY: creds.secretAccessKey,
    RCLONE_CONFIG_LAB_FORCE_PATH_STYLE: "true",
  };
  if (creds.sessionToken) env.RCLONE_CONFIG_LAB_SESSION_TOKEN = creds.sessionToken;
  fs.writeFileSync(env.RCLONE_CONFIG!, "");
  return env;
}

const rclone = (creds: Creds, ...args: string[]) => run("rclone", ["--low-level-retries", "1", "--retries", "1", ...args], rcloneEnv(creds));

function s3cmd(creds: Creds, ...args: string[]) {
  const config = path.join(work, "s3cmd.cfg");
  fs.writeFileSync(config, "[default]\n");
  const host = api.endpoint.replace("http://", "");
  const auth = ["--access_key", creds.accessKeyId, "--secret_key", creds.secretAccessKey, ...(creds.sessionToken ? ["--access_token", creds.sessionToken] : [])];
  return run("s3cmd", ["-c", config, ...auth, "--host", host, "--host-bucket", host, "--no-ssl", "--region", "us-east-1", "--no-progress", ...args], { PATH: process.env.PATH, HOME: work });
}

describe("rclone against IAM Lab's S3", () => {
  for (const [label, creds] of [
    ["a long-term key", () => admin],
    ["a session token", () => session],
  ] as const) {
    it(`copies, lists, checks and reads back with ${label}`, async () => {
      const bucket = `rclone-${label.includes("session") ? "session" : "key"}`;
      await makeBucket(bucket);
      const { dir, files } = makeFolder(`rclone-${bucket}`);
      const up = await rclone(creds(), "copy", dir, `lab:${bucket}/folder`);
      expect(up.stderr).toBe("");
      expect(up.code).toBe(0);
      const listed = await rclone(creds(), "lsf", "-R", "--files-only", `lab:${bucket}/folder`);
      expect(listed.stdout.trim().split("\n").sort()).toEqual([...files.keys()].sort());
      // rclone's own comparison of sizes and MD5s (the ETags) with the local folder.
      const checked = await rclone(creds(), "check", dir, `lab:${bucket}/folder`);
      expect(checked.code).toBe(0);
      // sync: a changed file is replaced and a new one added; deleting the file gone locally is an
      // s3:DeleteObject, which the lab's SCP refuses every everyday identity, so sync reports it and fails.
      fs.writeFileSync(path.join(dir, "hello.txt"), "changed since the copy\n");
      fs.writeFileSync(path.join(dir, "sub dir/added.txt"), "new\n");
      fs.rmSync(path.join(dir, "empty.bin"));
      const synced = await rclone(creds(), "sync", dir, `lab:${bucket}/folder`);
      expect(synced.code).not.toBe(0);
      expect(synced.stderr).toMatch(/empty\.bin: Couldn't delete: AccessDenied: .* s3:DeleteObject .* explicit deny in a service control policy/);
      expect((await rclone(creds(), "check", "--one-way", dir, `lab:${bucket}/folder`)).code).toBe(0);
      const after = await rclone(creds(), "lsf", "-R", "--files-only", `lab:${bucket}/folder`);
      expect(after.stdout.trim().split("\n").sort()).toEqual([...digests(dir).keys(), "empty.bin"].sort());
      fs.writeFileSync(path.join(dir, "empty.bin"), "");
      const back = path.join(work, `rclone-back-${bucket}`);
      const down = await rclone(creds(), "copy", `lab:${bucket}/folder`, back);
      expect(down.code).toBe(0);
      expect(digests(back)).toEqual(digests(dir));
    }, SLOW);
  }
});

describe("s3cmd against IAM Lab's S3", () => {
  for (const [label, creds] of [
    ["a long-term key", () => admin],
    ["a session token", () => session],
  ] as const) {
    it(`puts, lists, syncs and gets with ${label}`, async () => {
      const bucket = `s3cmd-${label.includes("session") ? "session" : "key"}`;
      await makeBucket(bucket);
      const { dir, files } = makeFolder(`s3cmd-${bucket}`);
      const put = await s3cmd(creds(), "put", path.join(dir, "hello.txt"), `s3://${bucket}/one/hello.txt`);
      expect(put.code).toBe(0);
      const ls = await s3cmd(creds(), "ls", `s3://${bucket}/one/`);
      expect(ls.stdout).toContain(`s3://${bucket}/one/hello.txt`);
      const synced = await s3cmd(creds(), "sync", `${dir}/`, `s3://${bucket}/tree/`);
      expect(synced.code).toBe(0);
      const all = await s3cmd(creds(), "ls", "--recursive", `s3://${bucket}/tree/`);
      expect(
        all.stdout
          .trim()
          .split("\n")
          .map((l) => l.slice(l.indexOf(`s3://${bucket}/tree/`) + `s3://${bucket}/tree/`.length))
          .sort(),
      ).toEqual([...files.keys()].sort());
      const back = path.join(work, `s3cmd-back-${bucket}`);
      fs.mkdirSync(back);
      const got = await s3cmd(creds(), "sync", `s3://${bucket}/tree/`, `${back}/`);
      expect(got.code).toBe(0);
      expect(digests(back)).toEqual(digests(dir));
      const one = path.join(work, `s3cmd-one-${bucket}.txt`);
      expect((await s3cmd(creds(), "get", `s3://${bucket}/one/hello.txt`, one)).code).toBe(0);
      expect(fs.readFileSync(one)).toEqual(fs.readFileSync(path.join(dir, "hello.txt")));
    }, SLOW);
  }

  it("is refused with a wrong secret (SignatureDoesNotMatch) and an unknown key (InvalidAccessKeyId)", async () => {
    const wrong = await s3cmd({ ...admin, secretAccessKey: admin.secretAccessKey.replace(/.$/, (c) => (c === "A" ? "B" : "A")) }, "ls", "s3://rclone-key/");
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain("SignatureDoesNotMatch");
    const unknown = await s3cmd({ accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "x" }, "ls", "s3://rclone-key/");
    expect(unknown.stderr).toContain("InvalidAccessKeyId");
  }, SLOW);
});
