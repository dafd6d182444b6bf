// Servers sharing a database must share its keys: the first start records check
// values; a server with another master key or auth secret refuses to start.
import { describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db/client";

async function freshCheck(env: Record<string, string>) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  vi.resetModules();
  try {
    const { assertInstallationKeys } = await import("./installation-keys");
    return await assertInstallationKeys().then(() => null, (e: Error) => e);
  } finally {
    process.env = saved;
    vi.resetModules();
  }
}

describe("installation keys", () => {
  it("are recorded by the first server; the same keys start again; another master key or auth secret is refused by name", async () => {
    expect(await freshCheck({})).toBeNull();
    expect(await db().installationSetting.count({ where: { key: { in: ["master-key-check", "auth-secret-check"] } } })).toBe(2);
    const recorded = JSON.stringify(await db().installationSetting.findMany());
    expect(recorded).not.toContain(process.env.IAMLAB_MASTER_KEY!);
    expect(await freshCheck({})).toBeNull();

    const otherKey = await freshCheck({ IAMLAB_MASTER_KEY: Buffer.alloc(32, 9).toString("base64") });
    expect(otherKey?.message).toMatch(/this server's IAMLAB_MASTER_KEY is not the one this database was set up with/);
    const otherSecret = await freshCheck({ AUTH_SECRET: "another-auth-secret-another-auth-secret-0123" });
    expect(otherSecret?.message).toMatch(/AUTH_SECRET/);
  });
});
