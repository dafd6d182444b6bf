/**
 * IAM dashboard benchmark (issue 14): the server time of the dashboard's
 * security findings (getSecurityPosture: every IAM finding's count and the key
 * age/use picture; getSharedKeys: the shared-key finding from the events of the
 * last 24 hours), of one finding's entity page, and of a credential report
 * generation, through runOperation as admin, at 100,000 users and 5 million
 * events against a 1,000 user / 50,000 event baseline measured in the same run.
 *
 *   npm run -s bench:dashboard                             (both sizes; minutes on 2 cores)
 *   npm run -s bench:dashboard -- --users=20000 --events=1000000 --runs=5
 *
 * Each size runs in a child process of its own on a fresh SQLite database:
 * migrated, seeded with the demo organization, then filled by INSERT ... SELECT
 * over a recursive counter (rows are made inside SQLite). Shapes at both sizes:
 * every user has a console password (1 in 3 with MFA), 1 in 2 an active key
 * (1 in 10 of them a second one), key ages spread over 2 years; events spread
 * over 30 days from the keys, each key from one address except 1 in 500 keys,
 * which are used from 4 addresses within the last day.
 */
import { runOnScratchDatabase } from "./scratch-run";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const DEV = "111122223333";

interface Measured {
  label: string;
  p50: number;
  p95: number;
  result: string;
}

// ---------------------------------------------------------------------------
// Parent

function parent() {
  const runs = Number(arg("runs") ?? 10);
  const sizes: [number, number][] = [
    [1_000, 50_000],
    [Number(arg("users") ?? 100_000), Number(arg("events") ?? 5_000_000)],
  ];
  const results: Measured[][] = [];
  for (const [users, events] of sizes) {
    results.push(runOnScratchDatabase<Measured[]>(import.meta.url, `${users}:${events}`, runs, `${users.toLocaleString("en-US")} users / ${events.toLocaleString("en-US")} events`));
  }
  const [small, large] = results as [Measured[], Measured[]];
  const num = (n: number) => n.toFixed(1).padStart(9);
  const [s, l] = sizes as [[number, number], [number, number]];
  console.log(`\nServer time (ms), ${runs} runs after warm-up, admin in the dev account, SQLite; p50 / p95.`);
  console.log(`Baseline: ${s[0].toLocaleString("en-US")} users, ${s[1].toLocaleString("en-US")} events; large: ${l[0].toLocaleString("en-US")} users, ${l[1].toLocaleString("en-US")} events.\n`);
  console.log(`${"measurement".padEnd(44)} ${"baseline p50/p95".padStart(20)} ${"large p50/p95".padStart(20)}  ratio p50  result (baseline / large)`);
  for (const a of small) {
    const b = large.find((x) => x.label === a.label)!;
    console.log(`${a.label.padEnd(44)} ${num(a.p50)}/${num(a.p95)} ${num(b.p50)}/${num(b.p95)}  ${(b.p50 / a.p50).toFixed(1).padStart(8)}x  ${a.result} / ${b.result}`);
  }
}

// ---------------------------------------------------------------------------
// Child

