// The master key encrypts secrets at rest; the auth secret signs console sessions.
// Both come from the environment or are generated once into the data directory
// (mode 0600), so a fresh clone works and restarts keep sessions and secrets readable.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";

const SETTING_OF: Record<string, string> = { "master.key": "IAMLAB_MASTER_KEY", "auth.secret": "AUTH_SECRET" };

function keyFile(name: string): Buffer {
  const file = path.join(env().dataDir, name);
  try {
    return Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  // Several servers share a PostgreSQL database: a key generated here would be this server's alone.
  if (env().databaseKind === "postgresql" && env().IAMLAB_SINGLE_SERVER !== "true") {
    throw new Error(
      `IAM Lab: on PostgreSQL, set ${SETTING_OF[name]} (the same value on every server; openssl rand -base64 32) ` +
        `instead of generating ${file}; a single server may keep generated keys with IAMLAB_SINGLE_SERVER=true.`,
    );
  }
  fs.mkdirSync(env().dataDir, { recursive: true, mode: 0o700 });
  const key = crypto.randomBytes(32);
  try {
    fs.writeFileSync(file, key.toString("base64") + "\n", { mode: 0o600, flag: "wx" });
    return key;
  } catch (err) {
    // Another process wrote it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return keyFile(name);
    throw err;
  }
}

let master: Buffer | undefined;
export function masterKey(): Buffer {
  master ??= env().IAMLAB_MASTER_KEY ? Buffer.from(env().IAMLAB_MASTER_KEY!, "base64") : keyFile("master.key");
  return master;
}

let authSecret: string | undefined;
export function sessionSecret(): string {
  authSecret ??= env().AUTH_SECRET ?? keyFile("auth.secret").toString("base64");
  return authSecret;
}

/** A value that identifies a key without revealing it (HMAC of a fixed label). */
export function keyCheckValue(key: Buffer | string, label: string): string {
  return crypto.createHmac("sha256", key).update(`iamlab key check: ${label}`).digest("base64url");
}

/**
 * The check values this server's keys must match in the database (written by
 * the first server to start): setting name -> [installation key, check value].
 */
export function installationKeyChecks(): { setting: string; key: string; value: string }[] {
  return [
    { setting: "IAMLAB_MASTER_KEY", key: "master-key-check", value: keyCheckValue(masterKey(), "master key") },
    { setting: "AUTH_SECRET", key: "auth-secret-check", value: keyCheckValue(sessionSecret(), "auth secret") },
  ];
}
