import "server-only";
// Secrets at rest (access key secrets, MFA seeds, session secrets): AES-256-GCM
// under the master key. Format: v1.<iv>.<tag>.<ciphertext>, base64url parts.
import crypto from "node:crypto";
import { masterKey } from "./keys";

export function encryptSecret(plaintext: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", masterKey(), iv);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), body].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

export function decryptSecret(sealed: string): string {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || body === undefined) throw new Error("unreadable secret");
  const decipher = crypto.createDecipheriv("aes-256-gcm", masterKey(), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}

/** One-way digest for lookups of bearer values (session tokens) without storing them. */
export function digest(value: string): string {
  return crypto.createHash("sha256").update(value).digest("hex");
}
