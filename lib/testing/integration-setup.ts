// Vitest globalSetup for the integration project: builds one migrated, seeded
// template database (SQLite file, or a PostgreSQL database when DATABASE_URL is
// postgresql://...). Each test file then gets its own copy (per-file-db.ts),
// with a copy of the seed's object bodies (the blob store under the data dir).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { TEST_MASTER_KEY } from "./constants";

declare module "vitest" {
  export interface ProvidedContext {
    dbTemplate: string;
    /** The template's data directory: its blobs/ holds the seeded objects' bodies. */
    dbTemplateDataDir: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iamlab-it-"));
  const base = process.env.DATABASE_URL;
  let url: string;
  if (base?.startsWith("postgres")) {
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query("DROP DATABASE IF EXISTS iamlab_template WITH (FORCE)");
    await admin.query("CREATE DATABASE iamlab_template");
    await admin.end();
    url = base.replace(/\/[^/?]+(\?|$)/, "/iamlab_template$1");
  } else {
    url = `file:${path.join(dir, "template.db")}`;
  }
  const seeded = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "prisma/seed.ts"], {
    env: { ...process.env, DATABASE_URL: url, IAMLAB_DATA_DIR: dir, IAMLAB_MASTER_KEY: TEST_MASTER_KEY, IAMLAB_SEED_CATALOGUE: "demo-only" },
    encoding: "utf8",
  });
  if (seeded.status !== 0) throw new Error(`seeding the test template failed:\n${seeded.stderr}${seeded.stdout}`);
  project.provide("dbTemplate", url);
  project.provide("dbTemplateDataDir", dir);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
