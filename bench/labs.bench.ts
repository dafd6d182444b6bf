/**
 * npm run bench:labs: training labs at scale, in process, on a freshly seeded
 * SQLite database.
 *   1. Sandboxes: one sandbox of a lab started alone (the baseline), then a
 *      class of N (default 30) through the instructor's createClass (one
 *      transaction, passwords hashed first); target: 30 in under 10 s.
 *      Then all deleted, and the row count of every table compared with before.
 *   2. Import/export: a generated get-account-authorization-details file of
 *      1,000 users, 300 roles and 2,000 managed policies imported into a new
 *      account, exported again, and compared (account ID and entity IDs aside);
 *      the baseline is the export of the demo dev account in the same run.
 *      Target: round trip under 30 s.
 *   3. Sandboxes side by side: the console's list pages (one sandbox's users,
 *      roles, policies and buckets as its learner; /labs and /instructor as
 *      the instructor), each load the page's own through runOperation, timed
 *      with 1 sandbox present, then again with N (default 200) present, and
 *      the ratio. Target (the console's): p95 under 150 ms, ratio under 2.
 *      The instructor's table three ways: every sandbox's checks run on each
 *      load (the page before remembered progress: the baseline), the
 *      remembered progress (lib/labs/remembered-progress.ts), and with one
 *      learner acting before each load; then every sandbox's remembered
 *      progress compared with its checks run now (must all agree).
 *
 * SQLite by default (a scratch file); PostgreSQL when DATABASE_URL names one:
 *   npx tsx scripts/with-postgres.ts npm run -s bench:labs -- --side-by-side=200
 * Options: --class=30 --users=1000 --roles=300 --policies=2000 --side-by-side=200 --runs=20
 *          --sections=class,import,side-by-side (the default: all three)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const CLASS_SIZE = Number(arg("class") ?? 30);
const USERS = Number(arg("users") ?? 1000);
const ROLES = Number(arg("roles") ?? 300);
const POLICIES = Number(arg("policies") ?? 2000);
const SIDE_BY_SIDE = Number(arg("side-by-side") ?? 200);
const RUNS = Number(arg("runs") ?? 20);
/** Which sections run: --sections=class,import,side-by-side (all by default). */
const SECTIONS = new Set((arg("sections") ?? "class,import,side-by-side").split(","));
const TARGET_P95_MS = 150;
const TARGET_RATIO = 2;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iamlab-labs-bench-"));
process.env.IAMLAB_DATA_DIR = dir;
const onPostgres = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "");
if (!onPostgres) process.env.DATABASE_URL = `file:${path.join(dir, "bench.db")}`;
else process.env.IAMLAB_SINGLE_SERVER ??= "true"; // one process: its generated master key (in the scratch dir) is enough
(process.env as Record<string, string>).NODE_ENV = "production";

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
/** The machine is shared: every section prints the load average it ran under (1, 5, 15 minutes). */
const loadAverage = () => `load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`;
async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const out = await fn();
  return [out, performance.now() - t];
}

