// S3 against the seeded organization (buckets example-dev-assets, example-dev-scratch
// in dev; example-staging-data in staging; example-prod-logs in prod).
import crypto from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { codeAt, currentStep } from "@/lib/crypto/totp";
import { DEMO_MFA_SEED, ELEVATION_ROLE } from "@/lib/db/seed/demo-identities";
import { ADMINISTRATOR_ACCESS_ARN } from "@/lib/iam/arn";
import { principalForSession } from "@/lib/sts/credentials";
import { assumeRole } from "@/lib/sts/sts";
import { db } from "@/lib/db/client";
import type { OperationSpec } from "@/lib/iam/operation";
import type { IamError } from "@/lib/iam/errors";
import { runOperation } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";
import { asUser, DEV, STAGING, testRequest } from "@/lib/testing/principals";
import {
  createBucket,
  deleteBucket,
  deleteBucketPolicy,
  getBucketLocation,
  getBucketLogging,
  getBucketPolicy,
  getPublicAccessBlock,
  headBucket,
  listBuckets,
  putBucketLogging,
  putBucketPolicy,
  putPublicAccessBlock,
} from "./buckets";
import { deleteObject, deleteObjects, emptyBucket, getObject, headObject, listObjectsV2, putObject } from "./objects";
import { readAll } from "@/lib/s3/blob-store";

const run = <T>(p: Principal, spec: OperationSpec<T>) => runOperation<T>({ ...spec, principal: p, request: testRequest() });
const fail = (p: Promise<unknown>) => p.then(() => { throw new Error("expected a refusal"); }, (e: unknown) => e as IamError);
const admin = () => asUser("admin");

// Destructive bucket actions (DeleteBucket, DeleteObject, Put/DeleteBucketPolicy)
// are kept by the lab SCP for the MFA-gated elevation role: the tests make them
// as erin elevated into S3ElevatedAccess, as a person would. AdministratorAccess
// is attached to the role in this test database only so the interim gate
// (root and AdministratorAccess holders) lets the session act too.
let elevatedPrincipal: Principal;
const elevated = () => elevatedPrincipal;
beforeAll(async () => {
  const role = await db().role.findUniqueOrThrow({ where: { arn: `arn:aws:iam::${DEV}:role/${ELEVATION_ROLE}` } });
  const adminPolicy = await db().managedPolicy.findUniqueOrThrow({ where: { arn: ADMINISTRATOR_ACCESS_ARN } });
  await db().policyAttachment.create({ data: { accountId: DEV, policyId: adminPolicy.id, roleId: role.id } });
  const erin = await asUser("erin");
  const r = await run(
    erin,
    assumeRole(erin, { roleArn: role.arn, roleSessionName: "erin", serialNumber: `arn:aws:iam::${DEV}:mfa/erin`, tokenCode: codeAt(DEMO_MFA_SEED, currentStep()) }),
  );
  elevatedPrincipal = (await principalForSession(db(), r.sessionId))!;
});

