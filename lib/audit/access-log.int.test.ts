import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import type { Principal } from "@/lib/iam/principal";
import { failure, run } from "@/lib/iam/services/test-helpers";
import { readAll } from "@/lib/s3/blob-store";
import { putBucketLogging } from "@/lib/s3/buckets";
import { getObject, listObjectsV2, putObject } from "@/lib/s3/objects";
import { asUser, DEV } from "@/lib/testing/principals";
import { accessLogLine, flushAccessLogs, logTime, operationField } from "./access-log";

let admin: Principal;
const SOURCE = "example-dev-assets";
const TARGET = "example-dev-scratch";

async function logLines(): Promise<string[]> {
  const listed = await run(admin, listObjectsV2(admin, { bucket: TARGET, prefix: "access-logs/" }));
  const lines: string[] = [];
  for (const o of listed.Contents) {
    const got = await run(admin, getObject(admin, { bucket: TARGET, key: o.Key }));
    lines.push(...(await readAll(got.Body)).toString("utf8").trimEnd().split("\n"));
  }
  return lines;
}

beforeAll(async () => {
  admin = await asUser("admin");
  await run(admin, putBucketLogging(admin, { bucket: SOURCE, loggingEnabled: { TargetBucket: TARGET, TargetPrefix: "access-logs/" } }));
  await flushAccessLogs();
});

describe("the log line", () => {
  it("has S3's fields in S3's order", () => {
    const line = accessLogLine({
      bucketOwner: DEV,
      bucket: "b",
      time: new Date("2019-02-06T00:00:38Z"),
      remoteIp: "192.0.2.3",
      requester: "arn:aws:iam::123456789012:user/alice",
      requestId: "3E57427F3EXAMPLE",
      operation: "REST.GET.OBJECT",
      key: "photos/a b.jpg",
      requestUri: "GET /b/photos/a%20b.jpg HTTP/1.1",
      httpStatus: 200,
      errorCode: undefined,
      bytesSent: 113,
      objectSize: 113,
      totalTimeMs: 7,
      userAgent: "aws-cli/2",
      signatureVersion: "SigV4",
      authType: "AuthHeader",
      host: "s3.us-east-1.amazonaws.com",
    });
    const fields = line.match(/"[^"]*"|\[[^\]]*\]|\S+/g)!;
    expect(fields.slice(0, 14)).toEqual([
      DEV,
      "b",
      "[06/Feb/2019:00:00:38 +0000]",
      "192.0.2.3",
      "arn:aws:iam::123456789012:user/alice",
      "3E57427F3EXAMPLE",
      "REST.GET.OBJECT",
      "photos/a%20b.jpg",
      '"GET /b/photos/a%20b.jpg HTTP/1.1"',
      "200",
      "-",
      "113",
      "113",
      "7",
    ]);
    expect(fields).toHaveLength(26);
    expect(logTime(new Date("2026-12-02T09:05:01Z"))).toBe("[02/Dec/2026:09:05:01 +0000]");
    expect(operationField("DeleteObjects")).toBe("REST.POST.MULTI_OBJECT_DELETE");
    expect(operationField("GetBucketTagging")).toBe("REST.GET.TAGGING");
  });
});

describe("server access logging", () => {
  it("writes a line for each request to the logged bucket, allowed or refused, into the target prefix", async () => {
    await run(admin, putObject(admin, { bucket: SOURCE, key: "logged/one.txt", body: new TextEncoder().encode("one") }));
    await run(admin, getObject(admin, { bucket: SOURCE, key: "logged/one.txt" })).then((o) => o.Body.close());
    expect((await failure(admin, getObject(admin, { bucket: SOURCE, key: "logged/missing.txt" }))).code).toBe("NoSuchKey");
    // A request to a bucket without logging leaves no line.
    await run(admin, putObject(admin, { bucket: TARGET, key: "unlogged.txt", body: new TextEncoder().encode("x") }));
    await flushAccessLogs();
    const lines = await logLines();
    const ours = lines.filter((l) => l.includes("logged/"));
    expect(ours).toHaveLength(3);
    const [put, get, missing] = ours.map((l) => l.match(/"[^"]*"|\[[^\]]*\]|\S+/g)!);
    expect(put!.slice(0, 2)).toEqual([DEV, SOURCE]);
    expect(put![4]).toBe(admin.arn);
    expect([put![6], put![7], put![9]]).toEqual(["REST.PUT.OBJECT", "logged/one.txt", "200"]);
    expect([get![6], get![9]]).toEqual(["REST.GET.OBJECT", "200"]);
    expect([missing![6], missing![9], missing![10]]).toEqual(["REST.GET.OBJECT", "404", "NoSuchKey"]);
    expect(lines.some((l) => l.includes("unlogged.txt"))).toBe(false);
    expect(await db().s3Object.count({ where: { bucketName: TARGET, key: { startsWith: "access-logs/" } } })).toBeGreaterThan(0);
  });

  it("batches: many requests become few log objects", async () => {
    const before = await db().s3Object.count({ where: { bucketName: TARGET, key: { startsWith: "access-logs/" } } });
    for (let i = 0; i < 12; i++) await run(admin, listObjectsV2(admin, { bucket: SOURCE, prefix: "logged/" }));
    await flushAccessLogs();
    const after = await db().s3Object.count({ where: { bucketName: TARGET, key: { startsWith: "access-logs/" } } });
    expect(after - before).toBe(1);
    expect((await logLines()).filter((l) => l.includes("REST.GET.BUCKET"))).toHaveLength(12);
  });
});
