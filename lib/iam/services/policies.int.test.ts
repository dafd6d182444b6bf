import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import type { Principal } from "@/lib/iam/principal";
import { asRoot, asUser, DEV, PROD } from "@/lib/testing/principals";
import { CreatePolicyInput, ListPoliciesInput } from "@/lib/iam/validation";
import {
  attachGroupPolicy,
  attachRolePolicy,
  attachUserPolicy,
  deleteRolePermissionsBoundary,
  deleteUserPermissionsBoundary,
  deleteUserPolicy,
  detachGroupPolicy,
  detachRolePolicy,
  detachUserPolicy,
  getRolePolicy,
  getUserPolicy,
  listAttachedUserPolicies,
  listUserPolicies,
  putGroupPolicy,
  putRolePermissionsBoundary,
  putRolePolicy,
  putUserPermissionsBoundary,
  putUserPolicy,
} from "./attachments";
import {
  createPolicy,
  createPolicyVersion,
  deletePolicy,
  deletePolicyVersion,
  getPolicy,
  getPolicyVersion,
  listEntitiesForPolicy,
  consolePolicyView,
  listPolicies,
  listPolicyVersions,
  setDefaultPolicyVersion,
} from "./policies";
import { listPolicyTags, listRoleTags, listUserTags, tagPolicy, tagRole, tagUser, untagPolicy, untagRole, untagUser } from "./tags";
import { expectDenied, failure, nobody, run } from "./test-helpers";
import { createUser } from "./users";

let admin: Principal;
let bob: Principal;
let none: Principal;

const doc = (action = "s3:ListBucket", extra = "") =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: `S${extra}`, Effect: "Allow", Action: action, Resource: "*" }] });
const arnOf = (name: string) => `arn:aws:iam::${DEV}:policy/${name}`;
const newPolicy = (name: string, over: Partial<CreatePolicyInput> = {}) =>
  run(admin, createPolicy(admin, CreatePolicyInput.parse({ policyName: name, policyDocument: doc(), ...over })));

beforeAll(async () => {
  admin = await asUser("admin");
  bob = await asUser("bob");
  none = await nobody(admin);
  await newPolicy("Probe");
  await run(admin, createUser(admin, { userName: "holder", path: "/", tags: [] }));
});

