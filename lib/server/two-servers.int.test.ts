// Two real IAM Lab servers (scripts/server.ts, the built console, each in its
// own process with its own empty data directory) on ONE database: this file's
// copy of the seeded test database. On PostgreSQL that is the deployment the
// README describes (several servers, one database); on SQLite it is two
// servers on one database file. Nothing is shared between the servers but the
// database and the two settings every server must share (IAMLAB_MASTER_KEY,
// AUTH_SECRET). Over plain HTTP, as a browser without JavaScript:
//   - a user signs in with password and MFA on server A and continues on server B
//     with the same cookie (B's audit records the MFA);
//   - signing out on B ends the session on A too, at once;
//   - wrong passwords on A and on B, from different addresses, add up to one
//     identity counter: B then refuses even the right password;
//   - a server started with another AUTH_SECRET or master key refuses to start
//     and names the setting; on PostgreSQL, a server without keys refuses unless
//     IAMLAB_SINGLE_SERVER=true, which generates them into its own data directory.
// It needs a build (IAMLAB_NEXT_DIR, default .next) and builds nothing:
// `npm test` runs it after its build step on SQLite; CI's PostgreSQL pass runs
// it with the integration suite, after the SQLite pass built the console.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeAt, currentStep } from "@/lib/crypto/totp";
import { db } from "@/lib/db/client";
import { DEMO_ACCOUNTS, DEMO_MFA_SEED, DEMO_PASSWORD } from "@/lib/db/seed/demo-identities";
import { ConsoleClient } from "@/lib/testing/console-client";
import { TEST_AUTH_SECRET, TEST_MASTER_KEY } from "@/lib/testing/constants";
import { findBuild, isRunning, startServer, type Refusal, type RunningServer } from "@/lib/testing/run-server";

const DEV = DEMO_ACCOUNTS.dev.id;
const url = process.env.DATABASE_URL!;
const onPostgres = url.startsWith("postgres");
const build = findBuild();
const dataDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "iamlab-2srv-"));

/** The settings of one server of this database: shared keys, its own data directory. */
const serverEnv = (extra: Record<string, string | undefined> = {}) => ({
  DATABASE_URL: url,
  IAMLAB_MASTER_KEY: TEST_MASTER_KEY,
  AUTH_SECRET: TEST_AUTH_SECRET,
  IAMLAB_DATA_DIR: dataDir(),
  IAMLAB_NEXT_DIR: build?.dir,
  // The clients below say where they come from in X-Forwarded-For: the servers believe loopback.
  IAMLAB_TRUSTED_PROXIES: "127.0.0.1",
  ...extra,
});

const started: RunningServer[] = [];
async function server(extra: Record<string, string | undefined> = {}): Promise<RunningServer> {
  const s = await startServer(serverEnv(extra));
  if (!isRunning(s)) throw new Error(`the server refused to start (exit ${s.code}):\n${s.output}`);
  started.push(s);
  return s;
}
async function refusal(env: Record<string, string | undefined>): Promise<Refusal> {
  const s = await startServer(env);
  if (isRunning(s)) {
    started.push(s);
    throw new Error("the server started, but should have refused");
  }
  return s;
}

/** TOTP codes of erin's device, each step used once (the server refuses a replay). */
let lastStep = 0;
async function erinCode(): Promise<string> {
  while (currentStep() + 1 <= lastStep) await new Promise((r) => setTimeout(r, 500));
  lastStep = Math.max(lastStep + 1, currentStep() - 1);
  return codeAt(DEMO_MFA_SEED, lastStep);
}

const identityOn = (html: string) => /data-testid="identity"[^>]*>([\s\S]*?)<\/p>/.exec(html)?.[1]?.replace(/<[^>]+>/g, " ") ?? "";

