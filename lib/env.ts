// The environment, read and validated once. Every setting has a default that
// works on a fresh clone; a bad value stops the process with a message naming it.
import path from "node:path";
import { z } from "zod";
import { parseTrustedProxies } from "./server/client-address";

const schema = z.object({
  // The console's port (`npm start`).
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  IAMLAB_DATA_DIR: z.string().min(1).default(".data"),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, "must be file:PATH (SQLite) or postgresql://... (PostgreSQL)")
    .optional(),
  IAMLAB_MASTER_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, "must be 32 random bytes in base64 (openssl rand -base64 32)")
    .optional(),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  IAMLAB_SEED: z.enum(["demo", "none"]).default("demo"),
  // "demo-only" loads just the AWS-managed policies the demo uses (the test databases); "full" all ~1,600.
  IAMLAB_SEED_CATALOGUE: z.enum(["full", "demo-only"]).default("full"),
  // Where `next build` writes and `npm start` serves from: a second folder lets two builds coexist (parallel test runs).
  IAMLAB_NEXT_DIR: z.string().min(1).default(".next"),
  IAMLAB_REGION: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/).default("us-east-1"),
  // The AWS-compatible API endpoint (aws --endpoint-url http://127.0.0.1:4566); 0 turns it off.
  IAMLAB_API_PORT: z.coerce.number().int().min(0).max(65535).default(4566),
  // Simulated EC2 instances: each running instance's metadata service (IMDSv2) gets a port of this
  // range on 127.0.0.1 (AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:PORT); "0" turns them off.
  IAMLAB_IMDS_PORTS: z
    .string()
    .regex(/^(0|\d{1,5}-\d{1,5})$/, "must be a port range such as 4700-4799, or 0")
    .default("4700-4799"),
  // Lifetime of the role credentials an instance's metadata service hands out (AWS: 6 hours).
  IAMLAB_IMDS_CREDENTIAL_SECONDS: z.coerce.number().int().min(900).max(43200).default(21600),
  IAMLAB_MAX_CONSOLE_OBJECT_BYTES: z.coerce.number().int().positive().default(16 * 1024 * 1024),
  // Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (addresses, CIDR ranges).
  IAMLAB_TRUSTED_PROXIES: z
    .string()
    .default("")
    .superRefine((v, ctx) => {
      try {
        parseTrustedProxies(v);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: (err as Error).message });
      }
    }),
  // On PostgreSQL, keys generated into the local data directory are refused (every server must share
  // them) unless this single server is told it is alone: IAMLAB_SINGLE_SERVER=true.
  IAMLAB_SINGLE_SERVER: z.enum(["true", "false"]).default("false"),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
});

export type Env = z.infer<typeof schema> & { dataDir: string; databaseUrl: string; databaseKind: "sqlite" | "postgresql" };

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`IAM Lab: invalid environment\n${lines.join("\n")}`);
  }
  const dataDir = path.resolve(parsed.data.IAMLAB_DATA_DIR);
  const databaseUrl = parsed.data.DATABASE_URL ?? `file:${path.join(dataDir, "iamlab.db")}`;
  cached = {
    ...parsed.data,
    dataDir,
    databaseUrl,
    databaseKind: databaseUrl.startsWith("file:") ? "sqlite" : "postgresql",
  };
  return cached;
}