describe("policies: AccessDenied for every operation builder", () => {
  it("denies bob and a user without policies", async () => {
    const probe = arnOf("Probe");
    const aws = "arn:aws:iam::aws:policy/SecurityAudit";
    const writes = [
      (p: Principal) => createPolicy(p, CreatePolicyInput.parse({ policyName: "Denied", policyDocument: doc() })),
      (p: Principal) => deletePolicy(p, { policyArn: probe }),
      (p: Principal) => createPolicyVersion(p, { policyArn: probe, policyDocument: doc(), setAsDefault: true }),
      (p: Principal) => setDefaultPolicyVersion(p, { policyArn: probe, versionId: "v1" }),
      (p: Principal) => deletePolicyVersion(p, { policyArn: probe, versionId: "v1" }),
      (p: Principal) => attachUserPolicy(p, { userName: "holder", policyArn: aws }),
      (p: Principal) => detachUserPolicy(p, { userName: "bob", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }),
      (p: Principal) => attachGroupPolicy(p, { groupName: "Developers", policyArn: aws }),
      (p: Principal) => detachGroupPolicy(p, { groupName: "Developers", policyArn: "arn:aws:iam::aws:policy/PowerUserAccess" }),
      (p: Principal) => attachRolePolicy(p, { roleName: "S3ElevatedAccess", policyArn: aws }),
      (p: Principal) => detachRolePolicy(p, { roleName: "S3ElevatedAccess", policyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" }),
      (p: Principal) => putUserPolicy(p, { userName: "holder", policyName: "x", policyDocument: doc() }),
      (p: Principal) => deleteUserPolicy(p, { userName: "holder", policyName: "x" }),
      (p: Principal) => putGroupPolicy(p, { groupName: "Developers", policyName: "x", policyDocument: doc() }),
      (p: Principal) => putRolePolicy(p, { roleName: "S3ElevatedAccess", policyName: "x", policyDocument: doc() }),
      (p: Principal) => putUserPermissionsBoundary(p, { userName: "holder", permissionsBoundary: aws }),
      (p: Principal) => deleteUserPermissionsBoundary(p, { userName: "holder" }),
      (p: Principal) => putRolePermissionsBoundary(p, { roleName: "S3ElevatedAccess", permissionsBoundary: aws }),
      (p: Principal) => deleteRolePermissionsBoundary(p, { roleName: "S3ElevatedAccess" }),
      (p: Principal) => tagUser(p, { userName: "holder", tags: [{ key: "a", value: "b" }] }),
      (p: Principal) => untagUser(p, { userName: "alice", tagKeys: ["team"] }),
      (p: Principal) => tagRole(p, { roleName: "S3ElevatedAccess", tags: [{ key: "a", value: "b" }] }),
      (p: Principal) => untagRole(p, { roleName: "S3ElevatedAccess", tagKeys: ["a"] }),
      (p: Principal) => tagPolicy(p, { policyArn: probe, tags: [{ key: "a", value: "b" }] }),
      (p: Principal) => untagPolicy(p, { policyArn: probe, tagKeys: ["a"] }),
    ];
    for (const build of writes) {
      await expectDenied(bob, build(bob));
      await expectDenied(none, build(none));
    }
    const reads = [
      (p: Principal) => listPolicies(p, ListPoliciesInput.parse({})),
      (p: Principal) => getPolicy(p, { policyArn: probe }),
      (p: Principal) => getPolicyVersion(p, { policyArn: probe, versionId: "v1" }),
      (p: Principal) => listPolicyVersions(p, { policyArn: probe }),
      (p: Principal) => listEntitiesForPolicy(p, { policyArn: aws }),
      (p: Principal) => listAttachedUserPolicies(p, { userName: "bob" }),
      (p: Principal) => listUserPolicies(p, { userName: "bob" }),
      (p: Principal) => getUserPolicy(p, { userName: "bob", policyName: "x" }),
      (p: Principal) => listUserTags(p, { userName: "alice" }),
      (p: Principal) => listRoleTags(p, { roleName: "S3ElevatedAccess" }),
      (p: Principal) => listPolicyTags(p, { policyArn: probe }),
    ];
    for (const build of reads) await expectDenied(none, build(none));
  });
});

describe("managed policies", () => {
  it("creates a policy with v1 as default, refuses duplicates and malformed documents", async () => {
    const p = await newPolicy("S3Lister", { path: "/team/", description: "lists", tags: [{ key: "owner", value: "ops" }] });
    expect(p).toMatchObject({ arn: `arn:aws:iam::${DEV}:policy/team/S3Lister`, defaultVersionId: "v1", attachmentCount: 0, awsManaged: false });
    expect(p.policyId).toMatch(/^ANPA/);
    const detail = await run(admin, getPolicy(admin, { policyArn: p.arn }));
    expect(detail.tags).toEqual([{ key: "owner", value: "ops" }]);
    expect(JSON.parse(detail.document).Statement[0].Action).toBe("s3:ListBucket");

    const dup = await failure(admin, createPolicy(admin, CreatePolicyInput.parse({ policyName: "s3lister", policyDocument: doc() })));
    expect(dup.code).toBe("EntityAlreadyExists");
    expect(dup.message).toBe("A policy called s3lister already exists. Duplicate names are not allowed.");

    const bad = await failure(admin, createPolicy(admin, CreatePolicyInput.parse({ policyName: "Bad", policyDocument: "{not json" })));
    expect(bad.code).toBe("MalformedPolicyDocument");
    const noVersion = await failure(admin, createPolicy(admin, CreatePolicyInput.parse({ policyName: "Bad", policyDocument: '{"Statement":[]}' })));
    expect(noVersion.code).toBe("MalformedPolicyDocument");
    const big = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: Array.from({ length: 200 }, (_, i) => `arn:aws:s3:::bucket-number-${i}/*`) }] });
    const tooBig = await failure(admin, createPolicy(admin, CreatePolicyInput.parse({ policyName: "Big", policyDocument: big })));
    expect(tooBig.code).toBe("LimitExceeded");
    expect(tooBig.message).toBe("Cannot exceed quota for PolicySize: 6144");
    expect(await db().managedPolicy.count({ where: { accountId: DEV, nameLower: { in: ["bad", "big"] } } })).toBe(0);

    const missing = await failure(admin, getPolicy(admin, { policyArn: arnOf("non-existent-policy") }));
    expect(missing.code).toBe("NoSuchEntity");
    expect(missing.message).toBe(`Policy ${arnOf("non-existent-policy")} was not found.`);
    const unparsable = await failure(admin, getPolicy(admin, { policyArn: "arn:aws:iam::not-an-arn-at-all" }));
    expect(unparsable.message).toBe("Invalid ARN:  Could not be parsed!");
  });

  it("versions: v1..v5, never reused, default cannot be deleted, limit of 5", async () => {
    const p = await newPolicy("Versioned");
    for (let i = 2; i <= 5; i++) {
      const v = await run(admin, createPolicyVersion(admin, { policyArn: p.arn, policyDocument: doc("s3:GetObject", String(i)), setAsDefault: i === 3 }));
      expect(v.versionId).toBe(`v${i}`);
    }
    const limit = await failure(admin, createPolicyVersion(admin, { policyArn: p.arn, policyDocument: doc(), setAsDefault: false }));
    expect(limit.code).toBe("LimitExceeded");
    expect(limit.message).toBe("A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.");

    expect((await run(admin, getPolicy(admin, { policyArn: p.arn }))).defaultVersionId).toBe("v3");
    const defaultDelete = await failure(admin, deletePolicyVersion(admin, { policyArn: p.arn, versionId: "v3" }));
    expect(defaultDelete.code).toBe("DeleteConflict");
    expect(defaultDelete.message).toBe("Cannot delete the default version of a policy.");

    await run(admin, deletePolicyVersion(admin, { policyArn: p.arn, versionId: "v5" }));
    const v6 = await run(admin, createPolicyVersion(admin, { policyArn: p.arn, policyDocument: doc(), setAsDefault: false }));
    expect(v6.versionId).toBe("v6");
    await run(admin, setDefaultPolicyVersion(admin, { policyArn: p.arn, versionId: "v6" }));
    const versions = await run(admin, listPolicyVersions(admin, { policyArn: p.arn }));
    expect(versions.versions.map((v) => [v.versionId, v.isDefaultVersion])).toEqual([
      ["v6", true],
      ["v4", false],
      ["v3", false],
      ["v2", false],
      ["v1", false],
    ]);
    const v4 = await run(admin, getPolicyVersion(admin, { policyArn: p.arn, versionId: "v4" }));
    expect(v4.document).toContain("s3:GetObject");
    const gone = await failure(admin, getPolicyVersion(admin, { policyArn: p.arn, versionId: "v5" }));
    expect(gone.code).toBe("NoSuchEntity");

    const multi = await failure(admin, deletePolicy(admin, { policyArn: p.arn }));
    expect(multi.code).toBe("DeleteConflict");
    expect(multi.message).toContain("must delete the policy's versions");
  });

  it("20 parallel CreatePolicyVersion calls leave at most 5 versions with unique ids", async () => {
    const p = await newPolicy("Raced");
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => run(admin, createPolicyVersion(admin, { policyArn: p.arn, policyDocument: doc("s3:GetObject", String(i)), setAsDefault: i % 3 === 0 }))),
    );
    const rows = await db().policyVersion.findMany({ where: { policyId: p.policyId } });
    expect(rows.length).toBeLessThanOrEqual(5);
    expect(new Set(rows.map((r) => r.versionId)).size).toBe(rows.length);
    expect(rows.filter((r) => r.isDefault)).toHaveLength(1);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(rows.length - 1);
    for (const r of results) if (r.status === "rejected") expect(r.reason.code).toBe("LimitExceeded");
    const policy = await db().managedPolicy.findUniqueOrThrow({ where: { id: p.policyId } });
    expect(rows.some((r) => r.versionId === policy.defaultVersionId && r.isDefault)).toBe(true);
  });

  it("AWS-managed policies cannot be changed or deleted by an account", async () => {
    const aws = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    const del = await failure(admin, deletePolicy(admin, { policyArn: aws }));
    expect(del.code).toBe("AccessDenied");
    const ver = await failure(admin, createPolicyVersion(admin, { policyArn: aws, policyDocument: doc(), setAsDefault: true }));
    expect(ver.code).toBe("AccessDenied");
  });

  it("lists by scope, attachment and name with counts, paged", async () => {
    const local = await run(admin, listPolicies(admin, ListPoliciesInput.parse({ scope: "Local", pageSize: 2 })));
    expect(local.Policies.every((p) => p.Arn.startsWith(`arn:aws:iam::${DEV}:`))).toBe(true);
    expect(local.IsTruncated).toBe(true);
    const awsOnly = await run(admin, listPolicies(admin, ListPoliciesInput.parse({ scope: "AWS", pageSize: 100 })));
    expect(awsOnly.Policies.every((p) => consolePolicyView(p).awsManaged)).toBe(true);
    const admins = awsOnly.Policies.find((p) => p.PolicyName === "AdministratorAccess")!;
    expect(admins.AttachmentCount).toBe(await db().policyAttachment.count({ where: { accountId: DEV, policy: { name: "AdministratorAccess" } } }));

    const names: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await run(admin, listPolicies(admin, ListPoliciesInput.parse({ pageSize: 3, cursor })));
      names.push(...page.Policies.map((p) => p.PolicyName));
      if (!page.IsTruncated) break;
      cursor = page.Marker;
    }
    const expected = await db().managedPolicy.count({ where: { OR: [{ accountId: null }, { accountId: DEV }] } });
    expect(names).toHaveLength(expected);
    expect(new Set(names).size).toBe(expected);

    const attached = await run(admin, listPolicies(admin, ListPoliciesInput.parse({ onlyAttached: true, pageSize: 100 })));
    expect(attached.Policies.every((p) => p.AttachmentCount + p.PermissionsBoundaryUsageCount > 0)).toBe(true);
    expect(attached.Policies.map((p) => p.PolicyName)).toContain("ReadOnlyAccess");
    const filtered = await run(admin, listPolicies(admin, ListPoliciesInput.parse({ nameContains: "s3", pageSize: 100 })));
    expect(filtered.Policies.map((p) => p.PolicyName)).toEqual(expect.arrayContaining(["AmazonS3FullAccess", "AmazonS3ReadOnlyAccess"]));

    // Another account does not see dev's own policies.
    const prodRoot = asRoot(PROD);
    const prodLocal = await run(prodRoot, listPolicies(prodRoot, ListPoliciesInput.parse({ scope: "Local" })));
    expect(prodLocal.Policies.map((p) => p.PolicyName)).not.toContain("Probe");
    expect((await failure(prodRoot, getPolicy(prodRoot, { policyArn: arnOf("Probe") }))).code).toBe("AccessDenied");
  });
});

