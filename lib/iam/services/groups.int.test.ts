import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import type { Principal } from "@/lib/iam/principal";
import { asUser, DEV } from "@/lib/testing/principals";
import { ListGroupsInput } from "@/lib/iam/validation";
import { attachGroupPolicy, putGroupPolicy } from "./attachments";
import {
  addUserToGroup,
  createGroup,
  deleteGroup,
  getGroup,
  listGroups,
  listGroupsForUser,
  removeUserFromGroup,
  updateGroup,
} from "./groups";
import { CONSOLE } from "@/lib/iam/catalogue/console";
import { expectDenied, failure, nobody, run, expectStepsDenied, runSteps } from "./test-helpers";
import { createUser } from "./users";

let admin: Principal;
let bob: Principal;
let none: Principal;

const DOC = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:ListBucket", Resource: "*" }] });

beforeAll(async () => {
  admin = await asUser("admin");
  bob = await asUser("bob");
  none = await nobody(admin);
});

describe("groups: AccessDenied for every operation builder", () => {
  it("denies bob and a user without policies", async () => {
    const writes = [
      (p: Principal) => createGroup(p, { groupName: "DeniedGroup", path: "/" }),
      (p: Principal) => updateGroup(p, { groupName: "Developers", newGroupName: "Devs" }),
      (p: Principal) => deleteGroup(p, { groupName: "Developers" }),
      (p: Principal) => addUserToGroup(p, { groupName: "Developers", userName: "bob" }),
      (p: Principal) => removeUserFromGroup(p, { groupName: "Developers", userName: "alice" }),
    ];
    for (const build of writes) {
      await expectDenied(bob, build(bob));
      await expectDenied(none, build(none));
    }
    for (const p of [bob, none]) await expectStepsDenied(p, CONSOLE.DeleteGroup({ groupName: "Developers" }, p));
    await expectDenied(none, listGroups(none, ListGroupsInput.parse({})));
    await expectDenied(none, getGroup(none, { groupName: "Developers" }));
    await expectDenied(none, listGroupsForUser(none, { userName: "alice" }));
  });
});