describe("buckets", () => {
  it("creates, heads, locates and deletes an empty bucket", async () => {
    const a = await admin();
    expect(await run(a, createBucket(a, { bucket: "it-new-bucket" }))).toEqual({ Location: "/it-new-bucket" });
    const row = await db().bucket.findUniqueOrThrow({ where: { name: "it-new-bucket" } });
    expect(row.accountId).toBe(DEV);
    // New buckets block public access, as S3 does since April 2023.
    expect(await run(a, getPublicAccessBlock(a, { bucket: "it-new-bucket" }))).toEqual({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
    });
    expect(await run(a, headBucket(a, { bucket: "it-new-bucket" }))).toEqual({ BucketRegion: "us-east-1" });
    expect(await run(a, getBucketLocation(a, { bucket: "it-new-bucket" }))).toEqual({ LocationConstraint: null });
    await run(elevated(), deleteBucket(elevated(), { bucket: "it-new-bucket" }));
    expect(await db().bucket.findUnique({ where: { name: "it-new-bucket" } })).toBeNull();
  });

  it("answers BucketAlreadyOwnedByYou for your own name and BucketAlreadyExists for another account's", async () => {
    const a = await admin();
    const own = await fail(run(a, createBucket(a, { bucket: "example-dev-assets" })));
    expect(own.code).toBe("BucketAlreadyOwnedByYou");
    expect(own.message).toBe("Your previous request to create the named bucket succeeded and you already own it.");
    const other = await fail(run(a, createBucket(a, { bucket: "example-prod-logs" })));
    expect(other.code).toBe("BucketAlreadyExists");
    expect(other.message).toBe(
      "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.",
    );
  });

  it.each(["ab", "Upper-Case", "192.168.5.4", "xn--punycode", "name-s3alias", "dots..twice", "-leading"])("refuses the invalid name %s", async (name) => {
    const a = await admin();
    const e = await fail(run(a, createBucket(a, { bucket: name })));
    expect(e.code).toBe("InvalidBucketName");
    expect(e.message).toBe("The specified bucket is not valid.");
  });

  it("refuses to delete a bucket that holds objects", async () => {
    const e = await fail(run(elevated(), deleteBucket(elevated(), { bucket: "example-dev-assets" })));
    expect(e.code).toBe("BucketNotEmpty");
    expect(e.message).toBe("The bucket you tried to delete is not empty");
  });

  it("answers NoSuchBucket for a bucket that does not exist", async () => {
    const a = await admin();
    const e = await fail(run(a, listObjectsV2(a, { bucket: "no-such-bucket-here" })));
    expect(e.code).toBe("NoSuchBucket");
    expect(e.message).toBe("The specified bucket does not exist");
  });

  it("lists the caller account's buckets with the console's access summary", async () => {
    const a = await admin();
    const r = await run(a, listBuckets(a));
    expect(r.Buckets.map((b) => b.Name)).toEqual(["example-dev-assets", "example-dev-scratch"]);
    expect(r.Buckets.every((b) => b.Access === "Bucket and objects not public")).toBe(true);
    expect(r.Owner.ID).toBe(DEV);
  });
});