describe("attachments", () => {
  it("attaches AWS-managed and own policies, at most 10 per entity, and detaches", async () => {
    const err = await failure(admin, attachUserPolicy(admin, { userName: "holder", policyArn: arnOf("Probe123") }));
    expect(err.code).toBe("NoSuchEntity");
    expect(err.message).toBe(`Policy ${arnOf("Probe123")} does not exist or is not attachable.`);
    const invalid = await failure(admin, attachUserPolicy(admin, { userName: "holder", policyArn: "Probe-not-an-arn-12345" }));
    expect(invalid.code).toBe("ValidationError");
    expect(invalid.message).toBe("Invalid ARN:  Could not be parsed!");

    const aws = ["AdministratorAccess", "ReadOnlyAccess", "SecurityAudit", "PowerUserAccess", "IAMUserChangePassword", "AmazonS3FullAccess", "AmazonS3ReadOnlyAccess"].map(
      (n) => `arn:aws:iam::aws:policy/${n}`,
    );
    for (let i = 0; i < 3; i++) await newPolicy(`Extra${i}`);
    const ten = [...aws, arnOf("Extra0"), arnOf("Extra1"), arnOf("Extra2")];
    for (const arn of ten) await run(admin, attachUserPolicy(admin, { userName: "holder", policyArn: arn }));
    await run(admin, attachUserPolicy(admin, { userName: "holder", policyArn: aws[0]! })); // idempotent
    const over = await failure(admin, attachUserPolicy(admin, { userName: "holder", policyArn: arnOf("Probe") }));
    expect(over.code).toBe("LimitExceeded");
    expect(over.message).toBe("Cannot exceed quota for PoliciesPerUser: 10");
    expect((await run(admin, listAttachedUserPolicies(admin, { userName: "holder" }))).attachedPolicies).toHaveLength(10);

    const entities = await run(admin, listEntitiesForPolicy(admin, { policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }));
    expect(entities.policyUsers.map((u) => u.userName)).toEqual(["bob", "holder"]);
    expect(entities.policyRoles).toEqual([]);

    const conflict = await failure(admin, deletePolicy(admin, { policyArn: arnOf("Extra0") }));
    expect(conflict.code).toBe("DeleteConflict");
    expect(conflict.message).toBe("Cannot delete a policy attached to entities.");

    await run(admin, detachUserPolicy(admin, { userName: "holder", policyArn: arnOf("Extra0") }));
    const notAttached = await failure(admin, detachUserPolicy(admin, { userName: "holder", policyArn: arnOf("Extra0") }));
    expect(notAttached.code).toBe("NoSuchEntity");
    expect(notAttached.message).toBe(`Policy ${arnOf("Extra0")} was not found.`);
    await run(admin, deletePolicy(admin, { policyArn: arnOf("Extra0") }));
    expect(await db().managedPolicy.count({ where: { arn: arnOf("Extra0") } })).toBe(0);

    const groupOver = await failure(admin, attachGroupPolicy(admin, { groupName: "Developers", policyArn: "arn:aws:iam::aws:policy/NoSuchThing" }));
    expect(groupOver.code).toBe("NoSuchEntity");
    await run(admin, attachRolePolicy(admin, { roleName: "S3ElevatedAccess", policyArn: arnOf("Probe") }));
    const roles = await run(admin, listEntitiesForPolicy(admin, { policyArn: arnOf("Probe"), entityFilter: "Role" }));
    expect(roles.policyRoles.map((r) => r.roleName)).toEqual(["S3ElevatedAccess"]);
  });

  it("inline policies: put, get, replace, delete, with the aggregate size limit per user", async () => {
    await run(admin, createUser(admin, { userName: "inliner", path: "/", tags: [] }));
    await run(admin, putUserPolicy(admin, { userName: "inliner", policyName: "one", policyDocument: doc() }));
    await run(admin, putUserPolicy(admin, { userName: "inliner", policyName: "one", policyDocument: doc("s3:GetObject") }));
    const got = await run(admin, getUserPolicy(admin, { userName: "inliner", policyName: "one" }));
    expect(got).toMatchObject({ userName: "inliner", policyName: "one" });
    expect(got.policyDocument).toContain("s3:GetObject");
    expect((await run(admin, listUserPolicies(admin, { userName: "inliner" }))).policyNames).toEqual(["one"]);

    // ~2,048 characters without whitespace in all of a user's inline policies together.
    const sized = (n: number) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::${"b".repeat(n)}/*` }] });
    await run(admin, putUserPolicy(admin, { userName: "inliner", policyName: "two", policyDocument: sized(1000) }));
    const err = await failure(admin, putUserPolicy(admin, { userName: "inliner", policyName: "three", policyDocument: sized(900) }));
    expect(err.code).toBe("LimitExceeded");
    expect(err.message).toBe("Maximum policy size of 2048 bytes exceeded for user inliner");
    // The same size fits a group (5,120) and a role (10,240).
    await run(admin, putGroupPolicy(admin, { groupName: "Developers", policyName: "big", policyDocument: sized(1900) }));
    await run(admin, putRolePolicy(admin, { roleName: "S3ElevatedAccess", policyName: "big", policyDocument: sized(1900) }));
    expect((await run(admin, getRolePolicy(admin, { roleName: "S3ElevatedAccess", policyName: "big" }))).roleName).toBe("S3ElevatedAccess");

    const malformed = await failure(admin, putUserPolicy(admin, { userName: "inliner", policyName: "bad", policyDocument: '{"Version":"2012-10-17"}' }));
    expect(malformed.code).toBe("MalformedPolicyDocument");

    await run(admin, deleteUserPolicy(admin, { userName: "inliner", policyName: "one" }));
    const gone = await failure(admin, getUserPolicy(admin, { userName: "inliner", policyName: "one" }));
    expect(gone.code).toBe("NoSuchEntity");
    expect(gone.message).toBe("The user policy with name one cannot be found.");
    const noRole = await failure(admin, getRolePolicy(admin, { roleName: "NoSuchRole", policyName: "x" }));
    expect(noRole.message).toBe("The role with name NoSuchRole cannot be found.");
  });

  it("permissions boundaries on users and roles count as policy usage", async () => {
    await run(admin, putUserPermissionsBoundary(admin, { userName: "holder", permissionsBoundary: arnOf("Probe") }));
    await run(admin, putRolePermissionsBoundary(admin, { roleName: "S3ElevatedAccess", permissionsBoundary: arnOf("Probe") }));
    const usage = await run(admin, listEntitiesForPolicy(admin, { policyArn: arnOf("Probe"), policyUsageFilter: "PermissionsBoundary" }));
    expect(usage.policyUsers.map((u) => u.userName)).toEqual(["holder"]);
    expect(usage.policyRoles.map((r) => r.roleName)).toEqual(["S3ElevatedAccess"]);
    const listed = await run(admin, getPolicy(admin, { policyArn: arnOf("Probe") }));
    expect(listed.permissionsBoundaryUsageCount).toBe(2);
    const missing = await failure(admin, putUserPermissionsBoundary(admin, { userName: "holder", permissionsBoundary: arnOf("Nope") }));
    expect(missing.message).toBe(`Scope ARN: ${arnOf("Nope")} does not exist or is not attachable.`);
    await run(admin, deleteUserPermissionsBoundary(admin, { userName: "holder" }));
    await run(admin, deleteRolePermissionsBoundary(admin, { roleName: "S3ElevatedAccess" }));
    expect((await run(admin, getPolicy(admin, { policyArn: arnOf("Probe") }))).permissionsBoundaryUsageCount).toBe(0);
  });
});

describe("tags", () => {
  it("tags users, roles and policies; keys are unique ignoring case; 50 at most; no aws: prefix", async () => {
    await run(admin, tagUser(admin, { userName: "holder", tags: [{ key: "Env", value: "dev" }] }));
    await run(admin, tagUser(admin, { userName: "holder", tags: [{ key: "env", value: "prod" }] }));
    expect((await run(admin, listUserTags(admin, { userName: "holder" }))).Tags).toEqual([{ Key: "env", Value: "prod" }]);

    const dup = await failure(admin, tagUser(admin, { userName: "holder", tags: [{ key: "a", value: "" }, { key: "A", value: "" }] }));
    expect(dup.code).toBe("InvalidInput");
    expect(dup.message).toBe("Duplicate tag keys found. Please note that Tag keys are case insensitive.");
    const reserved = await failure(admin, tagUser(admin, { userName: "holder", tags: [{ key: "aws:owner", value: "x" }] }));
    expect(reserved.code).toBe("InvalidInput");

    const many = Array.from({ length: 49 }, (_, i) => ({ key: `k${i}`, value: String(i) }));
    await run(admin, tagUser(admin, { userName: "holder", tags: many }));
    const over = await failure(admin, tagUser(admin, { userName: "holder", tags: [{ key: "one-too-many", value: "" }] }));
    expect(over.code).toBe("LimitExceeded");
    expect((await run(admin, listUserTags(admin, { userName: "holder" }))).Tags).toHaveLength(50);
    await run(admin, untagUser(admin, { userName: "holder", tagKeys: ["ENV", "k0"] }));
    expect((await run(admin, listUserTags(admin, { userName: "holder" }))).Tags).toHaveLength(48);

    await run(admin, tagRole(admin, { roleName: "S3ElevatedAccess", tags: [{ key: "tier", value: "gold" }] }));
    expect((await run(admin, listRoleTags(admin, { roleName: "s3elevatedaccess" }))).Tags).toEqual([{ Key: "tier", Value: "gold" }]);
    await run(admin, untagRole(admin, { roleName: "S3ElevatedAccess", tagKeys: ["tier"] }));
    expect((await run(admin, listRoleTags(admin, { roleName: "S3ElevatedAccess" }))).Tags).toEqual([]);

    await run(admin, tagPolicy(admin, { policyArn: arnOf("Probe"), tags: [{ key: "cost", value: "1" }] }));
    expect((await run(admin, listPolicyTags(admin, { policyArn: arnOf("Probe") }))).Tags).toEqual([{ Key: "cost", Value: "1" }]);
    await run(admin, untagPolicy(admin, { policyArn: arnOf("Probe"), tagKeys: ["cost"] }));
    const awsTag = await failure(admin, tagPolicy(admin, { policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess", tags: [{ key: "a", value: "b" }] }));
    expect(awsTag.code).toBe("AccessDenied");
  });
});

describe("ListPolicies with AWS's largest page", () => {
  it("answers MaxItems 1000 (more IDs than SQLite binds in one statement) with usage counts", async () => {
    const admin = await asUser("admin");
    const names = Array.from({ length: 1001 }, (_, i) => `bulk-${String(i).padStart(4, "0")}`);
    await db().managedPolicy.createMany({
      data: names.map((name) => ({ id: `ANPABULK${name.slice(5)}`, accountId: DEV, name, nameLower: name, arn: `arn:aws:iam::${DEV}:policy/${name}` })),
    });
    const page = await run(admin, listPolicies(admin, ListPoliciesInput.parse({ scope: "Local", nameContains: "bulk-", pageSize: 1000 })));
    expect(page.Policies).toHaveLength(1000);
    expect(page.Policies.every((p) => p.AttachmentCount === 0)).toBe(true);
  });
});
