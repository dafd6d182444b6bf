// STS against the seeded organization. Expectations come from the STS API
// reference and the recorded responses, not from this code's output.
// Tests marked [engine] need the policy engine behind the gate (trust policies,
// cross-account decisions); with the interim gate they fail, by design.
import crypto from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { codeAt, currentStep } from "@/lib/crypto/totp";
import { decryptSecret } from "@/lib/crypto/secrets";
import { db } from "@/lib/db/client";
import { DEMO_MFA_SEED, ELEVATION_ROLE } from "@/lib/db/seed/demo-identities";
import { ADMINISTRATOR_ACCESS_ARN } from "@/lib/iam/arn";
import { IamError } from "@/lib/iam/errors";
import { runOperation } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";
import { asRoot, asUser, DEV, PROD, STAGING, testRequest } from "@/lib/testing/principals";
import { dropRoleSession } from "./console-session";
import { principalForSession, resolveTemporaryCredentials } from "./credentials";
import { assumeRole, getCallerIdentity, getSessionToken, type AssumeRoleInput } from "./sts";

const run = <T>(principal: Principal, spec: Omit<Parameters<typeof runOperation<T>>[0], "principal" | "request">) =>
  runOperation<T>({ ...spec, principal, request: testRequest() });
const assume = (principal: Principal, input: AssumeRoleInput) => run(principal, assumeRole(principal, input));
const fail = (p: Promise<unknown>) => p.then(() => { throw new Error("expected a refusal"); }, (e: unknown) => e as IamError);

const trustAccount = (accountId: string, condition?: object) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"], ...(condition ? { Condition: condition } : {}) }],
  });

async function createRole(accountId: string, name: string, trust: string, opts: { max?: number; admin?: boolean } = {}) {
  const id = `AROA${crypto.randomBytes(9).toString("hex").toUpperCase().slice(0, 17)}`;
  const role = await db().role.create({
    data: { id, accountId, name, nameLower: name.toLowerCase(), arn: `arn:aws:iam::${accountId}:role/${name}`, trustPolicy: trust, maxSessionDuration: opts.max ?? 3600 },
  });
  if (opts.admin) {
    const policy = await db().managedPolicy.findUniqueOrThrow({ where: { arn: ADMINISTRATOR_ACCESS_ARN } });
    await db().policyAttachment.create({ data: { accountId, policyId: policy.id, roleId: id } });
  }
  return role;
}

let devRole: Awaited<ReturnType<typeof createRole>>;
let devAdminRole: Awaited<ReturnType<typeof createRole>>;
let longRole: Awaited<ReturnType<typeof createRole>>;
let externalIdRole: Awaited<ReturnType<typeof createRole>>;

beforeAll(async () => {
  devRole = await createRole(DEV, "DevTester", trustAccount(DEV));
  devAdminRole = await createRole(DEV, "DevAdmin", trustAccount(DEV), { max: 43200, admin: true });
  longRole = await createRole(DEV, "LongSessions", trustAccount(DEV), { max: 43200, admin: true });
  externalIdRole = await createRole(DEV, "ThirdParty", trustAccount(DEV, { StringEquals: { "sts:ExternalId": "Unique-1234" } }), { admin: true });
});

