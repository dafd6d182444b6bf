// Runs a command against a throwaway PostgreSQL 15 cluster:
//   npx tsx scripts/with-postgres.ts npm test -- --only=integration
// DATABASE_URL points at the cluster for the command; the cluster is removed after.
import { spawnSync } from "node:child_process";
import { startPgCluster } from "./lib/pg-cluster";

const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  console.error("usage: tsx scripts/with-postgres.ts <command> [args...]");
  process.exit(2);
}
const cluster = startPgCluster(Number(process.env.PG_PORT ?? 54329));
let status = 1;
try {
  console.log(`PostgreSQL cluster ready at ${cluster.url}`);
  status = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, DATABASE_URL: cluster.url } }).status ?? 1;
} finally {
  cluster.stop();
}
process.exit(status);
