// Policy generation on a seeded activity: alice (Developers, PowerUserAccess)
// works in the console; her recorded calls become a draft; the draft, tried in
// the simulator, allows every recorded request and nothing she never asked for.
import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { recordAudit } from "@/lib/audit/record";
import { db, transaction } from "@/lib/db/client";
import { ACCESS_ANALYZER, IAM, S3 } from "@/lib/iam/catalogue";
import type { CatalogueOperation } from "@/lib/iam/catalogue/operation";
import { IamError } from "@/lib/iam/errors";
import type { Principal, RolePrincipal } from "@/lib/iam/principal";
import { simulatePolicy } from "@/lib/iam/services/simulator";
import { run, runSteps } from "@/lib/iam/services/test-helpers";
import { asUser, DEV, STAGING, testRequest } from "@/lib/testing/principals";
import { decodeJobId, type GeneratedPolicyResponse } from "./policy-generation";
import { tryGeneratedPolicy } from "./policy-generation-try";

const DAY = 86_400_000;
const BUCKET = "pgen-alice-bucket";
let admin: Principal;
let alice: Principal;
const call = <S extends z.ZodType, T>(who: Principal, op: CatalogueOperation<S, T>, input: unknown) => run(who, op.operation(op.input.parse(input), who));
const attempt = (who: Principal, op: CatalogueOperation, input: unknown) =>
  call(who, op, input).then(
    () => null,
    (e: unknown) => e as IamError,
  );

async function generate(who: Principal, principalArn: string, startTime = new Date(Date.now() - DAY)): Promise<GeneratedPolicyResponse> {
  const { jobId } = (await call(who, ACCESS_ANALYZER.StartPolicyGeneration, { policyGenerationDetails: { principalArn }, cloudTrailDetails: { startTime } })) as { jobId: string };
  return (await call(who, ACCESS_ANALYZER.GetGeneratedPolicy, { jobId })) as GeneratedPolicyResponse;
}
const statements = (g: GeneratedPolicyResponse) => JSON.parse(g.generatedPolicyResult.generatedPolicies[0]!.policy).Statement as { Sid: string; Action: string[]; Resource: string[] }[];
const statementWith = (g: GeneratedPolicyResponse, action: string) => statements(g).find((s) => s.Action.includes(action));

beforeAll(async () => {
  admin = await asUser("admin");
  alice = await asUser("alice");
  // alice's day: a bucket, three reports written under one prefix and one elsewhere, a listing,
  // and two calls her policies refuse (listing IAM users; deleting an object needs MFA elevation).
  await call(alice, S3.CreateBucket, { bucket: BUCKET });
  for (const key of ["reports/2026/jan.csv", "reports/2026/feb.csv", "reports/2026/mar.csv", "notes.txt"])
    await call(alice, S3.PutObject, { bucket: BUCKET, key, body: new TextEncoder().encode(key) });
  await call(alice, S3.ListObjectsV2, { bucket: BUCKET });
  expect((await attempt(alice, IAM.ListUsers, {}))?.code).toBe("AccessDenied");
  expect((await attempt(alice, S3.DeleteObject, { bucket: BUCKET, key: "notes.txt" }))?.code).toBe("AccessDenied");
});

