// Runs when a server starts (instrumentation.ts): applies pending migrations and,
// on an empty database with IAMLAB_SEED=demo, seeds it in a child process so the
// AWS-managed policy catalogue never stays in the server's memory.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { env } from "@/lib/env";
import { migrate } from "./migrate";
import { db } from "./client";

export async function bootstrap(): Promise<void> {
  const { databaseUrl, IAMLAB_SEED } = env();
  const applied = await migrate(databaseUrl);
  if (applied.length) console.log(`IAM Lab: applied migrations ${applied.join(", ")}`);
  // Before anything is written under this server's keys: they must be the installation's.
  await (await import("@/lib/auth/installation-keys")).assertInstallationKeys();
  if (IAMLAB_SEED !== "demo" || (await db().organization.count()) > 0) return;
  console.log("IAM Lab: seeding the demo organization (first start only)...");
  const root = process.cwd();
  const result = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", path.join(root, "prisma/seed.ts")], {
    cwd: root,
    stdio: "inherit",
    env: process.env,
  });
  if (result.status !== 0) throw new Error("IAM Lab: seeding failed (see above)");
}