async function child(users: number, events: number, runs: number) {
  const { db } = await import("../lib/db/client");
  const { migrate } = await import("../lib/db/migrate");
  const { seed } = await import("../lib/db/seed");
  const { env } = await import("../lib/env");
  await migrate(env().databaseUrl);
  await seed(db(), { catalogue: "demo-only" });
  const t0 = Date.now();
  await fill(users, events);
  process.stderr.write(`${users} users / ${events} events inserted in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  await db().$executeRawUnsafe("ANALYZE");
  const results = await measure(runs);
  await db().$disconnect();
  console.log(`RESULT ${JSON.stringify(results)}`);
}

async function fill(users: number, events: number) {
  const { db } = await import("../lib/db/client");
  const c = db();
  const org = (await c.account.findUniqueOrThrow({ where: { id: DEV }, select: { organizationId: true } })).organizationId;
  const now = Date.now();
  const DAY = 86_400_000;
  // Prisma's SQLite DateTime text (2026-01-02T03:04:05.678+00:00) from epoch milliseconds.
  const at = (ms: string) => `strftime('%Y-%m-%dT%H:%M:%f+00:00', (${ms}) / 1000.0, 'unixepoch')`;
  const counter = (n: number) => `WITH RECURSIVE c(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM c WHERE n < ${n - 1})`;
  const h = (mult: number, mod: number) => `((n * ${mult}) % ${mod})`;
  const created = at(`${now} - ${h(7919, 730)} * ${DAY}`);
  await c.$executeRawUnsafe(`${counter(users)}
    INSERT INTO "IamUser" ("id", "accountId", "name", "nameLower", "path", "arn", "createdAt", "updatedAt")
    SELECT printf('AIDABENCH%011d', n), '${DEV}', printf('bench-user-%06d', n), printf('bench-user-%06d', n), '/',
      printf('arn:aws:iam::${DEV}:user/bench-user-%06d', n), ${created}, ${created} FROM c`);
  await c.$executeRawUnsafe(`${counter(users)}
    INSERT INTO "LoginProfile" ("userId", "passwordHash", "createdAt", "passwordLastChanged", "passwordLastUsed")
    SELECT printf('AIDABENCH%011d', n), 'x', ${created}, ${created}, CASE WHEN ${h(13, 4)} = 0 THEN NULL ELSE ${at(`${now} - ${h(31, 200)} * ${DAY}`)} END FROM c`);
  await c.$executeRawUnsafe(`${counter(Math.ceil(users / 3))}
    INSERT INTO "MfaDevice" ("id", "accountId", "serialNumber", "name", "path", "userId", "seedCiphertext", "enabledAt", "createdAt")
    SELECT printf('mfa-%06d', n * 3), '${DEV}', printf('arn:aws:iam::${DEV}:mfa/bench-user-%06d', n * 3), printf('bench-user-%06d', n * 3), '/',
      printf('AIDABENCH%011d', n * 3), 'x', ${at(String(now))}, ${at(String(now))} FROM c WHERE n * 3 < ${users}`);
  // Key 1 of every second user; key 2 of every twentieth.
  const keyAge = (salt: number) => at(`${now} - ${h(salt, 730)} * ${DAY}`);
  const lastUsed = `CASE WHEN ${h(17, 5)} = 0 THEN NULL ELSE ${at(`${now} - ${h(23, 180)} * ${DAY}`)} END`;
  await c.$executeRawUnsafe(`${counter(Math.ceil(users / 2))}
    INSERT INTO "AccessKey" ("id", "accountId", "userId", "secretCiphertext", "status", "createdAt", "lastUsedAt", "lastUsedService", "lastUsedRegion")
    SELECT printf('AKIABENCHA%010d', n), '${DEV}', printf('AIDABENCH%011d', n * 2), 'x', 'Active', ${keyAge(101)}, ${lastUsed}, 'iam', 'us-east-1' FROM c WHERE n * 2 < ${users}`);
  await c.$executeRawUnsafe(`${counter(Math.ceil(users / 20))}
    INSERT INTO "AccessKey" ("id", "accountId", "userId", "secretCiphertext", "status", "createdAt", "lastUsedAt", "lastUsedService", "lastUsedRegion")
    SELECT printf('AKIABENCHB%010d', n), '${DEV}', printf('AIDABENCH%011d', n * 20), 'x', 'Active', ${keyAge(103)}, ${lastUsed}, 'iam', 'us-east-1' FROM c WHERE n * 20 < ${users}`);
  // Events over 30 days, newest first; key k = n mod (users/2); shared keys (k % 500 == 0) use 4 addresses.
  const keys = Math.max(1, Math.floor(users / 2));
  const k = `(n % ${keys})`;
  const span = Math.floor((30 * DAY) / events);
  await c.$executeRawUnsafe(`${counter(events)}
    INSERT INTO "AuditEvent" ("id", "organizationId", "recipientAccountId", "eventTime", "eventSource", "eventName", "awsRegion", "readOnly", "eventCategory",
      "eventType", "requestId", "identityType", "identityArn", "identityAccountId", "identityUserName", "identityAccessKeyId", "sourceIPAddress", "userAgent")
    SELECT printf('bench-%010d', n), '${org}', '${DEV}', ${at(`${now} - n * ${span}`)}, 'iam.amazonaws.com', 'ListUsers', 'us-east-1', 1, 'Management',
      'AwsApiCall', printf('req-%d', n), 'IAMUser', printf('arn:aws:iam::${DEV}:user/bench-user-%06d', ${k} * 2), '${DEV}', printf('bench-user-%06d', ${k} * 2),
      printf('AKIABENCHA%010d', ${k}),
      CASE WHEN ${k} % 500 = 0 THEN printf('10.1.%d.%d', ${k} % 250, (n / ${keys}) % 4) ELSE printf('10.0.%d.%d', ${k} % 250, ${k} % 249) END,
      'aws-cli/1.45 bench' FROM c`);
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(runs: number): Promise<Measured[]> {
  const { runOperation } = await import("../lib/iam/operation");
  const posture = await import("../lib/iam/services/security-posture");
  const report = await import("../lib/iam/services/credential-report");
  const { db } = await import("../lib/db/client");
  const { asUser, testRequest } = await import("../lib/testing/principals");
  const admin = await asUser("admin");
  const call = <T>(spec: import("../lib/iam/operation").OperationSpec<T>) => runOperation({ ...spec, principal: admin, request: testRequest() });
  const cases: { label: string; run: () => Promise<string>; runs?: number }[] = [
    {
      label: "IAM findings + key age picture",
      run: async () => {
        const p = await call(posture.getSecurityPosture(admin));
        return p.findings.map((f) => f.count).join(",");
      },
    },
    { label: "shared keys (events of the last 24 hours)", run: async () => String((await call(posture.getSharedKeys(admin))).length) },
    { label: "finding page: console users without MFA", run: async () => String((await call(posture.getFindingEntities(admin, "console-users-without-mfa"))).length) },
    { label: "finding page: users with two active keys", run: async () => String((await call(posture.getFindingEntities(admin, "two-active-keys"))).length) },
    {
      label: "credential report generation",
      runs: Math.min(runs, 3),
      run: async () => {
        await db().credentialReport.deleteMany({});
        await call(report.generateCredentialReport(admin));
        const r = await db().credentialReport.findFirstOrThrow({ select: { content: true } });
        return `${r.content.length.toLocaleString("en-US")} bytes`;
      },
    },
  ];
  const out: Measured[] = [];
  for (const c of cases) {
    const n = c.runs ?? runs;
    const samples: number[] = [];
    let result = "";
    for (let i = 0; i < n + 1; i++) {
      const t = performance.now();
      result = await c.run();
      if (i >= 1) samples.push(performance.now() - t);
    }
    samples.sort((a, b) => a - b);
    out.push({ label: c.label, p50: percentile(samples, 50), p95: percentile(samples, 95), result });
    process.stderr.write(`  ${c.label}: p50 ${percentile(samples, 50).toFixed(1)} ms (${result})\n`);
  }
  return out;
}

const childArg = arg("child");
if (childArg) {
  const [u, e] = childArg.split(":").map(Number) as [number, number];
  await child(u, e, Number(arg("runs") ?? 10));
} else parent();