describe("policy generation from activity", () => {
  it("drafts alice's least-privilege policy: the actions she used, allowed or denied, on what she used them on", async () => {
    const g = await generate(admin, alice.arn);
    expect(g.jobDetails.status).toBe("SUCCEEDED");
    expect(g.generatedPolicyResult.properties).toMatchObject({ isComplete: true, principalArn: `arn:aws:iam::${DEV}:user/alice` });
    expect(statementWith(g, "s3:PutObject")?.Resource).toEqual([`arn:aws:s3:::${BUCKET}/notes.txt`, `arn:aws:s3:::${BUCKET}/reports/2026/*`]);
    expect(statementWith(g, "s3:CreateBucket")?.Resource).toEqual([`arn:aws:s3:::${BUCKET}`]);
    // Listing objects is a data read, which the seed's trail does not record (it selects writes): as in AWS, it is not in the draft.
    expect(statementWith(g, "s3:ListBucket")).toBeUndefined();
    // Denied calls were needed: they are in the draft, on what they asked for.
    expect(statementWith(g, "iam:ListUsers")?.Resource).toEqual(["*"]);
    expect(statementWith(g, "s3:DeleteObject")?.Resource).toEqual([`arn:aws:s3:::${BUCKET}/notes.txt`]);
    const denied = g.activity.calls.filter((c) => c.denied > 0).map((c) => c.action.toLowerCase());
    expect(denied.sort()).toEqual(["iam:listusers", "s3:deleteobject"]);
    // Nothing but what she did (the sign-in and no-permission calls are not there).
    expect(statements(g).flatMap((s) => s.Action).sort()).toEqual(["iam:ListUsers", "s3:CreateBucket", "s3:DeleteObject", "s3:PutObject"]);
  });

  it("allows every recorded request in the simulator, and denies one she never made", async () => {
    const g = await generate(admin, alice.arn);
    const policyDocument = g.generatedPolicyResult.generatedPolicies[0]!.policy;
    const tried = await runSteps(admin, tryGeneratedPolicy(admin, { jobId: g.jobDetails.jobId, policyDocuments: [policyDocument] }));
    expect(tried.requests.length).toBe(g.activity.calls.length);
    expect(tried.requests.filter((r) => r.decision !== "Allowed")).toEqual([]);
    expect(tried.allowed).toBe(tried.requests.length);
    expect(tried.requests.find((r) => r.action.toLowerCase() === "s3:putobject" && r.resource.endsWith("/reports/2026/feb.csv"))?.statement).toBe(statementWith(g, "s3:PutObject")?.Sid);

    const never = await run(
      admin,
      simulatePolicy(admin, {
        identityPolicies: [policyDocument],
        useResourcePolicy: false,
        actions: ["s3:GetObject", "s3:PutObject", "iam:CreateUser"],
        resources: [`arn:aws:s3:::${BUCKET}/other/file.txt`],
        principalTags: [],
        resourceTags: [],
        context: [],
      }),
    );
    expect(never.results.map((r) => r.decision)).toEqual(["ImplicitlyDenied", "ImplicitlyDenied", "ImplicitlyDenied"]);
    // An edited draft is tried as it is: without the PutObject statement her writes are denied.
    const edited = JSON.stringify({ Version: "2012-10-17", Statement: statements(g).filter((s) => !s.Action.includes("s3:PutObject")) });
    const triedEdited = await runSteps(admin, tryGeneratedPolicy(admin, { jobId: g.jobDetails.jobId, policyDocuments: [edited] }));
    expect(triedEdited.requests.filter((r) => r.decision !== "Allowed").every((r) => r.action.toLowerCase() === "s3:putobject")).toBe(true);
    expect(triedEdited.allowed).toBe(tried.allowed - 4);
  });

  it("reads a role's activity from every session of it, including the checks made inside a call", async () => {
    const role = await db().role.findFirstOrThrow({ where: { accountId: DEV, name: "WebAppServer" } });
    const session = (name: string): RolePrincipal => ({
      type: "AssumedRole",
      organizationId: admin.organizationId,
      accountId: DEV,
      arn: `arn:aws:sts::${DEV}:assumed-role/WebAppServer/${name}`,
      principalId: `${role.id}:${name}`,
      roleId: role.id,
      roleName: role.name,
      roleArn: role.arn,
      sessionId: name,
      sessionName: name,
      expiresAt: new Date(Date.now() + 3600_000),
      sourceArn: "ec2.amazonaws.com",
      sourceAccountId: DEV,
      mfaAuthenticated: false,
      tokenIssuedAt: new Date(),
    });
    await transaction(async (tx) => {
      for (const [i, name] of ["i-one", "i-two"].entries()) {
        await recordAudit(tx, {
          principal: session(name),
          request: testRequest(),
          eventSource: "s3.amazonaws.com",
          eventName: "GetObject",
          readOnly: true,
          resources: [{ ARN: `arn:aws:s3:::example-dev-assets/images/logo-${i}.svg` }],
        });
      }
      await recordAudit(tx, { principal: session("i-two"), request: testRequest(), eventSource: "sts.amazonaws.com", eventName: "GetCallerIdentity", readOnly: true });
    });
    // A call whose gate record names an inner check (iam:PassRole inside a launch).
    const launch = await db().auditEvent.findFirstOrThrow({ where: { roleName: "WebAppServer", eventName: "GetObject" } });
    await db().auditEvent.update({
      where: { id: launch.id },
      data: {
        gateDecisions: JSON.stringify([
          { action: "s3:GetObject", resource: "arn:aws:s3:::example-dev-assets/images/logo-0.svg", decision: "Allowed", enforced: true },
          { action: "iam:PassRole", resource: role.arn, decision: "ImplicitlyDenied", enforced: false },
        ]),
        wouldBeDenied: true,
      },
    });
    const g = await generate(admin, role.arn);
    expect(statementWith(g, "s3:GetObject")?.Resource).toEqual(["arn:aws:s3:::example-dev-assets/images/logo-0.svg", "arn:aws:s3:::example-dev-assets/images/logo-1.svg"]);
    expect(statementWith(g, "iam:PassRole")?.Resource).toEqual([role.arn]);
    expect(g.activity.calls.find((c) => c.action === "iam:PassRole")).toMatchObject({ calls: 1, wouldBeDenied: 1, denied: 0 });
    expect(statements(g).flatMap((s) => s.Action)).not.toContain("sts:GetCallerIdentity");
  });

  it("reads the history in keyset pages: every event of the period counts, none outside it", async () => {
    await call(admin, IAM.CreateUser, { userName: "pgen-busy" });
    const busy = await asUser("pgen-busy");
    const base = Date.now() - 2 * 3600_000;
    await db().auditEvent.createMany({
      data: Array.from({ length: 1234 }, (_, i) => ({
        id: `pgen-busy-${String(i).padStart(5, "0")}`,
        organizationId: busy.organizationId,
        recipientAccountId: DEV,
        // Several events share a timestamp: paging must not skip or repeat them.
        eventTime: new Date(base + Math.floor(i / 7) * 1000),
        eventSource: "s3.amazonaws.com",
        eventName: "GetObject",
        readOnly: true,
        requestId: `r${i}`,
        identityType: "IAMUser",
        identityArn: busy.arn,
        resources: JSON.stringify([{ ARN: `arn:aws:s3:::example-dev-assets/data/part-${i}.bin` }]),
      })),
    });
    await db().auditEvent.create({
      data: { id: "pgen-busy-old", organizationId: busy.organizationId, recipientAccountId: DEV, eventTime: new Date(Date.now() - 5 * DAY), eventSource: "iam.amazonaws.com", eventName: "GetUser", readOnly: true, requestId: "old", identityType: "IAMUser", identityArn: busy.arn },
    });
    const g = await generate(admin, busy.arn);
    expect(g.activity.eventsRead).toBe(1234);
    expect(g.activity.calls.reduce((n, c) => n + c.calls, 0)).toBe(1234);
    expect(g.activity.calls.some((c) => c.action === "iam:GetUser")).toBe(false);
    expect(statements(g)).toEqual([{ Sid: "S3Object", Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::example-dev-assets/data/*"] }]);
  });

  it("refuses what Access Analyzer refuses, with ValidationException", async () => {
    const start = (principalArn: string, cloudTrailDetails?: object) => attempt(admin, ACCESS_ANALYZER.StartPolicyGeneration, { policyGenerationDetails: { principalArn }, cloudTrailDetails });
    const now = Date.now();
    const cases: [IamError | null, RegExp][] = [
      [await start(alice.arn, { startTime: new Date(now - 91 * DAY) }), /at most 90 days/],
      [await start(alice.arn, { startTime: new Date(now + DAY) }), /before its end/],
      [await start(alice.arn), /start of the period/],
      [await start(`arn:aws:iam::${DEV}:user/nobody-here`, { startTime: new Date(now - DAY) }), /does not exist/],
      [await start(`arn:aws:iam::${STAGING}:role/StagingDeveloper`, { startTime: new Date(now - DAY) }), /not in account/],
      [await start(`arn:aws:iam::${DEV}:group/Developers`, { startTime: new Date(now - DAY) }), /user or role/],
      [await attempt(admin, ACCESS_ANALYZER.GetGeneratedPolicy, { jobId: "not-a-job" }), /does not exist/],
    ];
    for (const [err, message] of cases) {
      expect(err?.code).toBe("ValidationException");
      expect(err?.message).toMatch(message);
    }
    expect(() => decodeJobId(Buffer.from(JSON.stringify({ p: alice.arn, s: 2, e: 1, t: 0 })).toString("base64url"))).toThrow(IamError);
  });

  it("is gated as AWS gates it: access-analyzer:StartPolicyGeneration, then GetGeneratedPolicy and cloudtrail:LookupEvents", async () => {
    const newhire = await asUser("newhire");
    const refused = await attempt(newhire, ACCESS_ANALYZER.StartPolicyGeneration, { policyGenerationDetails: { principalArn: alice.arn }, cloudTrailDetails: { startTime: new Date(Date.now() - DAY) } });
    expect(refused?.code).toBe("AccessDenied");
    expect(refused?.message).toContain("access-analyzer:StartPolicyGeneration");
    const { jobId } = (await call(admin, ACCESS_ANALYZER.StartPolicyGeneration, { policyGenerationDetails: { principalArn: alice.arn }, cloudTrailDetails: { startTime: new Date(Date.now() - DAY) } })) as { jobId: string };
    const read = await attempt(newhire, ACCESS_ANALYZER.GetGeneratedPolicy, { jobId });
    expect(read?.code).toBe("AccessDenied");
    // Both were audited under Access Analyzer's event source.
    const events = await db().auditEvent.findMany({ where: { identityArn: newhire.arn, eventSource: "access-analyzer.amazonaws.com" }, select: { eventName: true, errorCode: true } });
    expect(events.map((e) => `${e.eventName}:${e.errorCode}`).sort()).toEqual(["GetGeneratedPolicy:AccessDenied", "StartPolicyGeneration:AccessDenied"]);
  });
});
