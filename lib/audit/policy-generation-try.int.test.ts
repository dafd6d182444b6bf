// "Try in simulator" on a generated policy, over a varied day: a user reads in
// the S3 and IAM consoles, is refused a call, switches into a role of another
// account, elevates with MFA, writes, reads, copies and deletes objects under
// several folders and asks who she is. The draft generated from that day must
// allow every request she made when tried, and still deny what she never did.
import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { codeAt, currentStep } from "@/lib/crypto/totp";
import { encryptSecret } from "@/lib/crypto/secrets";
import { db } from "@/lib/db/client";
import { DEMO_MFA_SEED } from "@/lib/db/seed/demo-identities";
import { ACCESS_ANALYZER, CLOUDTRAIL, IAM, S3, STS } from "@/lib/iam/catalogue";
import type { CatalogueOperation } from "@/lib/iam/catalogue/operation";
import type { IamError } from "@/lib/iam/errors";
import { runOperation } from "@/lib/iam/operation";
import { sizeWithoutWhitespace, validatePolicyDocument } from "@/lib/iam/policy";
import type { Principal } from "@/lib/iam/principal";
import { run, runSteps } from "@/lib/iam/services/test-helpers";
import { elevate, switchRole } from "@/lib/sts/console-session";
import { asUser, DEV, STAGING, testRequest } from "@/lib/testing/principals";
import type { GeneratedPolicyResponse } from "./policy-generation";
import { tryGeneratedPolicy } from "./policy-generation-try";

const DAY = 86_400_000;
const BUCKET = "pgen-try-day";
let admin: Principal;
let alice: Principal;
const call = <S extends z.ZodType, T>(who: Principal, op: CatalogueOperation<S, T>, input: unknown) => run(who, op.operation(op.input.parse(input), who));
const refusal = (who: Principal, op: CatalogueOperation, input: unknown) =>
  call(who, op, input).then(
    () => null,
    (e: unknown) => e as IamError,
  );
const body = (s: string) => new TextEncoder().encode(s);

async function generate(principalArn: string): Promise<GeneratedPolicyResponse> {
  const { jobId } = (await call(admin, ACCESS_ANALYZER.StartPolicyGeneration, { policyGenerationDetails: { principalArn }, cloudTrailDetails: { startTime: new Date(Date.now() - DAY) } })) as { jobId: string };
  return (await call(admin, ACCESS_ANALYZER.GetGeneratedPolicy, { jobId })) as GeneratedPolicyResponse;
}

