import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import type { Principal } from "@/lib/iam/principal";
import { failure, nobody, run } from "@/lib/iam/services/test-helpers";
import { getObject } from "@/lib/s3/objects";
import { asUser, DEV } from "@/lib/testing/principals";
import { dataEventSelected } from "./data-events";
import { checkTrailName, createTrail, deleteTrail, describeTrails, getEventSelectors, putEventSelectors, setLogging, storedSelectors } from "./trails";

let admin: Principal;
beforeAll(async () => {
  admin = await asUser("admin");
});

describe("trail names and selectors", () => {
  it("refuses names CloudTrail refuses", () => {
    for (const bad of ["ab", "-trail", "trail-", "my--trail", "my._trail", "10.0.0.1", "has space"]) expect(() => checkTrailName(bad), bad).toThrow(/not valid/);
    expect(() => checkTrailName("org.trail_2026-a")).not.toThrow();
  });

  it("maps EventSelectors to management choice and data selectors", () => {
    expect(
      storedSelectors([
        { readWriteType: "WriteOnly", includeManagementEvents: true, dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3:::bk1/", "arn:aws:s3:::bk2/logs/"] }] },
        { readWriteType: "ReadOnly", includeManagementEvents: false, dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3"] }] },
      ]),
    ).toEqual({
      includeManagementEvents: true,
      managementReadWriteType: "WriteOnly",
      data: [
        { bucket: "bk1", prefix: "", readWriteType: "WriteOnly" },
        { bucket: "bk2", prefix: "logs/", readWriteType: "WriteOnly" },
        { bucket: "", prefix: "", readWriteType: "ReadOnly" },
      ],
    });
    expect(() => storedSelectors([{ dataResources: [{ type: "AWS::Lambda::Function", values: ["arn:aws:lambda"] }] }])).toThrow(/not supported/);
    expect(() => storedSelectors([{ dataResources: [{ type: "AWS::S3::Object", values: ["s3://bucket"] }] }])).toThrow(/DataResources.Values/);
    expect(() => storedSelectors([])).toThrow(/between 1 and 5/);
  });
});

describe("trail operations", () => {
  it("creates, describes, selects data events, stops and deletes a trail", async () => {
    const created = await run(admin, createTrail(admin, { name: "ops-test" }));
    expect(created).toMatchObject({ Name: "ops-test", TrailARN: `arn:aws:cloudtrail:us-east-1:${DEV}:trail/ops-test`, IsLogging: true });
    expect((await failure(admin, createTrail(admin, { name: "ops-test" }))).code).toBe("TrailAlreadyExistsException");

    const at = { accountId: DEV, bucket: "example-dev-assets", key: "images/logo.svg", readOnly: true };
    expect(await dataEventSelected(db(), at)).toBe(false);
    const put = await run(
      admin,
      putEventSelectors(admin, {
        trailName: "ops-test",
        eventSelectors: [{ readWriteType: "All", includeManagementEvents: true, dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3:::example-dev-assets/images/"] }] }],
      }),
    );
    expect(put.EventSelectors).toEqual([
      { ReadWriteType: "All", IncludeManagementEvents: true, DataResources: [{ Type: "AWS::S3::Object", Values: ["arn:aws:s3:::example-dev-assets/images/"] }], ExcludeManagementEventSources: [] },
    ]);
    expect((await run(admin, getEventSelectors(admin, { trailName: `arn:aws:cloudtrail:us-east-1:${DEV}:trail/ops-test` }))).EventSelectors).toEqual(put.EventSelectors);
    expect(await dataEventSelected(db(), at)).toBe(true);

    // The pipeline now records the read.
    await run(admin, getObject(admin, { bucket: "example-dev-assets", key: "images/logo.svg" }));
    expect(await db().auditEvent.count({ where: { eventName: "GetObject", resourceName: "example-dev-assets/images/logo.svg" } })).toBe(1);

    await run(admin, setLogging(admin, { name: "ops-test" }, false));
    expect(await dataEventSelected(db(), at)).toBe(false);
    const listed = await run(admin, describeTrails(admin, {}));
    expect(listed.trailList.find((t) => t.Name === "ops-test")).toMatchObject({ IsLogging: false, HasCustomEventSelectors: true });

    await run(admin, deleteTrail(admin, { name: "ops-test" }));
    expect((await failure(admin, getEventSelectors(admin, { trailName: "ops-test" }))).code).toBe("TrailNotFoundException");
    expect(await db().trailDataSelector.count({ where: { accountId: DEV, bucket: "example-dev-assets" } })).toBe(0);
  });

  it("is gated as cloudtrail:* actions on the trail", async () => {
    const none = await nobody(admin, "trail-nobody");
    await expect(run(none, createTrail(none, { name: "nope-trail" }))).rejects.toThrow(
      new RegExp(`not authorized to perform: cloudtrail:CreateTrail on resource: arn:aws:cloudtrail:us-east-1:${DEV}:trail/nope-trail`),
    );
    expect(await db().trail.count({ where: { name: "nope-trail" } })).toBe(0);
  });

  it("allows at most five trails per account", async () => {
    const existing = await db().trail.count({ where: { accountId: DEV } });
    for (let i = existing; i < 5; i++) await run(admin, createTrail(admin, { name: `limit-${i}` }));
    expect((await failure(admin, createTrail(admin, { name: "limit-extra" }))).code).toBe("MaximumNumberOfTrailsExceededException");
  });
});
