import { describe, expect, it } from "vitest";
import { fill } from "./template";

describe("lab placeholders", () => {
  const names = { sandboxId: "abc12345", accounts: { dev: "123456789012", prod: "210987654321" } };

  it("fills account IDs and the sandbox ID in every string, keys included", () => {
    const doc = { Resource: ["arn:aws:s3:::logs-{{sandbox}}/*", "arn:aws:iam::{{account:prod}}:role/R"], "{{sandbox}}": 1, n: 3, ok: true };
    expect(fill(doc, names)).toEqual({ Resource: ["arn:aws:s3:::logs-abc12345/*", "arn:aws:iam::210987654321:role/R"], abc12345: 1, n: 3, ok: true });
  });

  it("leaves policy variables alone", () => {
    expect(fill("arn:aws:iam::*:user/${aws:username}", names)).toBe("arn:aws:iam::*:user/${aws:username}");
  });

  it("refuses an account the lab does not have", () => {
    expect(() => fill("{{account:staging}}", names)).toThrow('{{account:staging}}: the lab has no account "staging"');
  });
});
