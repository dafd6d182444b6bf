// The simulator reads what the gate reads: a resource's stored tags decide its
// answer as they decide the gate's, so the two never disagree on a real principal.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { DEMO_ACCOUNTS } from "@/lib/db/seed/demo-identities";
import type { Principal } from "@/lib/iam/principal";
import { asUser } from "@/lib/testing/principals";
import { putUserPolicy } from "./attachments";
import { createUser } from "./users";
import { simulatePolicy, type SimulationInput } from "./simulator";
import { run } from "./test-helpers";

let admin: Principal;
let helpdeskArn: string;

const simulation = (over: Partial<SimulationInput>): SimulationInput => ({
  identityPolicies: [],
  useResourcePolicy: false,
  actions: ["iam:UpdateLoginProfile"],
  resources: [],
  principalTags: [],
  resourceTags: [],
  context: [],
  ...over,
});

beforeAll(async () => {
  admin = await asUser("admin");
  await run(admin, createUser(admin, { userName: "sim-helpdesk", path: "/", tags: [] }));
  const policyDocument = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Action: "iam:UpdateLoginProfile", Resource: "*" },
      { Effect: "Deny", Action: "iam:UpdateLoginProfile", Resource: "*", Condition: { StringEquals: { "aws:ResourceTag/protected": "true" } } },
    ],
  });
  await run(admin, putUserPolicy(admin, { userName: "sim-helpdesk", policyName: "helpdesk", policyDocument }));
  await run(admin, createUser(admin, { userName: "sim-protected", path: "/", tags: [{ key: "protected", value: "true" }] }));
  await run(admin, createUser(admin, { userName: "sim-plain", path: "/", tags: [] }));
  helpdeskArn = (await db().iamUser.findFirstOrThrow({ where: { nameLower: "sim-helpdesk" } })).arn;
});

describe("policy simulator", () => {
  it("denies a protected user's resource by its stored tag, as the gate does, and allows an untagged one", async () => {
    const [protectedArn, plainArn] = await Promise.all(
      ["sim-protected", "sim-plain"].map(async (n) => (await db().iamUser.findFirstOrThrow({ where: { nameLower: n } })).arn),
    );
    const result = await run(admin, simulatePolicy(admin, simulation({ principalArn: helpdeskArn, resources: [protectedArn, plainArn] })));
    const byResource = Object.fromEntries(result.results.map((r) => [r.resource, r]));
    expect(byResource[protectedArn]?.decision).toBe("ExplicitlyDenied");
    expect(byResource[plainArn]?.decision).toBe("Allowed");
    expect(result.results.every((r) => r.gateDisagrees === undefined)).toBe(true);
  });

  it("answers sts:AssumeRole from the identity policies when it simulates no trust policy, as AWS's simulator; with the role's trust policy, that decides too", async () => {
    const role = `arn:aws:iam::${DEMO_ACCOUNTS.dev.id}:role/S3ElevatedAccess`;
    const assume = { actions: ["sts:AssumeRole"], resources: [role], mfaPresent: false };
    const allowAssume = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] });
    const pasted = await run(admin, simulatePolicy(admin, simulation({ ...assume, identityPolicies: [allowAssume] })));
    expect(pasted.results[0]).toMatchObject({ decision: "Allowed", alsoNeeds: "The role's trust policy, left out of this simulation, must allow it too." });
    const denyAssume = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "sts:AssumeRole", Resource: "*" }] });
    expect((await run(admin, simulatePolicy(admin, simulation({ ...assume, identityPolicies: [allowAssume, denyAssume] })))).results[0]?.decision).toBe("ExplicitlyDenied");
    // The role's own trust policy wants MFA: simulated with it, the request without MFA is refused.
    const withTrust = await run(admin, simulatePolicy(admin, simulation({ ...assume, identityPolicies: [allowAssume], useResourcePolicy: true })));
    expect(withTrust.results[0]?.decision).toBe("ImplicitlyDenied");
    expect(withTrust.results[0]?.alsoNeeds).toBeUndefined();
  });
});
