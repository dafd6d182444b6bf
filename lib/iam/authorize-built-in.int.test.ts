// The gate's answer to AWS's built-in refusals (the engine's builtInRule): AWS's own error and
// message, not "no identity-based policy allows". An administrator, whom every policy allows,
// is refused UnmodifiableEntity on a service-linked role (IAM: "Only the service that depends on
// the service-linked role can modify or delete the role") and AccessDenied on an AWS managed
// policy, saying why; a change AWS does allow on the same role (its description) goes through.
import { beforeAll, describe, expect, it } from "vitest";
import { attachRolePolicy } from "@/lib/iam/services/attachments";
import { createServiceLinkedRole } from "@/lib/iam/services/service-linked-roles";
import { tagPolicy } from "@/lib/iam/services/tags";
import { failure, run, snapshot } from "@/lib/iam/services/test-helpers";
import { deleteRole, updateRoleDescription } from "@/lib/iam/roles/roles";
import type { Principal } from "@/lib/iam/principal";
import { asUser } from "@/lib/testing/principals";

let admin: Principal;
const SLR = "AWSServiceRoleForElasticBeanstalk";

beforeAll(async () => {
  admin = await asUser("admin");
  await run(admin, createServiceLinkedRole(admin, { aWSServiceName: "elasticbeanstalk.amazonaws.com" }));
});

describe("the gate's errors for AWS's built-in refusals", () => {
  it("answers UnmodifiableEntity with AWS's message when a service-linked role's policies or existence would change", async () => {
    const before = await snapshot();
    for (const spec of [
      deleteRole(admin, { roleName: SLR }),
      attachRolePolicy(admin, { roleName: SLR, policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }),
    ]) {
      const e = await failure(admin, spec);
      expect(e.code, e.message).toBe("UnmodifiableEntity");
      expect(e.status).toBe(400);
      expect(e.message).toBe(`Cannot perform the operation on the protected role '${SLR}' - this role is only modifiable by AWS`);
    }
    expect(await snapshot(), "a refused change changed the database").toBe(before);
  });

  it("lets the description of a service-linked role be edited (the negative twin)", async () => {
    const role = await run(admin, updateRoleDescription(admin, { roleName: SLR, description: "edited" }));
    expect(role).toMatchObject({ RoleName: SLR, Description: "edited" });
  });

  it("answers AccessDenied for an AWS managed policy saying it is read-only, not that no policy allows", async () => {
    const e = await failure(admin, tagPolicy(admin, { policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess", tags: [{ key: "a", value: "b" }] }));
    expect(e.code).toBe("AccessDenied");
    expect(e.message).toBe(
      `User: ${admin.arn} is not authorized to perform: iam:TagPolicy on resource: arn:aws:iam::aws:policy/ReadOnlyAccess because AWS managed policies are read-only`,
    );
    expect(e.message).not.toContain("no identity-based policy");
  });
});
