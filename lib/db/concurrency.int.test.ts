// Requests run side by side on one database: a statement outside a transaction
// must neither join nor see another request's open transaction. (On SQLite both
// share one connection unless lib/db/sqlite-adapter.ts keeps them apart.)
import { describe, expect, it } from "vitest";
import { db, transaction } from "@/lib/db/client";

const ACCOUNT = "111122223333";
const tag = (name: string) => ({ accountId: ACCOUNT, resourceArn: `arn:aws:iam::${ACCOUNT}:user/${name}`, key: "k", keyLower: "k", value: name });
const tagged = (name: string) => db().tag.count({ where: { resourceArn: tag(name).resourceArn } });

/** Opens a transaction that writes `name`'s tag, waits until `meanwhile` is done, then rolls back. */
async function rolledBackAround<T>(name: string, meanwhile: () => Promise<T>): Promise<T> {
  let result!: T;
  await transaction(async (tx) => {
    await tx.tag.create({ data: tag(name) });
    result = await meanwhile();
    throw new Error("roll back");
  }).catch((err: Error) => expect(err.message).toBe("roll back"));
  return result;
}

describe("statements outside a transaction, while another is open", () => {
  it("a write is kept when the open transaction rolls back", async () => {
    // On SQLite the write waits for the open transaction to end, so it is given time to finish, not awaited.
    let write!: Promise<unknown>;
    await rolledBackAround("open-tx-1", async () => {
      write = db().tag.create({ data: tag("outside-1") });
      await Promise.race([write, new Promise((r) => setTimeout(r, 1000))]);
    });
    await write;
    expect(await tagged("outside-1")).toBe(1);
    expect(await tagged("open-tx-1")).toBe(0);
  });

  it("a read does not see the open transaction's uncommitted rows", async () => {
    const seen = await rolledBackAround("open-tx-2", () => tagged("open-tx-2"));
    expect(seen).toBe(0);
  });
});
