/**
 * API benchmark (issues 12 and 13's speed targets): IAM ListUsers (100 users),
 * STS AssumeRole, and signed S3 GetObject (1 KiB) and PutObject (64 KiB, its
 * SHA-256 in x-amz-content-sha256 and a CRC32 checksum header, both verified by
 * the server) over HTTP on loopback, 16 requests in flight, for IAM Lab's API
 * door and, in the same run, for moto_server doing the same calls. Prints
 * requests per second and p99 latency for each, and IAM Lab's multiple of
 * moto's throughput (target: at least 5x on each). Each server's CPU time per
 * request (from /proc) is printed too: on a machine busy with other work the
 * throughput of either server depends on what else runs at that moment, while
 * the CPU a request costs does not, so its ratio is the steadier comparison.
 *
 *   npm run bench:api                      (5 s per measurement)
 *   npm run bench:api -- --seconds=10
 *   npm run bench:api -- --profile=DIR     (IAM Lab's server writes a V8 CPU profile into DIR)
 *
 * IAM Lab's server runs in a child process of its own (as under npm start) on
 * a fresh SQLite database: migrated, seeded with the demo organization
 * (demo-only catalogue), then filled to 100 users in the dev account.
 * moto_server is started from the machine's Python. Both get requests signed
 * with SigV4 by this process.
 */
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { expectedSignature, formatAmzDate, type ParsedSignature, sha256Hex } from "../lib/aws/sigv4";
import { cpuTimeMs, freePort, startApiServer, waitForPort } from "./server-process";
import { EMPTY_SHA256, signS3, type Creds } from "./s3-client";

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=") as [string, string]));
const SECONDS = Number(args.get("seconds") ?? 5);
const CONCURRENCY = 16;
const TARGET = 5;
const ACCOUNT = "111122223333";


// ------------------------------------------------------------------ client side

function sign(service: string, body: string, creds: Creds, host: string): Record<string, string> {
  const now = new Date();
  const amzDate = formatAmzDate(now);
  const contentType = "application/x-www-form-urlencoded; charset=utf-8";
  const sig: ParsedSignature = {
    kind: "header",
    accessKeyId: creds.accessKeyId,
    scopeDate: amzDate.slice(0, 8),
    region: "us-east-1",
    service,
    amzDate,
    signedAt: now,
    signedHeaders: ["content-type", "host", "x-amz-date"],
    signature: "",
  };
  const raw = { method: "POST", path: "/", query: "", headers: { "content-type": [contentType], host: [host], "x-amz-date": [amzDate] } };
  const signature = expectedSignature(raw, sig, creds.secretAccessKey, sha256Hex(body));
  return {
    "content-type": contentType,
    "x-amz-date": amzDate,
    authorization: `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${sig.scopeDate}/us-east-1/${service}/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=${signature}`,
  };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

interface Call {
  status: number;
  text: string;
  bytes: number;
}

function send(port: number, method: string, path: string, headers: Record<string, string>, body?: Buffer | string): Promise<Call> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path, agent, headers: { ...headers, "content-length": body === undefined ? 0 : Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const all = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, text: all.length <= 1 << 20 ? all.toString() : "", bytes: all.length });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

function call(port: number, service: string, body: string, creds: Creds): Promise<Call> {
  const host = `127.0.0.1:${port}`;
  return send(port, "POST", "/", { ...sign(service, body, creds, host), host }, body);
}

const s3Get = (port: number, path: string, creds: Creds) => send(port, "GET", path, signS3("GET", path, EMPTY_SHA256, creds, `127.0.0.1:${port}`));

const s3Put = (port: number, path: string, body: { bytes: Buffer; sha256: string; crc32: string }, creds: Creds) =>
  send(port, "PUT", path, signS3("PUT", path, body.sha256, creds, `127.0.0.1:${port}`, { "x-amz-checksum-crc32": body.crc32 }), body.bytes);

interface Result {
  rps: number;
  /** The server process's CPU time (user + system) per request, in ms. */
  cpuMs: number;
  p50: number;
  p99: number;
  errors: number;
}


async function measure(name: string, once: () => Promise<Call>, check: (r: Call) => boolean, pid: number): Promise<Result> {
  // Warm-up, and a check that the call does what it says.
  const first = await once();
  if (first.status !== 200 || !check(first)) throw new Error(`${name} failed (${first.status}): ${first.text.slice(0, 400)}`);
  for (let i = 0; i < 50; i++) await once();
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + SECONDS * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const t = performance.now();
      const r = await once();
      latencies.push(performance.now() - t);
      if (r.status !== 200) errors++;
    }
  };
  const started = performance.now();
  const cpuBefore = cpuTimeMs(pid);
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const cpuMs = (cpuTimeMs(pid) - cpuBefore) / latencies.length;
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { rps: latencies.length / elapsed, cpuMs, p50: at(0.5), p99: at(0.99), errors };
}



