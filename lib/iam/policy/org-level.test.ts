import { describe, expect, it } from "vitest";
import { evaluate } from "./index";
import { orgLevelName } from "./org-level";

describe("denials in words", () => {
  it("names an organization level by what it is", () => {
    expect(orgLevelName("r-ex01")).toBe("the organization root");
    expect(orgLevelName("111122223333")).toBe("account 111122223333");
    expect(orgLevelName("ou-ex01-dev00001")).toBe("OU ou-ex01-dev00001");
  });

  const request = { principal: "arn:aws:iam::111122223333:user/bob", action: "s3:DeleteObject", resource: { resource: "arn:aws:s3:::b/k", accountId: "111122223333" } };
  const deny = (sid?: string) => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }, { ...(sid ? { Sid: sid } : {}), Effect: "Deny", Action: "s3:DeleteObject", Resource: "*" }] });

  it("gives an explicit deny's statement by Sid, else its number from 1, and the policy by kind and name, never its ID", () => {
    const bySid = evaluate({ request, identityPolicies: [{ id: "ANPAEXAMPLE", name: "NoDeletes", policy: deny("NeverDelete") }] });
    expect(bySid.reason).toBe("Explicitly denied by statement NeverDelete of the identity-based policy NoDeletes.");
    const byNumber = evaluate({ request, identityPolicies: [{ id: "ANPAEXAMPLE", name: "NoDeletes", policy: deny() }] });
    expect(byNumber.reason).toBe("Explicitly denied by statement 2 of the identity-based policy NoDeletes.");
  });

  it("gives an SCP by name and the level it is attached to in words", () => {
    const r = evaluate({
      request,
      identityPolicies: [{ name: "All", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } }],
      serviceControlPolicies: [{ orgIdentifier: "r-ex01", policies: [{ id: "p-labguard01", name: "Guard", policy: deny("DenyDeletes") }] }],
    });
    expect(r.reason).toBe("Explicitly denied by statement DenyDeletes of the service control policy Guard, attached to the organization root.");
  });
});
