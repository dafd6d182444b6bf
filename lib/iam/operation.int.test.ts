import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { asRoot, asUser, DEV, PROD, testRequest } from "@/lib/testing/principals";
import { authorize } from "./authorize";
import { IamError } from "./errors";
import { runOperation } from "./operation";
import type { Principal } from "./principal";

function tagUser(principal: Principal, value: string) {
  return runOperation({
    principal,
    request: testRequest(),
    service: "iam",
    name: "TagUser",
    readOnly: false,
    resource: { arn: `arn:aws:iam::${DEV}:user/bob` },
    parameters: { userName: "bob", tags: [{ key: "probe", value }], password: "never-audited" },
    run: ({ tx }) => tx.tag.create({ data: { accountId: DEV, resourceArn: `arn:aws:iam::${DEV}:user/bob`, key: "probe", keyLower: "probe", value } }),
  });
}

describe("runOperation: gate, change and audit in one transaction", () => {
  it("lets an allowed principal change and audits the success without secrets", async () => {
    const admin = await asUser("admin");
    await tagUser(admin, "one");
    expect(await db().tag.count({ where: { resourceArn: `arn:aws:iam::${DEV}:user/bob`, key: "probe" } })).toBe(1);
    const event = await db().auditEvent.findFirstOrThrow({ where: { eventName: "TagUser", identityArn: admin.arn } });
    expect(event.errorCode).toBeNull();
    expect(event.readOnly).toBe(false);
    expect(event.requestParameters).toContain("HIDDEN_DUE_TO_SECURITY_REASONS");
    expect(event.requestParameters).not.toContain("never-audited");
  });

  it("refuses a principal without permission with AWS's message, changes nothing, and audits the denial", async () => {
    const bob = await asUser("bob");
    const error = await tagUser(bob, "two").catch((e) => e);
    expect(error).toBeInstanceOf(IamError);
    expect(error.code).toBe("AccessDenied");
    expect(error.message).toBe(`User: ${bob.arn} is not authorized to perform: iam:TagUser on resource: arn:aws:iam::${DEV}:user/bob because no identity-based policy allows the iam:TagUser action`);
    expect(await db().tag.count({ where: { key: "probe", value: "two" } })).toBe(0);
    const event = await db().auditEvent.findFirstOrThrow({ where: { eventName: "TagUser", identityArn: bob.arn } });
    expect(event.errorCode).toBe("AccessDenied");
  });

  it("rolls the change back when the operation fails after writing", async () => {
    const error = await runOperation({
      principal: asRoot(DEV),
      request: testRequest(),
      service: "iam",
      name: "CreateGroup",
      readOnly: false,
      resource: { arn: `arn:aws:iam::${DEV}:group/Half` },
      run: async ({ tx }) => {
        await tx.iamGroup.create({ data: { id: "AGPAHALFWRITTEN00000", accountId: DEV, name: "Half", nameLower: "half", arn: `arn:aws:iam::${DEV}:group/Half` } });
        throw new IamError("LimitExceeded", "Cannot exceed quota for GroupsPerAccount: 300");
      },
    }).catch((e) => e);
    expect(error.code).toBe("LimitExceeded");
    expect(await db().iamGroup.count({ where: { name: "Half" } })).toBe(0);
    expect(await db().auditEvent.count({ where: { eventName: "CreateGroup", errorCode: "LimitExceeded" } })).toBe(1);
  });

  it("denies the root user of one account in another account", async () => {
    const error = await tagUser(asRoot(PROD), "three").catch((e) => e);
    expect(error.code).toBe("AccessDenied");
  });

  it("loads the principal's policy set once per operation: its later checks reuse it, the next operation loads it again", async () => {
    const admin = await asUser("admin");
    const request = testRequest();
    const listUsers = { action: "iam:ListUsers", resource: { arn: "*" } };
    const seen: { inner?: boolean; fresh?: boolean } = {};
    const error = await runOperation({
      principal: admin,
      request,
      service: "iam",
      name: "TagUser",
      readOnly: false,
      resource: { arn: `arn:aws:iam::${DEV}:user/bob` },
      run: async ({ tx, authorize: check }) => {
        // The caller loses every policy inside the operation's transaction ...
        await tx.policyAttachment.deleteMany({ where: { userId: admin.userId } });
        await tx.inlinePolicy.deleteMany({ where: { userId: admin.userId } });
        await tx.groupMembership.deleteMany({ where: { userId: admin.userId } });
        // ... a check of the same operation still judges the set the gate loaded, a check on its own sees the change.
        seen.inner = await check(listUsers.action, listUsers.resource).then(() => true, () => false);
        seen.fresh = (await authorize(tx, { principal: admin, request, ...listUsers })).allowed;
        throw new IamError("LimitExceeded", "rolled back on purpose");
      },
    }).catch((e) => e);
    expect(error.code).toBe("LimitExceeded");
    expect(seen).toEqual({ inner: true, fresh: false });
    // Rolled back: the next operation loads the set again and is allowed.
    const next = await runOperation({ principal: admin, request: testRequest(), service: "iam", name: "ListUsers", readOnly: true, resource: { arn: "*" }, run: async () => "listed" });
    expect(next).toBe("listed");
  });
});
