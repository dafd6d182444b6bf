// The database benches run each size in a child process of their own script, on
// a scratch SQLite database that is removed afterwards; the child prints its
// figures as one "RESULT <json>" line.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Runs `script` (an import.meta.url) with `--child=<child>` and `--runs=<runs>` on a fresh database; returns its RESULT. */
export function runOnScratchDatabase<T>(script: string, child: string, runs: number, label: string): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `iamlab-bench-${child.replace(/[^A-Za-z0-9-]/g, "-")}-`));
  const started = Date.now();
  const run = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", fileURLToPath(script), `--child=${child}`, `--runs=${runs}`], {
    env: { ...process.env, IAMLAB_DATA_DIR: dir, DATABASE_URL: `file:${path.join(dir, "bench.db")}`, NODE_ENV: "production" },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  });
  fs.rmSync(dir, { recursive: true, force: true });
  const line = run.stdout.split("\n").find((l) => l.startsWith("RESULT "));
  if (run.status !== 0 || !line) {
    console.error(run.stdout);
    throw new Error(`the ${label} run failed (exit ${run.status})`);
  }
  console.log(`${label}: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return JSON.parse(line.slice(7)) as T;
}
