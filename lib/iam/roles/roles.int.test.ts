// Role administration against the seeded dev account, as admin (AdministratorAccess).
import { describe, expect, it } from "vitest";
import type { OperationSpec } from "@/lib/iam/operation";
import { db } from "@/lib/db/client";
import type { IamError } from "@/lib/iam/errors";
import { runOperation } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";
import { asUser, DEV, testRequest } from "@/lib/testing/principals";
import { addRoleToInstanceProfile, createInstanceProfile, deleteInstanceProfile, listInstanceProfilesForRole, removeRoleFromInstanceProfile } from "./instance-profiles";
import { createRole, deleteRole, getRole, listRoles, revokeRoleSessions, updateAssumeRolePolicy, updateRole } from "./roles";
import { CONSOLE } from "@/lib/iam/catalogue/console";
import { attachRolePolicy } from "@/lib/iam/services/attachments";
import { runSteps } from "@/lib/iam/services/test-helpers";
import { trustPolicyFor } from "./validation";

const run = <T>(p: Principal, spec: OperationSpec<T>) => runOperation<T>({ ...spec, principal: p, request: testRequest() });
const fail = (p: Promise<unknown>) => p.then(() => { throw new Error("expected a refusal"); }, (e: unknown) => e as IamError);
const admin = () => asUser("admin");

