// Sandboxes side by side: none can see or touch another, through the same
// operations the console and the API run; reset returns to the initial state
// under the same sign-in details; delete removes every row the sandbox owned.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/sqlite/client";
import { verifyPassword } from "@/lib/crypto/passwords";
import { IAM, S3, STS } from "@/lib/iam/catalogue";
import { adoptInlineBodies, blobRoot, releasesSettled } from "@/lib/s3/blob-store";
import { findLab } from "./catalogue";
import { deleteSandbox, resetSandbox, sandboxPassword, startSandbox } from "./sandboxes";
import { call, startTestSandbox } from "./test-helpers";

const refused = (p: Promise<unknown>) => expect(p).rejects.toMatchObject({ code: expect.stringMatching(/^(AccessDenied|NoSuchEntity|NoSuchBucket)$/) });

/** Object bodies and multipart parts in the blob store: files under blobs/<2 hex>/ (tmp/ holds none at rest). */
function blobFiles(): number {
  if (!fs.existsSync(blobRoot())) return 0;
  return fs
    .readdirSync(blobRoot(), { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^[0-9a-f]{2}$/.test(d.name))
    .reduce((n, d) => n + fs.readdirSync(path.join(blobRoot(), d.name)).length, 0);
}

/** Rows per table, every model of the schema. */
async function rowCounts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const model of Object.values(Prisma.ModelName)) {
    const delegate = (db() as unknown as Record<string, { count(): Promise<number> }>)[model[0]!.toLowerCase() + model.slice(1)]!;
    out[model] = await delegate.count();
  }
  return out;
}