describe("AssumeRole", () => {
  it("issues ASIA credentials and the assumed-role user for a same-account role (admin)", async () => {
    const admin = await asUser("admin");
    const before = Date.now();
    const r = await assume(admin, { roleArn: devRole.arn, roleSessionName: "admin-session" });
    expect(r.Credentials.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(r.Credentials.SecretAccessKey).toHaveLength(40);
    expect(r.Credentials.SessionToken.length).toBeGreaterThan(100);
    // Default duration: one hour.
    expect(Math.abs(r.Credentials.Expiration.getTime() - (before + 3600_000))).toBeLessThan(5000);
    expect(r.AssumedRoleUser).toEqual({ AssumedRoleId: `${devRole.id}:admin-session`, Arn: `arn:aws:sts::${DEV}:assumed-role/DevTester/admin-session` });

    const row = await db().roleSession.findUniqueOrThrow({ where: { accessKeyId: r.Credentials.AccessKeyId } });
    expect(row.kind).toBe("AssumeRole");
    expect(row.roleId).toBe(devRole.id);
    expect(row.accountId).toBe(DEV);
    expect(row.sourcePrincipalArn).toBe(admin.arn);
    expect(row.sourcePrincipalAccount).toBe(DEV);
    expect(row.secretCiphertext).not.toContain(r.Credentials.SecretAccessKey);
    expect(decryptSecret(row.secretCiphertext)).toBe(r.Credentials.SecretAccessKey);
    expect(row.sessionTokenDigest).toBe(crypto.createHash("sha256").update(r.Credentials.SessionToken).digest("hex"));
    expect(row.mfaAuthenticated).toBe(false);
    expect((await db().role.findUniqueOrThrow({ where: { id: devRole.id } })).lastUsedAt).not.toBeNull();
  });

  it("audits the call without the secret or the session token", async () => {
    const admin = await asUser("admin");
    const r = await assume(admin, { roleArn: devRole.arn, roleSessionName: "audited" });
    const event = await db().auditEvent.findFirstOrThrow({ where: { eventName: "AssumeRole", identityArn: admin.arn, errorCode: null }, orderBy: { eventTime: "desc" } });
    expect(event.eventSource).toBe("sts.amazonaws.com");
    expect(event.responseElements).toContain(r.Credentials.AccessKeyId);
    expect(event.responseElements).not.toContain(r.Credentials.SecretAccessKey);
    expect(event.responseElements).not.toContain(r.Credentials.SessionToken);
    expect(event.requestParameters).toContain("audited");
  });

  it("accepts DurationSeconds up to the role's maximum", async () => {
    const admin = await asUser("admin");
    const before = Date.now();
    const r = await assume(admin, { roleArn: longRole.arn, roleSessionName: "long", durationSeconds: 43200 });
    expect(Math.abs(r.Credentials.Expiration.getTime() - (before + 43200_000))).toBeLessThan(5000);
  });

  it("refuses DurationSeconds over the role's MaxSessionDuration, and audits the refusal", async () => {
    const admin = await asUser("admin");
    const e = await fail(assume(admin, { roleArn: devRole.arn, roleSessionName: "too-long", durationSeconds: 3601 }));
    expect(e.code).toBe("ValidationError");
    expect(e.message).toBe("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
    expect(await db().roleSession.count({ where: { sessionName: "too-long" } })).toBe(0);
    expect(await db().auditEvent.count({ where: { eventName: "AssumeRole", errorCode: "ValidationError" } })).toBeGreaterThan(0);
  });

  it("refuses DurationSeconds under 900", async () => {
    const e = await fail(assume(await asUser("admin"), { roleArn: devRole.arn, roleSessionName: "short", durationSeconds: 600 }));
    expect(e.message).toBe("1 validation error detected: Value '600' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900");
  });

  it("refuses a session name outside the pattern with the recorded message", async () => {
    const e = await fail(assume(await asUser("admin"), { roleArn: devRole.arn, roleSessionName: "Session1:2" }));
    expect(e.code).toBe("ValidationError");
    expect(e.message).toBe(
      "1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    );
  });

  it("answers '<arn> is invalid' for a malformed role ARN (recorded)", async () => {
    const e = await fail(assume(await asUser("admin"), { roleArn: "nothing-valid-in-here", roleSessionName: "x1" }));
    expect(e.code).toBe("ValidationError");
    expect(e.message).toBe("nothing-valid-in-here is invalid");
  });

  it("answers AccessDenied for a role that does not exist", async () => {
    const admin = await asUser("admin");
    const arn = `arn:aws:iam::${DEV}:role/NoSuchRole`;
    const e = await fail(assume(admin, { roleArn: arn, roleSessionName: "ghost" }));
    expect(e.code).toBe("AccessDenied");
    expect(e.message).toBe(`User: ${admin.arn} is not authorized to perform: sts:AssumeRole on resource: ${arn}`);
  });

  it("refuses the root user: roles may not be assumed by root accounts", async () => {
    const e = await fail(assume(asRoot(DEV), { roleArn: devRole.arn, roleSessionName: "root" }));
    expect(e.code).toBe("AccessDenied");
    expect(e.message).toBe("Roles may not be assumed by root accounts.");
  });

  it("validates the session policy and stores it on the session", async () => {
    const admin = await asUser("admin");
    const bad = await fail(assume(admin, { roleArn: devRole.arn, roleSessionName: "bad-policy", policy: "{not json" }));
    expect(bad.code).toBe("MalformedPolicyDocument");
    const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] });
    const ok = await assume(admin, { roleArn: devRole.arn, roleSessionName: "scoped", policy });
    expect(ok.PackedPolicySize).toBeGreaterThan(0);
    expect((await db().roleSession.findUniqueOrThrow({ where: { accessKeyId: ok.Credentials.AccessKeyId } })).sessionPolicy).toBe(policy);
  });

  it("refuses a session policy over the packed limit with PackedPolicyTooLarge", async () => {
    const big = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: Array.from({ length: 80 }, (_, i) => `arn:aws:s3:::bucket-number-${i}/*`) }],
    });
    const e = await fail(assume(await asUser("admin"), { roleArn: devRole.arn, roleSessionName: "big-policy", policy: big }));
    expect(e.code).toBe("PackedPolicyTooLarge");
  });

  it("stores session tags and source identity on the session", async () => {
    const r = await assume(await asUser("admin"), {
      roleArn: devRole.arn,
      roleSessionName: "tagged",
      tags: [{ Key: "project", Value: "atlas" }],
      transitiveTagKeys: ["project"],
      sourceIdentity: "admin@example.com",
    });
    expect(r.SourceIdentity).toBe("admin@example.com");
    const row = await db().roleSession.findUniqueOrThrow({ where: { accessKeyId: r.Credentials.AccessKeyId } });
    expect(JSON.parse(row.sessionTags!)).toEqual({ project: "atlas" });
    expect(JSON.parse(row.transitiveTagKeys!)).toEqual(["project"]);
    expect(row.sourceIdentity).toBe("admin@example.com");
  });
});

