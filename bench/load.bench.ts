/**
 * Load benchmark (the "console that holds a class" issue): many signed-in
 * console sessions, each of its own IAM user, loading a mix of console pages
 * in a closed loop for a fixed time against IAM Lab's real server
 * (scripts/server.ts serving an existing build), over HTTP on loopback.
 * Prints pages per second, p50/p95/p99 latency and errors per database and
 * session count, the latency of a small page loaded alone (one session, one
 * request at a time), and the audit rows the pages wrote.
 *
 *   npm run bench:load                                  (SQLite and PostgreSQL; 50 and 200 sessions; 20 s each)
 *   npm run bench:load -- --db=sqlite --sessions=50 --seconds=5
 *   npm run bench:load -- --cpu-prof=DIR ...     (the server writes a V8 CPU profile per database into DIR;
 *                                                  summarize it with `npx tsx bench/cpu-profile-summary.ts FILE`)
 *
 * It builds nothing: it serves the build in IAMLAB_NEXT_DIR (default .next);
 * build first (`npx next build`, or IAMLAB_NEXT_DIR=.next-load npx next build).
 * Each database is fresh: SQLite in a temp directory, PostgreSQL 15 in a
 * throwaway cluster (scripts/lib/pg-cluster.ts); migrated, seeded with the demo
 * organization (demo-only catalogue) plus one IAM user per session (a third
 * with AdministratorAccess, a third with ReadOnlyAccess, a third in the
 * Developers group with SecurityAudit), all with a console password. Every session signs in
 * through the sign-in page, as a browser without JavaScript would.
 * Targets: 50 sessions at least 150 pages/s with p95 under 500 ms; a small page
 * alone under 10 ms; 200 sessions without an error.
 */
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startPgCluster, type PgCluster } from "../scripts/lib/pg-cluster";
import { ConsoleClient } from "../lib/testing/console-client";
import { findBuild, isRunning, startServer, type RunningServer } from "../lib/testing/run-server";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const DEV = "111122223333";
const PASSWORD = "Load-Bench-Passw0rd!";
const USER = (i: number) => `load-${String(i).padStart(4, "0")}`;
const USER_AGENT = "iamlab-load-bench";

/** The pages each session cycles through (its own user's detail page included). */
const PAGES = (self: string) => ["/iam", "/iam/users", "/iam/groups", "/iam/roles", "/iam/policies", `/iam/users/${self}`, "/iam/users?sort=created&dir=desc"];

// ---------------------------------------------------------------------------
// Child: prepares a database (migrate, seed, the sessions' users).

async function prepare(users: number) {
  const { db } = await import("../lib/db/client");
  const { migrate } = await import("../lib/db/migrate");
  const { seed } = await import("../lib/db/seed");
  const { env } = await import("../lib/env");
  const { hashPassword } = await import("../lib/crypto/passwords");
  await migrate(env().databaseUrl);
  await seed(db(), { catalogue: "demo-only" });
  const hash = await hashPassword(PASSWORD);
  const c = db();
  const policy = async (name: string) => (await c.managedPolicy.findFirstOrThrow({ where: { arn: `arn:aws:iam::aws:policy/${name}` } })).id;
  const [admin, readOnly, audit] = [await policy("AdministratorAccess"), await policy("ReadOnlyAccess"), await policy("SecurityAudit")];
  const developers = await c.iamGroup.findFirstOrThrow({ where: { accountId: DEV, name: "Developers" } });
  for (let i = 0; i < users; i++) {
    const name = USER(i);
    const id = `AIDALOAD${String(i).padStart(6, "0")}XXXXXXX`.slice(0, 21);
    await c.iamUser.create({
      data: { id, accountId: DEV, name, nameLower: name, arn: `arn:aws:iam::${DEV}:user/${name}`, loginProfile: { create: { passwordHash: hash } } },
    });
    if (i % 3 === 0) await c.policyAttachment.create({ data: { accountId: DEV, policyId: admin, userId: id } });
    else if (i % 3 === 1) await c.policyAttachment.create({ data: { accountId: DEV, policyId: readOnly, userId: id } });
    else {
      await c.groupMembership.create({ data: { groupId: developers.id, userId: id } });
      await c.policyAttachment.create({ data: { accountId: DEV, policyId: audit, userId: id } });
    }
  }
  await c.$disconnect();
}

// ---------------------------------------------------------------------------
// Parent: per database, a server, the sessions, the measurements.

interface Run {
  label: string;
  pages: number;
  seconds: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  firstError?: string;
  perPage: Map<string, number[]>;
  /** The server process's CPU time (user + system, all threads) per page, ms: steady on a shared machine where wall-clock rates are not. */
  cpuPerPage?: number;
}

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux); null elsewhere. */
function processCpuMs(pid: number | undefined): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 a second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

/** Runs a loop and adds the server's CPU time per page to it. */
async function measured(pid: number | undefined, loop: () => Promise<Run>): Promise<Run> {
  const before = processCpuMs(pid);
  const run = await loop();
  const after = processCpuMs(pid);
  return before === null || after === null ? run : { ...run, cpuPerPage: (after - before) / Math.max(run.pages, 1) };
}

