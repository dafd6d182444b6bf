import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { cacheStatements } from "./sqlite-adapter";

// The statement cache under Prisma's adapter: the adapter calls
// prepare(sql).bind(args) and then run(), columns() or raw().all() on it.
function connection(size?: number) {
  const db = new Database(":memory:");
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)");
  let prepared = 0;
  const prepare = db.prepare.bind(db);
  (db as { prepare: unknown }).prepare = (sql: string) => (prepared++, prepare(sql));
  cacheStatements(db, size);
  return { db, prepared: () => prepared };
}

describe("cacheStatements", () => {
  it("prepares a statement once and runs it with each call's own parameters", () => {
    const { db, prepared } = connection();
    const insert = "INSERT INTO t (id, name) VALUES (?, ?)";
    expect(db.prepare(insert).bind([1, "a"]).run().changes).toBe(1);
    expect(db.prepare(insert).bind([2, "b"]).run().changes).toBe(1);
    const select = db.prepare("SELECT id, name FROM t WHERE id >= ? ORDER BY id").bind([2]);
    expect(select.reader).toBe(true);
    expect(select.columns().map((c) => c.name)).toEqual(["id", "name"]);
    expect(select.raw().all()).toEqual([[2, "b"]]);
    expect(db.prepare("SELECT id, name FROM t WHERE id >= ? ORDER BY id").bind([1]).raw().all()).toEqual([
      [1, "a"],
      [2, "b"],
    ]);
    // Two texts, each prepared once.
    expect(prepared()).toBe(2);
  });

  it("answers rows as objects again after a raw call, and reports writes as non-readers", () => {
    const { db } = connection();
    const stmt = db.prepare("INSERT INTO t (id, name) VALUES (?, ?)");
    expect(stmt.reader).toBe(false);
    stmt.run(1, "a");
    db.prepare("SELECT name FROM t WHERE id = ?").bind([1]).raw().all();
    expect(db.prepare("SELECT name FROM t WHERE id = ?").get(1)).toEqual({ name: "a" });
  });

  it("keeps at most `size` statements, preparing an evicted one again", () => {
    const { db, prepared } = connection(2);
    for (const sql of ["SELECT 1", "SELECT 2", "SELECT 3", "SELECT 1"]) db.prepare(sql).bind([]).raw().all();
    expect(prepared()).toBe(4);
    db.prepare("SELECT 3").bind([]).raw().all();
    expect(prepared()).toBe(4);
  });

  it("a failing statement leaves the cache usable", () => {
    const { db } = connection();
    const insert = "INSERT INTO t (id, name) VALUES (?, ?)";
    db.prepare(insert).bind([1, "a"]).run();
    expect(() => db.prepare(insert).bind([1, "again"]).run()).toThrow(/UNIQUE/);
    expect(db.prepare(insert).bind([2, "b"]).run().changes).toBe(1);
  });
});
