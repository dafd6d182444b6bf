import { beforeAll, describe, expect, it } from "vitest";
import { decryptSecret } from "@/lib/crypto/secrets";
import { db } from "@/lib/db/client";
import type { Principal } from "@/lib/iam/principal";
import { asRoot, asUser, DEV, PROD } from "@/lib/testing/principals";
import { createAccessKey, deleteAccessKey, getAccessKeyLastUsed, listAccessKeys, updateAccessKey } from "./access-keys";
import { auditText, expectDenied, failure, nobody, run } from "./test-helpers";
import { createUser } from "./users";

let admin: Principal;
let bob: Principal;
let none: Principal;

beforeAll(async () => {
  admin = await asUser("admin");
  bob = await asUser("bob");
  none = await nobody(admin);
});

describe("access keys: AccessDenied for every operation builder", () => {
  it("denies bob and a user without policies, and admin may", async () => {
    const key = await run(admin, createAccessKey(admin, { userName: "carol" }));
    const writes = [
      (p: Principal) => createAccessKey(p, { userName: "carol" }),
      (p: Principal) => updateAccessKey(p, { userName: "carol", accessKeyId: key.accessKeyId, status: "Inactive" }),
      (p: Principal) => deleteAccessKey(p, { userName: "carol", accessKeyId: key.accessKeyId }),
    ];
    for (const build of writes) {
      await expectDenied(bob, build(bob));
      await expectDenied(none, build(none));
    }
    await expectDenied(none, listAccessKeys(none, { userName: "carol" }));
    await expectDenied(none, getAccessKeyLastUsed(none, { accessKeyId: key.accessKeyId }));
    // Their own keys are no different: the interim gate and the real engine both deny without a policy.
    await expectDenied(none, createAccessKey(none, {}));

    await run(admin, updateAccessKey(admin, { userName: "carol", accessKeyId: key.accessKeyId, status: "Inactive" }));
    const listed = await run(admin, listAccessKeys(admin, { userName: "carol" }));
    expect(listed.accessKeyMetadata).toEqual([{ userName: "carol", accessKeyId: key.accessKeyId, status: "Inactive", createDate: key.createDate }]);
    await run(admin, deleteAccessKey(admin, { userName: "carol", accessKeyId: key.accessKeyId }));
    expect(await db().accessKey.count({ where: { id: key.accessKeyId } })).toBe(0);
  });
});

describe("CreateAccessKey", () => {
  it("returns the secret once, stores it encrypted, and never audits it", async () => {
    const key = await run(admin, createAccessKey(admin, { userName: "alice" }));
    expect(key.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(key.secretAccessKey).toHaveLength(40);
    expect(key.status).toBe("Active");
    const row = await db().accessKey.findUniqueOrThrow({ where: { id: key.accessKeyId } });
    expect(row.secretCiphertext).not.toContain(key.secretAccessKey);
    expect(decryptSecret(row.secretCiphertext)).toBe(key.secretAccessKey);
    const audit = await auditText();
    expect(audit).toContain(key.accessKeyId);
    expect(audit).not.toContain(key.secretAccessKey);
    const listed = await run(admin, listAccessKeys(admin, { userName: "alice" }));
    expect(JSON.stringify(listed)).not.toContain(key.secretAccessKey);
  });

  it("20 parallel calls for one user leave exactly 2 keys; the rest get AWS's LimitExceeded", async () => {
    await run(admin, createUser(admin, { userName: "racer", path: "/", tags: [] }));
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => run(admin, createAccessKey(admin, { userName: "racer" }))));
    const user = await db().iamUser.findFirstOrThrow({ where: { name: "racer" } });
    expect(await db().accessKey.count({ where: { userId: user.id } })).toBe(2);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(refused).toHaveLength(18);
    for (const r of refused) {
      expect(r.reason.code).toBe("LimitExceeded");
      expect(r.reason.message).toBe("Cannot exceed quota for AccessKeysPerUser: 2");
    }
  });

  it("inactive keys count towards the two", async () => {
    await run(admin, createUser(admin, { userName: "inactive-keys", path: "/", tags: [] }));
    for (let i = 0; i < 2; i++) {
      const k = await run(admin, createAccessKey(admin, { userName: "inactive-keys" }));
      await run(admin, updateAccessKey(admin, { userName: "inactive-keys", accessKeyId: k.accessKeyId, status: "Inactive" }));
    }
    const err = await failure(admin, createAccessKey(admin, { userName: "inactive-keys" }));
    expect(err.code).toBe("LimitExceeded");
  });

  it("without a user name acts on the caller: the IAM user, or the root user's own keys", async () => {
    const own = await run(admin, createAccessKey(admin, {}));
    expect(own.userName).toBe("admin");
    const root = asRoot(DEV);
    const rootKey = await run(root, createAccessKey(root, {}));
    expect(rootKey.userName).toBeUndefined();
    expect((await db().accessKey.findUniqueOrThrow({ where: { id: rootKey.accessKeyId } })).userId).toBeNull();
    const rootList = await run(root, listAccessKeys(root, {}));
    expect(rootList.accessKeyMetadata.map((k) => k.accessKeyId)).toEqual([rootKey.accessKeyId]);
  });

  it("NoSuchEntity for unknown users and for keys of someone else", async () => {
    let err = await failure(admin, createAccessKey(admin, { userName: "nobody-here" }));
    expect(err.message).toBe("The user with name nobody-here cannot be found.");
    const bobKey = await run(admin, createAccessKey(admin, { userName: "bob" }));
    err = await failure(admin, deleteAccessKey(admin, { userName: "carol", accessKeyId: bobKey.accessKeyId }));
    expect(err.code).toBe("NoSuchEntity");
    expect(err.message).toBe(`The Access Key with id ${bobKey.accessKeyId} cannot be found.`);
    // Another account's root cannot reach dev's keys.
    const prodRoot = asRoot(PROD);
    err = await failure(prodRoot, getAccessKeyLastUsed(prodRoot, { accessKeyId: bobKey.accessKeyId }));
    expect(err.code).toBe("NoSuchEntity");
  });

  it("GetAccessKeyLastUsed says N/A for a key never used", async () => {
    const key = await run(admin, createAccessKey(admin, { userName: "newhire" }));
    const last = await run(admin, getAccessKeyLastUsed(admin, { accessKeyId: key.accessKeyId }));
    expect(last).toEqual({ userName: "newhire", accessKeyLastUsed: { serviceName: "N/A", region: "N/A" } });
    await db().accessKey.update({ where: { id: key.accessKeyId }, data: { lastUsedAt: new Date(), lastUsedService: "s3", lastUsedRegion: "us-east-1" } });
    const used = await run(admin, getAccessKeyLastUsed(admin, { accessKeyId: key.accessKeyId }));
    expect(used.accessKeyLastUsed.serviceName).toBe("s3");
  });
});
