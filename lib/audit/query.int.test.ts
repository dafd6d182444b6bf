import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record";
import { IamError } from "@/lib/iam/errors";
import type { Principal } from "@/lib/iam/principal";
import { asUser, DEV, PROD, testRequest } from "@/lib/testing/principals";
import { failure, nobody, run } from "@/lib/iam/services/test-helpers";
import { getAuditEvent, lookupEvents, parseAuditFilter, toCloudTrailRecord } from "./query";

let admin: Principal;
let bob: Principal;

/** Writes audit rows with controlled times, the way operations write them. */
async function record(principal: Principal, eventName: string, at: Date, extra: { errorCode?: string; readOnly?: boolean; accountId?: string } = {}) {
  const request = testRequest();
  await db().$transaction(async (tx) => {
    await recordAudit(tx, {
      principal,
      request,
      eventSource: "iam.amazonaws.com",
      eventName,
      readOnly: extra.readOnly ?? true,
      recipientAccountId: extra.accountId,
      errorCode: extra.errorCode,
      errorMessage: extra.errorCode ? `${extra.errorCode} happened` : undefined,
      resources: [{ ARN: `arn:aws:iam::${DEV}:user/target` }],
    });
  });
  // recordAudit stamps "now": move the row to the wanted time.
  await db().auditEvent.updateMany({ where: { requestId: request.requestId }, data: { eventTime: at } });
}

const base = new Date("2030-01-01T00:00:00Z").getTime();
const at = (minutes: number) => new Date(base + minutes * 60_000);

beforeAll(async () => {
  admin = await asUser("admin");
  bob = await asUser("bob");
  for (let i = 0; i < 7; i++) await record(admin, "QueryTestList", at(i));
  // Two events in the same second: the id decides their order.
  await record(admin, "QueryTestTie", at(100));
  await record(admin, "QueryTestTie", at(100));
  await record(bob, "QueryTestWrite", at(50), { errorCode: "AccessDenied", readOnly: false });
  await record(admin, "QueryTestElsewhere", at(60), { accountId: PROD });
});

describe("parseAuditFilter", () => {
  it("reads a bare event name and key:value terms", () => {
    expect(parseAuditFilter("ConsoleLogin user:bob error:AccessDenied access:write")).toEqual({
      eventName: "ConsoleLogin",
      user: "bob",
      errorCode: "AccessDenied",
      readOnly: false,
    });
    expect(parseAuditFilter("access:read")).toEqual({ readOnly: true });
    expect(parseAuditFilter("")).toEqual({});
  });
  it("refuses a bad access value and an empty key", () => {
    expect(() => parseAuditFilter("access:sometimes")).toThrow(IamError);
    expect(() => parseAuditFilter("user:")).toThrow(/needs a value/);
  });
});

describe("lookupEvents", () => {
  it("pages newest first on (eventTime, id) without gaps or repeats", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await run(admin, lookupEvents(admin, { q: "QueryTestList", pageSize: 3, cursor }));
      expect(page.total).toBe(7);
      expect(page.offset).toBe(seen.length);
      seen.push(...page.items.map((e) => e.eventTime.toISOString()));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual([6, 5, 4, 3, 2, 1, 0].map((m) => at(m).toISOString()));
  });

  it("orders events of the same time by id and pages through them", async () => {
    const first = await run(admin, lookupEvents(admin, { q: "event:QueryTestTie", pageSize: 1 }));
    const second = await run(admin, lookupEvents(admin, { q: "event:QueryTestTie", pageSize: 1, cursor: first.nextCursor }));
    expect(first.items[0]!.id > second.items[0]!.id).toBe(true);
    expect(second.nextCursor).toBeUndefined();
  });

  it("filters by user, error code and read-only, in the caller's account only", async () => {
    const byBob = await run(admin, lookupEvents(admin, { q: "user:bob error:AccessDenied" }));
    expect(byBob.items.map((e) => e.eventName)).toContain("QueryTestWrite");
    expect(byBob.items.every((e) => e.identityUserName === "bob" && e.errorCode === "AccessDenied")).toBe(true);
    const byArn = await run(admin, lookupEvents(admin, { q: `QueryTestWrite user:${bob.arn}` }));
    expect(byArn.total).toBe(1);
    const writes = await run(admin, lookupEvents(admin, { q: "QueryTestWrite access:write error:*" }));
    expect(writes.total).toBe(1);
    expect((await run(admin, lookupEvents(admin, { q: "QueryTestWrite access:read" }))).total).toBe(0);
    expect((await run(admin, lookupEvents(admin, { q: "QueryTestElsewhere" }))).total).toBe(0);
  });

  it("refuses a forged next token", async () => {
    const err = await failure(admin, lookupEvents(admin, { cursor: "not-a-token" }));
    expect(err.code).toBe("InvalidInput");
  });

  it("is cloudtrail:LookupEvents through the gate, and is itself audited", async () => {
    const none = await nobody(admin, "audit-nobody");
    await expect(run(none, lookupEvents(none, {}))).rejects.toThrow(/not authorized to perform: cloudtrail:LookupEvents on resource: \*/);
    const denial = await db().auditEvent.findFirst({ where: { identityArn: none.arn, eventName: "LookupEvents" } });
    expect(denial?.errorCode).toBe("AccessDenied");
    // bob's ReadOnlyAccess includes cloudtrail:LookupEvents.
    await run(bob, lookupEvents(bob, { q: "QueryTestList", pageSize: 1 }));
  });
});

