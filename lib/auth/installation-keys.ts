import "server-only";
// Every server of one database must use the same master key (secrets at rest)
// and auth secret (session cookies). The first server to start records a check
// value of each; a server whose keys do not match refuses to start, naming the
// setting, before it writes anything under the wrong key.
import { db } from "@/lib/db/client";
import { installationKeyChecks } from "@/lib/crypto/keys";

export async function assertInstallationKeys(): Promise<void> {
  for (const check of installationKeyChecks()) {
    const existing = await db().installationSetting.findUnique({ where: { key: check.key } });
    if (!existing) {
      try {
        await db().installationSetting.create({ data: { key: check.key, value: check.value } });
        continue;
      } catch {
        // Another server recorded it first: compare with theirs.
      }
    }
    const recorded = existing ?? (await db().installationSetting.findUniqueOrThrow({ where: { key: check.key } }));
    if (recorded.value !== check.value) {
      throw new Error(
        `IAM Lab: this server's ${check.setting} is not the one this database was set up with (another server, or an earlier start, used a different value). ` +
          `Start every server of one database with the same ${check.setting}; secrets written under one key cannot be read with another.`,
      );
    }
  }
}
