/**
 * `npm run iam:evaluate`: the policy engine's JSON contract on stdin/stdout. The contract itself
 * (case shape, results, errors) lives in the engine: lib/iam/policy/contract.ts, documented in
 * lib/iam/policy/README.md. This file only reads stdin and prints one line per case.
 *
 *   echo '[{"request": {...}, "identityPolicies": [...]}]' | npx tsx scripts/iam-evaluate.ts [--no-explain]
 */
import { runContractCases } from "../lib/iam/policy/contract";

const chunks: Buffer[] = [];
process.stdin.on("data", (d: Buffer) => chunks.push(d));
process.stdin.on("end", () => {
  const lines = runContractCases(Buffer.concat(chunks).toString("utf8"), { explain: !process.argv.includes("--no-explain") });
  process.stdout.write(lines.join("\n") + "\n");
});
