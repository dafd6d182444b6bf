// Starts IAM Lab's real Node server (scripts/server.ts, as `npm start` runs it)
// against an existing build, in a child process of its own: for the two-server
// integration test and the load benchmark. Builds nothing.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");

/** The build folder (IAMLAB_NEXT_DIR, default .next) if it holds a finished build, else null. */
export function findBuild(nextDir = process.env.IAMLAB_NEXT_DIR || ".next"): { dir: string; builtAt: Date } | null {
  const id = path.join(ROOT, nextDir, "BUILD_ID");
  return fs.existsSync(id) ? { dir: nextDir, builtAt: fs.statSync(id).mtime } : null;
}

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });

export interface RunningServer {
  port: number;
  child: ChildProcess;
  /** Everything the server printed so far. */
  output(): string;
  /** SIGTERM, then SIGKILL after graceMs (default 5 s; longer for a server writing a CPU profile as it exits). */
  stop(graceMs?: number): Promise<void>;
}

/** What a server that refused to start printed, and its exit code. */
export interface Refusal {
  code: number | null;
  output: string;
}

/**
 * Starts a server with exactly `env` on top of a clean base (PATH and the like;
 * nothing of the test runner's own settings). Resolves when it listens, or with
 * the refusal when it exits first.
 */
export async function startServer(
  env: Record<string, string | undefined>,
  timeoutMs = 180_000,
  /** Extra options for node itself (e.g. --cpu-prof, which NODE_OPTIONS does not take). */
  nodeOptions: string[] = [],
): Promise<RunningServer | Refusal> {
  const port = await freePort();
  const base: Record<string, string> = {};
  for (const k of ["PATH", "HOME", "TMPDIR", "LANG", "TZ"]) if (process.env[k]) base[k] = process.env[k]!;
  const defined = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
  const child = spawn(process.execPath, [...nodeOptions, "--import", "tsx", "scripts/server.ts", "--port", String(port), "--hostname", "127.0.0.1"], {
    cwd: ROOT,
    env: { ...base, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", IAMLAB_API_PORT: "0", ...defined } as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
  const exited = new Promise<Refusal>((resolve) => child.once("exit", (code) => resolve({ code, output: out })));
  const stop = async (graceMs = 5_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const killed = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), graceMs))]);
    if (!killed) child.kill("SIGKILL");
  };
  const listening = new Promise<RunningServer>((resolve) => {
    const check = () => {
      if (out.includes("console listening on")) resolve({ port, child, output: () => out, stop });
      else setTimeout(check, 100);
    };
    check();
  });
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`the server did not start in ${timeoutMs / 1000} s:\n${out}`)), timeoutMs).unref(),
  );
  try {
    return await Promise.race([listening, exited, timeout]);
  } catch (err) {
    await stop();
    throw err;
  }
}

export const isRunning = (s: RunningServer | Refusal): s is RunningServer => "port" in s;
