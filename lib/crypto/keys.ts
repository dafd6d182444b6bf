// The master key encrypts secrets at rest; the auth secret signs console sessions.
// Both come from the environment or are generated once into the data directory
// (mode 0600), so a fresh clone works and restarts keep sessions and secrets readable.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";

function keyFile(name: string): Buffer {
  const file = path.join(env().dataDir, name);
  try {
    return Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
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