describe("role chaining", () => {
  it("caps a chained session at one hour and records where it came from", async () => {
    const admin = await asUser("admin");
    const first = await assume(admin, { roleArn: devAdminRole.arn, roleSessionName: "hop1", tags: [{ Key: "team", Value: "core" }], transitiveTagKeys: ["team"] });
    const session = (await principalForSession(db(), first.sessionId))!;
    expect(session.type).toBe("AssumedRole");

    const tooLong = await fail(assume(session, { roleArn: longRole.arn, roleSessionName: "hop2", durationSeconds: 7200 }));
    expect(tooLong.code).toBe("ValidationError");
    expect(tooLong.message).toBe("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");

    const second = await assume(session, { roleArn: longRole.arn, roleSessionName: "hop2", durationSeconds: 3600 });
    const row = await db().roleSession.findUniqueOrThrow({ where: { id: second.sessionId } });
    expect(row.chainedFromSessionId).toBe(first.sessionId);
    expect(row.sourcePrincipalArn).toBe(`arn:aws:sts::${DEV}:assumed-role/DevAdmin/hop1`);
    // The transitive tag travels along the chain.
    expect(JSON.parse(row.sessionTags!)).toEqual({ team: "core" });
  });

  it("refuses a role session's GetSessionToken with AWS's message", async () => {
    const first = await assume(await asUser("admin"), { roleArn: devAdminRole.arn, roleSessionName: "no-gst" });
    const session = (await principalForSession(db(), first.sessionId))!;
    const e = await fail(run(session, getSessionToken(session, {})));
    expect(e.code).toBe("AccessDenied");
    expect(e.message).toBe("Cannot call GetSessionToken with session credentials");
  });
});

