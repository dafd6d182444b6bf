import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { db, type Tx } from "@/lib/db/client";
import { IAM } from "@/lib/iam/catalogue";
import { runOperation } from "@/lib/iam/operation";
import { asUser, DEV, PROD, testRequest } from "@/lib/testing/principals";
import { LIVE_LOOKBACK_MS, LiveFeed, liveFilterOf, openLiveStream } from "./live-stream";

const tx = () => db() as unknown as Tx;

describe("the live policy stream's feed", () => {
  it("sends new events of the caller's account once each, with permission, decision and deciding statement", async () => {
    const [admin, bob] = await Promise.all([asUser("admin"), asUser("bob")]);
    const feed = new LiveFeed(DEV, {}, new Date());
    await runOperation({ ...IAM.CreateGroup.operation(IAM.CreateGroup.input.parse({ groupName: "LiveGroup" }), admin), principal: admin, request: testRequest() });
    await runOperation({ ...IAM.CreateGroup.operation(IAM.CreateGroup.input.parse({ groupName: "LiveDenied" }), bob), principal: bob, request: testRequest() }).catch(() => null);
    const first = await feed.next(tx());
    const allowed = first.find((e) => e.eventName === "CreateGroup" && e.identityArn === admin.arn);
    const denied = first.find((e) => e.eventName === "CreateGroup" && e.identityArn === bob.arn);
    expect(allowed).toMatchObject({ outcome: "allowed", action: "iam:CreateGroup", resource: `arn:aws:iam::${DEV}:group/LiveGroup` });
    expect(allowed?.decisions[0]).toMatchObject({ decision: "Allowed", policyName: "AdministratorAccess", policyId: "arn:aws:iam::aws:policy/AdministratorAccess", statement: "statement 1" });
    expect(denied).toMatchObject({ outcome: "denied", errorCode: "AccessDenied", action: "iam:CreateGroup" });
    expect(denied?.decisions[0]).toMatchObject({ decision: "ImplicitlyDenied", enforced: true, policyKind: "an identity-based policy" });
    // Nothing twice; nothing new means nothing sent.
    expect(await feed.next(tx())).toEqual([]);
  });

  it("still sends an event whose transaction committed after a newer one was sent", async () => {
    const feed = new LiveFeed(DEV, {}, new Date());
    const now = Date.now();
    const row = (id: string, at: number) => ({
      id,
      organizationId: "o-examplecorp",
      recipientAccountId: DEV,
      eventTime: new Date(at),
      eventSource: "iam.amazonaws.com",
      eventName: "GetUser",
      readOnly: true,
      requestId: id,
      identityType: "Root",
    });
    const newer = crypto.randomUUID();
    const late = crypto.randomUUID();
    await db().auditEvent.create({ data: row(newer, now + 50) });
    expect((await feed.next(tx())).map((e) => e.id)).toContain(newer);
    await db().auditEvent.create({ data: row(late, now + 10) }); // older time, visible later
    expect((await feed.next(tx())).map((e) => e.id)).toEqual([late]);
    await db().auditEvent.create({ data: row(crypto.randomUUID(), now - LIVE_LOOKBACK_MS - 5_000) }); // past the window: a stream's history, not its news
    expect(await feed.next(tx())).toEqual([]);
  });

  it("shows only the caller's account, filtered by principal", async () => {
    const [admin, bob] = await Promise.all([asUser("admin"), asUser("bob")]);
    const onlyBob = new LiveFeed(DEV, liveFilterOf(new URLSearchParams("principal=bob")), new Date());
    const prod = new LiveFeed(PROD, {}, new Date());
    await runOperation({ ...IAM.GetUser.operation(IAM.GetUser.input.parse({ userName: "bob" }), admin), principal: admin, request: testRequest() });
    await runOperation({ ...IAM.GetUser.operation(IAM.GetUser.input.parse({ userName: "bob" }), bob), principal: bob, request: testRequest() });
    const seen = await onlyBob.next(tx());
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((e) => e.identityArn === bob.arn)).toBe(true);
    expect((await prod.next(tx())).filter((e) => e.identityArn === bob.arn || e.identityArn === admin.arn)).toEqual([]);
    expect(() => liveFilterOf(new URLSearchParams(`principal=${"x".repeat(257)}`))).toThrow(/at most 256/);
  });

  it("is opened through the gate: cloudtrail:LookupEvents, refused without it, audited either way", async () => {
    const admin = await asUser("admin");
    await runOperation({ ...IAM.CreateUser.operation(IAM.CreateUser.input.parse({ userName: "no-policies" }), admin), principal: admin, request: testRequest() });
    const nobody = await asUser("no-policies");
    const refused = await runOperation({ ...openLiveStream(nobody, {}), principal: nobody, request: testRequest() }).then(
      () => null,
      (e: { code?: string }) => e.code,
    );
    expect(refused).toBe("AccessDenied");
    await expect(runOperation({ ...openLiveStream(admin, { principal: "bob" }), principal: admin, request: testRequest() })).resolves.toEqual({ accountId: DEV, filter: { principal: "bob" } });
    const events = await db().auditEvent.findMany({ where: { eventName: "LookupEvents", identityArn: { in: [nobody.arn, admin.arn] } } });
    expect(events.map((e) => [e.identityArn, e.errorCode, JSON.parse(e.requestParameters ?? "{}").live]).sort()).toEqual(
      [
        [admin.arn, null, true],
        [nobody.arn, "AccessDenied", true],
      ].sort(),
    );
  });
});
