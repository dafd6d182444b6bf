import { describe, expect, it } from "vitest";
import { evaluate, sizeWithoutWhitespace, validatePolicyDocument } from "@/lib/iam/policy";
import type { DraftStatement } from "./policy-draft";
import { MANAGED_POLICY_LIMIT, splitPolicy, type PolicyDocument } from "./policy-split";

const doc = (Statement: DraftStatement[]): PolicyDocument => ({ Version: "2012-10-17", Statement });
const size = (d: unknown) => sizeWithoutWhitespace(JSON.stringify(d, null, 2));
const objects = (bucket: string, n: number) => Array.from({ length: n }, (_, i) => `arn:aws:s3:::${bucket}/data/part-${String(i).padStart(5, "0")}.bin`);
const allows = (docs: PolicyDocument[], action: string, resource: string) =>
  evaluate({
    request: { principal: "arn:aws:iam::111122223333:user/alice", action, resource: { resource, accountId: "111122223333" }, context: {} },
    identityPolicies: docs.map((d, i) => ({ id: `p${i}`, name: `p${i}`, policy: JSON.stringify(d) })),
    permissionBoundaries: [],
    serviceControlPolicies: [],
  }).decision;

describe("splitting a generated policy into managed policies", () => {
  it("keeps a policy that fits as the one policy it is, and an empty one as none", () => {
    const small = doc([{ Sid: "S3Object", Effect: "Allow", Action: ["s3:GetObject"], Resource: objects("b", 3) }]);
    expect(splitPolicy(small)).toEqual([small]);
    expect(splitPolicy(doc([]))).toEqual([]);
  });

  it("fills each policy up to 6,144 characters without whitespace, statements whole and in order", () => {
    const statements: DraftStatement[] = Array.from({ length: 12 }, (_, i) => ({ Sid: `S3Object${i + 1}`, Effect: "Allow", Action: ["s3:GetObject"], Resource: objects(`bucket-${i}`, 20) }));
    const whole = doc(statements);
    expect(size(whole)).toBeGreaterThan(MANAGED_POLICY_LIMIT);
    const parts = splitPolicy(whole);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      expect(size(p)).toBeLessThanOrEqual(MANAGED_POLICY_LIMIT);
      // Each part is a policy CreatePolicy takes as it is.
      expect(validatePolicyDocument(JSON.stringify(p, null, 2), "identity").ok).toBe(true);
    }
    expect(parts.flatMap((p) => p.Statement)).toEqual(statements);
    // Greedy: no part could have taken the next part's first statement.
    for (let i = 0; i + 1 < parts.length; i++) expect(size(doc([...parts[i]!.Statement, parts[i + 1]!.Statement[0]!]))).toBeGreaterThan(MANAGED_POLICY_LIMIT);
  });

  it("divides a statement too large alone by its resources, then by its actions, granting exactly the same", () => {
    const resources = objects("one-big-bucket", 400);
    const actions = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"];
    const whole = doc([
      { Sid: "IamAnyResource", Effect: "Allow", Action: ["iam:ListRoles"], Resource: ["*"] },
      { Sid: "S3Object", Effect: "Allow", Action: actions, Resource: resources },
    ]);
    const parts = splitPolicy(whole);
    expect(parts.length).toBeGreaterThan(2);
    for (const p of parts) expect(size(p)).toBeLessThanOrEqual(MANAGED_POLICY_LIMIT);
    const pieces = parts.flatMap((p) => p.Statement).filter((s) => s.Action.includes("s3:GetObject"));
    // Every piece keeps every action; together they hold each resource once.
    for (const s of pieces) expect(s.Action).toEqual(actions);
    expect(pieces.flatMap((s) => s.Resource)).toEqual(resources);
    // Sids stay unique across the policies.
    const sids = parts.flatMap((p) => p.Statement.map((s) => s.Sid));
    expect(new Set(sids).size).toBe(sids.length);
    expect(sids).toContain("S3Object");
    expect(sids).toContain("S3ObjectPart2");
    // Attached together, the parts allow what the one policy did, and nothing else.
    for (const r of [resources[0]!, resources[199]!, resources[399]!]) expect(allows(parts, "s3:DeleteObject", r)).toBe("Allowed");
    expect(allows(parts, "s3:GetObject", "arn:aws:s3:::one-big-bucket/other.bin")).toBe("ImplicitlyDenied");

    // One resource with more actions than fit: divided by its actions.
    const many = Array.from({ length: 400 }, (_, i) => `iam:ActionNumber${String(i).padStart(4, "0")}`);
    const byActions = splitPolicy(doc([{ Sid: "IamUser", Effect: "Allow", Action: many, Resource: ["arn:aws:iam::111122223333:user/alice"] }]));
    expect(byActions.length).toBeGreaterThan(1);
    for (const p of byActions) expect(size(p)).toBeLessThanOrEqual(MANAGED_POLICY_LIMIT);
    expect(byActions.flatMap((p) => p.Statement.flatMap((s) => s.Action))).toEqual(many);
  });
});