const quantile = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : NaN);

async function signInAll(port: number, n: number): Promise<ConsoleClient[]> {
  const clients: ConsoleClient[] = [];
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const c = new ConsoleClient(port);
      const r = await c.signIn(DEV, USER(i), PASSWORD);
      if (!r.ok) throw new Error(`${USER(i)} could not sign in: ${r.message}`);
      clients[i] = c;
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return clients;
}

function isPage(status: number, body: string): string | null {
  if (status !== 200) return `status ${status}`;
  if (!body.includes('data-testid="identity"')) return "no console page (signed out?)";
  if (body.includes("InternalFailure")) return "InternalFailure on the page";
  return null;
}

/** Every session loads its next page as soon as the previous one arrived, until time is up. */
async function closedLoop(label: string, clients: ConsoleClient[], seconds: number): Promise<Run> {
  const latencies: number[] = [];
  const perPage = new Map<string, number[]>();
  let errors = 0;
  let firstError: string | undefined;
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    clients.map(async (c, i) => {
      const pages = PAGES(USER(i));
      for (let k = i; performance.now() < end; k++) {
        const page = pages[k % pages.length]!;
        const t = performance.now();
        let problem: string | null;
        try {
          const res = await c.get(page);
          problem = isPage(res.status, res.body);
        } catch (err) {
          problem = (err as Error).message;
        }
        const ms = performance.now() - t;
        latencies.push(ms);
        const key = page.split("?")[0]!.replace(/\/users\/load-\d+/, "/users/<self>") + (page.includes("?") ? "?sort" : "");
        (perPage.get(key) ?? perPage.set(key, []).get(key)!).push(ms);
        if (problem) {
          errors++;
          firstError ??= `${page}: ${problem}`;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { label, pages: latencies.length, seconds: elapsed, p50: quantile(latencies, 0.5), p95: quantile(latencies, 0.95), p99: quantile(latencies, 0.99), errors, firstError, perPage };
}

async function alone(client: ConsoleClient, page: string, seconds: number, pid?: number): Promise<{ p50: number; p95: number; n: number; cpuPerPage?: number }> {
  const times: number[] = [];
  const cpu0 = processCpuMs(pid);
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const t = performance.now();
    const res = await client.get(page);
    times.push(performance.now() - t);
    const problem = isPage(res.status, res.body);
    if (problem) throw new Error(`${page} alone: ${problem}`);
  }
  times.sort((a, b) => a - b);
  const cpu1 = processCpuMs(pid);
  const cpuPerPage = cpu0 === null || cpu1 === null ? undefined : (cpu1 - cpu0) / Math.max(times.length, 1);
  return { p50: quantile(times, 0.5), p95: quantile(times, 0.95), n: times.length, cpuPerPage };
}

async function benchDatabase(kind: "sqlite" | "postgresql", sessionCounts: number[], seconds: number, nextDir: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `iamlab-load-${kind}-`));
  let cluster: PgCluster | undefined;
  let server: RunningServer | undefined;
  try {
    const url = kind === "sqlite" ? `file:${path.join(dir, "load.db")}` : (cluster = startPgCluster(Number(arg("pg-port") ?? 54339))).url;
    const keys = { IAMLAB_MASTER_KEY: crypto.randomBytes(32).toString("base64"), AUTH_SECRET: crypto.randomBytes(33).toString("base64url") };
    const users = Math.max(...sessionCounts);
    const t0 = Date.now();
    const prepared = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", fileURLToPath(import.meta.url), `--prepare=${users}`], {
      env: { ...process.env, ...keys, DATABASE_URL: url, IAMLAB_DATA_DIR: dir, NODE_ENV: "production" },
      stdio: "inherit",
    });
    if (prepared.status !== 0) throw new Error(`preparing the ${kind} database failed`);
    console.log(`${kind}: database seeded with ${users} session users in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const profileDir = arg("cpu-prof");
    // One profile per thread (the main thread's is the largest; tsx's loader thread writes one too).
    const profiling = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(profileDir)}`] : [];
    const s = await startServer({ ...keys, DATABASE_URL: url, IAMLAB_DATA_DIR: dir, IAMLAB_NEXT_DIR: nextDir, IAMLAB_SEED: "none" }, undefined, profiling);
    if (!isRunning(s)) throw new Error(`the server did not start:\n${s.output}`);
    server = s;
    const t1 = Date.now();
    const clients = await signInAll(s.port, users);
    console.log(`${kind}: ${users} sessions signed in through /signin in ${((Date.now() - t1) / 1000).toFixed(1)} s`);

    // Warm-up: every page once in every session, then a short loop.
    await Promise.all(clients.slice(0, 10).map(async (c, i) => { for (const p of PAGES(USER(i))) await c.get(p); }));
    await closedLoop("warm-up", clients.slice(0, 10), Math.min(3, seconds));

    const pid = s.child.pid;
    const small = await alone(clients[0]!, "/iam", Math.min(5, seconds), pid);
    const detail = await alone(clients[0]!, "/iam/users", Math.min(5, seconds), pid);
    const before = await countAudit(url);
    const runs: Run[] = [];
    for (const n of sessionCounts) runs.push(await measured(pid, () => closedLoop(`${n} sessions`, clients.slice(0, n), seconds)));
    const audited = (await countAudit(url)) - before;
    return { kind, small, detail, runs, audited, serverLog: s.output() };
  } finally {
    await server?.stop(arg("cpu-prof") ? 60_000 : undefined);
    cluster?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Audit rows the measured loops wrote (every page load is gated and audited). */
async function countAudit(url: string): Promise<number> {
  if (url.startsWith("file:")) {
    const { default: Database } = await import("better-sqlite3");
    const sqlite = new Database(url.slice(5), { readonly: true });
    try {
      return (sqlite.prepare(`SELECT count(*) AS n FROM AuditEvent`).get() as { n: number }).n;
    } finally {
      sqlite.close();
    }
  }
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query(`SELECT count(*) AS n FROM "AuditEvent"`)).rows[0].n);
  } finally {
    await client.end();
  }
}