describe("MFA-gated elevation (erin, DEMO_MFA_SEED)", () => {
  const elevationArn = `arn:aws:iam::${DEV}:role/${ELEVATION_ROLE}`;
  const serial = `arn:aws:iam::${DEV}:mfa/erin`;

  it("refuses a wrong code with AWS's message and issues nothing", async () => {
    const erin = await asUser("erin");
    const good = codeAt(DEMO_MFA_SEED, currentStep());
    const wrong = good === "000000" ? "111111" : "000000";
    const e = await fail(assume(erin, { roleArn: elevationArn, roleSessionName: "erin", serialNumber: serial, tokenCode: wrong }));
    expect(e.code).toBe("AccessDenied");
    expect(e.message).toBe("MultiFactorAuthentication failed with invalid MFA one time pass code.");
    expect(await db().roleSession.count({ where: { sourcePrincipalArn: erin.arn } })).toBe(0);
  });

  it("refuses someone else's device even with a valid code, and leaves the code unused", async () => {
    const admin = await asUser("admin");
    const e = await fail(assume(admin, { roleArn: elevationArn, roleSessionName: "admin", serialNumber: serial, tokenCode: codeAt(DEMO_MFA_SEED, currentStep()) }));
    expect(e.message).toBe("MultiFactorAuthentication failed with invalid MFA one time pass code.");
    expect((await db().mfaDevice.findUniqueOrThrow({ where: { serialNumber: serial } })).lastUsedWindow).toBeNull();
  });

  it("elevates for 15 minutes with a valid code; the same code works only once", async () => {
    const erin = await asUser("erin");
    const code = codeAt(DEMO_MFA_SEED, currentStep());
    const before = Date.now();
    const r = await assume(erin, { roleArn: elevationArn, roleSessionName: "erin", serialNumber: serial, tokenCode: code, durationSeconds: 900 });
    expect(Math.abs(r.Credentials.Expiration.getTime() - (before + 900_000))).toBeLessThan(5000);
    const row = await db().roleSession.findUniqueOrThrow({ where: { id: r.sessionId } });
    expect(row.mfaAuthenticated).toBe(true);
    expect(row.mfaAuthenticatedAt).not.toBeNull();
    const elevated = (await principalForSession(db(), r.sessionId))!;
    expect(elevated.mfaAuthenticated).toBe(true);

    const again = await fail(assume(erin, { roleArn: elevationArn, roleSessionName: "erin", serialNumber: serial, tokenCode: code, durationSeconds: 900 }));
    expect(again.code).toBe("AccessDenied");
    expect(again.message).toBe("MultiFactorAuthentication failed with invalid MFA one time pass code.");
    const event = await db().auditEvent.findFirstOrThrow({ where: { eventName: "AssumeRole", identityArn: erin.arn, errorCode: null } });
    expect(event.requestParameters).not.toContain(code);
  });

  it("gives GetSessionToken an MFA-authenticated session (next time step)", async () => {
    const erin = await asUser("erin");
    const r = await run(erin, getSessionToken(erin, { serialNumber: serial, tokenCode: codeAt(DEMO_MFA_SEED, currentStep() + 1) }));
    const row = await db().roleSession.findUniqueOrThrow({ where: { id: r.sessionId } });
    expect(row.kind).toBe("GetSessionToken");
    expect(row.userId).toBe(erin.userId);
    expect(row.mfaAuthenticated).toBe(true);
  });

  it("[engine] refuses the elevation role without MFA: the trust policy requires it", async () => {
    const admin = await asUser("admin");
    const e = await fail(assume(admin, { roleArn: elevationArn, roleSessionName: "no-mfa" }));
    expect(e.code).toBe("AccessDenied");
  });
});

describe("GetSessionToken", () => {
  it("defaults to 12 hours for a user and does not mark the session MFA-authenticated", async () => {
    const admin = await asUser("admin");
    const before = Date.now();
    const r = await run(admin, getSessionToken(admin));
    expect(r.Credentials.AccessKeyId).toMatch(/^ASIA/);
    expect(Math.abs(r.Credentials.Expiration.getTime() - (before + 43200_000))).toBeLessThan(5000);
    const resolved = await resolveTemporaryCredentials(db(), r.Credentials.AccessKeyId, r.Credentials.SessionToken);
    expect(resolved.principal.type).toBe("IAMUser");
    expect(resolved.principal.arn).toBe(admin.arn);
    expect(resolved.principal.mfaAuthenticated).toBe(false);
  });

  it("caps the root user's session at one hour", async () => {
    const before = Date.now();
    const r = await run(asRoot(DEV), getSessionToken(asRoot(DEV), { durationSeconds: 7200 }));
    expect(Math.abs(r.Credentials.Expiration.getTime() - (before + 3600_000))).toBeLessThan(5000);
  });

  it("refuses 129601 seconds", async () => {
    const admin = await asUser("admin");
    const e = await fail(run(admin, getSessionToken(admin, { durationSeconds: 129601 })));
    expect(e.code).toBe("ValidationError");
  });
});

describe("GetCallerIdentity", () => {
  it("answers as AWS for the root user, a user and an assumed role", async () => {
    expect(await run(asRoot(DEV), getCallerIdentity(asRoot(DEV)))).toEqual({ UserId: DEV, Account: DEV, Arn: `arn:aws:iam::${DEV}:root` });
    const admin = await asUser("admin");
    expect(await run(admin, getCallerIdentity(admin))).toEqual({ UserId: admin.userId, Account: DEV, Arn: `arn:aws:iam::${DEV}:user/admin` });
    const r = await assume(admin, { roleArn: devAdminRole.arn, roleSessionName: "whoami" });
    const session = (await principalForSession(db(), r.sessionId))!;
    expect(await run(session, getCallerIdentity(session))).toEqual({
      UserId: `${devAdminRole.id}:whoami`,
      Account: DEV,
      Arn: `arn:aws:sts::${DEV}:assumed-role/DevAdmin/whoami`,
    });
  });
});