/** A synthetic account: policies with 1 to 3 versions, groups, users in groups with attachments and inline policies, roles with trust and profiles. */
function fixture(accountId: string) {
  const created = "2025-01-02T03:04:05.000Z";
  const doc = (i: number) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: `S${i}`, Effect: "Allow", Action: ["s3:GetObject", "s3:ListBucket"], Resource: [`arn:aws:s3:::bucket-${i}`, `arn:aws:s3:::bucket-${i}/*`] }] });
  const Policies = Array.from({ length: POLICIES }, (_, i) => {
    const n = 1 + (i % 3);
    return {
      PolicyName: `policy-${i}`,
      PolicyId: `ANPAFIXTURE${String(i).padStart(10, "0")}`,
      Arn: `arn:aws:iam::${accountId}:policy/team/policy-${i}`,
      Path: "/team/",
      DefaultVersionId: `v${n}`,
      AttachmentCount: 0,
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      CreateDate: created,
      UpdateDate: created,
      PolicyVersionList: Array.from({ length: n }, (_, v) => ({ Document: doc(i * 10 + v), VersionId: `v${n - v}`, IsDefaultVersion: v === 0, CreateDate: created })),
    };
  });
  const GroupDetailList = Array.from({ length: 50 }, (_, i) => ({
    Path: "/",
    GroupName: `group-${i}`,
    GroupId: `AGPAFIXTURE${String(i).padStart(10, "0")}`,
    Arn: `arn:aws:iam::${accountId}:group/group-${i}`,
    CreateDate: created,
    GroupPolicyList: [],
    AttachedManagedPolicies: [{ PolicyName: `policy-${i}`, PolicyArn: Policies[i]!.Arn }],
  }));
  const UserDetailList = Array.from({ length: USERS }, (_, i) => ({
    Path: "/",
    UserName: `user-${i}`,
    UserId: `AIDAFIXTURE${String(i).padStart(10, "0")}`,
    Arn: `arn:aws:iam::${accountId}:user/user-${i}`,
    CreateDate: created,
    UserPolicyList: i % 5 === 0 ? [{ PolicyName: "own", PolicyDocument: doc(i) }] : [],
    GroupList: [`group-${i % 50}`],
    AttachedManagedPolicies: [{ PolicyName: `policy-${100 + (i % 1000)}`, PolicyArn: Policies[100 + (i % 1000)]!.Arn }],
    Tags: [{ Key: "team", Value: `t${i % 7}` }],
  }));
  const RoleDetailList = Array.from({ length: ROLES }, (_, i) => ({
    Path: "/service/",
    RoleName: `role-${i}`,
    RoleId: `AROAFIXTURE${String(i).padStart(10, "0")}`,
    Arn: `arn:aws:iam::${accountId}:role/service/role-${i}`,
    CreateDate: created,
    AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
    InstanceProfileList: [],
    RolePolicyList: [{ PolicyName: "inline", PolicyDocument: doc(i) }],
    AttachedManagedPolicies: [{ PolicyName: `policy-${1100 + i}`, PolicyArn: Policies[1100 + i]!.Arn }],
    Tags: [],
    RoleLastUsed: {},
  }));
  return { UserDetailList, GroupDetailList, RoleDetailList, Policies, IsTruncated: false };
}

