// `npm run db:reset`: restores the demo organization. SQLite: deletes the database
// file; PostgreSQL: drops and recreates the public schema. Then migrates and seeds.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import pg from "pg";
import { env } from "@/lib/env";

const { databaseUrl, databaseKind } = env();
if (databaseKind === "sqlite") {
  const file = databaseUrl.slice("file:".length);
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
} else {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
  await client.end();
}
const seeded = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "prisma/seed.ts"], { stdio: "inherit" });
process.exit(seeded.status ?? 1);
