// `npm start`: builds the console when the build is missing or older than the
// sources, then serves it with IAM Lab's own Node server (scripts/server.ts,
// which starts Next.js in this process). Migrations and the demo seed run when
// the server starts (instrumentation.ts), on SQLite or PostgreSQL alike.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { env } from "../lib/env";

const root = path.resolve(import.meta.dirname, "..");
const nextBin = path.join(root, "node_modules/next/dist/bin/next");
const buildId = path.join(root, env().IAMLAB_NEXT_DIR, "BUILD_ID");

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || entry.name === "node_modules" || entry.name.endsWith(".test.ts")) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

const sources = ["app", "components", "lib", "proxy.ts", "instrumentation.ts", "next.config.ts", "package.json"].map((p) => path.join(root, p));
const builtAt = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
const changedAt = Math.max(...sources.filter(fs.existsSync).map((p) => (fs.statSync(p).isDirectory() ? newestSource(p) : fs.statSync(p).mtimeMs)));
if (changedAt > builtAt) {
  console.log("IAM Lab: building the console (first start or sources changed)...");
  const build = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

await import("./server");
