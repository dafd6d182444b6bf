// Derives everything database-specific from prisma/schema.prisma, the one model
// definition:
//   - prisma/postgresql/schema.prisma (same models, provider postgresql)
//   - with `--migration NAME`: a new migration folder, with the same name, under
//     prisma/migrations (SQLite) and prisma/postgresql/migrations (PostgreSQL),
//     holding the SQL from the last migrated schema to the current one.
//   - with `--check`: exits 1 when the PostgreSQL schema is stale or the schema
//     has changes that no migration holds (CI runs this).
import { execFileSync } from "node:child_process";
import { startPgCluster } from "./lib/pg-cluster";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const sqliteSchemaPath = path.join(root, "prisma/schema.prisma");
const pgDir = path.join(root, "prisma/postgresql");
const pgSchemaPath = path.join(pgDir, "schema.prisma");
const snapshotPath = path.join(root, "prisma/migrations/schema.snapshot.prisma");

function toPostgres(schema: string): string {
  const header =
    "// GENERATED from prisma/schema.prisma by `npm run db:generate`: do not edit.\n\n";
  return (
    header +
    schema
      .replace('provider = "sqlite"', 'provider = "postgresql"')
      .replace('output     = "../lib/generated/sqlite"', 'output     = "../../lib/generated/pg"')
  );
}

function diff(config: string, from: string | null, to: string, env = process.env): string {
  const args = ["prisma", "migrate", "diff", "--config", config];
  args.push(...(from ? ["--from-schema-datamodel", from] : ["--from-empty"]));
  args.push("--to-schema-datamodel", to, "--script");
  return execFileSync("npx", args, {
    cwd: root,
    env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
}

function hasChanges(sql: string): boolean {
  return sql.split("\n").some((line) => line.trim() !== "" && !line.startsWith("--"));
}

const schema = fs.readFileSync(sqliteSchemaPath, "utf8");
const pgSchema = toPostgres(schema);
const args = process.argv.slice(2);

if (args[0] === "--check") {
  const problems: string[] = [];
  if (!fs.existsSync(pgSchemaPath) || fs.readFileSync(pgSchemaPath, "utf8") !== pgSchema)
    problems.push("prisma/postgresql/schema.prisma is stale");
  if (!fs.existsSync(snapshotPath) || fs.readFileSync(snapshotPath, "utf8") !== schema)
    problems.push("prisma/schema.prisma has changes that no migration holds");
  if (problems.length) {
    console.error(`${problems.join("; ")}: run npm run db:generate -- --migration <name>`);
    process.exit(1);
  }
  console.log("database schema and migrations are up to date");
  process.exit(0);
}

fs.writeFileSync(pgSchemaPath, pgSchema);
console.log("wrote prisma/postgresql/schema.prisma");

if (args[0] === "--migration") {
  const name = args[1];
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    console.error("usage: npm run db:generate -- --migration <snake_case_name>");
    process.exit(2);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "iamlab-schema-"));
  const hadSnapshot = fs.existsSync(snapshotPath);
  const fromSqlite = hadSnapshot ? snapshotPath : null;
  const fromPg = hadSnapshot ? path.join(tmp, "from.prisma") : null;
  if (fromPg) fs.writeFileSync(fromPg, toPostgres(fs.readFileSync(snapshotPath, "utf8")));
  const sqliteSql = diff("prisma.config.ts", fromSqlite, sqliteSchemaPath);
  // The PostgreSQL diff needs a server to talk to, even between two schema files.
  const cluster = startPgCluster(54339);
  let pgSql: string;
  try {
    pgSql = diff("prisma/postgresql/prisma.config.ts", fromPg, pgSchemaPath, {
      ...process.env,
      DATABASE_URL: cluster.url,
    });
  } finally {
    cluster.stop();
  }
  if (!hasChanges(sqliteSql)) {
    console.log("no schema changes: no migration written");
    process.exit(0);
  }
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const folder = `${stamp}_${name}`;
  for (const [dir, sql] of [
    [path.join(root, "prisma/migrations", folder), sqliteSql],
    [path.join(pgDir, "migrations", folder), pgSql],
  ] as const) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "migration.sql"), sql);
  }
  fs.copyFileSync(sqliteSchemaPath, snapshotPath);
  console.log(`wrote migration ${folder} for SQLite and PostgreSQL`);
}
