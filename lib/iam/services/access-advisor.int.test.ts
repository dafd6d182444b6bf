// Access advisor on the seeded account: a user's, a group's and a policy's
// allowed services with their last access from the audit events.
import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { recordAudit } from "@/lib/audit/record";
import { db, transaction } from "@/lib/db/client";
import { IAM } from "@/lib/iam/catalogue";
import type { CatalogueOperation } from "@/lib/iam/catalogue/operation";
import type { Principal } from "@/lib/iam/principal";
import { asUser, DEV, testRequest } from "@/lib/testing/principals";
import { allowedNamespaces, getAccessAdvice, unusedServices } from "./access-advisor";
import { failure, run } from "./test-helpers";

let admin: Principal;
beforeAll(async () => {
  admin = await asUser("admin");
});
const call = <S extends z.ZodType, T>(op: CatalogueOperation<S, T>, input: unknown) => run(admin, op.operation(op.input.parse(input), admin));
const DAY = 86_400_000;

describe("access advisor", () => {
  it("reads the services of Allow statements", () => {
    const doc = (s: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: s });
    expect([...allowedNamespaces([doc([{ Effect: "Allow", Action: ["s3:GetObject", "IAM:List*"], Resource: "*" }, { Effect: "Deny", Action: "ec2:*", Resource: "*" }])])].sort()).toEqual(["iam", "s3"]);
    expect(allowedNamespaces([doc([{ Effect: "Allow", Action: "*", Resource: "*" }])]).has("*")).toBe(true);
    expect(allowedNamespaces([doc([{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }])]).has("*")).toBe(true);
  });

  it("shows each allowed service's last access, and by whom for a group and a policy", async () => {
    const policyDocument = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:GetObject", "iam:ListUsers"], Resource: "*" }] });
    const policy = (await call(IAM.CreatePolicy, { policyName: "AdvisorPolicy", policyDocument })) as { arn: string };
    await call(IAM.CreateUser, { userName: "advisor-user" });
    await call(IAM.CreateGroup, { groupName: "AdvisorGroup" });
    await call(IAM.AttachGroupPolicy, { groupName: "AdvisorGroup", policyArn: policy.arn });
    await call(IAM.AddUserToGroup, { groupName: "AdvisorGroup", userName: "advisor-user" });
    const user = await asUser("advisor-user");
    // Nothing recorded yet for the user's services.
    const empty = await run(admin, getAccessAdvice(admin, { kind: "user", name: "advisor-user" }));
    expect(empty.services.map((s) => [s.namespace, s.lastAccessed])).toEqual([
      ["iam", null],
      ["s3", null],
    ]);

    await transaction((tx) => recordAudit(tx, { principal: user, request: testRequest(), eventSource: "s3.amazonaws.com", eventName: "GetObject", readOnly: true }));
    const when = new Date(Date.now() - 10 * DAY);
    await db().auditEvent.updateMany({ where: { identityArn: user.arn, eventSource: "s3.amazonaws.com" }, data: { eventTime: when } });

    const forUser = await run(admin, getAccessAdvice(admin, { kind: "user", name: "advisor-user" }));
    expect(forUser.entityArn).toBe(`arn:aws:iam::${DEV}:user/advisor-user`);
    expect(forUser.services.map((s) => [s.namespace, s.lastAccessed?.getTime() ?? null])).toEqual([
      ["s3", when.getTime()],
      ["iam", null],
    ]);
    expect(unusedServices(forUser.services, 5, new Date()).map((s) => s.namespace)).toEqual(["s3", "iam"]);
    expect(unusedServices(forUser.services, 30, new Date()).map((s) => s.namespace)).toEqual(["iam"]);

    for (const entity of [{ kind: "group", name: "AdvisorGroup" } as const, { kind: "policy", arn: policy.arn } as const]) {
      const advice = await run(admin, getAccessAdvice(admin, entity));
      expect(advice.services.find((s) => s.namespace === "s3")).toMatchObject({ lastAccessed: when, lastAuthenticatedEntity: user.arn });
    }
  });

  it("answers NoSuchEntity for an unknown user and AccessDenied without the permission", async () => {
    expect((await failure(admin, getAccessAdvice(admin, { kind: "user", name: "nobody-here" }))).code).toBe("NoSuchEntity");
    const newhire = await asUser("newhire");
    expect((await failure(newhire, getAccessAdvice(newhire, { kind: "user", name: "newhire" }))).code).toBe("AccessDenied");
  });
});