describe("resolveTemporaryCredentials", () => {
  it("resolves live credentials to the assumed-role principal", async () => {
    const r = await assume(await asUser("admin"), { roleArn: devRole.arn, roleSessionName: "api" });
    const resolved = await resolveTemporaryCredentials(db(), r.Credentials.AccessKeyId, r.Credentials.SessionToken);
    expect(resolved.secretAccessKey).toBe(r.Credentials.SecretAccessKey);
    expect(resolved.principal).toMatchObject({ type: "AssumedRole", arn: r.AssumedRoleUser.Arn, principalId: r.AssumedRoleUser.AssumedRoleId, roleArn: devRole.arn, accountId: DEV });
  });

  it("refuses a wrong session token", async () => {
    const r = await assume(await asUser("admin"), { roleArn: devRole.arn, roleSessionName: "api-wrong" });
    const e = await fail(resolveTemporaryCredentials(db(), r.Credentials.AccessKeyId, r.Credentials.SessionToken + "x"));
    expect(e.code).toBe("InvalidClientTokenId");
    expect(e.message).toBe("The security token included in the request is invalid.");
  });

  it("refuses an expired session with ExpiredToken", async () => {
    const r = await assume(await asUser("admin"), { roleArn: devRole.arn, roleSessionName: "api-expired" });
    await db().roleSession.update({ where: { id: r.sessionId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const e = await fail(resolveTemporaryCredentials(db(), r.Credentials.AccessKeyId, r.Credentials.SessionToken));
    expect(e.code).toBe("ExpiredToken");
    expect(e.message).toBe("The security token included in the request is expired");
  });

  it("refuses a revoked session", async () => {
    const admin = await asUser("admin");
    const r = await assume(admin, { roleArn: devRole.arn, roleSessionName: "api-revoked" });
    expect(await dropRoleSession(r.sessionId, admin.arn)).toBe(true);
    const e = await fail(resolveTemporaryCredentials(db(), r.Credentials.AccessKeyId, r.Credentials.SessionToken));
    expect(e.code).toBe("InvalidClientTokenId");
    expect(await principalForSession(db(), r.sessionId)).toBeNull();
  });
});

describe("[engine] trust policies and cross-account access", () => {
  it("[engine] lets admin in dev assume StagingDeveloper in staging (trust policy trusts dev)", async () => {
    const admin = await asUser("admin");
    const r = await assume(admin, { roleArn: `arn:aws:iam::${STAGING}:role/StagingDeveloper`, roleSessionName: "admin" });
    expect(r.AssumedRoleUser.Arn).toBe(`arn:aws:sts::${STAGING}:assumed-role/StagingDeveloper/admin`);
    const row = await db().roleSession.findUniqueOrThrow({ where: { id: r.sessionId } });
    expect(row.accountId).toBe(STAGING);
    expect(row.sourcePrincipalAccount).toBe(DEV);
  });

  it("[engine] lets alice (CrossAccountSwitch via Developers) assume ProdReadOnly", async () => {
    const alice = await asUser("alice");
    const r = await assume(alice, { roleArn: `arn:aws:iam::${PROD}:role/ProdReadOnly`, roleSessionName: "alice" });
    expect(r.AssumedRoleUser.Arn).toBe(`arn:aws:sts::${PROD}:assumed-role/ProdReadOnly/alice`);
  });

  it("refuses bob (ReadOnlyAccess: no sts:AssumeRole) the staging role", async () => {
    const bob = await asUser("bob");
    const arn = `arn:aws:iam::${STAGING}:role/StagingDeveloper`;
    const e = await fail(assume(bob, { roleArn: arn, roleSessionName: "bob" }));
    expect(e.code).toBe("AccessDenied");
    expect(e.message).toContain(`User: ${bob.arn} is not authorized to perform: sts:AssumeRole on resource: ${arn}`);
  });

  it("[engine] requires the external ID the trust policy names", async () => {
    const admin = await asUser("admin");
    const without = await fail(assume(admin, { roleArn: externalIdRole.arn, roleSessionName: "no-ext" }));
    expect(without.code).toBe("AccessDenied");
    const wrong = await fail(assume(admin, { roleArn: externalIdRole.arn, roleSessionName: "bad-ext", externalId: "Other-999" }));
    expect(wrong.code).toBe("AccessDenied");
    const ok = await assume(admin, { roleArn: externalIdRole.arn, roleSessionName: "ext", externalId: "Unique-1234" });
    expect(ok.AssumedRoleUser.Arn).toBe(`arn:aws:sts::${DEV}:assumed-role/ThirdParty/ext`);
  });
});
