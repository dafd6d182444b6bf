// `npm test`: every test, in order of speed: the schema check, unit tests,
// integration tests against a real database (SQLite, or PostgreSQL when
// DATABASE_URL says so), a production build, and Playwright e2e in Chromium
// against `next start`. Ends with one line: "N passed, N failed".
//   --only=unit,integration   runs a subset (CI's PostgreSQL pass uses this)
// The two-server test (lib/server/two-servers.int.test.ts) starts real servers
// against a build: on SQLite it runs as its own step ("servers") after the
// build; on PostgreSQL (CI's second pass) with the integration suite, against
// the build the first pass made.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const only = process.argv.find((a) => a.startsWith("--only="))?.slice(7).split(",");
const reports = fs.mkdtempSync(path.join(os.tmpdir(), "iamlab-test-"));
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
let passed = 0;
let failed = 0;

function run(name: string, cmd: string, args: string[], extraEnv: Record<string, string> = {}): boolean {
  if (only && !only.includes(name)) return true;
  console.log(`\n=== ${name}: ${[cmd, ...args].join(" ")}`);
  const started = Date.now();
  const result = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...env, ...extraEnv } });
  console.log(`=== ${name}: ${result.status === 0 ? "ok" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result.status === 0;
}

function countVitest(file: string) {
  if (!fs.existsSync(file)) return void failed++;
  const report = JSON.parse(fs.readFileSync(file, "utf8")) as { numPassedTests: number; numFailedTests: number };
  passed += report.numPassedTests;
  failed += report.numFailedTests;
}

function countPlaywright(file: string) {
  if (!fs.existsSync(file)) return void failed++;
  const report = JSON.parse(fs.readFileSync(file, "utf8")) as { stats: { expected: number; unexpected: number; flaky: number } };
  passed += report.stats.expected + report.stats.flaky;
  failed += report.stats.unexpected;
}

const node = process.execPath;
const bin = (p: string) => path.join(root, "node_modules", p);
let ok = run("schema", node, ["--import", "tsx", "scripts/db-generate.ts", "--check"]);

const TWO_SERVERS = "lib/server/two-servers.int.test.ts";
const onPostgres = /^postgres(ql)?:/.test(process.env.DATABASE_URL ?? "");

function vitest(step: string, args: string[]): boolean {
  const out = path.join(reports, `${step}.json`);
  const stepOk = run(step, node, [bin("vitest/vitest.mjs"), "run", ...args, "--reporter=default", "--reporter=json", `--outputFile.json=${out}`]);
  if (!only || only.includes(step)) countVitest(out);
  return stepOk;
}

ok = vitest("unit", ["--project", "unit"]) && ok;
if (!onPostgres && (!only || only.includes("integration"))) {
  console.log(`\n(integration on SQLite leaves out ${TWO_SERVERS}: it starts servers against a build, so it runs as the "servers" step after the build; alone: --only=servers)`);
}
ok = vitest("integration", ["--project", "integration", ...(onPostgres ? [] : ["--exclude", TWO_SERVERS])]) && ok;

// Against the build that is there (e.g. after npm run build).
if (only?.includes("servers") && !only.includes("e2e")) ok = vitest("servers", ["--project", "integration", TWO_SERVERS]) && ok;

if (!only || only.includes("e2e")) {
  const built = run("build", node, [bin("next/dist/bin/next"), "build"]);
  if (!built) failed++;
  if (built && !onPostgres) ok = vitest("servers", ["--project", "integration", TWO_SERVERS]) && ok;
  const out = path.join(reports, "e2e.json");
  const e2eOk = built && run("e2e", node, [bin("@playwright/test/cli.js"), "test", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: out });
  if (built) countPlaywright(out);
  if (built && !e2eOk && failed === 0) failed++;
  ok = built && e2eOk && ok;
}

fs.rmSync(reports, { recursive: true, force: true });
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(ok && failed === 0 ? 0 : 1);