describe("sandboxes", () => {
  it("gives each sandbox its own organization, account IDs, buckets and sign-in", async () => {
    const a = await startTestSandbox("05-mfa-before-destruction");
    const b = await startTestSandbox("05-mfa-before-destruction");
    expect(a.sandbox.organizationId).not.toBe(b.sandbox.organizationId);
    expect(a.accounts.dev).toMatch(/^\d{12}$/);
    expect(a.accounts.dev).not.toBe(b.accounts.dev);
    expect(a.sandbox.signInAccountId).toBe(a.accounts.dev);
    expect(a.sandbox.signInUserName).toBe("learner");
    const login = await db().loginProfile.findFirstOrThrow({ where: { user: { accountId: a.accounts.dev, name: "learner" } } });
    expect(await verifyPassword(login.passwordHash, sandboxPassword(a.sandbox))).toBe(true);
    expect(await verifyPassword(login.passwordHash, sandboxPassword(b.sandbox))).toBe(false);
  });

  it("keeps a learner of sandbox A out of sandbox B, through IAM, S3 and STS", async () => {
    const a = await startTestSandbox("01-least-privilege-groups");
    const b = await startTestSandbox("05-mfa-before-destruction");
    const adminA = await a.user("learner"); // AdministratorAccess in A
    const bBucket = `old-logs-${b.sandbox.id}`;
    const bRole = `arn:aws:iam::${b.accounts.dev}:role/S3ElevatedAccess`;

    // Lists show A's own entities only.
    const users = await call(adminA, IAM.ListUsers, {});
    expect(users.Users.map((u) => u.UserName).sort()).toEqual(["alice", "bob", "learner"]);
    const buckets = await call(adminA, S3.ListBuckets, {});
    expect(JSON.stringify(buckets)).not.toContain(bBucket);

    // B's resources by ARN or name: refused.
    await refused(call(adminA, S3.GetObject, { bucket: bBucket, key: "2025/app.log" }));
    await refused(call(adminA, S3.PutObject, { bucket: bBucket, key: "x.txt", body: Buffer.from("x") }));
    await refused(call(adminA, S3.DeleteBucket, { bucket: bBucket }));
    await refused(call(adminA, S3.PutBucketPolicy, { bucket: bBucket, policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:*", Resource: `arn:aws:s3:::${bBucket}/*` }] }) }));
    await refused(call(adminA, STS.AssumeRole, { roleArn: bRole, roleSessionName: "intruder" }));
    await refused(call(adminA, IAM.GetPolicy, { policyArn: `arn:aws:iam::${b.accounts.dev}:policy/Nope` }));
    await refused(call(adminA, IAM.AttachUserPolicy, { userName: "alice", policyArn: `arn:aws:iam::${b.accounts.dev}:policy/Nope` }));

    // Even a bucket policy in B that names A's account explicitly lets nothing across organizations.
    const bLearner = await b.user("learner");
    await call(bLearner, S3.PutBucketPolicy, {
      bucket: bBucket,
      policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${a.accounts.dev}:root` }, Action: "s3:GetObject", Resource: `arn:aws:s3:::${bBucket}/*` }] }),
    });
    await refused(call(adminA, S3.GetObject, { bucket: bBucket, key: "2025/app.log" }));

    // B is as it was.
    expect(await db().bucket.count({ where: { name: bBucket } })).toBe(1);
    expect(await db().s3Object.count({ where: { bucketName: bBucket } })).toBe(1);
    expect(await db().roleSession.count({ where: { accountId: b.accounts.dev } })).toBe(0);
  });

  it("resets to the initial state under the same account IDs and password", async () => {
    const s = await startTestSandbox("01-least-privilege-groups");
    const learner = await s.user("learner");
    await call(learner, IAM.CreateGroup, { groupName: "Analysts" });
    await call(learner, IAM.DeleteUserPolicy, { userName: "bob", policyName: "reports-everything" });
    expect((await s.checks())["bob can no longer delete the bucket"]).toBe(true);
    const lab = findLab("01-least-privilege-groups")!;
    const before = await s.reload();
    const after = await resetSandbox(before, lab);
    expect(after.startedAt.getTime()).toBeGreaterThanOrEqual(before.startedAt.getTime());
    expect(after.signInAccountId).toBe(before.signInAccountId);
    expect(await db().iamGroup.count({ where: { accountId: s.accounts.dev, name: "Analysts" } })).toBe(0);
    expect(await db().inlinePolicy.count({ where: { accountId: s.accounts.dev, name: "reports-everything" } })).toBe(1);
    expect((await s.checks())["bob can no longer delete the bucket"]).toBe(false);
    const login = await db().loginProfile.findFirstOrThrow({ where: { user: { accountId: s.accounts.dev, name: "learner" } } });
    expect(await verifyPassword(login.passwordHash, sandboxPassword(after))).toBe(true);
  });

  it("deletes every row and blob it owned, counted per table and in the blob store", async () => {
    const lab = findLab("05-mfa-before-destruction")!;
    await adoptInlineBodies(); // the seed's inline bodies become blobs now, not in the middle of the count
    const before = await rowCounts();
    const blobsBefore = blobFiles();
    const started = await startSandbox(lab, { ownerArn: "arn:aws:iam::111122223333:user/admin", ownerOrganizationId: "o-examplecorp" });
    const accountId = started.accountId;
    // Work in it: audit events, a role session, a new key, a sign-in throttle row.
    const s = { id: started.sandbox.id };
    const learner = { type: "IAMUser" as const, organizationId: started.sandbox.organizationId, accountId, arn: `arn:aws:iam::${accountId}:user/learner`, principalId: "x", userId: (await db().iamUser.findFirstOrThrow({ where: { accountId, name: "learner" } })).id, userName: "learner", mfaAuthenticated: true, mfaAuthenticatedAt: new Date() };
    await call(learner, STS.AssumeRole, { roleArn: `arn:aws:iam::${accountId}:role/S3ElevatedAccess`, roleSessionName: "cleanup" });
    await call(learner, S3.ListBuckets, {});
    await db().signInThrottle.create({ data: { key: `id:${accountId}/learner`, failures: 1 } });
    // Objects in its bucket (one replaced), and a multipart upload left open with two parts: each body a blob.
    const bucket = `old-logs-${s.id}`;
    for (const [key, body] of [["a.txt", "first"], ["b.txt", "second"], ["a.txt", "first, replaced"]] as const) await call(learner, S3.PutObject, { bucket, key, body: Buffer.from(body) });
    const { UploadId: uploadId } = await call(learner, S3.CreateMultipartUpload, { bucket, key: "big.bin" });
    for (const partNumber of [1, 2]) await call(learner, S3.UploadPart, { bucket, key: "big.bin", uploadId, partNumber, body: Buffer.alloc(1024, partNumber) });
    await releasesSettled(); // the replaced body is gone
    expect(blobFiles() - blobsBefore, "a.txt, b.txt and two parts").toBe(4);
    const during = await rowCounts();
    for (const table of ["Organization", "Account", "IamUser", "Role", "Bucket", "S3Object", "MultipartUpload", "MultipartPart", "AuditEvent", "RoleSession", "LabSandbox", "ServiceControlPolicy", "SignInThrottle"]) {
      expect(during[table], table).toBeGreaterThan(before[table]!);
    }
    await deleteSandbox({ id: s.id, organizationId: started.sandbox.organizationId });
    expect(await rowCounts()).toEqual(before);
    await releasesSettled();
    expect(blobFiles()).toBe(blobsBefore);
  });
});
