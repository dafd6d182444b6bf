// Seeds a database: the AWS-managed policy catalogue, then the demo organization.
import type { Db } from "@/lib/db/client";
import { seedAwsManagedPolicies } from "./aws-managed-policies";
import { DEMO_MANAGED_POLICIES, seedDemo } from "./demo";

export async function seed(db: Db, options: { catalogue: "full" | "demo-only" } = { catalogue: "full" }) {
  const policies = await seedAwsManagedPolicies(db, options.catalogue === "full" ? undefined : DEMO_MANAGED_POLICIES);
  const demo = await seedDemo(db);
  return { policies, demo };
}
