/**
 * The compiled-policy cache: bounded by its memory estimate, least recently used out first, hit
 * statistics, lookups by a sampled hash that survive colliding texts.
 */
import { afterAll, describe, expect, it } from "vitest";
import { clearPolicyCache, compilePolicy, DEFAULT_CACHE_BYTES, policyCacheSize, policyCacheStats, candidateStatements, requestKey } from "./compile";
import { evaluate } from "./evaluate";

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

describe("statement bodies compiled on first use", () => {
  const text = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "S3", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/${aws:username}/*", Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } } },
      { Sid: "EC2", Effect: "Allow", Action: "ec2:*", Resource: "*", Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } },
      { Sid: "NotS3", Effect: "Deny", NotAction: "s3:*", NotResource: "arn:aws:ec2:*:*:instance/keep-*" },
    ],
  });
  const request = (action: string, resource: string, ip = "10.1.2.3") => ({
    request: { principal: "arn:aws:iam::111122223333:user/alice", action, resource: { resource, accountId: "111122223333" }, context: { "aws:SourceIp": ip, "aws:MultiFactorAuthPresent": "false" } },
    identityPolicies: [{ name: "p", policy: text }],
  });
  const pending = (p: ReturnType<typeof compilePolicy>) => p.statements.map((s) => s.pending !== null);

  it("leaves the statements a request does not reach uncompiled, and decides as a fully compiled policy", () => {
    clearPolicyCache({ maxBytes: DEFAULT_CACHE_BYTES });
    const p = compilePolicy(text);
    expect(pending(p)).toEqual([true, true, true]);
    // The services of a Resource come from the raw patterns: s3 for the first, none for "*" and NotResource.
    expect(p.statements[0].services).toHaveLength(1);
    expect(p.statements.slice(1).map((s) => s.services)).toEqual([null, null]);
    expect(evaluate(request("s3:GetObject", "arn:aws:s3:::bucket/alice/a.txt")).decision).toBe("Allowed");
    expect(pending(p)).toEqual([false, true, true]);
    expect(p.statements[0].conditions).toHaveLength(1);
    // The compiled body holds its condition and its variable.
    expect(evaluate(request("s3:GetObject", "arn:aws:s3:::bucket/alice/a.txt", "192.0.2.1")).decision).toBe("ImplicitlyDenied");
    expect(evaluate(request("s3:GetObject", "arn:aws:s3:::bucket/bob/a.txt")).decision).toBe("ImplicitlyDenied");
    // ec2 reaches the EC2 statement (its MFA condition fails) and the NotAction deny (its NotResource spares keep-*).
    expect(evaluate(request("ec2:StartInstances", "arn:aws:ec2:us-east-1:111122223333:instance/keep-1")).decision).toBe("ImplicitlyDenied");
    expect(evaluate(request("ec2:StartInstances", "arn:aws:ec2:us-east-1:111122223333:instance/i-1")).decision).toBe("ExplicitlyDenied");
    expect(pending(p)).toEqual([false, false, false]);
  });

  it("grows the estimate by a compiled body and its new shared conditions, which leave with the evicted policy", () => {
    clearPolicyCache({ maxBytes: DEFAULT_CACHE_BYTES });
    const p = compilePolicy(text);
    evaluate(request("s3:GetObject", "arn:aws:s3:::bucket/alice/a.txt"));
    expect(policyCacheStats().sharedConditions).toBe(1);
    const [cacheBefore, policyBefore] = [policyCacheStats().bytes, p.bytes];
    // keep-1: the deny does not apply, so the allows are read too.
    evaluate(request("ec2:StartInstances", "arn:aws:ec2:us-east-1:111122223333:instance/keep-1"));
    expect(policyCacheStats().sharedConditions).toBe(2);
    expect(p.bytes).not.toBe(policyBefore);
    // The cache counts the policy's own growth plus the new shared condition.
    expect(policyCacheStats().bytes - cacheBefore).toBeGreaterThan(p.bytes - policyBefore);
    // Evicted (a bound that holds one policy): its conditions leave the table with it.
    clearPolicyCache({ maxBytes: 1 });
    const q = compilePolicy(text);
    evaluate(request("s3:GetObject", "arn:aws:s3:::bucket/alice/a.txt"));
    expect(policyCacheStats().sharedConditions).toBe(1);
    compilePolicy(policy("other"));
    expect(q.cached).toBe(false);
    expect(policyCacheStats()).toMatchObject({ entries: 1, sharedConditions: 0 });
  });
});
