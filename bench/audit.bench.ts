/**
 * Event history benchmark (issue 14): the server time of one event-history page
 * (LookupEvents through runOperation as admin: gate, newest-first keyset page,
 * capped count, the activity chart's per-hour counts, and the lookup's own
 * audit record), for every filter the page offers, on the first page and on a
 * deep page (a next token 90% of the way back in time), at 5 million events
 * against a 10 thousand event baseline measured in the same run.
 *
 *   npm run bench:audit                      (both sizes; several minutes on 2 cores)
 *   npm run bench:audit -- --runs=30 --large=1000000
 *
 * Each size runs in a child process of its own on a fresh SQLite database:
 * migrated, seeded with the demo organization, then filled by one
 * INSERT ... SELECT over a recursive counter (the rows are made inside SQLite).
 */
import { runOnScratchDatabase } from "./scratch-run";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const DEV = "111122223333";
const SPAN_DAYS = 90;

interface Measured {
  filter: string;
  first: { p50: number; p95: number };
  deep: { p50: number; p95: number };
  matches: string;
}

/** The filters the page offers, as typed in its filter box (plus the switch and a time range). */
const FILTERS: { name: string; q?: string; includeReadOnly?: boolean; lastDays?: number }[] = [
  { name: "default (changes and errors)" },
  { name: "include read-only (everything)", includeReadOnly: true },
  { name: "event name", q: "deleteobject" },
  { name: "user name", q: "user:user-007", includeReadOnly: true },
  { name: "role name", q: "user:BenchRole2", includeReadOnly: true },
  { name: "access key", q: "accesskey:AKIABENCH00000000042", includeReadOnly: true },
  { name: "resource name", q: "resource:res-00123", includeReadOnly: true },
  { name: "resource type", q: "type:AWS::S3::Object", includeReadOnly: true },
  { name: "read-only", q: "access:read" },
  { name: "error code", q: "error:AccessDenied" },
  { name: "would-be denied (report-only)", q: "decision:would-be-denied" },
  { name: "time range (1 day)", includeReadOnly: true, lastDays: 1 },
];

// ---------------------------------------------------------------------------
// Parent

function parent() {
  const runs = Number(arg("runs") ?? 20);
  const sizes = [10_000, Number(arg("large") ?? 5_000_000)];
  const results: Measured[][] = [];
  for (const rows of sizes) {
    results.push(runOnScratchDatabase<Measured[]>(import.meta.url, String(rows), runs, `${rows.toLocaleString("en-US")} events`));
  }
  const [small, large] = results as [Measured[], Measured[]];
  const num = (n: number) => n.toFixed(1).padStart(8);
  console.log(`\nServer time of one event-history page (ms), ${runs} runs after warm-up; admin in the dev account; p50 / p95.`);
  console.log(`Baseline: ${sizes[0]!.toLocaleString("en-US")} events; large: ${sizes[1]!.toLocaleString("en-US")} events over ${SPAN_DAYS} days.\n`);
  console.log(
    `${"filter".padEnd(32)} ${"10k first".padStart(17)} ${"10k deep".padStart(17)} ${"large first".padStart(17)} ${"large deep".padStart(17)}  matches (10k / large)`,
  );
  for (const s of small) {
    const l = large.find((x) => x.filter === s.filter)!;
    console.log(
      `${s.filter.padEnd(32)} ${num(s.first.p50)}/${num(s.first.p95)} ${num(s.deep.p50)}/${num(s.deep.p95)} ${num(l.first.p50)}/${num(l.first.p95)} ${num(l.deep.p50)}/${num(l.deep.p95)}  ${s.matches} / ${l.matches}`,
    );
  }
}

// ---------------------------------------------------------------------------
// Child

