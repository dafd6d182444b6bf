import "server-only";
// The one Prisma client of the process. SQLite (embedded default) or PostgreSQL,
// chosen by DATABASE_URL's scheme; both generated clients share one model, so the
// rest of the code sees a single type.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaClient as PgClient } from "@/lib/generated/pg/client";
import { PrismaClient as SqliteClient, type Prisma } from "@/lib/generated/sqlite/client";
import { env } from "@/lib/env";

export type Db = SqliteClient;
export type Tx = Prisma.TransactionClient;
export type { Prisma };

/**
 * SQLite connection settings: a 64 MiB page cache and memory-mapped reads keep
 * large organizations' index pages in memory (SQLite's default cache is 2 MiB);
 * busy_timeout lets a second process (a script, a test) wait for the write lock.
 */
const SQLITE_PRAGMAS = "PRAGMA cache_size = -65536; PRAGMA mmap_size = 268435456; PRAGMA busy_timeout = 30000;";

function sqliteAdapter(url: string): SqlMigrationAwareDriverAdapterFactory {
  const factory = new PrismaBetterSQLite3({ url });
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      const adapter = await factory.connect();
      await adapter.executeScript(SQLITE_PRAGMAS);
      return adapter;
    },
    connectToShadowDb: () => factory.connectToShadowDb(),
  };
}

function createClient(): Db {
  const { databaseUrl, databaseKind } = env();
  if (databaseKind === "postgresql") {
    return new PgClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: 10 }) }) as unknown as Db;
  }
  return new SqliteClient({ adapter: sqliteAdapter(databaseUrl) });
}

const globalForDb = globalThis as unknown as { iamlabDb?: Db };

export function db(): Db {
  globalForDb.iamlabDb ??= createClient();
  return globalForDb.iamlabDb;
}

/** Runs fn in one interactive transaction: all of it is written, or none. */
export function transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db().$transaction(fn, { maxWait: 15_000, timeout: 30_000 });
}