describe("CreateRole", () => {
  it("creates a role trusting another account with external ID and MFA, policies, boundary and tags", async () => {
    const a = await admin();
    const r = await runSteps(
      a,
      CONSOLE.CreateRole({
        roleName: "Auditor",
        path: "/partners/",
        description: "Read-only for the auditors",
        maxSessionDuration: 7200,
        trustedEntity: { kind: "other-account", accountId: "444455556666", externalId: "Audit-2026", requireMfa: true },
        policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
        permissionsBoundary: "arn:aws:iam::aws:policy/ReadOnlyAccess",
        tags: [{ key: "team", value: "audit" }],
      }, a),
    );
    expect(r.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    expect(r.Arn).toBe(`arn:aws:iam::${DEV}:role/partners/Auditor`);
    expect(r.MaxSessionDuration).toBe(7200);
    expect(r.PermissionsBoundary).toEqual({ PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" });
    expect(r.Tags).toEqual([{ key: "team", value: "audit" }]);
    const trust = JSON.parse(r.AssumeRolePolicyDocument);
    expect(trust.Statement[0]).toEqual({
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::444455556666:root" },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "sts:ExternalId": "Audit-2026" }, Bool: { "aws:MultiFactorAuthPresent": "true" } },
    });
    expect(await db().policyAttachment.count({ where: { roleId: r.RoleId } })).toBe(1);
  });

  it("creates a service role with the console's trust policy layout", async () => {
    const a = await admin();
    const r = await run(a, createRole(a, { roleName: "Ec2App", trustedEntity: { kind: "service", services: ["ec2.amazonaws.com"] } }));
    expect(JSON.parse(r.AssumeRolePolicyDocument)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: ["sts:AssumeRole"], Principal: { Service: ["ec2.amazonaws.com"] } }],
    });
    expect(r.MaxSessionDuration).toBe(3600);
  });

  it("refuses a duplicate name ignoring case", async () => {
    const a = await admin();
    const e = await fail(run(a, createRole(a, { roleName: "ec2app", trustedEntity: { kind: "this-account" } })));
    expect(e.code).toBe("EntityAlreadyExists");
    expect(e.message).toBe("Role with name ec2app already exists.");
  });

  it.each([
    [3599, "1 validation error detected: Value '3599' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600"],
    [43201, "1 validation error detected: Value '43201' at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200"],
  ])("refuses MaxSessionDuration %s", async (value, message) => {
    const a = await admin();
    const e = await fail(run(a, createRole(a, { roleName: "BadDuration", maxSessionDuration: value, trustedEntity: { kind: "this-account" } })));
    expect(e.code).toBe("ValidationError");
    expect(e.message).toBe(message);
  });

  it("refuses a description over 1000 characters and a bad name", async () => {
    const a = await admin();
    expect((await fail(run(a, createRole(a, { roleName: "LongDesc", description: "x".repeat(1001), trustedEntity: { kind: "this-account" } })))).message).toContain(
      "Member must have length less than or equal to 1000",
    );
    expect((await fail(run(a, createRole(a, { roleName: "bad name", trustedEntity: { kind: "this-account" } })))).message).toBe(
      "1 validation error detected: Value 'bad name' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
    );
  });

  it("refuses a malformed trust policy with the recorded message", async () => {
    const a = await admin();
    const e = await fail(run(a, createRole(a, { roleName: "BadTrust", assumeRolePolicyDocument: "{not json" })));
    expect(e.code).toBe("MalformedPolicyDocument");
    expect(e.message).toBe("This policy contains invalid Json");
  });

  it("refuses a trust policy with a Resource element", async () => {
    const a = await admin();
    const doc = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${DEV}:root` }, Action: "sts:AssumeRole", Resource: "*" }] });
    const e = await fail(run(a, createRole(a, { roleName: "TrustWithResource", assumeRolePolicyDocument: doc })));
    expect(e.code).toBe("MalformedPolicyDocument");
    expect(e.message).toBe("Has prohibited field Resource");
  });

  it("rolls everything back when an attached policy does not exist", async () => {
    const a = await admin();
    const e = await fail(runSteps(a, CONSOLE.CreateRole({ roleName: "HalfMade", trustedEntity: { kind: "this-account" }, policyArns: [`arn:aws:iam::${DEV}:policy/Nope`] }, a)));
    expect(e.code).toBe("NoSuchEntity");
    expect(e.message).toBe(`Policy arn:aws:iam::${DEV}:policy/Nope does not exist or is not attachable.`);
    expect(await db().role.count({ where: { name: "HalfMade" } })).toBe(0);
  });
});

describe("GetRole, ListRoles, UpdateRole, UpdateAssumeRolePolicy", () => {
  it("gets a role, or NoSuchEntity with AWS's message", async () => {
    const a = await admin();
    const r = await run(a, getRole(a, { roleName: "S3ElevatedAccess" }));
    expect(r.Arn).toBe(`arn:aws:iam::${DEV}:role/S3ElevatedAccess`);
    expect(r.RoleLastUsed).toEqual({});
    const e = await fail(run(a, getRole(a, { roleName: "Ghost" })));
    expect(e.code).toBe("NoSuchEntity");
    expect(e.message).toBe("The role with name Ghost cannot be found.");
  });

  it("lists roles in name order with markers, path prefix and a name filter", async () => {
    const a = await admin();
    for (const n of ["ListA", "ListB", "ListC"]) await run(a, createRole(a, { roleName: n, path: "/listing/", trustedEntity: { kind: "this-account" } }));
    const first = await run(a, listRoles(a, { pathPrefix: "/listing/", maxItems: 2 }));
    expect(first.Roles.map((r) => r.RoleName)).toEqual(["ListA", "ListB"]);
    expect(first.IsTruncated).toBe(true);
    const second = await run(a, listRoles(a, { pathPrefix: "/listing/", maxItems: 2, marker: first.Marker }));
    expect(second.Roles.map((r) => r.RoleName)).toEqual(["ListC"]);
    expect(second.IsTruncated).toBe(false);
    const filtered = await run(a, listRoles(a, { nameContains: "listb" }));
    expect(filtered.Roles.map((r) => r.RoleName)).toEqual(["ListB"]);
  });

  it("updates description and MaxSessionDuration, and the trust policy", async () => {
    const a = await admin();
    await run(a, updateRole(a, { roleName: "ListA", description: "changed", maxSessionDuration: 43200 }));
    const r = await run(a, getRole(a, { roleName: "ListA" }));
    expect(r.Description).toBe("changed");
    expect(r.MaxSessionDuration).toBe(43200);
    expect((await fail(run(a, updateRole(a, { roleName: "ListA", maxSessionDuration: 100 })))).code).toBe("ValidationError");
    const trust = trustPolicyFor({ kind: "service", services: ["lambda.amazonaws.com"] }, DEV);
    await run(a, updateAssumeRolePolicy(a, { roleName: "ListA", policyDocument: trust }));
    expect((await run(a, getRole(a, { roleName: "ListA" }))).AssumeRolePolicyDocument).toBe(trust);
  });
});

describe("DeleteRole and instance profiles", () => {
  it("refuses while policies are attached or inline, or a profile holds the role; the compound delete removes all", async () => {
    const a = await admin();
    await run(a, createRole(a, { roleName: "Busy", trustedEntity: { kind: "service", services: ["ec2.amazonaws.com"] } }));
    await run(a, attachRolePolicy(a, { roleName: "Busy", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }));
    const attached = await fail(run(a, deleteRole(a, { roleName: "Busy" })));
    expect(attached.code).toBe("DeleteConflict");
    expect(attached.message).toBe("Cannot delete entity, must detach all policies first.");

    await db().policyAttachment.deleteMany({ where: { role: { name: "Busy" } } });
    await run(a, revokeRoleSessions(a, { roleName: "Busy" }));
    const inline = await fail(run(a, deleteRole(a, { roleName: "Busy" })));
    expect(inline.message).toBe("Cannot delete entity, must delete policies first.");

    await db().inlinePolicy.deleteMany({ where: { role: { name: "Busy" } } });
    await run(a, createInstanceProfile(a, { instanceProfileName: "BusyProfile" }));
    await run(a, addRoleToInstanceProfile(a, { instanceProfileName: "BusyProfile", roleName: "Busy" }));
    const inProfile = await fail(run(a, deleteRole(a, { roleName: "Busy" })));
    expect(inProfile.message).toBe("Cannot delete entity, must remove roles from instance profile first.");

    await run(a, revokeRoleSessions(a, { roleName: "Busy" }));
    const result = await runSteps(a, CONSOLE.DeleteRole({ roleName: "Busy" }, a));
    expect(result).toEqual({ detachedPolicies: [], deletedInlinePolicies: ["AWSRevokeOlderSessions"], removedFromInstanceProfiles: ["BusyProfile"] });
    expect(await db().role.count({ where: { accountId: DEV, name: "Busy" } })).toBe(0);
    await run(a, deleteInstanceProfile(a, { instanceProfileName: "BusyProfile" }));
  });

  it("keeps one role per instance profile and refuses deleting a profile with a role", async () => {
    const a = await admin();
    await run(a, createRole(a, { roleName: "WebA", trustedEntity: { kind: "service", services: ["ec2.amazonaws.com"] } }));
    await run(a, createRole(a, { roleName: "WebB", trustedEntity: { kind: "service", services: ["ec2.amazonaws.com"] } }));
    const p = await run(a, createInstanceProfile(a, { instanceProfileName: "Web" }));
    expect(p.InstanceProfileId).toMatch(/^AIPA/);
    expect(p.Arn).toBe(`arn:aws:iam::${DEV}:instance-profile/Web`);
    expect((await fail(run(a, createInstanceProfile(a, { instanceProfileName: "web" })))).message).toBe("Instance Profile web already exists.");
    await run(a, addRoleToInstanceProfile(a, { instanceProfileName: "Web", roleName: "WebA" }));
    const second = await fail(run(a, addRoleToInstanceProfile(a, { instanceProfileName: "Web", roleName: "WebB" })));
    expect(second.code).toBe("LimitExceeded");
    expect(second.message).toBe("Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1");
    expect((await run(a, listInstanceProfilesForRole(a, { roleName: "WebA" }))).InstanceProfiles.map((x) => x.InstanceProfileName)).toEqual(["Web"]);
    const conflict = await fail(run(a, deleteInstanceProfile(a, { instanceProfileName: "Web" })));
    expect(conflict.code).toBe("DeleteConflict");
    expect(conflict.message).toBe("Cannot delete entity, must remove roles from instance profile first.");
    await run(a, removeRoleFromInstanceProfile(a, { instanceProfileName: "Web", roleName: "WebA" }));
    await run(a, deleteInstanceProfile(a, { instanceProfileName: "Web" }));
    const gone = await fail(run(a, deleteInstanceProfile(a, { instanceProfileName: "Web" })));
    expect(gone.message).toBe("Instance Profile Web cannot be found.");
  });
});

describe("Revoke active sessions", () => {
  it("writes AWSRevokeOlderSessions denying * on * to tokens issued before now", async () => {
    const a = await admin();
    const now = new Date("2026-11-28T10:00:00.000Z");
    const r = await run(a, revokeRoleSessions(a, { roleName: "S3ElevatedAccess" }, now));
    expect(r.policyName).toBe("AWSRevokeOlderSessions");
    const row = await db().inlinePolicy.findFirstOrThrow({ where: { name: "AWSRevokeOlderSessions", role: { accountId: DEV, name: "S3ElevatedAccess" } } });
    expect(JSON.parse(row.document)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Deny", Action: ["*"], Resource: ["*"], Condition: { DateLessThan: { "aws:TokenIssueTime": "2026-11-28T10:00:00.000Z" } } }],
    });
    const event = await db().auditEvent.findFirstOrThrow({ where: { eventName: "PutRolePolicy", errorCode: null } });
    expect(event.requestParameters).toContain("AWSRevokeOlderSessions");
  });
});