async function main() {
  const { migrate } = await import("../lib/db/migrate");
  const { seed } = await import("../lib/db/seed");
  const { db } = await import("../lib/db/client");
  const { env } = await import("../lib/env");
  const { findLab } = await import("../lib/labs/catalogue");
  const { startSandbox, deleteSandbox, createEmptyAccount } = await import("../lib/labs/sandboxes");
  const { createClass, deleteClass } = await import("../lib/labs/manage");
  const { importAuthorizationDetails } = await import("../lib/labs/import");
  const { exportAccount, normalizedExport } = await import("../lib/labs/export");
  const { Prisma } = await import("../lib/generated/sqlite/client");
  const { DEMO_ACCOUNTS, DEMO_ORG } = await import("../lib/db/seed/demo-identities");
  type Tx = import("../lib/db/client").Tx;

  await migrate(env().databaseUrl);
  await seed(db(), { catalogue: "demo-only" });
  const tx = () => db() as unknown as Tx;
  const rowCounts = async () => {
    const out: Record<string, number> = {};
    for (const model of Object.values(Prisma.ModelName)) out[model] = await (db() as unknown as Record<string, { count(): Promise<number> }>)[model[0]!.toLowerCase() + model.slice(1)]!.count();
    return out;
  };

  console.log(`labs bench on ${onPostgres ? "PostgreSQL" : `SQLite (${dir})`}, node ${process.version}, ${os.cpus().length} cores, ${loadAverage()}`);
  const lab = findLab("01-least-privilege-groups")!;
  const before = await rowCounts();

  // 1. Sandboxes.
  const admin = await db().iamUser.findFirstOrThrow({ where: { accountId: DEMO_ACCOUNTS.dev.id, name: "admin" } });
  const caller = {
    principal: { type: "IAMUser" as const, organizationId: DEMO_ORG.id, accountId: DEMO_ACCOUNTS.dev.id, arn: admin.arn, principalId: admin.id, userId: admin.id, userName: "admin", mfaAuthenticated: false, tokenIssuedAt: new Date() },
    request: { via: "console" as const, secureTransport: true, region: "us-east-1", requestId: "bench" },
  };
  let failed = false;
  if (SECTIONS.has("class")) {
    const [one, oneMs] = await timed(() => startSandbox(lab, { ownerArn: admin.arn, ownerOrganizationId: DEMO_ORG.id }));
    const [cls, classMs] = await timed(() => createClass(caller, { labId: lab.id, name: "bench", size: CLASS_SIZE }));
    const rowsPerSandbox = ((await db().iamUser.count()) - before.IamUser!) / (CLASS_SIZE + 1);
    console.log(`\nsandboxes of "${lab.title}" (${loadAverage()})`);
    console.log(`  one sandbox alone (baseline)      ${seconds(oneMs)}`);
    console.log(`  class of ${CLASS_SIZE} (createClass)        ${seconds(classMs)}   target < 10 s: ${classMs < 10_000 ? "met" : "MISSED"}   (${(classMs / CLASS_SIZE).toFixed(0)} ms per sandbox, ${rowsPerSandbox} users each)`);
    const [, deleteMs] = await timed(async () => {
      await deleteClass(caller, cls.id);
      await deleteSandbox(one.sandbox);
    });
    const after = await rowCounts();
    const changed = Object.keys(before).filter((t) => t !== "AuditEvent" && before[t] !== after[t]);
    console.log(`  delete all ${CLASS_SIZE + 1}                     ${seconds(deleteMs)}   rows per table back to before: ${changed.length ? `NO (${changed.join(", ")})` : "yes"} (audit: +${after.AuditEvent! - before.AuditEvent!} records of the instructor's calls)`);
    failed ||= changed.length > 0;
  }

  // 2. Import/export.
  if (SECTIONS.has("import")) {
    const [demo, baselineMs] = await timed(() => exportAccount(tx(), DEMO_ACCOUNTS.dev.id));
    const source = "123456789012";
    const file = JSON.parse(JSON.stringify(fixture(source)));
    const [imported, importMs] = await timed(() =>
      db().$transaction(
        async (t) => {
          const target = await createEmptyAccount(t);
          return { target, report: await importAuthorizationDetails(t, target.accountId, file) };
        },
        { timeout: 600_000, maxWait: 60_000 },
      ),
    );
    const [exported, exportMs] = await timed(() => exportAccount(tx(), imported.target.accountId));
    // import(export(x)) = x: the export imported into another account exports the same.
    const again = await db().$transaction(
      async (t) => {
        const target = await createEmptyAccount(t);
        await importAuthorizationDetails(t, target.accountId, JSON.parse(JSON.stringify(exported)));
        return target.accountId;
      },
      { timeout: 600_000, maxWait: 60_000 },
    );
    const same = JSON.stringify(normalizedExport(await exportAccount(tx(), again), again)) === JSON.stringify(normalizedExport(exported, imported.target.accountId));
    console.log(`\nimport/export of ${USERS} users, ${ROLES} roles, ${POLICIES} policies (${loadAverage()}; ${file.Policies.reduce((n: number, p: { PolicyVersionList: unknown[] }) => n + p.PolicyVersionList.length, 0)} versions)`);
    console.log(`  export of the demo dev account (baseline, ${demo.UserDetailList.length} users)  ${seconds(baselineMs)}`);
    console.log(`  import                            ${seconds(importMs)}   skipped: ${imported.report.skipped.length}`);
    console.log(`  export                            ${seconds(exportMs)}`);
    console.log(`  round trip                        ${seconds(importMs + exportMs)}   target < 30 s: ${importMs + exportMs < 30_000 ? "met" : "MISSED"}   export(import(x)) = x: ${same ? "yes" : "NO"}`);
    failed ||= !same;
  }

  // 3. Sandboxes side by side.
  if (SECTIONS.has("side-by-side")) await sideBySide(caller);
  await db().$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
  if (failed) process.exit(1);
}

type Caller = Parameters<typeof import("../lib/labs/manage").createClass>[0];

/** p50 and p95 of `runs` timed calls after warm-ups (3 by default); `untimed` runs before each call, outside the timing. */
async function measure(load: () => Promise<unknown>, runs: number, options: { warmups?: number; untimed?: () => Promise<unknown> } = {}): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < (options.warmups ?? 3); i++) {
    await options.untimed?.();
    await load();
  }
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    await options.untimed?.();
    const t = performance.now();
    await load();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)]!;
  return { p50: q(0.5), p95: q(0.95) };
}

