// The S3 operations of issue 12's coverage target beyond the basics, through
// real clients against the API handler on a loopback port: versioning status
// (Enabled, Suspended; MFA Delete refused as not implemented), ListObjectVersions
// (every object its "null" version), UploadPartCopy (whole and by range, into a
// multipart object read back byte for byte), GetObjectAttributes, default
// encryption (SSE-S3 unless set), Object Ownership (BucketOwnerEnforced by
// default), and the defaults of notifications, request payment, acceleration
// and website. SDK v3 for most, the AWS CLI and boto3 where they differ.
import crypto from "node:crypto";
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketEncryptionCommand,
  DeleteBucketOwnershipControlsCommand,
  GetBucketAccelerateConfigurationCommand,
  GetBucketEncryptionCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketRequestPaymentCommand,
  GetBucketVersioningCommand,
  GetBucketWebsiteCommand,
  GetObjectAttributesCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutBucketEncryptionCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCopyCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { issueKey, sdkFailure, startTestApi, type TestApi } from "../test-server";
import { aws, type Creds } from "./cli";

const BUCKET = "coverage-bucket";
const MiB = 1024 * 1024;

let api: TestApi;
let admin: Creds;
let s3: S3Client;
const source = crypto.randomBytes(6 * MiB + 123);

beforeAll(async () => {
  api = await startTestApi();
  admin = await issueKey("admin");
  s3 = new S3Client({ endpoint: api.endpoint, region: "us-east-1", forcePathStyle: true, credentials: admin, maxAttempts: 1 });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "src/source.bin", Body: source }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "a/one.txt", Body: "one" }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "a/two.txt", Body: "two" }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "b.txt", Body: "b" }));
});
afterAll(() => api.close());

describe("versioning status", () => {
  it("a new bucket has no status; Enabled then Suspended are kept; MFA Delete is not implemented; a bad status is MalformedXML", async () => {
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: BUCKET }))).Status).toBeUndefined();
    await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: "Enabled" } }));
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: BUCKET }))).Status).toBe("Enabled");
    const cli = await aws(api.endpoint, admin, "s3api", "put-bucket-versioning", "--bucket", BUCKET, "--versioning-configuration", "Status=Suspended");
    expect(cli.stderr).toBe("");
    expect((await aws(api.endpoint, admin, "s3api", "get-bucket-versioning", "--bucket", BUCKET)).json).toEqual({ Status: "Suspended" });
    const mfa = await sdkFailure(s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: "Enabled", MFADelete: "Enabled" } })));
    expect(mfa).toMatchObject({ code: "NotImplemented", status: 501 });
    const bad = await sdkFailure(s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: "On" as "Enabled" } })));
    expect(bad).toMatchObject({ code: "MalformedXML", status: 400 });
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: BUCKET }))).Status).toBe("Suspended");
  });
});

describe("ListObjectVersions", () => {
  it("lists each object as its null version, the latest, with prefixes and key-marker pages", async () => {
    const all = await s3.send(new ListObjectVersionsCommand({ Bucket: BUCKET, Delimiter: "/" }));
    expect(all.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest, v.Size])).toEqual([["b.txt", "null", true, 1]]);
    expect(all.CommonPrefixes?.map((p) => p.Prefix)).toEqual(["a/", "src/"]);
    expect(all.DeleteMarkers).toBeUndefined();
    const first = await s3.send(new ListObjectVersionsCommand({ Bucket: BUCKET, MaxKeys: 2 }));
    expect(first.Versions?.map((v) => v.Key)).toEqual(["a/one.txt", "a/two.txt"]);
    expect([first.IsTruncated, first.NextKeyMarker, first.NextVersionIdMarker]).toEqual([true, "a/two.txt", "null"]);
    const rest = await s3.send(new ListObjectVersionsCommand({ Bucket: BUCKET, KeyMarker: first.NextKeyMarker, VersionIdMarker: first.NextVersionIdMarker }));
    expect(rest.Versions?.map((v) => v.Key)).toEqual(["b.txt", "src/source.bin"]);
    expect(rest.IsTruncated).toBe(false);
    const cli = await aws(api.endpoint, admin, "s3api", "list-object-versions", "--bucket", BUCKET, "--prefix", "a/");
    expect(cli.json.Versions.map((v: { Key: string; ETag: string }) => [v.Key, v.ETag])).toEqual([
      ["a/one.txt", `"${crypto.createHash("md5").update("one").digest("hex")}"`],
      ["a/two.txt", `"${crypto.createHash("md5").update("two").digest("hex")}"`],
    ]);
  });
});