describe("getAuditEvent and the CloudTrail record", () => {
  it("returns one event of the account, shaped as CloudTrail delivers it", async () => {
    const page = await run(admin, lookupEvents(admin, { q: "QueryTestWrite" }));
    const row = await run(admin, getAuditEvent(admin, { eventId: page.items[0]!.id }));
    const ct = toCloudTrailRecord(row) as Record<string, any>;
    expect(ct.eventID).toBe(row.id);
    expect(ct.eventTime).toBe("2030-01-01T00:50:00Z");
    expect(ct.userIdentity).toMatchObject({ type: "IAMUser", arn: bob.arn, userName: "bob", accountId: DEV });
    expect(ct.userIdentity.sessionContext.attributes.mfaAuthenticated).toBe("false");
    expect(ct.errorCode).toBe("AccessDenied");
    expect(ct.readOnly).toBe(false);
    expect(ct.resources).toEqual([{ ARN: `arn:aws:iam::${DEV}:user/target`, accountId: DEV, type: "AWS::IAM::User" }]);
  });

  it("names the session issuer of an assumed-role session", () => {
    const ct = toCloudTrailRecord({
      id: "e1",
      eventTime: new Date("2030-01-01T00:00:00.123Z"),
      eventSource: "s3.amazonaws.com",
      eventName: "ListBuckets",
      eventType: "AwsApiCall",
      eventCategory: "Management",
      awsRegion: "us-east-1",
      readOnly: true,
      requestId: "r1",
      recipientAccountId: PROD,
      identityType: "AssumedRole",
      identityArn: `arn:aws:sts::${PROD}:assumed-role/ProdReadOnly/alice`,
      identityAccountId: PROD,
      identityPrincipalId: "AROAEXAMPLE:alice",
      identityUserName: null,
      identityAccessKeyId: "ASIAEXAMPLE",
      sessionIssuerArn: `arn:aws:iam::${PROD}:role/ProdReadOnly`,
      sessionCreationDate: new Date("2030-01-01T00:00:00Z"),
      mfaAuthenticated: true,
      sourceIdentity: null,
      sourceIPAddress: "203.0.113.1",
      userAgent: "test",
      requestParameters: null,
      responseElements: null,
      resources: null,
      errorCode: null,
      errorMessage: null,
    }) as Record<string, any>;
    expect(ct.userIdentity.sessionContext).toEqual({
      sessionIssuer: { type: "Role", principalId: "AROAEXAMPLE", arn: `arn:aws:iam::${PROD}:role/ProdReadOnly`, accountId: PROD, userName: "ProdReadOnly" },
      attributes: { creationDate: "2030-01-01T00:00:00Z", mfaAuthenticated: "true" },
    });
    expect(ct.eventTime).toBe("2030-01-01T00:00:00Z");
    expect(ct).not.toHaveProperty("errorCode");
  });

  it("does not show another account's event", async () => {
    const elsewhere = await db().auditEvent.findFirstOrThrow({ where: { eventName: "QueryTestElsewhere" } });
    const err = await failure(admin, getAuditEvent(admin, { eventId: elsewhere.id }));
    expect(err.code).toBe("InvalidInput");
  });
});
