import "server-only";
// The SQLite driver adapter: Prisma's better-sqlite3 adapter, made safe for a
// server that runs many requests at once on one database file.
//
// Prisma's adapter has one connection and locks it only for interactive
// transactions; a query outside a transaction runs on the same connection at
// once, so while another request's transaction is open (across its awaits) the
// query lands inside it: a write (an audit record of a read, say) is rolled back
// with that transaction, and a read sees its uncommitted rows. Here every
// statement that writes takes the connection's lock, as transactions do, and
// reads outside a transaction run on a second, read-only connection, which in
// WAL mode sees only committed data and never waits for a writer.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type BetterSqlite3 from "better-sqlite3";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery, Transaction } from "@prisma/driver-adapter-utils";

/**
 * Connection settings: a 64 MiB page cache and memory-mapped reads keep large
 * organizations' index pages in memory (SQLite's default cache is 2 MiB);
 * busy_timeout lets a second process (a script, a test) wait for the write lock.
 */
const PRAGMAS = "PRAGMA cache_size = -65536; PRAGMA mmap_size = 268435456; PRAGMA busy_timeout = 30000;";
/** The read connection refuses writes: a write sent to it is a routing bug, and fails loudly. */
const READER_PRAGMAS = `${PRAGMAS} PRAGMA query_only = 1;`;

/** A statement that only reads: it may run on the read connection. */
const READS = /^\s*(SELECT|WITH)\b/i;

/** First come, first served: one holder at a time. */
class Lock {
  private tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const previous = this.tail;
    this.tail = previous.then(() => held);
    return previous.then(() => release);
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

class SerializedSqlite implements SqlDriverAdapter {
  readonly provider: SqlDriverAdapter["provider"];
  readonly adapterName: string;
  private readonly lock = new Lock();

  constructor(
    private readonly writer: SqlDriverAdapter,
    /** Absent for an in-memory database, which a second connection would not share. */
    private readonly reader: SqlDriverAdapter | undefined,
  ) {
    this.provider = writer.provider;
    this.adapterName = writer.adapterName;
  }

  queryRaw(query: SqlQuery) {
    if (this.reader && READS.test(query.sql)) return this.reader.queryRaw(query);
    return this.lock.run(() => this.writer.queryRaw(query));
  }

  executeRaw(query: SqlQuery) {
    return this.lock.run(() => this.writer.executeRaw(query));
  }

  executeScript(script: string) {
    return this.lock.run(() => this.writer.executeScript(script));
  }

  /** The lock is held from BEGIN until the transaction's commit or rollback. */
  async startTransaction(isolationLevel?: Parameters<SqlDriverAdapter["startTransaction"]>[0]): Promise<Transaction> {
    const release = await this.lock.acquire();
    try {
      const tx = await this.writer.startTransaction(isolationLevel);
      const end = (finish: () => Promise<void>) => () => finish().finally(release);
      return {
        provider: tx.provider,
        adapterName: tx.adapterName,
        options: tx.options,
        queryRaw: (query) => tx.queryRaw(query),
        executeRaw: (query) => tx.executeRaw(query),
        commit: end(() => tx.commit()),
        rollback: end(() => tx.rollback()),
      };
    } catch (err) {
      release();
      throw err;
    }
  }

  async dispose() {
    await Promise.all([this.writer.dispose(), this.reader?.dispose()]);
  }
}

/** Distinct statements kept prepared per connection (IN lists of every length count apart). */
const STATEMENT_CACHE_SIZE = 1000;

/**
 * Prisma's adapter prepares every statement anew (SQLite parses and plans it
 * each time: ~4% of an API request's CPU). Here the connection keeps its
 * prepared statements by SQL text. A better-sqlite3 statement takes its
 * parameters once (bind), so the adapter is handed a view whose bind() gives
 * the parameters to each call instead; the statement itself is never bound and
 * serves the next query with the same text. Every call runs to completion
 * synchronously, so two queries never share a statement mid-step.
 */
export function cacheStatements(client: BetterSqlite3.Database, size = STATEMENT_CACHE_SIZE): void {
  const prepare = client.prepare.bind(client) as (sql: string) => BetterSqlite3.Statement<unknown[]>;
  const cache = new Map<string, BetterSqlite3.Statement<unknown[]>>();
  const reusable = (stmt: BetterSqlite3.Statement<unknown[]>) => ({
    get reader() {
      return stmt.reader;
    },
    columns: () => stmt.columns(),
    run: (...args: unknown[]) => stmt.run(...args),
    all: (...args: unknown[]) => stmt.raw(false).all(...args),
    get: (...args: unknown[]) => stmt.raw(false).get(...args),
    bind(...bound: unknown[]) {
      return {
        get reader() {
          return stmt.reader;
        },
        columns: () => stmt.columns(),
        run: () => stmt.run(...bound),
        all: () => stmt.raw(false).all(...bound),
        get: () => stmt.raw(false).get(...bound),
        raw: (on = true) => ({ all: () => stmt.raw(on).all(...bound), get: () => stmt.raw(on).get(...bound) }),
      };
    },
  });
  (client as { prepare: unknown }).prepare = (sql: string) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = prepare(sql);
      if (cache.size >= size) cache.delete(cache.keys().next().value!);
      cache.set(sql, stmt);
    }
    return reusable(stmt);
  };
}

/** The better-sqlite3 connection under Prisma's adapter (its public `client` field). */
function connectionOf(adapter: SqlDriverAdapter): BetterSqlite3.Database {
  const client = (adapter as unknown as { client?: BetterSqlite3.Database }).client;
  if (!client || typeof client.prepare !== "function") throw new Error("Prisma's better-sqlite3 adapter no longer exposes its connection: the statement cache needs it");
  return client;
}

const inMemory = (url: string) => /(^file::memory:|^:memory:|mode=memory)/.test(url);

export function sqliteAdapter(url: string): SqlMigrationAwareDriverAdapterFactory {
  const factory = new PrismaBetterSQLite3({ url });
  const connect = async (pragmas: string) => {
    const adapter = await factory.connect();
    cacheStatements(connectionOf(adapter));
    await adapter.executeScript(pragmas);
    return adapter;
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      const writer = await connect(PRAGMAS);
      return new SerializedSqlite(writer, inMemory(url) ? undefined : await connect(READER_PRAGMAS));
    },
    connectToShadowDb: () => factory.connectToShadowDb(),
  };
}