describe("objects", () => {
  it("stores and returns bytes exactly, with the MD5 ETag, content type and metadata", async () => {
    const a = await admin();
    const bytes = crypto.randomBytes(4096);
    bytes[0] = 0;
    bytes[1] = 0xff;
    const put = await run(a, putObject(a, { bucket: "example-dev-scratch", key: "bin/blob.dat", body: bytes, contentType: "application/octet-stream", metadata: { "x-amz-meta-Owner": "admin" } }));
    expect(put.ETag).toBe(`"${crypto.createHash("md5").update(bytes).digest("hex")}"`);
    const got = await run(a, getObject(a, { bucket: "example-dev-scratch", key: "bin/blob.dat" }));
    expect(Buffer.compare(await readAll(got.Body), bytes)).toBe(0);
    expect(got).toMatchObject({ ContentType: "application/octet-stream", ContentLength: 4096, ETag: put.ETag, Metadata: { owner: "admin" } });
    const head = await run(a, headObject(a, { bucket: "example-dev-scratch", key: "bin/blob.dat" }));
    expect(head).not.toHaveProperty("Body");
    expect(head.ContentLength).toBe(4096);
    const event = await db().auditEvent.findFirstOrThrow({ where: { eventName: "PutObject", errorCode: null } });
    expect(event.eventCategory).toBe("Data");
    expect(event.resources).toContain("arn:aws:s3:::example-dev-scratch/bin/blob.dat");
  });

  it("overwrites an object under the same key", async () => {
    const a = await admin();
    await run(a, putObject(a, { bucket: "example-dev-scratch", key: "over.txt", body: Buffer.from("one") }));
    await run(a, putObject(a, { bucket: "example-dev-scratch", key: "over.txt", body: Buffer.from("second") }));
    const got = await run(a, getObject(a, { bucket: "example-dev-scratch", key: "over.txt" }));
    expect((await readAll(got.Body)).toString()).toBe("second");
    expect(got.ContentType).toBe("binary/octet-stream");
  });

  it("refuses a body over the size limit with EntityTooLarge and stores nothing", async () => {
    const a = await admin();
    const e = await fail(run(a, putObject(a, { bucket: "example-dev-scratch", key: "big.bin", body: Buffer.alloc(1025), maxBytes: 1024 })));
    expect(e.code).toBe("EntityTooLarge");
    expect(e.message).toBe("Your proposed upload exceeds the maximum allowed object size.");
    expect(await db().s3Object.count({ where: { key: "big.bin" } })).toBe(0);
  });

  it("answers NoSuchKey for a missing key; DeleteObject of a missing key succeeds", async () => {
    const a = await admin();
    const e = await fail(run(a, getObject(a, { bucket: "example-dev-assets", key: "missing.txt" })));
    expect(e.code).toBe("NoSuchKey");
    expect(e.message).toBe("The specified key does not exist.");
    await expect(run(elevated(), deleteObject(elevated(), { bucket: "example-dev-assets", key: "missing.txt" }))).resolves.toBeUndefined();
  });

  it("keys are case-sensitive", async () => {
    const a = await admin();
    await run(a, putObject(a, { bucket: "example-dev-scratch", key: "Case/File.txt", body: Buffer.from("upper") }));
    const e = await fail(run(a, getObject(a, { bucket: "example-dev-scratch", key: "case/file.txt" })));
    expect(e.code).toBe("NoSuchKey");
    const list = await run(a, listObjectsV2(a, { bucket: "example-dev-scratch", prefix: "case/" }));
    expect(list.KeyCount).toBe(0);
  });

  it("empties a bucket with DeleteObjects, then deletes it", async () => {
    const a = await admin();
    await run(a, createBucket(a, { bucket: "it-to-empty" }));
    for (const k of ["a.txt", "b/c.txt", "b/d.txt"]) await run(a, putObject(a, { bucket: "it-to-empty", key: k, body: Buffer.from(k) }));
    const el = elevated();
    expect((await fail(run(el, deleteBucket(el, { bucket: "it-to-empty" })))).code).toBe("BucketNotEmpty");
    const partial = await run(el, deleteObjects(el, { bucket: "it-to-empty", keys: ["a.txt"] }));
    expect(partial.Deleted).toEqual([{ Key: "a.txt" }]);
    const rest = await run(el, emptyBucket(el, { bucket: "it-to-empty" }));
    expect(rest.Deleted.map((d) => d.Key)).toEqual(["b/c.txt", "b/d.txt"]);
    expect(rest.remaining).toBe(0);
    await run(el, deleteBucket(el, { bucket: "it-to-empty" }));
  });
});

