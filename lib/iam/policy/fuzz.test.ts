/**
 * Parser fuzzing: random and mutated documents give validation errors (or a valid result),
 * never an exception; evaluation of whatever text is stored never throws either.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzePolicy, evaluate, runContractCases, validatePolicyDocument } from "./index";
import { readPolicyDocument, readPolicyDocumentFast } from "./document";
import type { PolicyType } from "./types";

const TYPES: PolicyType[] = ["identity", "resource", "trust", "boundary", "session", "scp"];
const seed = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    { Sid: "A", Effect: "Allow", Action: ["s3:Get*"], Resource: "arn:aws:s3:::b/${aws:username}/*", Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } } },
    { Effect: "Deny", NotAction: "iam:*", NotResource: "*", Principal: { AWS: "111122223333" } },
  ],
});

const mutated = fc
  .tuple(fc.nat({ max: seed.length }), fc.nat({ max: 8 }), fc.string({ maxLength: 6 }))
  .map(([at, del, ins]) => seed.slice(0, at) + ins + seed.slice(at + del));

const jsonValue = fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.stringify(v));
const shapedDoc = fc
  .record({
    Version: fc.oneof(fc.constant("2012-10-17"), fc.constant("2008-10-17"), fc.string(), fc.integer()),
    Statement: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.array(fc.dictionary(fc.constantFrom("Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition", "Other"), fc.jsonValue({ maxDepth: 3 })), { maxLength: 3 })),
  })
  .map((d) => JSON.stringify(d));

const anyText = fc.oneof(fc.string(), fc.string({ unit: "binary" }), jsonValue, mutated, shapedDoc);

describe("parser fuzzing", () => {
  it("validation never throws and always answers with an AWS error code", () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom(...TYPES), fc.boolean(), (text, type, inline) => {
        const r = validatePolicyDocument(text, type, { inline });
        if (!r.ok) {
          expect(["MalformedPolicyDocument", "LimitExceeded"]).toContain(r.error.code);
          expect(r.error.message.length).toBeGreaterThan(0);
        } else expect(r.document.Statement.length).toBeGreaterThan(0);
      }),
      { numRuns: 1500 },
    );
  });

  it("non-string input is a MalformedPolicyDocument, not an exception", () => {
    for (const v of [undefined, null, 42, {}, [], true]) {
      const r = validatePolicyDocument(v as unknown as string, "identity");
      expect(r.ok).toBe(false);
    }
  });

  it("evaluation never throws, whatever the stored text", () => {
    fc.assert(
      fc.property(anyText, fc.string(), fc.string(), (text, action, principal) => {
        const input = {
          request: { principal, action: action.includes(":") ? action : `s3:${action}`, resource: { resource: "arn:aws:s3:::b/k" }, context: {} },
          identityPolicies: [{ name: "x", policy: text }],
          resourcePolicy: { name: "r", policy: text },
        };
        const r = evaluate(input, { explain: true });
        expect(["Allowed", "ExplicitlyDenied", "ImplicitlyDenied"]).toContain(r.decision);
      }),
      { numRuns: 800 },
    );
  });

  it("evaluation of malformed input objects never throws and always answers one of the three decisions", () => {
    const inputs = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      // Shaped like an input, with wrong types in the places the engine reads.
      fc.record({
        request: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.record({ principal: fc.jsonValue({ maxDepth: 1 }), action: fc.jsonValue({ maxDepth: 1 }), resource: fc.jsonValue({ maxDepth: 2 }), context: fc.jsonValue({ maxDepth: 2 }) })),
        identityPolicies: fc.jsonValue({ maxDepth: 3 }),
        resourcePolicy: fc.jsonValue({ maxDepth: 3 }),
        serviceControlPolicies: fc.jsonValue({ maxDepth: 3 }),
      }),
    );
    fc.assert(
      fc.property(inputs, (v) => {
        let r: ReturnType<typeof evaluate> | undefined;
        expect(() => (r = evaluate(v as never, { explain: true }))).not.toThrow();
        expect(["Allowed", "ExplicitlyDenied", "ImplicitlyDenied"]).toContain(r!.decision);
        expect(typeof r!.reason).toBe("string");
        expect(r!.reason.length).toBeGreaterThan(0);
        expect(Array.isArray(r!.decisive)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("the JSON contract answers every case with a decision or an error string, never an exception", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.record({ request: fc.jsonValue({ maxDepth: 3 }), resourcePolicy: fc.jsonValue({ maxDepth: 3 }) })), { maxLength: 5 }), (cases) => {
        const lines = runContractCases(JSON.stringify(cases), { explain: false });
        expect(lines).toHaveLength(cases.length);
        for (const line of lines) {
          const out = JSON.parse(line);
          if ("error" in out) expect(typeof out.error).toBe("string");
          else expect(["Allowed", "ExplicitlyDenied", "ImplicitlyDenied"]).toContain(out.decision);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("the fast reader (JSON.parse) reads what the span reader reads, or leaves the text to it", () => {
    const strip = (d: unknown) => JSON.parse(JSON.stringify(d, (k, v) => (k === "span" ? undefined : v)));
    let fast = 0;
    fc.assert(
      fc.property(fc.oneof(anyText, shapedDoc, shapedDoc, fc.constant(seed), fc.constant(seed.replace("10.0.0.0/8", "10.0.0.0/8\\\"x"))), fc.boolean(), (text, allowNoStatements) => {
        const f = readPolicyDocumentFast(text, { allowNoStatements });
        if (!f) return;
        fast++;
        const slow = readPolicyDocument(text, { allowNoStatements });
        expect(slow.ok).toBe(true);
        if (slow.ok) expect(strip(f)).toEqual(strip(slow.read.document));
      }),
      { numRuns: 3000 },
    );
    expect(fast).toBeGreaterThan(20);
    // What the fast reader must leave to the span reader: duplicate keys, numbers (raw text kept).
    const dup = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Effect":"Deny","Action":"s3:*","Resource":"*"}]}';
    expect(readPolicyDocumentFast(dup)).toBeUndefined();
    expect(readPolicyDocument(dup).ok).toBe(false);
    const num = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":1.50}}}]}';
    expect(readPolicyDocumentFast(num)).toBeUndefined();
    const r = readPolicyDocument(num);
    expect(r.ok && r.read.document.Statement[0].Condition).toEqual({ NumericLessThan: { "s3:max-keys": ["1.50"] } });
  });

  it("findings never throw", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated, shapedDoc), fc.constantFrom(...TYPES), async (text, type) => {
        const f = await analyzePolicy(text, type);
        expect(Array.isArray(f)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
