/**
 * Console benchmark (issue 4's speed target): the server time of the data loads
 * behind the users, groups and policies list pages and a user's detail page, at
 * 1,000 and at 100,000 users in the dev account. Each load is the operation
 * builder the page calls, run through runOperation (gate + audit, one
 * transaction) as the admin user, exactly as the page's loadAs runs it.
 *
 *   npm run bench:console                 (1k against 100k; a few minutes on 2 cores)
 *   npm run bench:console -- --runs=50    (more samples per load)
 *   npm run bench:console -- --large=1m   (1k against 1,000,000 users and 200,000 policies)
 *
 * Each size runs in a child process of its own, on a fresh SQLite database:
 * migrated, seeded with the demo organization (demo-only catalogue), then
 * filled with synthetic rows in batches. Target: p95 under 150 ms at 100k
 * (100 ms at 1m) and a large/1k ratio under 2 for every load.
 */
import { runOnScratchDatabase } from "./scratch-run";

const TARGET_RATIO = 2;

interface Size {
  label: string;
  users: number;
  groups: number;
  policies: number;
  /** The p95 every load must stay under at this size. */
  targetP95Ms: number;
}
const SIZES: Size[] = [
  { label: "1k", users: 1_000, groups: 50, policies: 200, targetP95Ms: 150 },
  { label: "100k", users: 100_000, groups: 5_000, policies: 20_000, targetP95Ms: 150 },
  { label: "1m", users: 1_000_000, groups: 50_000, policies: 200_000, targetP95Ms: 100 },
];

interface Measured {
  name: string;
  query: string;
  p50: number;
  p95: number;
  rows: number;
}

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];

// ---------------------------------------------------------------------------
// Parent: one child per size, then the table.

function parent() {
  const runs = Number(arg("runs") ?? 30);
  const results = new Map<string, Measured[]>();
  const large = SIZES.find((s) => s.label === (arg("large") ?? "100k") && s.label !== "1k");
  if (!large) throw new Error(`--large takes ${SIZES.slice(1).map((s) => s.label).join(" or ")}`);
  for (const size of [SIZES[0]!, large]) {
    results.set(size.label, runOnScratchDatabase<Measured[]>(import.meta.url, size.label, runs, size.label));
  }
  printTable(results.get("1k")!, results.get(large.label)!, runs, large);
}

function printTable(small: Measured[], large: Measured[], runs: number, size: Size) {
  const TARGET_P95_MS = size.targetP95Ms;
  const pad = (s: string, n: number) => s.padEnd(n);
  const num = (n: number | null) => (n === null || Number.isNaN(n) ? "-" : n.toFixed(1)).padStart(7);
  console.log(`\nServer time of each page's data load (ms), ${runs} runs after warm-up; admin in the dev account.\n`);
  console.log(`${pad("load", 46)} ${"1k p50".padStart(7)} ${"1k p95".padStart(7)} ${`${size.label} p50`.padStart(8)} ${`${size.label} p95`.padStart(8)} ${"ratio".padStart(6)}  verdict`);
  let failures = 0;
  for (const s of small) {
    const l = large.find((x) => x.name === s.name)!;
    const ratio = (l.p95 ?? NaN) / Math.max(s.p95 ?? NaN, 0.001);
    const ok = l.p95 < TARGET_P95_MS && ratio < TARGET_RATIO; // NaN (a load that failed) is never ok
    if (!ok) failures++;
    console.log(
      `${pad(s.name, 46)} ${num(s.p50)} ${num(s.p95)} ${num(l.p50).padStart(8)} ${num(l.p95).padStart(8)} ${ratio.toFixed(2).padStart(6)}  ${
        s.rows < 0 || l.rows < 0 ? "FAILS (see the log above)" : ok ? "ok" : `MISSES (p95 < ${TARGET_P95_MS} ms, ratio < ${TARGET_RATIO})`
      }`,
    );
  }
  console.log("\nWhat each load runs:");
  for (const s of small) console.log(`  ${s.name}: ${s.query} (${s.rows} rows at 1k, ${large.find((x) => x.name === s.name)!.rows} at ${size.label})`);
  console.log(`\n${small.length - failures} of ${small.length} loads meet the target.`);
}

