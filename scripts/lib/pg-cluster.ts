// A throwaway PostgreSQL 15 cluster in a temp directory, for CI, the PostgreSQL
// test run and migration generation. It listens on a Unix socket in its own
// directory and on 127.0.0.1:PORT, trusts local connections, and is removed by stop().
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";

export interface PgCluster {
  url: string;
  stop(): void;
}

function asPostgres(cmd: string, args: string[]): void {
  const isRoot = process.getuid?.() === 0;
  const [file, argv] = isRoot ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args];
  const result = spawnSync(file, argv, { encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(`${cmd} failed (${result.status}): ${result.stderr || result.stdout}`);
  }
}

export function startPgCluster(port = 54329): PgCluster {
  if (!fs.existsSync(path.join(BIN, "initdb"))) {
    throw new Error(
      `PostgreSQL 15 was not found in ${BIN}. Install it with: apt-get install -y postgresql-15 (or set PG_BIN).`,
    );
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iamlab-pg-"));
  fs.chmodSync(dir, 0o777);
  const data = path.join(dir, "data");
  if (process.getuid?.() === 0) execFileSync("chown", ["postgres", dir]);
  asPostgres(path.join(BIN, "initdb"), ["-D", data, "-U", "iamlab", "--auth=trust", "-E", "UTF8", "--locale=C"]);
  asPostgres(path.join(BIN, "pg_ctl"), [
    "-D", data, "-l", path.join(dir, "log"), "-w",
    "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=200`,
    "start",
  ]);
  asPostgres(path.join(BIN, "createdb"), ["-h", dir, "-p", String(port), "-U", "iamlab", "iamlab"]);
  let stopped = false;
  return {
    url: `postgresql://iamlab@127.0.0.1:${port}/iamlab`,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        asPostgres(path.join(BIN, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
