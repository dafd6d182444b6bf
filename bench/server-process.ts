// The API benches' server: started on a prepared database, when it listens, and
// the CPU time it has spent (from /proc, so a busy machine does not skew it).
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { freePort } from "../lib/testing/run-server";
import type { Creds } from "./s3-client";

export { freePort };

/** Resolves once something accepts connections on 127.0.0.1:port; throws after `ms`. */
export async function waitForPort(port: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, "127.0.0.1", () => (s.destroy(), resolve(true))).on("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`nothing listening on ${port} after ${ms} ms`);
}

/** A process's CPU time so far (user + system, all threads), in ms. */
export function cpuTimeMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/**
 * bench:api's server on a fresh SQLite database: `bench/api.bench.ts --prepare`
 * (migrated, demo seed, 100 users, a bucket; prints the admin's key as its last
 * line), then `--serve=PORT` in a child process of its own (with V8 CPU
 * profiles in `profileDir` when given). The child joins `children`, for the
 * caller to stop; resolves once it listens.
 */
export async function startApiServer(args: { root: string; env: NodeJS.ProcessEnv; children: ChildProcess[]; profileDir?: string; label: string }) {
  const { root, env, children } = args;
  console.log(`preparing IAM Lab's database (${args.label})...`);
  const prepare = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "bench/api.bench.ts", "--prepare"], { cwd: root, env, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  prepare.stdout.on("data", (d) => (out += d));
  if ((await new Promise((r) => prepare.on("exit", r))) !== 0) throw new Error("preparing the database failed");
  const creds = JSON.parse(out.trim().split("\n").at(-1)!) as Creds;
  const port = await freePort();
  const profile = args.profileDir ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(args.profileDir)}`] : [];
  const server = spawn(process.execPath, [...profile, "--conditions=react-server", "--import", "tsx", "bench/api.bench.ts", `--serve=${port}`], { cwd: root, env, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  children.push(server);
  await waitForPort(port, 60_000);
  return { creds, port, pid: server.pid! };
}
