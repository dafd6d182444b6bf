import { describe, expect, it } from "vitest";
import type { EvaluationResult } from "./policy";
import type { Principal } from "./principal";
import { neverRelaxed } from "./report-only";

const ACCOUNT = "111122223333";
const user: Principal = { type: "IAMUser", organizationId: "o-1", accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/app`, principalId: "AIDA1", userId: "AIDA1", userName: "app", mfaAuthenticated: false };
const implicit = (deniedBy: EvaluationResult["deniedBy"]): { result: EvaluationResult } => ({ result: { decision: "ImplicitlyDenied", decisive: [], reason: "no", deniedBy } });
const explicit = (policyType: "identity" | "resource" | "boundary" | "session" | "scp"): { result: EvaluationResult } => ({
  result: { decision: "ExplicitlyDenied", decisive: [{ policyType, policyId: "p", statementIndex: 0, effect: "Deny" }], reason: "denied" },
});

describe("what report-only may let through", () => {
  it("relaxes denials of the account's own identity, resource, boundary and session policies, implicit or explicit", () => {
    for (const kind of ["identity", "resource", "boundary", "session"] as const) {
      expect(neverRelaxed({ principal: user, action: "iam:CreateUser" }, implicit(kind), ACCOUNT)).toBeNull();
      expect(neverRelaxed({ principal: user, action: "s3:PutObject" }, explicit(kind), ACCOUNT)).toBeNull();
    }
  });

  it("never relaxes SCPs, other accounts, IAM Lab's own permissions, trust policies, built-in refusals or a password to change", () => {
    expect(neverRelaxed({ principal: user, action: "s3:DeleteObject" }, explicit("scp"), ACCOUNT)).toMatch(/Service control/);
    expect(neverRelaxed({ principal: user, action: "iam:CreateUser" }, implicit("scp"), ACCOUNT)).toMatch(/Service control/);
    expect(neverRelaxed({ principal: user, action: "s3:GetObject" }, implicit("resource"), "333344445555")).toMatch(/other accounts/);
    expect(neverRelaxed({ principal: user, action: "iamlab:SetReportOnlyMode" }, implicit("identity"), ACCOUNT)).toMatch(/IAM Lab/);
    expect(neverRelaxed({ principal: user, action: "sts:AssumeRole" }, implicit("resource"), ACCOUNT)).toMatch(/trust policy/);
    const managed = { result: { decision: "ImplicitlyDenied", decisive: [], reason: "read-only", builtInRule: "aws-managed-policy" } as EvaluationResult };
    expect(neverRelaxed({ principal: user, action: "iam:DeletePolicy" }, managed, ACCOUNT)).toMatch(/built-in/);
    expect(neverRelaxed({ principal: { ...user, passwordResetRequired: true }, action: "iam:CreateUser" }, implicit("identity"), ACCOUNT)).toMatch(/password/);
    expect(neverRelaxed({ principal: { ...user, accountId: "anonymous" }, action: "s3:GetObject" }, implicit("resource"), ACCOUNT)).not.toBeNull();
    expect(neverRelaxed({ principal: user, action: "iam:CreateUser" }, implicit(undefined), ACCOUNT)).not.toBeNull();
  });
});
