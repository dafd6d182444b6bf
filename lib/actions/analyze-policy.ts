"use server";
// The policy editor's live check: AWS's write-time validation plus Access
// Analyzer-style findings, computed on the server where the service catalogue lives.
import { z } from "zod";
import { analyzePolicy, summarizePolicy, validatePolicyDocument, type Finding, type PolicySummary } from "@/lib/iam/policy";
import { defineAction } from "./define-action";

const input = z.object({
  text: z.string().max(200_000, "The policy is too long to check."),
  type: z.enum(["identity", "resource", "trust", "boundary", "session", "scp"]),
  inline: z.boolean().optional(),
});

export interface PolicyCheck {
  error: { code: string; message: string; line?: number; column?: number } | null;
  findings: Finding[];
  summary: PolicySummary | null;
}

export const checkPolicyAction = defineAction({
  input,
  operation: (i) => ({
    // Access Analyzer's ValidatePolicy, recorded under its own event source as
    // AWS's console records it; checking a policy reads nothing of the account.
    service: "access-analyzer",
    name: "ValidatePolicy",
    readOnly: true,
    resource: { arn: "*" },
    noPermissionRequired: true,
    run: async (): Promise<PolicyCheck> => {
      const valid = validatePolicyDocument(i.text, i.type, { inline: i.inline });
      const findings = await analyzePolicy(i.text, i.type, { inline: i.inline });
      const error = valid.ok
        ? null
        : { code: valid.error.code, message: valid.error.message, line: valid.error.position?.line, column: valid.error.position?.column };
      return { error, findings, summary: valid.ok ? await summarizePolicy(i.text) : null };
    },
  }),
});
