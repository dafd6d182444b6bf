import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { evaluate, validatePolicyDocument } from "./index";
import { inputFromCase, inputFromConditionCase, type FixtureFile } from "./fixtures/fixture-runner";

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures");
const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();

let total = 0;
for (const file of files) {
  const fx = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as FixtureFile;
  total += fx.cases.length;
  describe(`${file}: ${fx.feature}`, () => {
    if (fx.kind === "evaluate" && fx.requireDocs)
      it("every case carries the AWS documentation sentence it comes from", () => {
        for (const c of fx.cases) {
          expect(c.doc, c.name).toMatch(/\w+ \w+ \w+/);
          expect(c.source, c.name).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
        }
      });
    if (fx.kind === "evaluate")
      for (const c of fx.cases)
        it(`${c.name} (${c.reason})`, () => {
          const r = evaluate(inputFromCase(c));
          expect(r.decision, r.reason).toBe(c.expect);
          if (c.decisive)
            expect(r.decisive.map((d) => ({ policyType: d.policyType, statementIndex: d.statementIndex }))).toEqual(c.decisive);
          // The explained run must agree with the fast path.
          expect(evaluate(inputFromCase(c), { explain: true }).decision).toBe(c.expect);
        });
    if (fx.kind === "condition")
      for (const c of fx.cases)
        it(`${c.name} (${c.reason})`, () => {
          const r = evaluate(inputFromConditionCase(c), { explain: true });
          expect(r.decision, JSON.stringify(r.explain?.[0]?.statements[0]?.conditions)).toBe(c.matches ? "Allowed" : "ImplicitlyDenied");
        });
    if (fx.kind === "validate")
      for (const c of fx.cases)
        it(`${c.name} (${c.reason})`, () => {
          const text = typeof c.policy === "string" ? c.policy : JSON.stringify(c.policy, null, 2);
          const r = validatePolicyDocument(text, c.type, { inline: c.inline });
          if ("ok" in c.expect) expect(r.ok ? true : r.error).toBe(true);
          else {
            expect(r.ok).toBe(false);
            if (!r.ok) expect({ code: r.error.code, message: r.error.message }).toEqual(c.expect);
          }
        });
  });
}

describe("fixture corpus", () => {
  it("has at least 400 cases", () => {
    expect(total).toBeGreaterThanOrEqual(400);
  });
});
