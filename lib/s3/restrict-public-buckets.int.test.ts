import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { runOperation } from "@/lib/iam/operation";
import { asUser, testRequest } from "@/lib/testing/principals";
import { getObject } from "./objects";
import { readAll } from "@/lib/s3/blob-store";

const BUCKET = "example-prod-logs";
const KEY = "2026/11/27/app.log";
const publicRead = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/*` }],
});

async function readAsDevAdmin() {
  const admin = await asUser("admin");
  return runOperation({ ...getObject(admin, { bucket: BUCKET, key: KEY }), principal: admin, request: testRequest() });
}

describe("Block Public Access: RestrictPublicBuckets", () => {
  it("keeps a public bucket policy from granting anything to another account while it is on", async () => {
    await db().bucket.update({ where: { name: BUCKET }, data: { policy: publicRead, blockPublicPolicy: false, restrictPublicBuckets: true } });
    const refused = await readAsDevAdmin().catch((e) => e);
    expect(refused.code).toBe("AccessDenied");

    await db().bucket.update({ where: { name: BUCKET }, data: { restrictPublicBuckets: false } });
    const object = await readAsDevAdmin();
    expect((await readAll(object.Body)).toString()).toContain("INFO started");
  });
});
