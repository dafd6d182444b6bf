/**
 * CLI contract of the policy engine (documented in lib/iam/policy/README.md):
 * reads a JSON array of cases on stdin, writes one JSON result per case per line.
 *
 *   echo '[{"request": {...}, "identityPolicies": [...]}]' | npx tsx scripts/iam-evaluate.ts [--explain]
 */
import { evaluate } from "../lib/iam/policy/evaluate";
import type { EvaluationInput, PolicyInput } from "../lib/iam/policy/types";

function policyError(p: unknown, where: string): string | undefined {
  if (!p || typeof p !== "object") return `${where} must be an object with a "policy"`;
  const policy = (p as PolicyInput).policy;
  if (typeof policy !== "string" && (typeof policy !== "object" || policy === null)) return `${where}.policy must be a JSON object or string`;
  return undefined;
}

/** Why a case is malformed, or undefined. */
export function caseError(c: unknown): string | undefined {
  if (!c || typeof c !== "object" || Array.isArray(c)) return "a case must be a JSON object";
  const k = c as Record<string, unknown>;
  const r = k.request as Record<string, unknown> | undefined;
  if (!r || typeof r !== "object") return "request is required";
  if (typeof r.principal !== "string") return "request.principal must be a string";
  if (typeof r.action !== "string" || !/^[^:\s]+:[^:\s]+$/.test(r.action)) return "request.action must look like service:Action";
  const res = r.resource as Record<string, unknown> | undefined;
  if (!res || typeof res !== "object" || typeof res.resource !== "string") return "request.resource.resource must be a string";
  if (res.accountId !== undefined && typeof res.accountId !== "string") return "request.resource.accountId must be a string";
  if (r.context !== undefined && (typeof r.context !== "object" || r.context === null || Array.isArray(r.context)))
    return "request.context must be an object";
  for (const f of ["identityPolicies", "permissionBoundaries"]) {
    if (k[f] === undefined) continue;
    if (!Array.isArray(k[f])) return `${f} must be an array`;
    for (const [i, p] of (k[f] as unknown[]).entries()) {
      const e = policyError(p, `${f}[${i}]`);
      if (e) return e;
    }
  }
  for (const f of ["sessionPolicy", "resourcePolicy"]) {
    if (k[f] === undefined) continue;
    const e = policyError(k[f], f);
    if (e) return e;
  }
  if (k.serviceControlPolicies !== undefined) {
    if (!Array.isArray(k.serviceControlPolicies)) return "serviceControlPolicies must be an array";
    for (const [i, lvl] of (k.serviceControlPolicies as unknown[]).entries()) {
      const l = lvl as Record<string, unknown>;
      if (!l || typeof l !== "object" || !Array.isArray(l.policies)) return `serviceControlPolicies[${i}].policies must be an array`;
      for (const [j, p] of (l.policies as unknown[]).entries()) {
        const e = policyError(p, `serviceControlPolicies[${i}].policies[${j}]`);
        if (e) return e;
      }
    }
  }
  return undefined;
}

/** Evaluate every case of a JSON array; one output line per case. Never throws. */
export function runCases(stdin: string, options: { explain?: boolean } = { explain: true }): string[] {
  let cases: unknown;
  try {
    cases = JSON.parse(stdin);
  } catch (e) {
    return [JSON.stringify({ error: `stdin is not JSON: ${(e as Error).message}` })];
  }
  if (!Array.isArray(cases)) return [JSON.stringify({ error: "stdin must be a JSON array of cases" })];
  return cases.map((c) => {
    try {
      const err = caseError(c);
      if (err) return JSON.stringify({ error: err });
      const r = evaluate(c as EvaluationInput, { explain: options.explain ?? true });
      return JSON.stringify({ decision: r.decision, decisive: r.decisive, reason: r.reason, explain: r.explain });
    } catch (e) {
      return JSON.stringify({ error: String((e as Error)?.message ?? e) });
    }
  });
}

function main(): void {
  const chunks: Buffer[] = [];
  process.stdin.on("data", (d: Buffer) => chunks.push(d));
  process.stdin.on("end", () => {
    const lines = runCases(Buffer.concat(chunks).toString("utf8"), { explain: !process.argv.includes("--no-explain") });
    process.stdout.write(lines.join("\n") + "\n");
  });
}

const invokedDirectly = typeof process.argv[1] === "string" && /iam-evaluate\.ts$/.test(process.argv[1]);
if (invokedDirectly) main();
