// Prisma CLI configuration for the generated PostgreSQL schema.
// The 6.19 CLI falls back to downloading engines unless DATABASE_URL is a
// postgres URL before defineConfig, hence the placeholder.
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

const url = process.env.DATABASE_URL?.startsWith("postgres")
  ? process.env.DATABASE_URL
  : "postgresql://iamlab@localhost:5432/iamlab";
process.env.DATABASE_URL = url;

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "schema.prisma",
  adapter: async () => new PrismaPg({ connectionString: url }),
});