const listUsers = "Action=ListUsers&Version=2010-05-08&MaxItems=100";
let n = 0;
const assumeRole = () => `Action=AssumeRole&Version=2011-06-15&RoleArn=${encodeURIComponent(`arn:aws:iam::${ACCOUNT}:role/BenchRole`)}&RoleSessionName=bench-${n++}`;
const hasUsers = (r: Call) => (r.text.match(/<member>/g) ?? []).length >= 100;
const hasCredentials = (r: Call) => r.text.includes("<AccessKeyId>");

const BUCKET = "iamlab-bench-objects";
const OBJECT_1K = crypto.randomBytes(1024);
const BODY_64K = (() => {
  const bytes = crypto.randomBytes(64 * 1024);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(bytes));
  return { bytes, sha256: sha256Hex(bytes), crc32: crc.toString("base64") };
})();
const oneKiB = (r: Call) => r.bytes === 1024;

async function main() {
  const root = path.resolve(import.meta.dirname, "..");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "iamlab-bench-api-"));
  const env: NodeJS.ProcessEnv = { ...process.env, IAMLAB_DATA_DIR: dataDir, DATABASE_URL: `file:${path.join(dataDir, "iamlab.db")}`, IAMLAB_SEED_CATALOGUE: "demo-only", NODE_ENV: "production" };
  delete env.IAMLAB_MASTER_KEY;
  const children: ChildProcess[] = [];
  const cleanup = () => {
    for (const c of children) c.kill();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const lab = await startApiServer({ root, env, children, profileDir: args.get("profile"), label: "demo seed, 100 users in dev" });
    const { creds, port: labPort } = lab;
    const motoPort = await freePort();
    const moto = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(motoPort)], { stdio: "ignore" });
    children.push(moto);
    await waitForPort(motoPort, 60_000);

    // moto: the same 100 users and role.
    const motoCreds = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
    for (let i = 0; i < 100; i++) await call(motoPort, "iam", `Action=CreateUser&Version=2010-05-08&UserName=bench-user-${i}`, motoCreds);
    const trust = encodeURIComponent(JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::123456789012:root` }, Action: "sts:AssumeRole" }] }));
    await call(motoPort, "iam", `Action=CreateRole&Version=2010-05-08&RoleName=BenchRole&AssumeRolePolicyDocument=${trust}`, motoCreds);
    const motoAssume = () => `Action=AssumeRole&Version=2011-06-15&RoleArn=${encodeURIComponent("arn:aws:iam::123456789012:role/BenchRole")}&RoleSessionName=bench-${n++}`;

    // S3: one bucket each, the 1 KiB object to read.
    const objectPath = `/${BUCKET}/bench-1k`;
    const putPath = () => `/${BUCKET}/bench-64k-${n++ % 64}`;
    await send(motoPort, "PUT", `/${BUCKET}`, signS3("PUT", `/${BUCKET}`, EMPTY_SHA256, motoCreds, `127.0.0.1:${motoPort}`));
    const oneK = { bytes: OBJECT_1K, sha256: sha256Hex(OBJECT_1K), crc32: "" };
    const put1k = (port: number, c: Creds) => send(port, "PUT", objectPath, signS3("PUT", objectPath, oneK.sha256, c, `127.0.0.1:${port}`), OBJECT_1K);
    await put1k(motoPort, motoCreds);
    const labS3 = await put1k(labPort, creds);
    const s3Open = labS3.status === 200;
    if (!s3Open) console.log(`IAM Lab's S3 PutObject answered ${labS3.status} (${labS3.text.slice(0, 200)}): S3 rows skipped\n`);

    const rows: [string, string, Result][] = [];
    const cases: [string, (port: number, c: Creds, moto: boolean) => Promise<Call>, (r: Call) => boolean][] = [
      ["IAM ListUsers (100 users)", (port, c) => call(port, "iam", listUsers, c), hasUsers],
      ["STS AssumeRole", (port, c, moto) => call(port, "sts", moto ? motoAssume() : assumeRole(), c), hasCredentials],
      ...(s3Open
        ? ([
            ["S3 GetObject 1 KiB", (port, c) => s3Get(port, objectPath, c), oneKiB],
            ["S3 PutObject 64 KiB", (port, c) => s3Put(port, putPath(), BODY_64K, c), () => true],
          ] as typeof cases)
        : []),
    ];
    console.log(`measuring: ${SECONDS} s per call and server, ${CONCURRENCY} in flight, loopback\n`);
    for (const [name, once, check] of cases) {
      rows.push([name, "IAM Lab", await measure(name, () => once(labPort, creds, false), check, lab.pid)]);
      rows.push([name, "moto_server", await measure(name, () => once(motoPort, motoCreds, true), check, moto.pid!)]);
    }
    console.log(`${"call".padEnd(28)}${"server".padEnd(13)}${"req/s".padStart(9)}${"CPU ms/req".padStart(12)}${"p50 ms".padStart(9)}${"p99 ms".padStart(9)}${"errors".padStart(8)}`);
    for (const [name, server, r] of rows) {
      console.log(
        `${name.padEnd(28)}${server.padEnd(13)}${r.rps.toFixed(0).padStart(9)}${r.cpuMs.toFixed(2).padStart(12)}${r.p50.toFixed(1).padStart(9)}${r.p99.toFixed(1).padStart(9)}${String(r.errors).padStart(8)}`,
      );
    }
    console.log("");
    let ok = true;
    for (let i = 0; i < rows.length; i += 2) {
      const ratio = rows[i]![2].rps / rows[i + 1]![2].rps;
      const pass = ratio >= TARGET && rows[i]![2].errors === 0;
      ok &&= pass;
      const cpuRatio = rows[i + 1]![2].cpuMs / rows[i]![2].cpuMs;
      console.log(`${rows[i]![0]}: IAM Lab ${ratio.toFixed(1)}x moto's throughput (target ${TARGET}x) ${pass ? "PASS" : "FAIL"}; moto spends ${cpuRatio.toFixed(1)}x IAM Lab's CPU per request`);
    }
    process.exitCode = ok ? 0 : 1;
  } finally {
    cleanup();
    agent.destroy();
  }
}

