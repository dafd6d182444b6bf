// `npm run db:seed`: applies migrations, then seeds (idempotent).
import { db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { seed } from "@/lib/db/seed";
import { env } from "@/lib/env";

const started = Date.now();
await migrate(env().databaseUrl);
const result = await seed(db(), { catalogue: env().IAMLAB_SEED_CATALOGUE });
console.log(
  `seeded: ${result.policies} AWS-managed policies, demo organization ${result.demo ? "created" : "already present"} (${Date.now() - started} ms)`,
);
await db().$disconnect();