async function main() {
  const build = findBuild();
  if (!build) {
    console.error(`No build in ${process.env.IAMLAB_NEXT_DIR || ".next"}: build the console first (npx next build; IAMLAB_NEXT_DIR=.next-load for a side folder).`);
    process.exit(2);
  }
  const seconds = Number(arg("seconds") ?? 20);
  const sessionCounts = (arg("sessions") ?? "50,200").split(",").map(Number);
  const kinds = (arg("db") ?? "sqlite,postgresql").split(",") as ("sqlite" | "postgresql")[];
  console.log(`Serving the build in ${build.dir} (built ${build.builtAt.toISOString()}); ${seconds} s per run; ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)}.`);
  const ms = (n: number) => n.toFixed(1).padStart(7);
  let failures = 0;
  for (const kind of kinds) {
    const r = await benchDatabase(kind, sessionCounts, seconds, build.dir);
    console.log(`\n=== ${kind}`);
    const cpu = (v: number | undefined) => (v === undefined ? "" : `, server CPU ${v.toFixed(1)} ms a page`);
    console.log(`small page alone (/iam, one session, one at a time): p50 ${r.small.p50.toFixed(1)} ms, p95 ${r.small.p95.toFixed(1)} ms (${r.small.n} loads${cpu(r.small.cpuPerPage)})  ${r.small.p50 < 10 ? "ok" : "MISSES (< 10 ms)"}`);
    console.log(`users list alone (/iam/users):                        p50 ${r.detail.p50.toFixed(1)} ms, p95 ${r.detail.p95.toFixed(1)} ms (${r.detail.n} loads${cpu(r.detail.cpuPerPage)})`);
    console.log(`${"run".padEnd(14)} ${"pages/s".padStart(8)} ${"p50".padStart(7)} ${"p95".padStart(7)} ${"p99".padStart(7)} ${"errors".padStart(7)} ${"CPU/page".padStart(9)}  verdict`);
    let pages = 0;
    for (const run of r.runs) {
      pages += run.pages;
      const n = Number(run.label.split(" ")[0]);
      const rate = run.pages / run.seconds;
      const ok = run.errors === 0 && (n !== 50 || (rate >= 150 && run.p95 < 500));
      if (!ok) failures++;
      console.log(
        `${run.label.padEnd(14)} ${rate.toFixed(1).padStart(8)} ${ms(run.p50)} ${ms(run.p95)} ${ms(run.p99)} ${String(run.errors).padStart(7)} ${(run.cpuPerPage === undefined ? "-" : `${run.cpuPerPage.toFixed(1)} ms`).padStart(9)}  ${
          ok ? "ok" : n === 50 ? "MISSES (>= 150 pages/s, p95 < 500 ms, no errors)" : "MISSES (no errors)"
        }${run.firstError ? `  first error: ${run.firstError}` : ""}`,
      );
    }
    const last = r.runs.at(-1)!;
    console.log(`p50 per page (${last.label}): ${[...last.perPage].map(([p, t]) => `${p} ${quantile(t.sort((a, b) => a - b), 0.5).toFixed(0)} ms`).join(", ")}`);
    console.log(`audit rows written during the runs: ${r.audited} for ${pages} pages (${(r.audited / Math.max(pages, 1)).toFixed(2)} a page)`);
    const errorsLogged = r.serverLog.split("\n").filter((l) => /error|failed/i.test(l)).slice(0, 5);
    if (errorsLogged.length) console.log(`server log (first lines with errors):\n  ${errorsLogged.join("\n  ")}`);
  }
  process.exit(failures ? 1 : 0);
}

const prepareUsers = arg("prepare");
if (prepareUsers) await prepare(Number(prepareUsers));
else await main();
