// The SDKs' S3 uploads with their default checksums, against the API handler on
// a loopback port and this file's own database: SDK v3 (a buffer: SHA-256
// payload hash plus an x-amz-checksum-crc32 header; a stream: aws-chunked with a
// CRC32 trailer) and boto3 (put_object and upload_fileobj), each read back byte
// for byte; a checksum that does not match is refused and stores nothing.
import crypto from "node:crypto";
import { Readable } from "node:stream";
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueKey, sdkFailure, startTestApi, type TestApi } from "../test-server";
import { type Creds, run } from "./cli";

const SLOW = 240_000;

let api: TestApi;
let admin: Creds;
let s3: S3Client;

beforeAll(async () => {
  api = await startTestApi();
  admin = await issueKey("admin");
  s3 = new S3Client({ endpoint: api.endpoint, region: "us-east-1", forcePathStyle: true, credentials: admin, maxAttempts: 1 });
  await s3.send(new CreateBucketCommand({ Bucket: "sdk-bucket" }));
});
afterAll(() => api.close());

const body = async (key: string) => Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: "sdk-bucket", Key: key }))).Body!.transformToByteArray());

describe("SDK v3 PutObject with its default checksums", () => {
  it("a buffer: the payload's SHA-256 and a CRC32 header", async () => {
    const data = crypto.randomBytes(200_000);
    const put = await s3.send(new PutObjectCommand({ Bucket: "sdk-bucket", Key: "buffer.bin", Body: data }));
    expect(put.ETag).toBe(`"${crypto.createHash("md5").update(data).digest("hex")}"`);
    expect((await body("buffer.bin")).equals(data)).toBe(true);
  });

  it("a stream: aws-chunked with an x-amz-checksum-crc32 trailer", async () => {
    const data = crypto.randomBytes(1_500_000);
    const put = await s3.send(new PutObjectCommand({ Bucket: "sdk-bucket", Key: "stream.bin", Body: Readable.from([data.subarray(0, 700_000), data.subarray(700_000)]), ContentLength: data.length }));
    expect(put.ETag).toBe(`"${crypto.createHash("md5").update(data).digest("hex")}"`);
    expect((await body("stream.bin")).equals(data)).toBe(true);
  });

  it("a checksum that does not match the body is BadDigest, and nothing is stored", async () => {
    const failed = await sdkFailure(s3.send(new PutObjectCommand({ Bucket: "sdk-bucket", Key: "bad-checksum.bin", Body: Buffer.from("the real body"), ChecksumCRC32: "AAAAAA==" })));
    expect(failed).toMatchObject({ code: "BadDigest", status: 400 });
    expect((await sdkFailure(s3.send(new HeadObjectCommand({ Bucket: "sdk-bucket", Key: "bad-checksum.bin" })))).status).toBe(404);
  });
});

const BOTO3 = `
import hashlib, io, os, sys, boto3
from botocore.config import Config
s3 = boto3.client("s3", endpoint_url=os.environ["IAMLAB_ENDPOINT"], region_name="us-east-1",
                  config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
data = os.urandom(3 * 1024 * 1024 + 5)
s3.put_object(Bucket="sdk-bucket", Key="boto3/put.bin", Body=data)
assert s3.get_object(Bucket="sdk-bucket", Key="boto3/put.bin")["Body"].read() == data
print("ok put_object")
s3.upload_fileobj(io.BytesIO(data), "sdk-bucket", "boto3/upload.bin")
assert s3.get_object(Bucket="sdk-bucket", Key="boto3/upload.bin")["Body"].read() == data
print("ok upload_fileobj")
s3.put_object(Bucket="sdk-bucket", Key="boto3/sha256.bin", Body=data, ChecksumAlgorithm="SHA256")
head = s3.head_object(Bucket="sdk-bucket", Key="boto3/sha256.bin")
assert head["ContentLength"] == len(data)
print("ok SHA256 checksum")
`;

describe("boto3 with its default checksums", () => {
  it("put_object, upload_fileobj and an explicit SHA256 checksum, read back byte for byte", async () => {
    const r = await run("python3", ["-c", BOTO3], {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_CONFIG_FILE: "/dev/null",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_ACCESS_KEY_ID: admin.accessKeyId,
      AWS_SECRET_ACCESS_KEY: admin.secretAccessKey,
      IAMLAB_ENDPOINT: api.endpoint,
      PYTHONWARNINGS: "ignore",
    });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim().split("\n")).toEqual(["ok put_object", "ok upload_fileobj", "ok SHA256 checksum"]);
  }, SLOW);
});
