import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { codeAt, currentStep, matchCode, newTotpSeed, totpUri } from "./totp";
import { newAccessKeyId, newSecretAccessKey, newUniqueId } from "./ids";

beforeAll(() => {
  process.env.IAMLAB_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "iamlab-crypto-"));
  process.env.IAMLAB_MASTER_KEY = Buffer.alloc(32, 7).toString("base64");
});

describe("secrets at rest", () => {
  it("round-trips, never stores the plaintext, and detects tampering", async () => {
    const { encryptSecret, decryptSecret } = await import("./secrets");
    const sealed = encryptSecret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    expect(sealed).not.toContain("wJalrXUtnFEMI");
    expect(encryptSecret("same")).not.toBe(encryptSecret("same"));
    expect(decryptSecret(sealed)).toBe("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    const [v, iv, tag, body] = sealed.split(".");
    const flipped = body!.slice(0, -2) + (body!.endsWith("AA") ? "BB" : "AA");
    expect(() => decryptSecret([v, iv, tag, flipped].join("."))).toThrow();
  });
});

describe("passwords", () => {
  it("hashes with argon2id and verifies only the right password", async () => {
    const { hashPassword, verifyPassword } = await import("./passwords");
    const hash = await hashPassword("correct horse battery staple");
    expect(hash.startsWith("$argon2id$")).toBe(true);
    expect(await verifyPassword(hash, "correct horse battery staple")).toBe(true);
    expect(await verifyPassword(hash, "Correct horse battery staple")).toBe(false);
    expect(await verifyPassword("not-a-hash", "x")).toBe(false);
  });
});

describe("TOTP (RFC 6238)", () => {
  it("matches the RFC's SHA-1 test vector at T=59", () => {
    // RFC 6238 appendix B: secret "12345678901234567890", time 59 s -> 94287082 (8 digits); 6 digits: 287082.
    const seed = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    expect(codeAt(seed, Math.floor(59 / 30))).toBe("287082");
  });

  it("accepts the current step and one either side, nothing else", () => {
    const seed = newTotpSeed();
    const now = Date.now();
    const step = currentStep(now);
    expect(matchCode(seed, codeAt(seed, step), now)).toBe(step);
    expect(matchCode(seed, codeAt(seed, step - 1), now)).toBe(step - 1);
    expect(matchCode(seed, codeAt(seed, step + 3), now)).toBeNull();
    expect(matchCode(seed, "12345", now)).toBeNull();
    expect(totpUri(seed, "alice")).toMatch(/^otpauth:\/\/totp\/.*secret=/);
  });
});

describe("AWS-shaped identifiers", () => {
  it("uses AWS's prefixes and lengths", () => {
    expect(newUniqueId("AIDA")).toMatch(/^AIDA[A-Z2-7]{17}$/);
    expect(newAccessKeyId("AKIA")).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(newAccessKeyId("ASIA")).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(newSecretAccessKey()).toMatch(/^[A-Za-z0-9]{40}$/);
  });
});

describe("keys on PostgreSQL", () => {
  it("are never generated into the local data directory unless the server says it is alone", async () => {
    const { vi } = await import("vitest");
    const saved = { ...process.env };
    try {
      process.env.DATABASE_URL = "postgresql://iamlab@127.0.0.1:1/iamlab";
      delete process.env.IAMLAB_MASTER_KEY;
      process.env.IAMLAB_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "iamlab-pgkeys-"));
      vi.resetModules();
      const keys = await import("./keys");
      expect(() => keys.masterKey()).toThrow(/set IAMLAB_MASTER_KEY \(the same value on every server/);
      process.env.IAMLAB_SINGLE_SERVER = "true";
      vi.resetModules();
      expect((await import("./keys")).masterKey()).toHaveLength(32);
    } finally {
      process.env = saved;
      vi.resetModules();
    }
  });
});