describe("ListObjectsV2", () => {
  const keys = ["a.txt", "docs/one.md", "docs/two.md", "docs/sub/three.md", "img/x.png", "img/y.png", "img/z/deep.png", "readme", "zeta/last.txt"];

  it("pages with delimiter /, common prefixes and continuation tokens, as S3 returns them", async () => {
    const a = await admin();
    await run(a, createBucket(a, { bucket: "it-listing" }));
    for (const k of keys) await run(a, putObject(a, { bucket: "it-listing", key: k, body: Buffer.from(k) }));

    const all = await run(a, listObjectsV2(a, { bucket: "it-listing", delimiter: "/" }));
    expect(all.Contents.map((c) => c.Key)).toEqual(["a.txt", "readme"]);
    expect(all.CommonPrefixes).toEqual([{ Prefix: "docs/" }, { Prefix: "img/" }, { Prefix: "zeta/" }]);
    expect(all.KeyCount).toBe(5);
    expect(all.IsTruncated).toBe(false);
    expect(all.NextContinuationToken).toBeUndefined();

    // Two entries a page: keys and prefixes count alike, in key order.
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const page = await run(a, listObjectsV2(a, { bucket: "it-listing", delimiter: "/", maxKeys: 2, continuationToken: token }));
      pages.push([...page.Contents.map((c) => c.Key), ...page.CommonPrefixes.map((p) => p.Prefix)]);
      expect(page.KeyCount).toBeLessThanOrEqual(2);
      token = page.NextContinuationToken;
      expect(page.IsTruncated).toBe(token !== undefined);
    } while (token);
    expect(pages).toEqual([["a.txt", "docs/"], ["readme", "img/"], ["zeta/"]]);
  });

  it("lists under a prefix, with and without delimiter", async () => {
    const a = await admin();
    const under = await run(a, listObjectsV2(a, { bucket: "it-listing", prefix: "docs/", delimiter: "/" }));
    expect(under.Contents.map((c) => c.Key)).toEqual(["docs/one.md", "docs/two.md"]);
    expect(under.CommonPrefixes).toEqual([{ Prefix: "docs/sub/" }]);
    const flat = await run(a, listObjectsV2(a, { bucket: "it-listing", prefix: "img/" }));
    expect(flat.Contents.map((c) => c.Key)).toEqual(["img/x.png", "img/y.png", "img/z/deep.png"]);
    expect(flat.CommonPrefixes).toEqual([]);
  });

  it("starts after a key and pages flat listings", async () => {
    const a = await admin();
    const r = await run(a, listObjectsV2(a, { bucket: "it-listing", startAfter: "img/y.png", maxKeys: 2 }));
    expect(r.Contents.map((c) => c.Key)).toEqual(["img/z/deep.png", "readme"]);
    expect(r.IsTruncated).toBe(true);
    const next = await run(a, listObjectsV2(a, { bucket: "it-listing", continuationToken: r.NextContinuationToken, maxKeys: 2 }));
    expect(next.Contents.map((c) => c.Key)).toEqual(["zeta/last.txt"]);
    expect(next.IsTruncated).toBe(false);
  });

  it("refuses a forged continuation token", async () => {
    const a = await admin();
    const e = await fail(run(a, listObjectsV2(a, { bucket: "it-listing", continuationToken: "not-a-token" })));
    expect(e.message).toBe("The continuation token provided is incorrect");
  });
});

