// Unsigned S3 requests, judged for the anonymous principal as AWS judges them:
// nothing without a bucket policy granting Principal "*"; with one, only the
// actions it grants, and not while Block Public Access's RestrictPublicBuckets
// is on. Plain HTTP (fetch, as curl would) and the AWS CLI's --no-sign-request.
import { CreateBucketCommand, DeletePublicAccessBlockCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { toCloudTrailRecord } from "@/lib/audit/query";
import { issueKey, startTestApi, type TestApi } from "../test-server";
import { clientEnv, type Creds, run } from "./cli";

const BUCKET = "anon-public-bucket";
const BODY = "public bytes\n";

let api: TestApi;
let admin: Creds;
let s3: S3Client;

const url = (key = "") => `${api.endpoint}/${BUCKET}${key ? `/${key}` : ""}`;
const codeOf = (xml: string) => /<Code>([^<]*)<\/Code>/.exec(xml)?.[1];

async function unsigned(method: string, target: string, body?: string): Promise<{ status: number; text: string }> {
  const r = await fetch(target, { method, body });
  return { status: r.status, text: await r.text() };
}

const publicRead = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Sid: "PublicRead", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/*` }],
});

beforeAll(async () => {
  api = await startTestApi();
  admin = await issueKey("admin");
  s3 = new S3Client({ endpoint: api.endpoint, region: "us-east-1", forcePathStyle: true, credentials: admin, maxAttempts: 1 });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "page.txt", Body: BODY }));
});
afterAll(() => api.close());

describe("anonymous S3 requests", () => {
  it("without a bucket policy every unsigned request is AccessDenied (403)", async () => {
    for (const [method, target] of [
      ["GET", url("page.txt")],
      ["HEAD", url("page.txt")],
      ["GET", url()],
      ["GET", `${api.endpoint}/`],
      ["PUT", url("new.txt")],
      ["DELETE", url("page.txt")],
    ] as const) {
      const r = await unsigned(method, target, method === "PUT" ? "x" : undefined);
      expect(r.status, `${method} ${target}`).toBe(403);
      if (method !== "HEAD") expect(codeOf(r.text), `${method} ${target}`).toBe("AccessDenied");
    }
    expect(await db().s3Object.count({ where: { bucketName: BUCKET, key: "new.txt" } })).toBe(0);
  });

  it("a public bucket policy grants nothing while RestrictPublicBuckets is on (the seed's default)", async () => {
    // The lab's SCP keeps PutBucketPolicy for the elevated role; the policy is put in place directly.
    await db().bucket.update({ where: { name: BUCKET }, data: { policy: publicRead } });
    const r = await unsigned("GET", url("page.txt"));
    expect(r.status).toBe(403);
    expect(codeOf(r.text)).toBe("AccessDenied");
  });

  it("with Block Public Access off, Principal \"*\" s3:GetObject lets fetch and the AWS CLI read, and nothing else", async () => {
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: BUCKET }));
    const got = await unsigned("GET", url("page.txt"));
    expect(got).toEqual({ status: 200, text: BODY });
    expect((await fetch(url("page.txt"), { method: "HEAD" })).headers.get("content-length")).toBe(String(BODY.length));

    const cli = await run("aws", ["s3", "cp", "--no-sign-request", `s3://${BUCKET}/page.txt`, "-"], clientEnv(api.endpoint, { accessKeyId: "", secretAccessKey: "" }));
    expect(cli.stderr).toBe("");
    expect(cli.stdout).toBe(BODY);

    // The policy grants GetObject only: writing, deleting and listing stay refused.
    const put = await unsigned("PUT", url("page.txt"), "overwritten");
    expect([put.status, codeOf(put.text)]).toEqual([403, "AccessDenied"]);
    const del = await unsigned("DELETE", url("page.txt"));
    expect([del.status, codeOf(del.text)]).toEqual([403, "AccessDenied"]);
    const list = await unsigned("GET", url());
    expect([list.status, codeOf(list.text)]).toEqual([403, "AccessDenied"]);
    const cliList = await run("aws", ["s3", "ls", "--no-sign-request", `s3://${BUCKET}/`], clientEnv(api.endpoint, { accessKeyId: "", secretAccessKey: "" }));
    expect(cliList.code).not.toBe(0);
    expect(cliList.stderr).toContain("AccessDenied");
    expect((await unsigned("GET", url("page.txt"))).text).toBe(BODY);
  });

  it("a missing key is AccessDenied for a caller without s3:ListBucket, as S3 hides which keys exist", async () => {
    const r = await unsigned("GET", url("no-such-key.txt"));
    expect([r.status, codeOf(r.text)]).toEqual([403, "AccessDenied"]);
  });

  it("a bucket that does not exist is NoSuchBucket (404)", async () => {
    const r = await unsigned("GET", `${api.endpoint}/anon-no-such-bucket/page.txt`);
    expect([r.status, codeOf(r.text)]).toEqual([404, "NoSuchBucket"]);
  });

  it("a refused anonymous request is audited in the bucket's account, as the anonymous caller", async () => {
    const account = (await db().bucket.findUniqueOrThrow({ where: { name: BUCKET } })).accountId;
    // Object-level calls are data events: the seed's trail selects this account's, so the refused PutObject is recorded.
    const refusal = await db().auditEvent.findFirst({ where: { eventName: "PutObject", identityType: "Anonymous" } });
    expect(refusal).toMatchObject({ recipientAccountId: account, identityAccountId: "anonymous", errorCode: "AccessDenied", organizationId: (await db().bucket.findUniqueOrThrow({ where: { name: BUCKET } })).organizationId });
    // CloudTrail names no principal for an unsigned request, only the "anonymous" account.
    expect(toCloudTrailRecord(refusal!).userIdentity).toEqual({ type: "AWSAccount", principalId: "", accountId: "anonymous" });
  });
});
