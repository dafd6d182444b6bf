// Applies the SQL migrations generated from prisma/schema.prisma
// (prisma/migrations for SQLite, prisma/postgresql/migrations for PostgreSQL),
// each once and in order, recording them in _iamlab_migrations. Safe to call from
// several processes at once: SQLite takes its write lock, PostgreSQL an advisory lock.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";

// The project root: servers and scripts run from it (bundled server code has no useful __dirname).
const ROOT = process.cwd();

function migrationsIn(dir: string): { name: string; sql: string }[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((name) => ({ name, sql: fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8") }));
}

export async function migrate(databaseUrl: string, root = ROOT): Promise<string[]> {
  if (databaseUrl.startsWith("file:")) return migrateSqlite(databaseUrl.slice(5), migrationsIn(path.join(root, "prisma/migrations")));
  return migratePostgres(databaseUrl, migrationsIn(path.join(root, "prisma/postgresql/migrations")));
}

function migrateSqlite(file: string, migrations: { name: string; sql: string }[]): string[] {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
  const sqlite = new Database(file);
  // Owner-only, before WAL mode: SQLite gives its -wal and -shm files the database file's mode.
  for (const suffix of ["", "-wal", "-shm"]) {
    try {
      fs.chmodSync(/*turbopackIgnore: true*/ file + suffix, 0o600);
    } catch {
      // not there (yet): created later with the database file's mode
    }
  }
  try {
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("busy_timeout = 30000");
    const applied: string[] = [];
    sqlite.exec("CREATE TABLE IF NOT EXISTS _iamlab_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)");
    const run = sqlite.transaction(() => {
      const done = new Set(sqlite.prepare("SELECT name FROM _iamlab_migrations").pluck().all() as string[]);
      for (const m of migrations) {
        if (done.has(m.name)) continue;
        sqlite.exec(m.sql);
        sqlite.prepare("INSERT INTO _iamlab_migrations (name, applied_at) VALUES (?, ?)").run(m.name, new Date().toISOString());
        applied.push(m.name);
      }
    });
    run.immediate();
    return applied;
  } finally {
    sqlite.close();
  }
}

async function migratePostgres(url: string, migrations: { name: string; sql: string }[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(7311734)");
    await client.query("CREATE TABLE IF NOT EXISTS _iamlab_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
    const done = new Set((await client.query("SELECT name FROM _iamlab_migrations")).rows.map((r) => r.name as string));
    for (const m of migrations) {
      if (done.has(m.name)) continue;
      await client.query(m.sql);
      await client.query("INSERT INTO _iamlab_migrations (name) VALUES ($1)", [m.name]);
      applied.push(m.name);
    }
    await client.query("COMMIT");
    return applied;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
}
