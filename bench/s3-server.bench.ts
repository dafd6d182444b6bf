/**
 * S3 server bench (issue 13's "measure the server alone"): IAM Lab's API
 * server in a child process of its own, on bench:api's prepared database.
 *
 * 1. wrk (Debian's /usr/bin/wrk) fetching one presigned GetObject URL (1 KiB;
 *    the signature verified, the gate and the object looked up on every
 *    request) at 64 connections, target >= 5,000 requests per second. In the
 *    same run, the same wrk against a trivial Node http server answering the
 *    same 1 KiB: the ceiling of this machine. Each server's CPU time per
 *    request (from /proc) is printed too, the figure a busy machine skews least.
 * 2. The server's memory (RSS) while a 1 GiB object is uploaded (one streamed
 *    PutObject, UNSIGNED-PAYLOAD) and downloaded (GetObject): before, peak
 *    during each, growth (issue 12: under 64 MiB).
 *
 *   npm run bench:s3-server                    (4 s per wrk run)
 *   npm run bench:s3-server -- --seconds=8 --gib=0.25
 *   npm run bench:s3-server -- --profile=DIR     (the server writes a V8 CPU profile into DIR)
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { cpuTimeMs, freePort, startApiServer, waitForPort } from "./server-process";
import { EMPTY_SHA256, presignS3, signS3, type Creds } from "./s3-client";

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=") as [string, string]));
const SECONDS = Number(args.get("seconds") ?? 4);
const CONNECTIONS = 64;
const TARGET_RPS = 5000;
const BIG_BYTES = Math.round(Number(args.get("gib") ?? 1) * 1024 ** 3);
const GROWTH_LIMIT_MIB = 64;
const BUCKET = "iamlab-bench-objects"; // created by bench:api's --prepare
const OBJECT_1K = crypto.randomBytes(1024);




/** A process's resident memory, in MiB. */
function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

interface WrkResult {
  rps: number;
  cpuMs: number;
  p99: string;
  non2xx: number;
}