describe("groups", () => {
  it("creates, renames and refuses duplicates ignoring case", async () => {
    const g = await run(admin, createGroup(admin, { groupName: "Testers", path: "/qa/" }));
    expect(g.arn).toBe(`arn:aws:iam::${DEV}:group/qa/Testers`);
    expect(g.groupId).toMatch(/^AGPA/);
    const dup = await failure(admin, createGroup(admin, { groupName: "testers", path: "/" }));
    expect(dup.code).toBe("EntityAlreadyExists");
    expect(dup.message).toBe("Group with name testers already exists.");
    const renamed = await run(admin, updateGroup(admin, { groupName: "testers", newGroupName: "QA", newPath: "/" }));
    expect(renamed.arn).toBe(`arn:aws:iam::${DEV}:group/QA`);
    const missing = await failure(admin, getGroup(admin, { groupName: "Testers" }));
    expect(missing.message).toBe("The group with name Testers cannot be found.");
  });

  it("API DeleteGroup refuses while it has members or policies; the console's delete empties it first", async () => {
    let err = await failure(admin, deleteGroup(admin, { groupName: "Developers" }));
    expect(err.code).toBe("DeleteConflict");
    expect(err.message).toBe("Cannot delete entity, must remove users from group first.");

    await run(admin, createGroup(admin, { groupName: "WithInline", path: "/" }));
    await run(admin, putGroupPolicy(admin, { groupName: "WithInline", policyName: "inline", policyDocument: DOC }));
    err = await failure(admin, deleteGroup(admin, { groupName: "WithInline" }));
    expect(err.message).toBe("Cannot delete entity, must delete policies first.");

    await run(admin, createGroup(admin, { groupName: "WithAttached", path: "/" }));
    await run(admin, attachGroupPolicy(admin, { groupName: "WithAttached", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }));
    err = await failure(admin, deleteGroup(admin, { groupName: "WithAttached" }));
    expect(err.message).toBe("Cannot delete entity, must detach all policies first.");

    const summary = await runSteps(admin, CONSOLE.DeleteGroup({ groupName: "Developers" }, admin));
    expect(summary.removedUsers).toEqual(["alice"]);
    expect(summary.detachedPolicies.sort()).toHaveLength(3);
    expect(await db().iamGroup.count({ where: { accountId: DEV, nameLower: "developers" } })).toBe(0);

    await run(admin, createGroup(admin, { groupName: "Empty", path: "/" }));
    await run(admin, deleteGroup(admin, { groupName: "Empty" }));
    expect(await db().iamGroup.count({ where: { accountId: DEV, nameLower: "empty" } })).toBe(0);
  });

  it("membership: add (idempotent), list, remove; at most 10 groups per user", async () => {
    await run(admin, createUser(admin, { userName: "joiner", path: "/", tags: [] }));
    for (let i = 0; i < 10; i++) {
      await run(admin, createGroup(admin, { groupName: `g${i}`, path: "/" }));
      await run(admin, addUserToGroup(admin, { groupName: `g${i}`, userName: "joiner" }));
    }
    await run(admin, addUserToGroup(admin, { groupName: "g0", userName: "joiner" }));
    await run(admin, createGroup(admin, { groupName: "g10", path: "/" }));
    const err = await failure(admin, addUserToGroup(admin, { groupName: "g10", userName: "joiner" }));
    expect(err.code).toBe("LimitExceeded");
    expect(err.message).toBe("Cannot exceed quota for GroupsPerUser: 10");
    expect((await run(admin, listGroupsForUser(admin, { userName: "joiner" }))).groups).toHaveLength(10);

    await run(admin, removeUserFromGroup(admin, { groupName: "g3", userName: "joiner" }));
    await run(admin, addUserToGroup(admin, { groupName: "g10", userName: "joiner" }));
    const detail = await run(admin, getGroup(admin, { groupName: "g10" }));
    expect(detail.users.map((u) => u.userName)).toEqual(["joiner"]);
    const notMember = await failure(admin, removeUserFromGroup(admin, { groupName: "g3", userName: "joiner" }));
    expect(notMember.code).toBe("NoSuchEntity");
  });

  it("20 parallel AddUserToGroup calls never exceed 10 groups", async () => {
    await run(admin, createUser(admin, { userName: "parallel-joiner", path: "/", tags: [] }));
    for (let i = 0; i < 20; i++) await run(admin, createGroup(admin, { groupName: `pg${i}`, path: "/" }));
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => run(admin, addUserToGroup(admin, { groupName: `pg${i}`, userName: "parallel-joiner" }))),
    );
    const user = await db().iamUser.findFirstOrThrow({ where: { name: "parallel-joiner" } });
    expect(await db().groupMembership.count({ where: { userId: user.id } })).toBe(10);
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(10);
  });

  it("lists groups with member and policy counts, paged by name", async () => {
    const all: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await run(admin, listGroups(admin, ListGroupsInput.parse({ nameContains: "pg", pageSize: 6, cursor })));
      all.push(...page.Groups.map((g) => g.GroupName));
      if (!page.IsTruncated) break;
      cursor = page.Marker;
    }
    expect(all).toEqual(Array.from({ length: 20 }, (_, i) => `pg${i}`).sort());
    const withAttached = await run(admin, listGroups(admin, ListGroupsInput.parse({ nameContains: "withattached" })));
    expect(withAttached.console.counts[withAttached.Groups[0]!.GroupId]!.attachedPolicyCount).toBe(1);
    const g0s = await run(admin, listGroups(admin, ListGroupsInput.parse({ nameContains: "g0" })));
    expect(g0s.console.counts[g0s.Groups.find((g) => g.GroupName === "g0")!.GroupId]!.memberCount).toBe(1);
  });
});

describe("ListGroups for the console's table", () => {
  it("pages by name in either order and reports the total of the filtered list", async () => {
    const admin = await asUser("admin");
    for (const n of ["pg-a", "pg-b", "pg-c"]) await run(admin, createGroup(admin, { groupName: n, path: "/" }));
    const first = await run(admin, listGroups(admin, ListGroupsInput.parse({ nameContains: "pg-", order: "desc", pageSize: 2, withTotal: true })));
    expect(first.Groups.map((g) => g.GroupName)).toEqual(["pg-c", "pg-b"]);
    expect(first.console.total).toBe(3);
    expect(first.IsTruncated).toBe(true);
    const second = await run(admin, listGroups(admin, ListGroupsInput.parse({ nameContains: "pg-", order: "desc", pageSize: 2, cursor: first.Marker })));
    expect(second.Groups.map((g) => g.GroupName)).toEqual(["pg-a"]);
    expect(second.IsTruncated).toBe(false);
    expect(second).not.toHaveProperty("Marker");
  });
});