if (build) describe(`two servers on one ${onPostgres ? "PostgreSQL database" : "SQLite database file"}`, () => {
  let a: RunningServer;
  let b: RunningServer;

  beforeAll(async () => {
    [a, b] = await Promise.all([server(), server()]);
  }, 240_000);
  afterAll(async () => {
    await Promise.all(started.map((s) => s.stop()));
  });

  it("a user signs in with MFA on one server and continues on the other; signing out on one ends the session on both", async () => {
    const onA = new ConsoleClient(a.port, "198.51.100.21");
    const signedIn = await onA.signIn(DEV, "erin", DEMO_PASSWORD, erinCode);
    expect(signedIn).toEqual({ ok: true });
    const pageOnA = await onA.get("/iam");
    expect(pageOnA.status).toBe(200);
    expect(identityOn(pageOnA.body)).toContain("erin");

    // The same browser, now served by B: the cookie A issued is B's too, and the MFA claim with it.
    const onB = onA.copyTo(b.port);
    const before = new Date();
    const usersOnB = await onB.get("/iam/users");
    expect(usersOnB.status).toBe(200);
    expect(identityOn(usersOnB.body)).toContain("erin");
    expect(usersOnB.body).toContain("alice"); // the list was loaded, not refused
    const audit = await db().auditEvent.findFirst({
      where: { eventName: "ListUsers", identityUserName: "erin", eventTime: { gte: before }, errorCode: null },
      orderBy: { eventTime: "desc" },
    });
    expect(audit).toMatchObject({ mfaAuthenticated: true, sourceIPAddress: "198.51.100.21" });

    // Sign out on B (the top bar's form): A refuses the same cookie at once, and so does B.
    const out = await onB.submit("/iam", usersOnB.body.slice(usersOnB.body.indexOf('data-testid="identity"')), {});
    expect([303, 307]).toContain(out.status);
    const session = await db().consoleSession.findFirst({ where: { user: { name: "erin" } }, orderBy: { createdAt: "desc" } });
    expect(session?.revokedReason).toBe("SignOut");
    for (const client of [onA, onA.copyTo(b.port)]) {
      const res = await client.get("/iam");
      expect(res.status, `after sign-out on B, server ${client.port === a.port ? "A" : "B"} must send the cookie to sign-in`).toBe(307);
      expect(res.headers.location).toMatch(/\/signin/);
    }
  }, 120_000);

  it("wrong passwords on both servers add up to one identity's counter: then the right one is refused on either", async () => {
    // carol, guessed at from two addresses, alternately on A and B. Six failures
    // start the waits (1 s, doubling per failure): the eighth leaves a 4 s wait.
    const clients = [new ConsoleClient(a.port, "198.51.100.31"), new ConsoleClient(b.port, "198.51.100.32")];
    const key = `id:${DEV}/carol`;
    for (let i = 0; i < 8; i++) {
      // Wait out the previous wait, so every guess is checked (a throttled guess is not counted).
      const row = await db().signInThrottle.findUnique({ where: { key } });
      const wait = (row?.blockedUntil?.getTime() ?? 0) - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait + 50));
      const res = await clients[i % 2]!.signIn(DEV, "carol", `wrong-${i}`);
      expect(res).toEqual({ ok: false, message: "Your authentication information is incorrect. Please try again." });
    }
    const row = await db().signInThrottle.findUniqueOrThrow({ where: { key } });
    expect(row.failures).toBe(8);
    // Each address alone stayed under its own limit: it is the identity's shared counter that refuses.
    expect((await db().signInThrottle.findMany({ where: { key: { startsWith: "ip:198.51.100.3" } } })).map((r) => r.failures)).toEqual([4, 4]);
    const right = await new ConsoleClient(b.port, "198.51.100.33").signIn(DEV, "carol", DEMO_PASSWORD);
    expect(right.ok).toBe(false);
    expect(right.ok || right.message).toMatch(/Too many failed sign-in attempts\. Wait \d+ seconds/);
  }, 120_000);

  it("a server with another AUTH_SECRET or another master key refuses to start, naming the setting", async () => {
    const otherSecret = await refusal(serverEnv({ AUTH_SECRET: "another-auth-secret-another-auth-secret-0123" }));
    expect(otherSecret.code).not.toBe(0);
    expect(otherSecret.output).toMatch(/this server's AUTH_SECRET is not the one this database was set up with/);
    const otherKey = await refusal(serverEnv({ IAMLAB_MASTER_KEY: Buffer.alloc(32, 7).toString("base64") }));
    expect(otherKey.output).toMatch(/this server's IAMLAB_MASTER_KEY is not the one this database was set up with/);
    // The servers with the right keys go on serving.
    expect((await new ConsoleClient(a.port).get("/signin")).status).toBe(200);
  }, 240_000);

  if (onPostgres) it("on PostgreSQL, a server without keys refuses to generate them unless IAMLAB_SINGLE_SERVER=true", async () => {
    // A fresh, empty database: the first server to start on it records its keys.
    const name = `two_srv_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const fresh = url.replace(/\/[^/?]+(\?|$)/, `/${name}$1`);
    const noKeys = { DATABASE_URL: fresh, IAMLAB_SEED: "none", IAMLAB_NEXT_DIR: build?.dir, IAMLAB_MASTER_KEY: undefined, AUTH_SECRET: undefined };

    const refused = await refusal({ ...noKeys, IAMLAB_DATA_DIR: dataDir() });
    expect(refused.output).toMatch(/on PostgreSQL, set IAMLAB_MASTER_KEY \(the same value on every server/);

    const alone = dataDir();
    const single = await server({ ...noKeys, IAMLAB_DATA_DIR: alone, IAMLAB_SINGLE_SERVER: "true" });
    expect((await new ConsoleClient(single.port).get("/signin")).status).toBe(200);
    for (const file of ["master.key", "auth.secret"]) expect(fs.statSync(path.join(alone, file)).mode & 0o777).toBe(0o600);
    // A second server told it is alone too, generating its own keys: the database knows the first's.
    const second = await refusal({ ...noKeys, IAMLAB_DATA_DIR: dataDir(), IAMLAB_SINGLE_SERVER: "true" });
    expect(second.output).toMatch(/this server's IAMLAB_MASTER_KEY is not the one this database was set up with/);
  }, 240_000);

  // SQLite's counterpart: keys are generated into the data directory (IAMLAB_SINGLE_SERVER does not matter);
  // servers of one database file must share that directory, or be given the same keys.
  else it("on SQLite, keys generated into one data directory are the database's: a server with another data directory refuses", async () => {
    const file = path.join(dataDir(), "fresh.db");
    const noKeys = { DATABASE_URL: `file:${file}`, IAMLAB_SEED: "none", IAMLAB_NEXT_DIR: build?.dir, IAMLAB_MASTER_KEY: undefined, AUTH_SECRET: undefined };
    const shared = dataDir();
    const first = await server({ ...noKeys, IAMLAB_DATA_DIR: shared });
    expect((await new ConsoleClient(first.port).get("/signin")).status).toBe(200);
    for (const f of ["master.key", "auth.secret"]) expect(fs.statSync(path.join(shared, f)).mode & 0o777).toBe(0o600);
    const sameDir = await server({ ...noKeys, IAMLAB_DATA_DIR: shared });
    expect((await new ConsoleClient(sameDir.port).get("/signin")).status).toBe(200);
    const otherDir = await refusal({ ...noKeys, IAMLAB_DATA_DIR: dataDir() });
    expect(otherDir.output).toMatch(/this server's IAMLAB_MASTER_KEY is not the one this database was set up with/);
  }, 240_000);
});
else
  describe("two servers on one database", () => {
    it("need a build of the console", () => {
      throw new Error(
        `No build in ${process.env.IAMLAB_NEXT_DIR || ".next"} (no BUILD_ID). This test starts real servers against an existing build: ` +
          "run `npx next build` first (npm test runs this file after its build step).",
      );
    });
  });

// On failure, what the servers said.
afterAll(() => {
  for (const s of started) if (s.child.exitCode !== null && s.child.exitCode !== 0) console.error(s.output());
});
