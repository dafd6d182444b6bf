// Prisma CLI configuration (SQLite, the embedded default). The CLI runs with the
// JS engine through the driver adapter: Prisma's native engines cannot be
// downloaded on our machines. The PostgreSQL CLI config is prisma/postgresql/prisma.config.ts.
import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

try {
  process.loadEnvFile();
} catch {
  // no .env: fine
}
const dataDir = process.env.IAMLAB_DATA_DIR ?? ".data";
const url = process.env.DATABASE_URL?.startsWith("file:")
  ? process.env.DATABASE_URL
  : `file:${path.join(dataDir, "iamlab.db")}`;
process.env.DATABASE_URL = url;

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  adapter: async () => {
    // A fresh clone has no data directory yet: the CLI's SQLite file needs one.
    fs.mkdirSync(path.dirname(url.slice("file:".length)), { recursive: true });
    return new PrismaBetterSQLite3({ url });
  },
});