// ---------------------------------------------------------------------------
// Child: build one database, then measure.

async function child(size: Size, runs: number) {
  const { db } = await import("../lib/db/client");
  const { migrate } = await import("../lib/db/migrate");
  const { seed } = await import("../lib/db/seed");
  const { env } = await import("../lib/env");
  await migrate(env().databaseUrl);
  await seed(db(), { catalogue: "demo-only" });
  const t0 = Date.now();
  await fill(size);
  process.stderr.write(`${size.label}: synthetic rows inserted in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  await db().$executeRawUnsafe("ANALYZE");
  const results = await measure(size, runs);
  await db().$disconnect();
  console.log(`RESULT ${JSON.stringify(results)}`);
}

const BATCH = 2_000;
const DEV_ACCOUNT = "111122223333";
const pad6 = (n: number) => String(n).padStart(6, "0");

/** Deterministic pseudo-random numbers, so both sizes get the same shape of data. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function inBatches<T>(rows: T[], write: (batch: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += BATCH) await write(rows.slice(i, i + BATCH));
}

async function fill(size: Size) {
  const { db } = await import("../lib/db/client");
  const c = db();
  const rnd = rng(4242);
  const now = Date.now();
  const day = 86_400_000;
  const userId = (i: number) => `AIDABENCH${pad6(i)}XXXXXXXX`.slice(0, 21);
  const groupId = (i: number) => `AGPABENCH${pad6(i)}XXXXXXXX`.slice(0, 21);
  const policyId = (i: number) => `ANPABENCH${pad6(i)}XXXXXXXX`.slice(0, 21);

  const users = Array.from({ length: size.users }, (_, i) => {
    const name = `user-${pad6(i)}`;
    const created = new Date(now - Math.floor(rnd() * 900) * day);
    return {
      id: userId(i),
      accountId: DEV_ACCOUNT,
      name,
      nameLower: name,
      path: i % 10 === 0 ? "/contractors/" : "/",
      arn: `arn:aws:iam::${DEV_ACCOUNT}:user${i % 10 === 0 ? "/contractors/" : "/"}${name}`,
      createdAt: created,
      updatedAt: created,
      lastActivityAt: rnd() < 0.6 ? new Date(now - Math.floor(rnd() * 90) * day) : null,
    };
  });
  await inBatches(users, (b) => c.iamUser.createMany({ data: b }));
  const profiles = users.filter((_, i) => i % 2 === 0).map((u) => ({ userId: u.id, passwordHash: "bench-not-a-hash", passwordLastChanged: u.createdAt }));
  await inBatches(profiles, (b) => c.loginProfile.createMany({ data: b }));

  const groups = Array.from({ length: size.groups }, (_, i) => ({
    id: groupId(i),
    accountId: DEV_ACCOUNT,
    name: `group-${pad6(i)}`,
    nameLower: `group-${pad6(i)}`,
    arn: `arn:aws:iam::${DEV_ACCOUNT}:group/group-${pad6(i)}`,
  }));
  await inBatches(groups, (b) => c.iamGroup.createMany({ data: b }));
  // Every user in 1 to 3 groups.
  const memberships: { groupId: string; userId: string }[] = [];
  for (let i = 0; i < size.users; i++) {
    const seen = new Set<number>();
    const n = 1 + Math.floor(rnd() * 3);
    while (seen.size < n) seen.add(Math.floor(rnd() * size.groups));
    for (const g of seen) memberships.push({ groupId: groupId(g), userId: userId(i) });
  }
  await inBatches(memberships, (b) => c.groupMembership.createMany({ data: b }));

  const doc = (i: number) =>
    JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: `arn:aws:s3:::bench-${i}/*` }] });
  const policies = Array.from({ length: size.policies }, (_, i) => ({
    id: policyId(i),
    accountId: DEV_ACCOUNT,
    name: `policy-${pad6(i)}`,
    nameLower: `policy-${pad6(i)}`,
    arn: `arn:aws:iam::${DEV_ACCOUNT}:policy/policy-${pad6(i)}`,
  }));
  await inBatches(policies, (b) => c.managedPolicy.createMany({ data: b }));
  await inBatches(
    policies.map((p, i) => ({ id: `ANVABENCH${pad6(i)}XXXXXX`.slice(0, 21), policyId: p.id, versionId: "v1", isDefault: true, document: doc(i) })),
    (b) => c.policyVersion.createMany({ data: b }),
  );
  // One policy per group, one per tenth user: the policies list counts attachments.
  const attachments = [
    ...groups.map((g, i) => ({ accountId: DEV_ACCOUNT, policyId: policyId(i % size.policies), groupId: g.id })),
    ...users.filter((_, i) => i % 10 === 0).map((u, i) => ({ accountId: DEV_ACCOUNT, policyId: policyId((i * 7) % size.policies), userId: u.id })),
  ];
  await inBatches(attachments, (b) => c.policyAttachment.createMany({ data: b }));

  // A few access keys and MFA devices (1 user in 20, 1 in 50).
  const keys = users
    .filter((_, i) => i % 20 === 0)
    .map((u, i) => ({ id: `AKIABENCH${pad6(i)}XXXXX`.slice(0, 20), accountId: DEV_ACCOUNT, userId: u.id, secretCiphertext: "bench", createdAt: new Date(now - (i % 400) * day) }));
  await inBatches(keys, (b) => c.accessKey.createMany({ data: b }));
  const mfa = users
    .filter((_, i) => i % 50 === 0)
    .map((u) => ({ accountId: DEV_ACCOUNT, serialNumber: `arn:aws:iam::${DEV_ACCOUNT}:mfa/${u.name}`, name: u.name, userId: u.id, seedCiphertext: "bench", enabledAt: new Date() }));
  await inBatches(mfa, (b) => c.mfaDevice.createMany({ data: b }));
}

async function measure(size: Size, runs: number): Promise<Measured[]> {
  const { runOperation } = await import("../lib/iam/operation");
  const { asUser, testRequest } = await import("../lib/testing/principals");
  const { listUsers } = await import("../lib/iam/services/users");
  const { listGroups } = await import("../lib/iam/services/groups");
  const { listPolicies } = await import("../lib/iam/services/policies");
  const { getUser } = await import("../lib/iam/services/users");
  const { ListUsersInput, ListGroupsInput, ListPoliciesInput } = await import("../lib/iam/validation");
  type Spec<T> = Parameters<typeof runOperation<T>>[0];
  const admin = await asUser("admin");
  const run = <T>(op: Omit<Spec<T>, "principal" | "request">) => runOperation<T>({ ...op, principal: admin, request: testRequest() } as Spec<T>);

  /** A cursor about half-way down a list, found by walking it in big pages (not timed). */
  async function halfWay(page: (cursor: string | undefined) => Promise<{ items: unknown[]; nextCursor?: string }>, total: number): Promise<string | undefined> {
    let cursor: string | undefined;
    let seen = 0;
    do {
      const p = await page(cursor);
      seen += p.items.length;
      cursor = p.nextCursor;
    } while (cursor && seen < total / 2);
    return cursor;
  }
  // 500 a walk step: ListUsers at its MaxItems of 1,000 exceeds SQLite's bound-parameter limit (reported).
  const WALK = 500;
  const deepUsers = await halfWay((cursor) => run(listUsers(admin, ListUsersInput.parse({ cursor, pageSize: WALK }))).then((r) => ({ items: r.Users, nextCursor: r.Marker })), size.users);
  const deepUsersByActivity = await halfWay(
    (cursor) => run(listUsers(admin, ListUsersInput.parse({ sortBy: "lastActivity", order: "desc", cursor, pageSize: WALK }))).then((r) => ({ items: r.Users, nextCursor: r.Marker })),
    size.users,
  );
  const deepGroups = await halfWay((cursor) => run(listGroups(admin, ListGroupsInput.parse({ cursor, pageSize: WALK }))).then((r) => ({ items: r.Groups, nextCursor: r.Marker })), size.groups);
  const deepPolicies = await halfWay((cursor) => run(listPolicies(admin, ListPoliciesInput.parse({ scope: "Local", cursor, pageSize: WALK }))).then((r) => ({ items: r.Policies, nextCursor: r.Marker })), size.policies);
  const detailUser = `user-${pad6(Math.floor(size.users / 2) - (Math.floor(size.users / 2) % 20))}`; // has a key, groups

  const loads: { name: string; query: string; load: () => Promise<number> }[] = [
    {
      name: "users: first page (name, with total)",
      query: "ListUsers pageSize 50 sortBy name withTotal",
      load: async () => (await run(listUsers(admin, ListUsersInput.parse({ withTotal: true })))).Users.length,
    },
    {
      name: "users: page half-way down (cursor)",
      query: "ListUsers pageSize 50 cursor@50% withTotal",
      load: async () => (await run(listUsers(admin, ListUsersInput.parse({ cursor: deepUsers, withTotal: true })))).Users.length,
    },
    {
      name: "users: filter 'user-0004' (with total)",
      query: "ListUsers nameContains=user-0004 withTotal",
      load: async () => (await run(listUsers(admin, ListUsersInput.parse({ nameContains: "user-0004", withTotal: true })))).Users.length,
    },
    {
      name: "users: by last activity, half-way down",
      query: "ListUsers sortBy lastActivity desc cursor@50% withTotal",
      load: async () =>
        (await run(listUsers(admin, ListUsersInput.parse({ sortBy: "lastActivity", order: "desc", cursor: deepUsersByActivity, withTotal: true })))).Users
          .length,
    },
    {
      name: "user detail (GetUser)",
      query: `GetUser ${detailUser}`,
      load: async () => (await run(getUser(admin, { userName: detailUser }))).groups.length,
    },
    // The groups and policies pages: one keyset page of 50 with the list's total.
    {
      name: "groups: first page (with total)",
      query: "ListGroups pageSize 50 withTotal",
      load: async () => (await run(listGroups(admin, ListGroupsInput.parse({ withTotal: true })))).Groups.length,
    },
    {
      name: "groups: page half-way down (cursor)",
      query: "ListGroups pageSize 50 cursor@50% withTotal",
      load: async () => (await run(listGroups(admin, ListGroupsInput.parse({ cursor: deepGroups, withTotal: true })))).Groups.length,
    },
    {
      name: "groups: filter 'group-0001' (with total)",
      query: "ListGroups nameContains=group-0001 withTotal",
      load: async () => (await run(listGroups(admin, ListGroupsInput.parse({ nameContains: "group-0001", withTotal: true })))).Groups.length,
    },
    {
      name: "policies: first page, all scopes (with total)",
      query: "ListPolicies scope All pageSize 50 withTotal",
      load: async () => (await run(listPolicies(admin, ListPoliciesInput.parse({ withTotal: true })))).Policies.length,
    },
    {
      name: "policies: Local, half-way down (cursor)",
      query: "ListPolicies scope Local pageSize 50 cursor@50% withTotal",
      load: async () => (await run(listPolicies(admin, ListPoliciesInput.parse({ scope: "Local", cursor: deepPolicies, withTotal: true })))).Policies.length,
    },
    {
      name: "policies: filter 'policy-0001' (with total)",
      query: "ListPolicies nameContains=policy-0001 pageSize 50 withTotal",
      load: async () => (await run(listPolicies(admin, ListPoliciesInput.parse({ nameContains: "policy-0001", withTotal: true })))).Policies.length,
    },
  ];

  const out: Measured[] = [];
  for (const l of loads) {
    let rows = 0;
    try {
      for (let i = 0; i < 5; i++) rows = await l.load(); // warm-up
    } catch (err) {
      process.stderr.write(`${size.label}: ${l.name}: FAILS: ${(err as Error).message}\n`);
      out.push({ name: l.name, query: l.query, p50: NaN, p95: NaN, rows: -1 });
      continue;
    }
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = process.hrtime.bigint();
      await l.load();
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    times.sort((a, b) => a - b);
    const q = (p: number) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)]!;
    out.push({ name: l.name, query: l.query, p50: q(0.5), p95: q(0.95), rows });
    process.stderr.write(`${size.label}: ${l.name}: p50 ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms\n`);
  }
  return out;
}

const childLabel = arg("child");
if (childLabel) {
  const size = SIZES.find((s) => s.label === childLabel);
  if (!size) throw new Error(`unknown size ${childLabel}`);
  await child(size, Number(arg("runs") ?? 30));
} else {
  parent();
}
