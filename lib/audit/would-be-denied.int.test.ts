// The event history's "Would-be denied" quick filter (decision:would-be-denied):
// with report-only on, bob's refused-by-policy requests go through and are
// recorded as would-be denials; the filter shows exactly those, reads among
// them, and neither real refusals nor ordinary successes.
import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { IAM, S3 } from "@/lib/iam/catalogue";
import type { CatalogueOperation } from "@/lib/iam/catalogue/operation";
import type { IamError } from "@/lib/iam/errors";
import type { Principal } from "@/lib/iam/principal";
import { setReportOnlyMode } from "@/lib/iam/report-only";
import { run } from "@/lib/iam/services/test-helpers";
import { asUser } from "@/lib/testing/principals";
import { lookupEvents, parseAuditFilter, toCloudTrailRecord } from "./query";

let admin: Principal;
let bob: Principal;
const call = <S extends z.ZodType, T>(who: Principal, op: CatalogueOperation<S, T>, input: unknown) => run(who, op.operation(op.input.parse(input), who));
const Q = "decision:would-be-denied";

beforeAll(async () => {
  admin = await asUser("admin");
  bob = await asUser("bob");
  await run(admin, setReportOnlyMode(admin, { enabled: true }));
  // bob reads (ReadOnlyAccess): his writes would be denied, and go through.
  await call(bob, IAM.CreateGroup, { groupName: "wbd-group" });
  await call(bob, S3.CreateBucket, { bucket: "wbd-bucket" });
  // An ordinary success, and a refusal report-only never relaxes (its own switch).
  await call(admin, IAM.CreateGroup, { groupName: "wbd-admins" });
  const refused = await run(bob, setReportOnlyMode(bob, { enabled: false })).then(
    () => null,
    (e: unknown) => e as IamError,
  );
  expect(refused?.code).toBe("AccessDenied");
  await run(admin, setReportOnlyMode(admin, { enabled: false }));
});

describe("the Would-be denied filter", () => {
  it("shows exactly the requests report-only let through, newest first", async () => {
    const page = await run(admin, lookupEvents(admin, { q: Q, withActivity: true }));
    expect(page.items.map((e) => `${e.eventName}:${e.identityUserName}`)).toEqual(["CreateBucket:bob", "CreateGroup:bob"]);
    expect(page.items.every((e) => e.wouldBeDenied && e.errorCode === null)).toBe(true);
    expect(page.total).toBe(2);
    // Its CloudTrail JSON marks each.
    for (const e of page.items) expect(toCloudTrailRecord(e)).toMatchObject({ iamLabAuthorization: { wouldBeDenied: true } });
    // The activity picture follows the filter: two events, both allowed.
    const buckets = page.activity?.buckets ?? [];
    expect(buckets.reduce((n, b) => n + b.allowed, 0)).toBe(2);
    expect(buckets.reduce((n, b) => n + b.denied + b.failed, 0)).toBe(0);
  });

  it("combines with the other filters", async () => {
    const groups = await run(admin, lookupEvents(admin, { q: `${Q} CreateGroup` }));
    expect(groups.items.map((e) => e.identityUserName)).toEqual(["bob"]);
    const admins = await run(admin, lookupEvents(admin, { q: `${Q} user:admin`, includeReadOnly: true }));
    expect(admins.items).toEqual([]);
  });

  it("refuses a decision it does not know, with InvalidInput", () => {
    expect(parseAuditFilter("decision:wouldbedenied").wouldBeDenied).toBe(true);
    expect(() => parseAuditFilter("decision:maybe")).toThrow(/decision: takes would-be-denied/);
  });
});