async function child(rows: number, runs: number) {
  const { db } = await import("../lib/db/client");
  const { migrate } = await import("../lib/db/migrate");
  const { seed } = await import("../lib/db/seed");
  const { env } = await import("../lib/env");
  await migrate(env().databaseUrl);
  await seed(db(), { catalogue: "demo-only" });
  const t0 = Date.now();
  await fill(rows);
  process.stderr.write(`${rows}: events inserted in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  await db().$executeRawUnsafe("ANALYZE");
  const results = await measure(runs);
  await db().$disconnect();
  console.log(`RESULT ${JSON.stringify(results)}`);
}

/**
 * The events, made inside SQLite: n counts down from the newest; times spread
 * evenly over SPAN_DAYS ending now; names, identities, keys, resources, read-only
 * and errors drawn by multiplicative hashes of n (deterministic, same shape at
 * both sizes).
 */
async function fill(rows: number) {
  const { db } = await import("../lib/db/client");
  const c = db();
  const org = (await c.account.findUniqueOrThrow({ where: { id: DEV }, select: { organizationId: true } })).organizationId;
  // How this database stores a DateTime (Prisma's SQLite format), from a real row.
  const probe = await c.auditEvent.create({
    data: { id: "probe", organizationId: org, recipientAccountId: DEV, eventTime: new Date(0), eventSource: "x", eventName: "x", readOnly: true, requestId: "x", identityType: "x" },
  });
  const [{ kind }] = await c.$queryRawUnsafe<{ kind: string }[]>(`SELECT typeof("eventTime") AS kind FROM "AuditEvent" WHERE id = 'probe'`);
  await c.auditEvent.delete({ where: { id: probe.id } });
  const now = Date.now();
  const stepMs = Math.floor((SPAN_DAYS * 86_400_000) / rows);
  const ms = `(${now} - n * ${stepMs})`;
  const time = kind === "integer" ? ms : `strftime('%Y-%m-%dT%H:%M:%fZ', ${ms} / 1000.0, 'unixepoch')`;
  const names = ["ListUsers", "GetUser", "ListRoles", "GetRole", "ListBuckets", "GetObject", "ListPolicies", "GetPolicy", "CreateUser", "DeleteUser", "PutObject", "DeleteObject", "AttachUserPolicy", "AssumeRole", "ConsoleLogin"];
  const nameCase = names.map((n, i) => `WHEN ${i} THEN '${n}'`).join(" ");
  const readOnlyNames = names.map((n, i) => (/^(List|Get)/.test(n) ? i : -1)).filter((i) => i >= 0);
  const h = (mult: number, mod: number) => `((n * ${mult}) % ${mod})`;
  // The last column: one event in a thousand is a would-be denial (report-only), the rare kind its filter looks for.
  const sql = `
    WITH RECURSIVE c(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM c WHERE n < ${rows - 1})
    INSERT INTO "AuditEvent" ("id", "organizationId", "recipientAccountId", "eventTime", "eventSource", "eventName", "awsRegion", "readOnly", "eventCategory",
      "eventType", "requestId", "identityType", "identityArn", "identityAccountId", "identityUserName", "identityAccessKeyId", "roleName", "roleSessionName",
      "sourceIPAddress", "userAgent", "resources", "resourceName", "resourceType", "errorCode", "errorMessage", "wouldBeDenied")
    SELECT printf('bench-%010d', n), '${org}', '${DEV}', ${time}, 'iam.amazonaws.com', CASE ${h(7, names.length)} ${nameCase} END, 'us-east-1',
      ${h(7, names.length)} IN (${readOnlyNames.join(",")}), 'Management', 'AwsApiCall', printf('req-%d', n),
      CASE WHEN ${h(13, 10)} < 8 THEN 'IAMUser' ELSE 'AssumedRole' END,
      CASE WHEN ${h(13, 10)} < 8 THEN printf('arn:aws:iam::${DEV}:user/user-%03d', ${h(31, 200)})
           ELSE printf('arn:aws:sts::${DEV}:assumed-role/BenchRole%d/session-%03d', ${h(17, 20)}, ${h(31, 200)}) END,
      '${DEV}',
      CASE WHEN ${h(13, 10)} < 8 THEN printf('user-%03d', ${h(31, 200)}) END,
      printf('AKIABENCH%011d', ${h(31, 200)}),
      CASE WHEN ${h(13, 10)} >= 8 THEN printf('BenchRole%d', ${h(17, 20)}) END,
      CASE WHEN ${h(13, 10)} >= 8 THEN printf('session-%03d', ${h(31, 200)}) END,
      printf('10.0.%d.%d', ${h(3, 250)}, ${h(11, 250)}), 'aws-cli/2.17 bench',
      printf('[{"ARN":"arn:aws:iam::${DEV}:user/res-%05d","accountId":"${DEV}","type":"%s"}]', ${h(37, 10000)}, CASE WHEN ${h(7, names.length)} IN (5, 10, 11) THEN 'AWS::S3::Object' ELSE 'AWS::IAM::User' END),
      printf('res-%05d', ${h(37, 10000)}),
      CASE WHEN ${h(7, names.length)} IN (5, 10, 11) THEN 'AWS::S3::Object' ELSE 'AWS::IAM::User' END,
      CASE ${h(19, 100)} WHEN 0 THEN 'AccessDenied' WHEN 1 THEN 'AccessDenied' WHEN 2 THEN 'AccessDenied' WHEN 3 THEN 'NoSuchEntity' WHEN 4 THEN 'NoSuchEntity' END,
      CASE WHEN ${h(19, 100)} < 5 THEN 'refused' END,
      ${h(23, 1000)} = 0
    FROM c`;
  await c.$executeRawUnsafe(sql);
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(runs: number): Promise<Measured[]> {
  const { db } = await import("../lib/db/client");
  const { runOperation } = await import("../lib/iam/operation");
  const { lookupEvents, auditCursorAt, resolveFilter } = await import("../lib/audit/query");
  const { auditWhere } = await import("../lib/audit/filter");
  const { asUser, testRequest } = await import("../lib/testing/principals");
  const admin = await asUser("admin");
  const out: Measured[] = [];
  for (const f of FILTERS) {
    const to = new Date();
    const from = f.lastDays ? new Date(to.getTime() - f.lastDays * 86_400_000) : undefined;
    const input = { q: f.q, includeReadOnly: f.includeReadOnly, from, to: from ? to : undefined, withActivity: true };
    // The deep page starts 90% of the way back through the matching events' time span.
    const where = auditWhere(DEV, await resolveFilter(input));
    const [newest, oldest] = await Promise.all([
      db().auditEvent.findFirst({ where, orderBy: [{ eventTime: "desc" }, { id: "desc" }], select: { eventTime: true } }),
      db().auditEvent.findFirst({ where, orderBy: [{ eventTime: "asc" }, { id: "asc" }], select: { eventTime: true } }),
    ]);
    const deepTime = newest && oldest ? new Date(oldest.eventTime.getTime() + 0.1 * (newest.eventTime.getTime() - oldest.eventTime.getTime())) : new Date();
    const deepCursor = auditCursorAt(deepTime, "~", 0);
    const time = async (cursor?: string) => {
      const samples: number[] = [];
      let total = 0;
      for (let i = 0; i < runs + 3; i++) {
        const t = performance.now();
        const page = await runOperation({ ...lookupEvents(admin, { ...input, cursor }), principal: admin, request: testRequest() });
        if (i >= 3) samples.push(performance.now() - t);
        total = page.total;
        if (page.totalIsLowerBound) total = -total;
      }
      samples.sort((a, b) => a - b);
      return { p50: percentile(samples, 50), p95: percentile(samples, 95), total };
    };
    const first = await time();
    const deep = await time(deepCursor);
    out.push({ filter: f.name, first: { p50: first.p50, p95: first.p95 }, deep: { p50: deep.p50, p95: deep.p95 }, matches: first.total < 0 ? `${-first.total}+` : String(first.total) });
    process.stderr.write(`  ${f.name}: first p95 ${first.p95.toFixed(1)} ms, deep p95 ${deep.p95.toFixed(1)} ms\n`);
  }
  return out;
}

const childArg = arg("child");
if (childArg) await child(Number(childArg), Number(arg("runs") ?? 20));
else parent();