/** wrk against `url` for SECONDS at CONNECTIONS connections; the server's CPU per request from /proc. */
async function wrk(url: string, pid: number): Promise<WrkResult> {
  spawnSync("wrk", ["-t1", "-c8", "-d1s", url], { encoding: "utf8" }); // warm-up
  const before = cpuTimeMs(pid);
  const out = await new Promise<string>((resolve, reject) => {
    // A 30 s timeout: on a busy machine a slow answer still counts (and its CPU is not spread over fewer requests).
    const child = spawn("wrk", ["-t2", `-c${CONNECTIONS}`, `-d${SECONDS}s`, "--timeout", "30s", "--latency", url], { stdio: ["ignore", "pipe", "inherit"] });
    let text = "";
    child.stdout.on("data", (d) => (text += d));
    child.on("exit", (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited ${code}: ${text}`))));
  });
  const cpu = cpuTimeMs(pid) - before;
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0) + Number(/timeout (\d+)/.exec(out)?.[1] ?? 0);
  const p99 = /99%\s+(\S+)/.exec(out)?.[1] ?? "?";
  return { rps, cpuMs: requests ? cpu / requests : NaN, p99, non2xx };
}

/** Samples `pid`'s RSS every 50 ms while `work` runs; returns the peak. */
async function peakRss<T>(pid: number, work: () => Promise<T>): Promise<{ peak: number; result: T }> {
  let peak = rssMiB(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 50);
  try {
    const result = await work();
    return { peak: Math.max(peak, rssMiB(pid)), result };
  } finally {
    clearInterval(timer);
  }
}

/** One request with a streamed body (or none); the answer's status and byte count, its bytes discarded. */
function stream(port: number, method: string, urlPath: string, headers: Record<string, string>, body?: () => AsyncIterable<Buffer>): Promise<{ status: number; bytes: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path: urlPath, headers }, (res) => {
      let bytes = 0;
      let text = "";
      res.on("data", (c: Buffer) => {
        bytes += c.length;
        if (text.length < 2000) text += c.toString("latin1").slice(0, 2000);
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, bytes, text }));
      res.on("error", reject);
    });
    req.on("error", reject);
    if (!body) return void req.end();
    void (async () => {
      for await (const chunk of body()) if (!req.write(chunk)) await new Promise((r) => req.once("drain", r));
      req.end();
    })().catch(reject);
  });
}

/** BIG_BYTES of pseudo-random bytes: one random MiB, each copy with its first 8 bytes numbered. */
function* bigBody(): Generator<Buffer> {
  const mib = crypto.randomBytes(1024 * 1024);
  for (let sent = 0, i = 0; sent < BIG_BYTES; i++) {
    const chunk = Buffer.from(mib.subarray(0, Math.min(mib.length, BIG_BYTES - sent)));
    chunk.writeUInt32BE(i, 0);
    sent += chunk.length;
    yield chunk;
  }
}

/** The trivial server: answers every request with the same 1 KiB (the machine's ceiling for wrk). */
const TRIVIAL = `const http = require("node:http"); const body = Buffer.from(process.argv[2], "base64");
http.createServer((req, res) => { res.writeHead(200, { "content-type": "binary/octet-stream", "content-length": body.length }); res.end(body); })
  .listen(Number(process.argv[1]), "127.0.0.1");`;

async function main() {
  const root = path.resolve(import.meta.dirname, "..");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "iamlab-bench-s3-"));
  const env: NodeJS.ProcessEnv = { ...process.env, IAMLAB_DATA_DIR: dataDir, DATABASE_URL: `file:${path.join(dataDir, "iamlab.db")}`, IAMLAB_SEED_CATALOGUE: "demo-only", NODE_ENV: "production" };
  delete env.IAMLAB_MASTER_KEY;
  const children: ChildProcess[] = [];
  try {
    const lab = await startApiServer({ root, env, children, profileDir: args.get("profile"), label: "bench:api's --prepare" });
    const { creds, port: labPort } = lab;
    const trivialPort = await freePort();
    const trivial = spawn(process.execPath, ["-e", TRIVIAL, String(trivialPort), OBJECT_1K.toString("base64")], { stdio: "ignore" });
    children.push(trivial);
    await waitForPort(trivialPort, 10_000);
    const host = `127.0.0.1:${labPort}`;

    // ---------------------------------------------------------------- wrk
    const objectPath = `/${BUCKET}/bench-1k`;
    const put = await stream(labPort, "PUT", objectPath, { ...signS3("PUT", objectPath, crypto.createHash("sha256").update(OBJECT_1K).digest("hex"), creds, host), "content-length": "1024" }, async function* () {
      yield OBJECT_1K;
    });
    if (put.status !== 200) throw new Error(`PutObject answered ${put.status}: ${put.text}`);
    const url = `http://${host}${presignS3("GET", objectPath, creds, host, 3600)}`;
    const check = await stream(labPort, "GET", url.slice(`http://${host}`.length), { host });
    if (check.status !== 200 || check.bytes !== 1024) throw new Error(`presigned GET answered ${check.status} (${check.bytes} bytes): ${check.text}`);

    console.log(`\nwrk: ${CONNECTIONS} connections, ${SECONDS} s, one presigned GetObject URL (1 KiB); load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores\n`);
    const ceiling = await wrk(`http://127.0.0.1:${trivialPort}/`, trivial.pid!);
    const served = await wrk(url, lab.pid);
    console.log(`${"server".padEnd(44)}${"req/s".padStart(9)}${"CPU ms/req".padStart(12)}${"p99".padStart(10)}${"failed".padStart(9)}`);
    for (const [name, r] of [
      ["trivial Node http server, same 1 KiB", ceiling],
      ["IAM Lab presigned GetObject", served],
    ] as const)
      console.log(`${name.padEnd(44)}${r.rps.toFixed(0).padStart(9)}${r.cpuMs.toFixed(3).padStart(12)}${r.p99.padStart(10)}${String(r.non2xx).padStart(9)}`);
    const wrkPass = served.rps >= TARGET_RPS && served.non2xx === 0;
    console.log(
      `IAM Lab: ${served.rps.toFixed(0)} req/s (target ${TARGET_RPS}) ${wrkPass ? "PASS" : "FAIL"}; ${((served.rps / ceiling.rps) * 100).toFixed(0)}% of the trivial server's throughput, ${(served.cpuMs / ceiling.cpuMs).toFixed(1)}x its CPU per request`,
    );

    // ---------------------------------------------------------------- 1 GiB through
    const mib = (BIG_BYTES / 1024 ** 2).toFixed(0);
    console.log(`\nmemory: the server's RSS while ${mib} MiB is uploaded (one PutObject, streamed) and downloaded (GetObject)\n`);
    const bigPath = `/${BUCKET}/bench-big`;
    const before = rssMiB(lab.pid);
    let t = performance.now();
    const up = await peakRss(lab.pid, () =>
      stream(labPort, "PUT", bigPath, { ...signS3("PUT", bigPath, "UNSIGNED-PAYLOAD", creds, host), "content-length": String(BIG_BYTES) }, async function* () {
        yield* bigBody();
      }),
    );
    const upSeconds = (performance.now() - t) / 1000;
    if (up.result.status !== 200) throw new Error(`PutObject of ${mib} MiB answered ${up.result.status}: ${up.result.text}`);
    t = performance.now();
    const down = await peakRss(lab.pid, () => stream(labPort, "GET", bigPath, signS3("GET", bigPath, EMPTY_SHA256, creds, host)));
    const downSeconds = (performance.now() - t) / 1000;
    if (down.result.status !== 200 || down.result.bytes !== BIG_BYTES) throw new Error(`GetObject answered ${down.result.status} with ${down.result.bytes} bytes`);
    const growth = Math.max(up.peak, down.peak) - before;
    console.log(`RSS before                 ${before.toFixed(0).padStart(6)} MiB`);
    console.log(`peak during PutObject      ${up.peak.toFixed(0).padStart(6)} MiB   (${(BIG_BYTES / 1024 ** 2 / upSeconds).toFixed(0)} MiB/s)`);
    console.log(`peak during GetObject      ${down.peak.toFixed(0).padStart(6)} MiB   (${(BIG_BYTES / 1024 ** 2 / downSeconds).toFixed(0)} MiB/s)`);
    const memPass = growth < GROWTH_LIMIT_MIB;
    console.log(`growth: ${growth.toFixed(0)} MiB (target under ${GROWTH_LIMIT_MIB} MiB) ${memPass ? "PASS" : "FAIL"}`);
    process.exitCode = wrkPass && memPass ? 0 : 1;
  } finally {
    for (const c of children) c.kill();
    await new Promise((r) => setTimeout(r, 1000)); // the server's profile is written on exit
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
