/**
 * The compiled-policy cache: bounded by its memory estimate, least recently used out first, hit
 * statistics, lookups by a sampled hash that survive colliding texts.
 */
import { afterAll, describe, expect, it } from "vitest";
import { clearPolicyCache, compilePolicy, DEFAULT_CACHE_BYTES, policyCacheSize, policyCacheStats, candidateStatements, requestKey } from "./compile";

const policy = (sid: string, pad = "") =>
  `${pad}{"Version":"2012-10-17","Statement":[{"Sid":"${sid}","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/${sid}/*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`;

const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcd";

afterAll(() => clearPolicyCache({ maxBytes: DEFAULT_CACHE_BYTES }));

describe("compiled-policy cache", () => {
  it("counts hits and misses and answers the same compiled policy for the same text", () => {
    clearPolicyCache({ maxBytes: DEFAULT_CACHE_BYTES });
    const a = compilePolicy(policy("A"));
    // A new string object with the same text (as a database hands it over) finds the same entry.
    const again = compilePolicy([..."X" + policy("A")].slice(1).join(""));
    expect(again).toBe(a);
    compilePolicy(policy("B"));
    expect(policyCacheStats()).toMatchObject({ entries: 2, hits: 1, misses: 2, evictions: 0 });
    expect(policyCacheStats().bytes).toBeGreaterThan(2 * policy("A").length);
  });

  it("is bounded by its memory estimate and evicts the least recently used policy", () => {
    clearPolicyCache({ maxBytes: DEFAULT_CACHE_BYTES });
    const one = compilePolicy(policy("P0")).bytes;
    // Room for about five policies of this size.
    clearPolicyCache({ maxBytes: Math.floor(one * 5.5) + 2_000 });
    for (let i = 0; i < 5; i++) compilePolicy(policy(`P${i}`));
    compilePolicy(policy("P0")); // P0 becomes the most recently used
    for (let i = 5; i < 8; i++) compilePolicy(policy(`P${i}`));
    const s = policyCacheStats();
    expect(s.bytes).toBeLessThanOrEqual(s.maxBytes);
    expect(s.evictions).toBeGreaterThan(0);
    expect(s.entries).toBe(policyCacheSize());
    // P0 was refreshed, P1 was the oldest: P0 is still there, P1 is not.
    const before = policyCacheStats().hits;
    compilePolicy(policy("P0"));
    expect(policyCacheStats().hits).toBe(before + 1);
    compilePolicy(policy("P1"));
    expect(policyCacheStats().hits).toBe(before + 1);
  });

  it("counts an action memo that grows in its estimate and stays within the bound", () => {
    clearPolicyCache({ maxBytes: DEFAULT_CACHE_BYTES });
    const p = compilePolicy(policy("M"));
    const before = policyCacheStats().bytes;
    for (let i = 0; i < 50; i++) candidateStatements(p, requestKey(`s3:action${i}`, 0));
    expect(policyCacheStats().bytes).toBeGreaterThan(before);
    expect(p.bytes).toBeGreaterThan(0);
  });

  it("tells colliding texts apart (same length, same sampled characters)", () => {
    clearPolicyCache({ maxBytes: DEFAULT_CACHE_BYTES });
    // Texts that differ only in one character the hash does not sample.
    const base = policy("S0000");
    const n = base.length + 3;
    const step = Math.floor(n / 48);
    let pad = "";
    for (let k = 0; k < 4 && ((pad + base).indexOf("S0000") + 4) % step === 0; k++) pad += " ";
    const texts = Array.from({ length: 30 }, (_, i) => (pad + policy(`S000${LETTERS[i]}`)).padEnd(n + 3, " "));
    const at = texts[0].indexOf("S000") + 4;
    expect(at % step).not.toBe(0);
    expect(new Set(texts.map((t) => t.length)).size).toBe(1);
    const compiled = texts.map((t) => compilePolicy(t));
    expect(new Set(compiled).size).toBe(30);
    texts.forEach((t, i) => expect(compilePolicy(t).statements[0].sid).toBe(`S000${LETTERS[i]}`));
    expect(policyCacheStats()).toMatchObject({ entries: 30, misses: 30, hits: 30 });
    // Eviction of colliding entries keeps the others findable.
    clearPolicyCache({ maxBytes: compiled[0].bytes * 10 });
    texts.forEach((t) => compilePolicy(t));
    texts.slice(-5).forEach((t, i) => expect(compilePolicy(t).statements[0].sid).toBe(`S000${LETTERS[25 + i]}`));
    expect(policyCacheStats().entries).toBeLessThanOrEqual(10);
  });
});