/** Section 3: the list pages' loads with 1 sandbox present, then with SIDE_BY_SIDE. */
async function sideBySide(caller: Caller): Promise<void> {
  const { db } = await import("../lib/db/client");
  const { findLab } = await import("../lib/labs/catalogue");
  const { sandboxAccounts } = await import("../lib/labs/sandboxes");
  const { createClass, canManageClasses, listClasses, listOwnSandboxes, sandboxOfCaller } = await import("../lib/labs/manage");
  const { sandboxProgress } = await import("../lib/labs/checks");
  const { classProgress } = await import("../lib/labs/remembered-progress");
  const { runOperation } = await import("../lib/iam/operation");
  const { createGroup } = await import("../lib/iam/services/groups");
  const { listUsers } = await import("../lib/iam/services/users");
  const { listPolicies } = await import("../lib/iam/services/policies");
  const { listRoles, getRole } = await import("../lib/iam/roles/roles");
  const { listBuckets } = await import("../lib/s3/buckets");
  const { ListUsersInput, ListPoliciesInput, CreateGroupInput } = await import("../lib/iam/validation");
  type Principal = import("../lib/iam/principal").Principal;
  type OperationSpec<T> = import("../lib/iam/operation").OperationSpec<T>;

  const lab = findLab("01-least-privilege-groups")!;
  const [first, firstMs] = await timed(() => createClass(caller, { labId: lab.id, name: "side by side 1", size: 1 }));
  const sandbox = first.sandboxes[0]!;
  const accountId = (await sandboxAccounts(db(), sandbox, lab))[lab.learner.account]!;
  const u = await db().iamUser.findFirstOrThrow({ where: { accountId, name: lab.learner.user } });
  const learner: Principal = { type: "IAMUser", organizationId: sandbox.organizationId, accountId, arn: u.arn, principalId: u.id, userId: u.id, userName: u.name, mfaAuthenticated: false, tokenIssuedAt: new Date() };
  const as = <T>(principal: Principal, op: OperationSpec<T>) => runOperation({ ...op, principal, request: caller.request });

  // Each page's loads as the page runs them (loadAs = runOperation; the roles page lists up to 1,000 and reads each role of its page of 50).
  const loads: { name: string; runs: number; load: () => Promise<unknown>; untimed?: () => Promise<unknown> }[] = [
    { name: "users (learner)", runs: RUNS, load: () => as(learner, listUsers(learner, ListUsersInput.parse({ withTotal: true }))) },
    {
      name: "roles (learner)",
      runs: RUNS,
      load: async () => {
        const roles = await as(learner, listRoles(learner, { maxItems: 1000 }));
        await Promise.all(roles.Roles.slice(0, 50).map((r) => as(learner, getRole(learner, { roleName: r.RoleName }))));
      },
    },
    { name: "policies (learner)", runs: RUNS, load: () => as(learner, listPolicies(learner, ListPoliciesInput.parse({ pageSize: 50, withTotal: true }))) },
    { name: "buckets (learner)", runs: RUNS, load: () => as(learner, listBuckets(learner)) },
    {
      name: "/labs (instructor)",
      runs: RUNS,
      load: async () => {
        const [, own] = await Promise.all([sandboxOfCaller(caller), listOwnSandboxes(caller), canManageClasses(caller)]);
        // The page's own sandboxes with their remembered progress, per lab.
        for (const labId of new Set(own.map((s) => s.labId))) {
          const ofLab = findLab(labId);
          if (ofLab) await classProgress(own.filter((s) => s.labId === labId), ofLab);
        }
      },
    },
  ];
  // The instructor's table, three ways: every sandbox's checks run on every load (as the page did: the baseline);
  // the remembered progress where nothing happened since; and with one learner acting before each load (an audited
  // CreateGroup in the first sandbox, untimed), so that sandbox is checked again within the load.
  const instructorRuns = Math.max(3, Math.round(RUNS / 4));
  const listed = async () => {
    if (!(await canManageClasses(caller))) throw new Error("not an instructor");
    return listClasses(caller);
  };
  let acted = 0;
  const instructorLoads: ((typeof loads)[number] & { warmups?: number })[] = [
    {
      name: "/instructor, every sandbox checked (before)",
      runs: instructorRuns,
      warmups: 1,
      load: async () => {
        for (const c of await listed()) for (const s of c.sandboxes) await sandboxProgress(s, lab);
      },
    },
    {
      name: "/instructor, remembered progress (after)",
      runs: RUNS,
      load: async () => {
        for (const c of await listed()) await classProgress(c.sandboxes, lab);
      },
    },
    {
      name: "/instructor, after, 1 learner acted",
      runs: RUNS,
      untimed: () => as(learner, createGroup(learner, CreateGroupInput.parse({ groupName: `bench-${++acted}` }))),
      load: async () => {
        const checked = (await Promise.all((await listed()).map((c) => classProgress(c.sandboxes, lab)))).reduce((n, p) => n + p.checked, 0);
        if (checked !== 1) throw new Error(`expected the one sandbox that changed to be checked again, not ${checked}`);
      },
    },
  ];
  const all = [...loads, ...instructorLoads];
  const one: Record<string, { p50: number; p95: number }> = {};
  for (const l of all) one[l.name] = await measure(l.load, l.runs, l);

  // The others, in classes of up to 50 (one transaction each).
  const [, restMs] = await timed(async () => {
    for (let made = 1, i = 2; made < SIDE_BY_SIDE; i++) {
      const size = Math.min(50, SIDE_BY_SIDE - made);
      await createClass(caller, { labId: lab.id, name: `side by side ${i}`, size });
      made += size;
    }
  });
  const present = await db().labSandbox.count();
  const many: Record<string, { p50: number; p95: number }> = {};
  for (const l of all) many[l.name] = await measure(l.load, l.runs, l);

  // Honest: what the table shows (remembered) is what the checks say now, for every sandbox.
  let differing = 0;
  for (const c of await listed()) {
    const shown = (await classProgress(c.sandboxes, lab)).progress;
    for (const s of c.sandboxes) {
      const fresh = await sandboxProgress(s, lab);
      const row = shown.get(s.id)!;
      if (row.passed !== fresh.passed || JSON.stringify(row.tasks) !== JSON.stringify(fresh.tasks.map((t) => ({ id: t.id, done: t.done })))) differing++;
    }
  }

  console.log(`
sandboxes side by side on ${onPostgres ? "PostgreSQL" : "SQLite"}: ${present} present (the first ${seconds(firstMs)}, the other ${present - 1} in classes of up to 50: ${seconds(restMs)}; ${loadAverage()})`);
  console.log(`  ${"page load".padEnd(44)} ${"1 sandbox p50/p95".padStart(20)} ${`${present} sandboxes p50/p95`.padStart(24)}   ratio (p95)   target`);
  const ms = (x: { p50: number; p95: number }) => `${x.p50.toFixed(1)} / ${x.p95.toFixed(1)} ms`;
  for (const l of all) {
    const a = one[l.name]!;
    const b = many[l.name]!;
    const ratio = b.p95 / a.p95;
    // Checking every sandbox grows with the class by design (the baseline); the remembered table carries the console's target.
    const target = l.name.includes("(before)") ? `${(b.p95 / present).toFixed(1)} ms per sandbox` : l.name.includes("acted") ? `one sandbox checked again` : b.p95 < TARGET_P95_MS && ratio < TARGET_RATIO ? "met" : "MISSED";
    console.log(`  ${l.name.padEnd(44)} ${ms(a).padStart(20)} ${ms(b).padStart(24)}   ${ratio.toFixed(2).padStart(11)}   ${target}`);
  }
  const before = many[instructorLoads[0]!.name]!.p95;
  const after = many[instructorLoads[1]!.name]!.p95;
  console.log(`  /instructor at ${present} sandboxes: p95 ${before.toFixed(0)} ms before -> ${after.toFixed(1)} ms remembered (${(before / after).toFixed(0)}x); remembered = checked now for all ${present}: ${differing ? `NO (${differing} differ)` : "yes"}`);
  if (differing) process.exitCode = 1;
}

await main();
