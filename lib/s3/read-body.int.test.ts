// The console upload's body reading, and what PutObject then does with it:
// exact bytes within the limit, EntityTooLarge (audited) above it, and never a
// truncated object when the body arrives shorter than its Content-Length.
import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { IamError } from "@/lib/iam/errors";
import { runOperation } from "@/lib/iam/operation";
import { getObject, putObject } from "@/lib/s3/objects";
import { asUser, testRequest } from "@/lib/testing/principals";
import { readUploadBody } from "./read-body";
import { readAll } from "@/lib/s3/blob-store";

const LIMIT = 64 * 1024;

/** A request whose body arrives in chunks, optionally declaring a Content-Length. */
function upload(bytes: Uint8Array, declared: number | null = bytes.byteLength, chunk = 5000): Request {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.byteLength; i += chunk) controller.enqueue(bytes.slice(i, i + chunk));
      controller.close();
    },
  });
  const headers = declared === null ? {} : { "content-length": String(declared) };
  return new Request("http://console.test/s3/example-dev-scratch/upload?key=x", { method: "POST", body: stream, headers, duplex: "half" } as RequestInit);
}

async function put(key: string, body: Uint8Array) {
  const admin = await asUser("admin");
  return runOperation({ ...putObject(admin, { bucket: "example-dev-scratch", key, body, maxBytes: LIMIT }), principal: admin, request: testRequest() });
}

describe("readUploadBody", () => {
  it("returns the bytes exactly when they fit, and PutObject stores them", async () => {
    const bytes = crypto.randomBytes(LIMIT);
    const body = await readUploadBody(upload(bytes), LIMIT);
    expect(Buffer.from(body).equals(bytes)).toBe(true);
    await put("upload/exact.bin", body);
    const admin = await asUser("admin");
    const got = await runOperation({ ...getObject(admin, { bucket: "example-dev-scratch", key: "upload/exact.bin" }), principal: admin, request: testRequest() });
    expect((await readAll(got.Body)).equals(bytes)).toBe(true);
  });

  it.each([
    ["declared larger than the limit", LIMIT + 1],
    ["streamed without a Content-Length", null],
  ])("hands PutObject a body over the limit when it is %s; PutObject refuses it with EntityTooLarge and audits it", async (_case, declared) => {
    const bytes = crypto.randomBytes(LIMIT + 1);
    const body = await readUploadBody(upload(bytes, declared), LIMIT);
    expect(body.byteLength).toBeGreaterThan(LIMIT);
    const err = await put("upload/too-big.bin", body).then(
      () => null,
      (e: unknown) => e as IamError,
    );
    expect(err?.code).toBe("EntityTooLarge");
    expect(err?.message).toBe("Your proposed upload exceeds the maximum allowed object size.");
    expect(await db().s3Object.findUnique({ where: { bucketName_key: { bucketName: "example-dev-scratch", key: "upload/too-big.bin" } } })).toBeNull();
    const audit = await db().auditEvent.findFirst({ where: { eventName: "PutObject", errorCode: "EntityTooLarge" } });
    expect(audit).not.toBeNull();
  });

  it("refuses a body shorter than its Content-Length instead of storing it cut", async () => {
    const bytes = crypto.randomBytes(1000);
    const err = await readUploadBody(upload(bytes, 4000), LIMIT).then(
      () => null,
      (e: unknown) => e as IamError,
    );
    expect(err).toBeInstanceOf(IamError);
    expect(err?.code).toBe("InternalFailure");
    expect(err?.message).toContain("1000 of 4000 bytes");
  });
});