describe("UploadPartCopy", () => {
  it("builds a multipart object from a copied range and a copied whole object, byte for byte", async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: "joined.bin" }));
    const p1 = await s3.send(new UploadPartCopyCommand({ Bucket: BUCKET, Key: "joined.bin", UploadId, PartNumber: 1, CopySource: `${BUCKET}/src/source.bin`, CopySourceRange: `bytes=0-${5 * MiB}` }));
    const p2 = await s3.send(new UploadPartCopyCommand({ Bucket: BUCKET, Key: "joined.bin", UploadId, PartNumber: 2, CopySource: `${BUCKET}/src/source.bin` }));
    const p3 = await s3.send(new UploadPartCopyCommand({ Bucket: BUCKET, Key: "joined.bin", UploadId, PartNumber: 3, CopySource: `/${BUCKET}/a/one.txt` }));
    const expected = Buffer.concat([source.subarray(0, 5 * MiB + 1), source, Buffer.from("one")]);
    expect(p1.CopyPartResult?.ETag).toBe(`"${crypto.createHash("md5").update(source.subarray(0, 5 * MiB + 1)).digest("hex")}"`);
    expect(p1.CopyPartResult?.LastModified).toBeInstanceOf(Date);
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: "joined.bin",
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: p1.CopyPartResult!.ETag },
            { PartNumber: 2, ETag: p2.CopyPartResult!.ETag },
            { PartNumber: 3, ETag: p3.CopyPartResult!.ETag },
          ],
        },
      }),
    );
    const got = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: "joined.bin" }))).Body!.transformToByteArray());
    expect(got.equals(expected)).toBe(true);
  });

  it("a range past the source's end, a malformed range and a missing source are refused, and no part is written", async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: "refused.bin" }));
    const past = await sdkFailure(s3.send(new UploadPartCopyCommand({ Bucket: BUCKET, Key: "refused.bin", UploadId, PartNumber: 1, CopySource: `${BUCKET}/a/one.txt`, CopySourceRange: "bytes=0-3" })));
    expect(past).toMatchObject({ code: "InvalidArgument", status: 400 });
    const malformed = await sdkFailure(s3.send(new UploadPartCopyCommand({ Bucket: BUCKET, Key: "refused.bin", UploadId, PartNumber: 1, CopySource: `${BUCKET}/a/one.txt`, CopySourceRange: "bytes=2-1" })));
    expect(malformed).toMatchObject({ code: "InvalidArgument", status: 400 });
    const missing = await sdkFailure(s3.send(new UploadPartCopyCommand({ Bucket: BUCKET, Key: "refused.bin", UploadId, PartNumber: 1, CopySource: `${BUCKET}/nothing-here` })));
    expect(missing).toMatchObject({ code: "NoSuchKey", status: 404 });
    const noUpload = await sdkFailure(s3.send(new UploadPartCopyCommand({ Bucket: BUCKET, Key: "refused.bin", UploadId: "not-an-upload", PartNumber: 1, CopySource: `${BUCKET}/a/one.txt` })));
    expect(noUpload).toMatchObject({ code: "NoSuchUpload", status: 404 });
    expect(await db().multipartPart.count({ where: { uploadId: UploadId } })).toBe(0);
  });
});

describe("GetObjectAttributes", () => {
  it("answers the attributes asked for: ETag without quotes, size, storage class, and a multipart object's part count", async () => {
    const single = await s3.send(new GetObjectAttributesCommand({ Bucket: BUCKET, Key: "a/one.txt", ObjectAttributes: ["ETag", "ObjectSize", "StorageClass"] }));
    expect([single.ETag, single.ObjectSize, single.StorageClass, single.ObjectParts]).toEqual([crypto.createHash("md5").update("one").digest("hex"), 3, "STANDARD", undefined]);
    expect(single.LastModified).toBeInstanceOf(Date);
    const multi = await aws(api.endpoint, admin, "s3api", "get-object-attributes", "--bucket", BUCKET, "--key", "joined.bin", "--object-attributes", "ObjectParts", "ObjectSize");
    expect(multi.stderr).toBe("");
    expect(multi.json).toMatchObject({ ObjectSize: 5 * MiB + 1 + source.length + 3, ObjectParts: { TotalPartsCount: 3 } });
    const bad = await aws(api.endpoint, admin, "s3api", "get-object-attributes", "--bucket", BUCKET, "--key", "a/one.txt", "--object-attributes", "Colour");
    expect(bad.stderr).toContain("InvalidArgument");
    const missing = await sdkFailure(s3.send(new GetObjectAttributesCommand({ Bucket: BUCKET, Key: "no/such.txt", ObjectAttributes: ["ETag"] })));
    expect(missing).toMatchObject({ code: "NoSuchKey", status: 404 });
  });
});

