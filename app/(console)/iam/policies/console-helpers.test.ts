// The IAM pages' own logic: policy URLs, tag rows
// from a form, and the side-by-side alignment of a version diff.
import { describe, expect, it } from "vitest";
import { sideBySide } from "./[account]/[...path]/version-diff";
import { TagPolicyInput } from "@/lib/iam/validation";
import { withTagKeys, withTags } from "@/lib/actions/form-input";
import { policyArnFromRoute, policyHref } from "@/components/ui/format";

describe("policy URLs", () => {
  it("round-trips AWS-managed ARNs with paths and customer-managed ARNs", () => {
    for (const arn of ["arn:aws:iam::aws:policy/service-role/AWSLambdaRole", "arn:aws:iam::111122223333:policy/team/a+b=c,d.e@f-g"]) {
      const [, , , account, ...path] = policyHref(arn).split("/");
      expect(policyArnFromRoute(account!, path)).toBe(arn);
    }
    expect(policyHref("arn:aws:iam::aws:policy/ReadOnlyAccess")).toBe("/iam/policies/aws/ReadOnlyAccess");
  });
  it("sends anything that is not a policy ARN to the list", () => {
    expect(policyHref("arn:aws:iam::111122223333:user/alice")).toBe("/iam/policies");
  });
});

describe("tags from a form", () => {
  it("pairs repeated key/value fields, drops blank rows, and validates with AWS's rules", () => {
    const parsed = TagPolicyInput.safeParse(withTags({ policyArn: "arn:aws:iam::111122223333:policy/P", tagKey: ["team", "", "env"], tagValue: ["a", "", ""] }));
    expect(parsed.success && parsed.data.tags).toEqual([
      { key: "team", value: "a" },
      { key: "env", value: "" },
    ]);
    const reserved = TagPolicyInput.safeParse(withTags({ policyArn: "arn:aws:iam::111122223333:policy/P", tagKey: "aws:x", tagValue: "1" }));
    expect(reserved.success).toBe(false);
  });
  it("takes one or several tag keys to remove", () => {
    expect(withTagKeys({ tagKeys: "team" })).toEqual({ tagKeys: ["team"] });
    expect(withTagKeys({})).toEqual({ tagKeys: [] });
  });
});

describe("sideBySide", () => {
  it("pairs a changed line with its replacement and aligns unchanged lines", () => {
    const before = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["iam:GetUser"], Resource: "*" }] });
    const after = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["iam:GetUser", "iam:ListUsers"], Resource: "*" }] });
    const rows = sideBySide(before, after);
    const changed = rows.filter((r) => r.left?.changed || r.right?.changed);
    expect(changed.map((r) => [r.left?.text.trim(), r.right?.text.trim()])).toEqual([
      ['"iam:GetUser"', '"iam:GetUser",'],
      [undefined, '"iam:ListUsers"'],
    ]);
    expect(rows.find((r) => r.left?.text.includes("Version"))?.right?.text).toContain("Version");
  });
  it("reports identical documents as unchanged even when whitespace differs", () => {
    const rows = sideBySide('{"A": 1}', '{\n  "A":   1\n}');
    expect(rows.every((r) => !r.left?.changed && !r.right?.changed)).toBe(true);
  });
});