beforeAll(async () => {
  admin = await asUser("admin");
  alice = await asUser("alice");
  // Object reads are data events: a trail that records every S3 data event, so that her reads are in her day too.
  await call(admin, CLOUDTRAIL.CreateTrail, { name: "pgen-try-all-data" });
  await call(admin, CLOUDTRAIL.PutEventSelectors, {
    trailName: "pgen-try-all-data",
    eventSelectors: [{ readWriteType: "All", includeManagementEvents: true, dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3"] }] }],
  });
  await call(admin, CLOUDTRAIL.StartLogging, { name: "pgen-try-all-data" });
  // alice assigns her virtual MFA device (as the seed gives erin hers), so that she can elevate.
  await db().mfaDevice.create({
    data: { accountId: DEV, serialNumber: `arn:aws:iam::${DEV}:mfa/alice`, name: "alice", userId: alice.principalId, seedCiphertext: encryptSecret(DEMO_MFA_SEED), enabledAt: new Date() },
  });

  // The console's S3 pages: her buckets, a new bucket, objects in several folders, a listing, reads, a copy, a refused clean-up.
  await call(alice, S3.ListBuckets, {});
  await call(alice, S3.CreateBucket, { bucket: BUCKET });
  const keys = ["reports/2026/jan.csv", "reports/2026/feb.csv", "reports/2026/mar.csv", "reports/summary.txt", "images/a.png", "images/b.png", "images/c.png", "notes.txt"];
  for (const key of keys) await call(alice, S3.PutObject, { bucket: BUCKET, key, body: body(key) });
  await call(alice, S3.ListObjectsV2, { bucket: BUCKET, prefix: "reports/" });
  await call(alice, S3.GetObject, { bucket: BUCKET, key: "reports/2026/jan.csv" });
  await call(alice, S3.HeadObject, { bucket: BUCKET, key: "notes.txt" });
  await call(alice, S3.CopyObject, { bucket: BUCKET, key: "archive/notes-copy.txt", copySource: `${BUCKET}/notes.txt` });
  // Deleting needs an MFA elevation (the organization's SCP): refused, so needed.
  expect((await refusal(alice, S3.DeleteObjects, { bucket: BUCKET, keys: ["images/a.png", "images/b.png"] }))?.code).toBe("AccessDenied");
  // The IAM console: her own user, the roles; the users list is refused.
  await call(alice, IAM.GetUser, { userName: "alice" });
  await call(alice, IAM.ListRoles, {});
  expect((await refusal(alice, IAM.ListUsers, {}))?.code).toBe("AccessDenied");
  // Switch role into staging (AssumeRole across accounts), then MFA elevation in her own account.
  const switched = await runOperation({ ...switchRole(alice, { account: STAGING, roleName: "StagingDeveloper" }), principal: alice, request: testRequest() });
  expect(switched.accountId).toBe(STAGING);
  const elevated = await runOperation({ ...elevate(alice, { tokenCode: codeAt(DEMO_MFA_SEED, currentStep()) }), principal: alice, request: testRequest() });
  expect(elevated.roleName).toBe("S3ElevatedAccess");
  // Who am I (no permission needed: not in the draft).
  await call(alice, STS.GetCallerIdentity, {});
});

describe("trying a generated policy against a varied day", () => {
  it("allows every request she made, and nothing she never asked for", async () => {
    const g = await generate(alice.arn);
    expect(g.generatedPolicyResult.generatedPolicies).toHaveLength(1);
    const policyDocument = g.generatedPolicyResult.generatedPolicies[0]!.policy;
    const tried = await runSteps(admin, tryGeneratedPolicy(admin, { jobId: g.jobDetails.jobId, policyDocuments: [policyDocument], extra: [{ action: "s3:DeleteBucket", resource: `arn:aws:s3:::${BUCKET}` }] }));
    const recorded = tried.requests.filter((r) => r.recorded);
    // The day as recorded: every kind of request is there.
    const actions = new Set(recorded.map((r) => r.action.toLowerCase()));
    for (const a of ["s3:listallmybuckets", "s3:createbucket", "s3:putobject", "s3:listbucket", "s3:getobject", "s3:deleteobject", "iam:getuser", "iam:listroles", "iam:listusers", "sts:assumerole"]) expect(actions, a).toContain(a);
    expect(actions).not.toContain("sts:getcalleridentity");
    expect(recorded.filter((r) => r.action.toLowerCase() === "sts:assumerole").map((r) => r.resource).sort()).toEqual([
      `arn:aws:iam::${DEV}:role/S3ElevatedAccess`,
      `arn:aws:iam::${STAGING}:role/StagingDeveloper`,
    ]);
    // The refused DeleteObjects asked for both keys, though the gate stopped at the first.
    expect(recorded.filter((r) => r.action.toLowerCase() === "s3:deleteobject").map((r) => r.resource).sort()).toEqual([`arn:aws:s3:::${BUCKET}/images/a.png`, `arn:aws:s3:::${BUCKET}/images/b.png`]);
    // Switching roles is allowed by the draft; the roles' trust policies (not part of it) decide too, and the row says so.
    for (const r of recorded.filter((r) => r.action.toLowerCase() === "sts:assumerole")) {
      expect(r.decision).toBe("Allowed");
      expect(r.alsoDecidedBy).toMatch(/trust policy/);
    }
    expect(recorded.filter((r) => r.action.toLowerCase() !== "sts:assumerole" && r.alsoDecidedBy)).toEqual([]);
    // Every one allowed.
    expect(recorded.filter((r) => r.decision !== "Allowed").map((r) => `${r.action} ${r.resource}: ${r.decision}`)).toEqual([]);
    expect(tried.allowed).toBe(tried.recorded);
    expect(tried.recorded).toBe(recorded.length);
    // The one she never made is not.
    expect(tried.requests.find((r) => !r.recorded)?.decision).toBe("ImplicitlyDenied");
    // Nor is switching into a role she never switched into, nor one the draft denies.
    const other = await runSteps(
      admin,
      tryGeneratedPolicy(admin, {
        jobId: g.jobDetails.jobId,
        policyDocuments: [policyDocument, JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "sts:AssumeRole", Resource: `arn:aws:iam::${STAGING}:role/*` }] })],
        extra: [{ action: "sts:AssumeRole", resource: `arn:aws:iam::${STAGING}:role/S3ElevatedAccess` }],
      }),
    );
    expect(other.requests.find((r) => !r.recorded)?.decision).toBe("ExplicitlyDenied");
    expect(other.requests.find((r) => r.recorded && r.resource.endsWith(":role/StagingDeveloper"))?.decision).toBe("ExplicitlyDenied");
    expect(other.allowed).toBe(other.recorded - 1);
  });

  it("splits a draft too large for one managed policy into several, each within 6,144 characters, that tried together allow every request", async () => {
    await call(admin, IAM.CreateUser, { userName: "pgen-many-buckets" });
    const busy = await asUser("pgen-many-buckets");
    // 220 buckets looked at: bucket ARNs are never wildcarded, so each is listed.
    await db().auditEvent.createMany({
      data: Array.from({ length: 220 }, (_, i) => ({
        id: `pgen-many-${String(i).padStart(4, "0")}`,
        organizationId: busy.organizationId,
        recipientAccountId: DEV,
        eventTime: new Date(Date.now() - 3600_000 + i * 1000),
        eventSource: "s3.amazonaws.com",
        eventName: "HeadBucket",
        readOnly: true,
        requestId: `many-${i}`,
        identityType: "IAMUser",
        identityArn: busy.arn,
        resources: JSON.stringify([{ ARN: `arn:aws:s3:::pgen-many-bucket-${String(i).padStart(4, "0")}` }]),
      })),
    });
    const g = await generate(busy.arn);
    const policies = g.generatedPolicyResult.generatedPolicies.map((p) => p.policy);
    expect(policies.length).toBeGreaterThan(1);
    for (const p of policies) {
      expect(sizeWithoutWhitespace(p)).toBeLessThanOrEqual(6144);
      expect(validatePolicyDocument(p, "identity").ok).toBe(true);
    }
    // Every listed bucket is in exactly one part.
    const granted = policies.flatMap((p) => (JSON.parse(p) as { Statement: { Action: string[]; Resource: string[] }[] }).Statement.filter((s) => s.Action.includes("s3:ListBucket")).flatMap((s) => s.Resource));
    expect(granted).toHaveLength(220);
    expect(new Set(granted).size).toBe(220);
    const tried = await runSteps(admin, tryGeneratedPolicy(admin, { jobId: g.jobDetails.jobId, policyDocuments: policies }));
    expect(tried.recorded).toBe(220);
    expect(tried.allowed).toBe(tried.recorded);
    // Each part alone allows only its share.
    const first = await runSteps(admin, tryGeneratedPolicy(admin, { jobId: g.jobDetails.jobId, policyDocuments: [policies[0]!] }));
    expect(first.allowed).toBeLessThan(first.recorded);
  });
});
