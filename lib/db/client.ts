import "server-only";
// The one Prisma client of the process. SQLite (embedded default) or PostgreSQL,
// chosen by DATABASE_URL's scheme; both generated clients share one model, so the
// rest of the code sees a single type.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PgClient } from "@/lib/generated/pg/client";
import { PrismaClient as SqliteClient, type Prisma } from "@/lib/generated/sqlite/client";
import { env } from "@/lib/env";
import { sqliteAdapter } from "./sqlite-adapter";

export type Db = SqliteClient;
export type Tx = Prisma.TransactionClient;
export type { Prisma };

/** Every transaction's limits, the batch form's ($transaction([...]), which takes none of its own) too. */
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 30_000 };

function createClient(): Db {
  const { databaseUrl, databaseKind } = env();
  if (databaseKind === "postgresql") {
    return new PgClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: 10 }), transactionOptions: TRANSACTION_OPTIONS }) as unknown as Db;
  }
  return new SqliteClient({ adapter: sqliteAdapter(databaseUrl), transactionOptions: TRANSACTION_OPTIONS });
}

const globalForDb = globalThis as unknown as { iamlabDb?: Db };

export function db(): Db {
  globalForDb.iamlabDb ??= createClient();
  return globalForDb.iamlabDb;
}

/** Runs fn in one interactive transaction: all of it is written, or none. */
export function transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db().$transaction(fn, TRANSACTION_OPTIONS);
}