describe("bucket policies and Block Public Access", () => {
  const publicRead = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::example-dev-assets/*" }] });
  const crossAccount = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: "StagingReads", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${STAGING}:root` }, Action: ["s3:GetObject", "s3:ListBucket"], Resource: ["arn:aws:s3:::example-dev-assets", "arn:aws:s3:::example-dev-assets/*"] }],
  });

  it("answers NoSuchBucketPolicy before a policy is set", async () => {
    const a = await admin();
    const e = await fail(run(a, getBucketPolicy(a, { bucket: "example-dev-assets" })));
    expect(e.code).toBe("NoSuchBucketPolicy");
    expect(e.message).toBe("The bucket policy does not exist");
  });

  it("stores a valid policy, returns it as written, and deletes it", async () => {
    const a = await admin();
    const el = elevated();
    await run(el, putBucketPolicy(el, { bucket: "example-dev-assets", policy: crossAccount }));
    expect(await run(a, getBucketPolicy(a, { bucket: "example-dev-assets" }))).toEqual({ Policy: crossAccount });
    await run(el, deleteBucketPolicy(el, { bucket: "example-dev-assets" }));
    expect((await fail(run(a, getBucketPolicy(a, { bucket: "example-dev-assets" })))).code).toBe("NoSuchBucketPolicy");
  });

  it("refuses a policy naming another bucket: MalformedPolicy, Policy has invalid resource", async () => {
    const el = elevated();
    const other = crossAccount.replace(/example-dev-assets/g, "example-prod-logs");
    const e = await fail(run(el, putBucketPolicy(el, { bucket: "example-dev-assets", policy: other })));
    expect(e.code).toBe("MalformedPolicy");
    expect(e.message).toBe("Policy has invalid resource");
  });

  it("blocks a public policy while BlockPublicPolicy is on, then accepts it and shows the bucket as Public", async () => {
    const a = await admin();
    const el = elevated();
    const e = await fail(run(el, putBucketPolicy(el, { bucket: "example-dev-assets", policy: publicRead })));
    expect(e.code).toBe("AccessDenied");
    expect(e.message).toBe(
      `User: ${el.arn} is not authorized to perform: s3:PutBucketPolicy on resource: "arn:aws:s3:::example-dev-assets" because public policies are blocked by the BlockPublicPolicy block public access setting.`,
    );
    await run(a, putPublicAccessBlock(a, { bucket: "example-dev-assets", configuration: { BlockPublicAcls: true, IgnorePublicAcls: true } }));
    expect((await run(a, listBuckets(a))).Buckets.find((b) => b.Name === "example-dev-assets")?.Access).toBe("Objects can be public");
    await run(el, putBucketPolicy(el, { bucket: "example-dev-assets", policy: publicRead }));
    expect((await run(a, listBuckets(a))).Buckets.find((b) => b.Name === "example-dev-assets")?.Access).toBe("Public");
  });

  it("configures access logging to a bucket of the same account only", async () => {
    const a = await admin();
    expect(await run(a, getBucketLogging(a, { bucket: "example-dev-assets" }))).toEqual({});
    await run(a, putBucketLogging(a, { bucket: "example-dev-assets", loggingEnabled: { TargetBucket: "example-dev-scratch", TargetPrefix: "logs/" } }));
    expect(await run(a, getBucketLogging(a, { bucket: "example-dev-assets" }))).toEqual({ LoggingEnabled: { TargetBucket: "example-dev-scratch", TargetPrefix: "logs/" } });
    const missing = await fail(run(a, putBucketLogging(a, { bucket: "example-dev-assets", loggingEnabled: { TargetBucket: "no-such-target", TargetPrefix: "" } })));
    expect(missing.message).toBe("The target bucket for logging does not exist");
    await run(a, putBucketLogging(a, { bucket: "example-dev-assets", loggingEnabled: null }));
    expect(await run(a, getBucketLogging(a, { bucket: "example-dev-assets" }))).toEqual({});
  });
});

describe("access through the gate", () => {
  it("refuses bob (ReadOnlyAccess) a PutObject", async () => {
    const bob = await asUser("bob");
    const e = await fail(run(bob, putObject(bob, { bucket: "example-dev-scratch", key: "bob.txt", body: Buffer.from("x") })));
    expect(e.code).toBe("AccessDenied");
    expect(await db().s3Object.count({ where: { key: "bob.txt" } })).toBe(0);
  });

  it("[engine] lets bob (ReadOnlyAccess) read objects in his account", async () => {
    const bob = await asUser("bob");
    const r = await run(bob, getObject(bob, { bucket: "example-dev-assets", key: "README.txt" }));
    expect((await readAll(r.Body)).toString()).toBe("Assets for the dev environment.\n");
  });

  it("refuses admin of dev another account's bucket without a bucket policy", async () => {
    const a = await admin();
    const e = await fail(run(a, getObject(a, { bucket: "example-prod-logs", key: "2026/11/27/app.log" })));
    expect(e.code).toBe("AccessDenied");
  });

  it("[engine] the lab SCP denies admin DeleteObject outside the elevation role", async () => {
    const a = await admin();
    const e = await fail(run(a, deleteObject(a, { bucket: "example-dev-scratch", key: "tmp/notes.txt" })));
    expect(e.code).toBe("AccessDenied");
  });
});
