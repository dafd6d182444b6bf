// The IAM pages' own logic: table paging and sorting, policy URLs, tag rows
// from a form, and the side-by-side alignment of a version diff.
import { describe, expect, it } from "vitest";
import { sideBySide } from "@/components/iam/version-diff";
import { TagPolicyInput } from "@/lib/iam/validation";
import { withTagKeys, withTags } from "@/components/iam/form-input";
import { policyArnFromRoute, policyHref } from "@/components/ui/format";
import { sortRows, tablePage } from "./table-rows";

describe("tablePage", () => {
  const rows = Array.from({ length: 120 }, (_, i) => i);
  it("pages by 50 with the offset as the cursor", () => {
    expect(tablePage(rows, undefined)).toMatchObject({ offset: 0, total: 120, nextCursor: "50" });
    expect(tablePage(rows, "50").rows[0]).toBe(50);
    expect(tablePage(rows, "100")).toMatchObject({ offset: 100, nextCursor: null });
    expect(tablePage(rows, "100").rows).toHaveLength(20);
  });
  it("falls back to the first page for a cursor that is not an offset or lies past the end", () => {
    for (const bad of ["abc", "-5", "500", "1e3"]) expect(tablePage(rows, bad).offset).toBe(0);
    expect(tablePage(rows, "73").offset).toBe(50);
  });
});

describe("sortRows", () => {
  const rows = [
    { name: "beta", n: 2 },
    { name: "Alpha", n: 10 },
    { name: "gamma", n: 1 },
  ];
  const keys = { name: (r: (typeof rows)[number]) => r.name, n: (r: (typeof rows)[number]) => r.n };
  it("sorts text ignoring case and numbers as numbers, in either direction", () => {
    expect(sortRows(rows, keys, "name", "asc").map((r) => r.name)).toEqual(["Alpha", "beta", "gamma"]);
    expect(sortRows(rows, keys, "n", "desc").map((r) => r.n)).toEqual([10, 2, 1]);
  });
  it("keeps the given order for an unknown column", () => {
    expect(sortRows(rows, keys, "nope", "asc")).toEqual(rows);
  });
});

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