// ------------------------------------------------------------------ modes
// node --conditions=react-server --import tsx bench/api.bench.ts --serve=PORT
async function serve() {
  if (args.has("serve")) {
    const { createApiHandler } = await import("../lib/aws/handler");
    const server = http.createServer(createApiHandler());
    server.keepAliveTimeout = 60_000;
    server.listen(Number(args.get("serve")), "127.0.0.1", () => process.send?.("listening"));
    // A clean exit on the parent's kill, so --cpu-prof writes its profile.
    process.on("SIGTERM", () => process.exit(0));
  } else if (args.has("prepare")) {
    // Child: migrate, seed, fill to 100 users, print the admin's key and the role to assume.
    const { bootstrap } = await import("../lib/db/bootstrap");
    const { db } = await import("../lib/db/client");
    const { IAM } = await import("../lib/iam/catalogue");
    const { runOperation } = await import("../lib/iam/operation");
    const { rootArn } = await import("../lib/iam/arn");
    await bootstrap();
    const org = await db().account.findUniqueOrThrow({ where: { id: ACCOUNT }, select: { organizationId: true } });
    const root = { type: "Root" as const, organizationId: org.organizationId, accountId: ACCOUNT, arn: rootArn(ACCOUNT), principalId: ACCOUNT, mfaAuthenticated: false };
    const request = () => ({ via: "api" as const, secureTransport: false, region: "us-east-1", requestId: crypto.randomUUID() });
    const run = async <T>(op: { input: { parse(x: unknown): unknown }; operation(i: never, p: never): object }, input: unknown) =>
      (await runOperation({ ...(op.operation(op.input.parse(input) as never, root as never) as object), principal: root, request: request() } as never)) as T;
    const existing = await db().iamUser.count({ where: { accountId: ACCOUNT } });
    for (let i = existing; i < 100; i++) await run(IAM.CreateUser, { userName: `bench-user-${String(i).padStart(3, "0")}` });
    const key = await run<Creds>(IAM.CreateAccessKey, { userName: "admin" });
    const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "sts:AssumeRole" }] });
    await run(IAM.CreateRole, { roleName: "BenchRole", assumeRolePolicyDocument: trust });
    const { S3 } = await import("../lib/iam/catalogue/s3");
    await run(S3.CreateBucket, { bucket: BUCKET });
    console.log(JSON.stringify({ accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey }));
    process.exit(0);
  } else {
    await main();
  }
}

await serve();