describe("bucket settings with S3's defaults", () => {
  it("default encryption is SSE-S3 until set, and again after DeleteBucketEncryption", async () => {
    const sse = async () => (await s3.send(new GetBucketEncryptionCommand({ Bucket: BUCKET }))).ServerSideEncryptionConfiguration?.Rules;
    expect(await sse()).toEqual([{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" }, BucketKeyEnabled: false }]);
    await s3.send(new PutBucketEncryptionCommand({ Bucket: BUCKET, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: "alias/lab" }, BucketKeyEnabled: true }] } }));
    expect(await sse()).toEqual([{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: "alias/lab" }, BucketKeyEnabled: true }]);
    const bad = await sdkFailure(s3.send(new PutBucketEncryptionCommand({ Bucket: BUCKET, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "ROT13" as "AES256" } }] } })));
    expect(bad).toMatchObject({ code: "MalformedXML", status: 400 });
    await s3.send(new DeleteBucketEncryptionCommand({ Bucket: BUCKET }));
    expect((await aws(api.endpoint, admin, "s3api", "get-bucket-encryption", "--bucket", BUCKET)).json.ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault).toEqual({ SSEAlgorithm: "AES256" });
  });

  it("Object Ownership is BucketOwnerEnforced by default; changed, deleted (then OwnershipControlsNotFoundError), put back", async () => {
    const rules = async () => (await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: BUCKET }))).OwnershipControls?.Rules;
    expect(await rules()).toEqual([{ ObjectOwnership: "BucketOwnerEnforced" }]);
    await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: BUCKET, OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerPreferred" }] } }));
    expect(await rules()).toEqual([{ ObjectOwnership: "BucketOwnerPreferred" }]);
    await s3.send(new DeleteBucketOwnershipControlsCommand({ Bucket: BUCKET }));
    expect(await sdkFailure(s3.send(new GetBucketOwnershipControlsCommand({ Bucket: BUCKET })))).toMatchObject({ code: "OwnershipControlsNotFoundError", status: 404 });
    const bad = await sdkFailure(s3.send(new PutBucketOwnershipControlsCommand({ Bucket: BUCKET, OwnershipControls: { Rules: [{ ObjectOwnership: "Everyone" as "ObjectWriter" }] } })));
    expect(bad).toMatchObject({ code: "MalformedXML", status: 400 });
    await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: BUCKET, OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] } }));
    expect(await rules()).toEqual([{ ObjectOwnership: "BucketOwnerEnforced" }]);
  });

  it("notifications, request payment, acceleration and website answer S3's defaults", async () => {
    const n = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: BUCKET }));
    expect([n.TopicConfigurations, n.QueueConfigurations, n.LambdaFunctionConfigurations]).toEqual([undefined, undefined, undefined]);
    expect((await s3.send(new GetBucketRequestPaymentCommand({ Bucket: BUCKET }))).Payer).toBe("BucketOwner");
    expect((await s3.send(new GetBucketAccelerateConfigurationCommand({ Bucket: BUCKET }))).Status).toBeUndefined();
    expect(await sdkFailure(s3.send(new GetBucketWebsiteCommand({ Bucket: BUCKET })))).toMatchObject({ code: "NoSuchWebsiteConfiguration", status: 404 });
    expect((await aws(api.endpoint, admin, "s3api", "get-bucket-request-payment", "--bucket", BUCKET)).json).toEqual({ Payer: "BucketOwner" });
    expect(await sdkFailure(s3.send(new GetBucketWebsiteCommand({ Bucket: "coverage-no-such-bucket" })))).toMatchObject({ code: "NoSuchBucket", status: 404 });
  });
});
