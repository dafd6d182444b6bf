import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import type { Principal } from "@/lib/iam/principal";
import { run } from "@/lib/iam/services/test-helpers";
import { getBucketLocation } from "@/lib/s3/buckets";
import { getObject, putObject } from "@/lib/s3/objects";
import { asUser, DEV } from "@/lib/testing/principals";
import { dataEventSelected } from "./data-events";

let admin: Principal;
const events = (eventName: string, key: string) =>
  db().auditEvent.findMany({ where: { eventName, identityArn: admin.arn, requestParameters: { contains: key } }, select: { errorCode: true, eventCategory: true, resources: true } });

beforeAll(async () => {
  admin = await asUser("admin");
  // Besides the seeded trail (writes in every bucket): reads under reports/ in example-dev-assets.
  const trail = await db().trail.create({ data: { organizationId: admin.organizationId, accountId: DEV, name: "reports-reads" } });
  await db().trailDataSelector.create({ data: { trailId: trail.id, accountId: DEV, bucket: "example-dev-assets", prefix: "reports/", readWriteType: "ReadOnly" } });
});

describe("dataEventSelected", () => {
  it("is true only where a selector covers the bucket, the prefix and the kind", async () => {
    const at = (bucket: string, key: string, readOnly: boolean) => dataEventSelected(db(), { accountId: DEV, bucket, key, readOnly });
    expect(await at("example-dev-assets", "reports/2026/q3.csv", true)).toBe(true);
    expect(await at("example-dev-assets", "README.txt", true)).toBe(false);
    expect(await at("example-dev-scratch", "reports/x", true)).toBe(false);
    expect(await at("example-dev-scratch", "anything", false)).toBe(true); // the seeded trail: writes everywhere
    expect(await dataEventSelected(db(), { accountId: "999999999999", bucket: "example-dev-assets", key: "reports/a", readOnly: true })).toBe(false);
  });

  it("ignores the selectors of a trail that is not logging", async () => {
    await db().trail.updateMany({ where: { accountId: DEV, name: "reports-reads" }, data: { isLogging: false } });
    try {
      expect(await dataEventSelected(db(), { accountId: DEV, bucket: "example-dev-assets", key: "reports/2026/q3.csv", readOnly: true })).toBe(false);
    } finally {
      await db().trail.updateMany({ where: { accountId: DEV, name: "reports-reads" }, data: { isLogging: true } });
    }
  });
});

describe("the pipeline records data events only where a trail selects them", () => {
  it("records a selected read and a selected write, with category Data and the object as resource", async () => {
    await run(admin, getObject(admin, { bucket: "example-dev-assets", key: "reports/2026/q3.csv" }));
    await run(admin, putObject(admin, { bucket: "example-dev-scratch", key: "data-events/written.txt", body: Buffer.from("x") }));
    const [read] = await events("GetObject", "reports/2026/q3.csv");
    expect(read).toMatchObject({ errorCode: null, eventCategory: "Data" });
    expect(JSON.parse(read!.resources!)).toEqual([{ ARN: "arn:aws:s3:::example-dev-assets/reports/2026/q3.csv", accountId: DEV, type: "AWS::S3::Object" }]);
    expect(await events("PutObject", "data-events/written.txt")).toHaveLength(1);
  });

  it("does not record an unselected read", async () => {
    await run(admin, getObject(admin, { bucket: "example-dev-assets", key: "README.txt" }));
    await run(admin, getObject(admin, { bucket: "example-dev-scratch", key: "data-events/written.txt" }));
    expect(await events("GetObject", "README.txt")).toHaveLength(0);
    expect(await events("GetObject", "data-events/written.txt")).toHaveLength(0);
  });

  it("records a selected read that fails, with its error code", async () => {
    await expect(run(admin, getObject(admin, { bucket: "example-dev-assets", key: "reports/missing.csv" }))).rejects.toMatchObject({ code: "NoSuchKey" });
    expect(await events("GetObject", "reports/missing.csv")).toMatchObject([{ errorCode: "NoSuchKey", eventCategory: "Data" }]);
  });

  it("always records management events", async () => {
    const before = await db().auditEvent.count({ where: { eventName: "GetBucketLocation", identityArn: admin.arn } });
    await run(admin, getBucketLocation(admin, { bucket: "example-dev-assets" }));
    expect(await db().auditEvent.count({ where: { eventName: "GetBucketLocation", identityArn: admin.arn } })).toBe(before + 1);
  });
});
