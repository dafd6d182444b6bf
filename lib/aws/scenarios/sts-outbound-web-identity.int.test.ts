// Outbound web identity federation with the real AWS CLI and the AWS SDK for
// JavaScript v3 against the API handler on a loopback port and this file's own
// database: the dev account enables the feature, its principals get signed JWTs
// (RS256, ES384) that a verifier checks with node:crypto against the JWKS the
// endpoint serves for the issuer's host; disabling stops new tokens but keeps
// the keys published; and the refusals, with AWS's codes.
import crypto from "node:crypto";
import http from "node:http";
import { CreateRoleCommand, CreateUserCommand, PutRolePolicyCommand, TagUserCommand, DisableOutboundWebIdentityFederationCommand, EnableOutboundWebIdentityFederationCommand, GetOutboundWebIdentityFederationInfoCommand } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, GetWebIdentityTokenCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { DEV, STAGING } from "@/lib/testing/principals";
import { issueKey, sdkClients, sdkFailure, startTestApi, type Creds, type TestApi } from "../test-server";
import { aws } from "./cli";

let api: TestApi;
let admin: Creds;
let stranger: Creds;
const iam = (c: Creds) => sdkClients(api).iam(c);
const sts = (c: Creds) => sdkClients(api).sts(c);
const ISSUER = /^https:\/\/([0-9a-f-]{36})\.tokens\.sts\.global\.api\.aws$/;
let issuer: string;

/** GET a path of the API endpoint as the issuer's host (what DNS would send there). */
function getAsHost(host: string, path: string, method = "GET"): Promise<{ status: number; body: string; type?: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: api.port, path, method, headers: { host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), type: res.headers["content-type"] }));
    });
    req.on("error", reject);
    req.end();
  });
}

const hostOf = (url: string) => new URL(url).host;

/** Verifies a compact JWS as an external service would: discovery document, then JWKS, then the signature. */
async function verify(token: string): Promise<{ header: Record<string, unknown>; claims: Record<string, any> }> {
  const [h, p, s] = token.split(".");
  const header = JSON.parse(Buffer.from(h!, "base64url").toString("utf8")) as Record<string, unknown>;
  const claims = JSON.parse(Buffer.from(p!, "base64url").toString("utf8")) as Record<string, any>;
  const config = await getAsHost(hostOf(claims.iss), "/.well-known/openid-configuration");
  expect(config.status).toBe(200);
  const discovery = JSON.parse(config.body) as { issuer: string; jwks_uri: string; id_token_signing_alg_values_supported: string[] };
  expect(discovery.issuer).toBe(claims.iss);
  expect(discovery.id_token_signing_alg_values_supported).toEqual(expect.arrayContaining(["RS256", "ES384"]));
  const jwksUrl = new URL(discovery.jwks_uri);
  const jwks = await getAsHost(jwksUrl.host, jwksUrl.pathname);
  expect(jwks.status).toBe(200);
  const key = (JSON.parse(jwks.body) as { keys: (crypto.JsonWebKey & { kid: string })[] }).keys.find((k) => k.kid === header.kid);
  expect(key).toBeDefined();
  const publicKey = crypto.createPublicKey({ key: key!, format: "jwk" });
  const data = Buffer.from(`${h}.${p}`);
  const signature = Buffer.from(s!, "base64url");
  const ok =
    header.alg === "RS256"
      ? crypto.verify("sha256", data, publicKey, signature)
      : header.alg === "ES384"
        ? crypto.verify("sha384", data, { key: publicKey, dsaEncoding: "ieee-p1363" }, signature)
        : false;
  expect(ok).toBe(true);
  // A changed claim breaks the signature.
  const forged = Buffer.from(JSON.stringify({ ...claims, sub: "arn:aws:iam::000000000000:root" })).toString("base64url");
  const forgedOk =
    header.alg === "RS256"
      ? crypto.verify("sha256", Buffer.from(`${h}.${forged}`), publicKey, signature)
      : crypto.verify("sha384", Buffer.from(`${h}.${forged}`), { key: publicKey, dsaEncoding: "ieee-p1363" }, signature);
  expect(forgedOk).toBe(false);
  return { header, claims };
}

beforeAll(async () => {
  api = await startTestApi();
  admin = await issueKey("admin");
  stranger = await issueKey(undefined, STAGING);
});
afterAll(() => api.close());

describe("outbound web identity federation", () => {
  it("is off until enabled: info, tokens and disabling are refused with AWS's codes", async () => {
    expect(await sdkFailure(iam(admin).send(new GetOutboundWebIdentityFederationInfoCommand({})))).toMatchObject({ code: "FeatureDisabled", status: 404 });
    expect(await sdkFailure(iam(admin).send(new DisableOutboundWebIdentityFederationCommand({})))).toMatchObject({ code: "FeatureDisabled", status: 404 });
    expect(await sdkFailure(sts(admin).send(new GetWebIdentityTokenCommand({ Audience: ["https://api.example.com"], SigningAlgorithm: "RS256" })))).toMatchObject({
      code: "OutboundWebIdentityFederationDisabledException",
      status: 403,
    });
  });

  it("enables with the AWS CLI: one issuer per account, enabling twice is FeatureEnabled", async () => {
    const enabled = await aws(api.endpoint, admin, "iam", "enable-outbound-web-identity-federation");
    expect(enabled.code, enabled.stderr).toBe(0);
    issuer = enabled.json.IssuerIdentifier;
    expect(issuer).toMatch(ISSUER);
    const again = await aws(api.endpoint, admin, "iam", "enable-outbound-web-identity-federation");
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain("FeatureEnabled");
    expect(await iam(admin).send(new GetOutboundWebIdentityFederationInfoCommand({}))).toMatchObject({ IssuerIdentifier: issuer, JwtVendingEnabled: true });
    // Private keys are sealed at rest; the public halves are what the JWKS shows.
    const row = await db().outboundWebIdentityFederation.findUniqueOrThrow({ where: { accountId: DEV } });
    for (const sealed of [row.rsaPrivateKeySealed, row.ecPrivateKeySealed]) {
      expect(sealed.startsWith("v1.")).toBe(true);
      expect(sealed).not.toContain("PRIVATE KEY");
    }
    // Another account has no issuer of its own yet.
    expect(await sdkFailure(iam(stranger).send(new GetOutboundWebIdentityFederationInfoCommand({})))).toMatchObject({ code: "FeatureDisabled" });
  }, 120_000);

  it("signs an RS256 token (SDK v3) whose claims are AWS's and whose signature the served JWKS verifies", async () => {
    await iam(admin).send(new TagUserCommand({ UserName: "admin", Tags: [{ Key: "team", Value: "platform" }] }));
    const before = Math.floor(Date.now() / 1000);
    const r = await sts(admin).send(
      new GetWebIdentityTokenCommand({ Audience: ["https://api.example.com"], SigningAlgorithm: "RS256", DurationSeconds: 600, Tags: [{ Key: "job-id", Value: "job-42" }] }),
    );
    const { header, claims } = await verify(r.WebIdentityToken!);
    expect(header).toMatchObject({ alg: "RS256", typ: "JWT" });
    expect(claims).toMatchObject({
      iss: issuer,
      sub: `arn:aws:iam::${DEV}:user/admin`,
      aud: "https://api.example.com",
      "https://sts.amazonaws.com/": { aws_account: DEV, source_region: "us-east-1", principal_tags: { team: "platform" }, request_tags: { "job-id": "job-42" } },
    });
    expect(claims["https://sts.amazonaws.com/"].org_id).toMatch(/^o-/);
    expect(claims.exp - claims.iat).toBe(600);
    expect(claims.iat).toBeGreaterThanOrEqual(before - 1);
    expect(typeof claims.jti).toBe("string");
    expect(Math.floor(r.Expiration!.getTime() / 1000)).toBe(claims.exp);
    // The token is a bearer credential: no audit record holds it.
    const leaked = await db().auditEvent.count({ where: { OR: [{ requestParameters: { contains: r.WebIdentityToken! } }, { responseElements: { contains: r.WebIdentityToken! } }] } });
    expect(leaked).toBe(0);
    expect(await db().auditEvent.count({ where: { eventName: "GetWebIdentityToken", errorCode: null } })).toBeGreaterThan(0);
  });

  it("signs ES384 with the AWS CLI, several audiences as an array, five minutes by default", async () => {
    const r = await aws(api.endpoint, admin, "sts", "get-web-identity-token", "--audience", "https://a.example.com", "https://b.example.com", "--signing-algorithm", "ES384");
    expect(r.code, r.stderr).toBe(0);
    const { header, claims } = await verify(r.json.WebIdentityToken);
    expect(header.alg).toBe("ES384");
    expect(claims.aud).toEqual(["https://a.example.com", "https://b.example.com"]);
    expect(claims.exp - claims.iat).toBe(300);
    expect(claims["https://sts.amazonaws.com/"].request_tags).toBeUndefined();
  }, 120_000);

  it("names a role session's role in sub, and refuses a token that would outlive the session", async () => {
    const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${DEV}:root` }, Action: ["sts:AssumeRole", "sts:TagSession"] }] };
    await iam(admin).send(new CreateRoleCommand({ RoleName: "token-maker", AssumeRolePolicyDocument: JSON.stringify(trust), Tags: [{ Key: "team", Value: "data" }, { Key: "tier", Value: "1" }] }));
    const session = await sts(admin).send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${DEV}:role/token-maker`, RoleSessionName: "short", DurationSeconds: 900, Tags: [{ Key: "team", Value: "ingest" }] }),
    );
    const creds = { accessKeyId: session.Credentials!.AccessKeyId!, secretAccessKey: session.Credentials!.SecretAccessKey!, sessionToken: session.Credentials!.SessionToken! };
    // The role has no policies yet: the gate refuses.
    expect(await sdkFailure(sts(creds).send(new GetWebIdentityTokenCommand({ Audience: ["x"], SigningAlgorithm: "RS256" })))).toMatchObject({ code: "AccessDenied", status: 403 });
    const allow = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:GetWebIdentityToken", Resource: "*", Condition: { NumericLessThanEquals: { "sts:DurationSeconds": 3600 } } }] };
    await iam(admin).send(new PutRolePolicyCommand({ RoleName: "token-maker", PolicyName: "tokens", PolicyDocument: JSON.stringify(allow) }));
    const r = await sts(creds).send(new GetWebIdentityTokenCommand({ Audience: ["x"], SigningAlgorithm: "ES384", DurationSeconds: 60 }));
    const { claims } = await verify(r.WebIdentityToken!);
    expect(claims.sub).toBe(`arn:aws:iam::${DEV}:role/token-maker`);
    // The role's tags, the session's tags over them.
    expect(claims["https://sts.amazonaws.com/"].principal_tags).toEqual({ team: "ingest", tier: "1" });
    expect(await sdkFailure(sts(creds).send(new GetWebIdentityTokenCommand({ Audience: ["x"], SigningAlgorithm: "ES384", DurationSeconds: 3600 })))).toMatchObject({
      code: "SessionDurationEscalationException",
      status: 403,
    });
  });

  it("refuses bad parameters (ValidationError) and a user without the permission (AccessDenied)", async () => {
    const bad = [
      { Audience: ["x"], SigningAlgorithm: "HS256" },
      { Audience: ["x"], SigningAlgorithm: "RS256", DurationSeconds: 59 },
      { Audience: ["x"], SigningAlgorithm: "RS256", DurationSeconds: 3601 },
      { Audience: Array.from({ length: 11 }, (_, i) => `aud-${i}`), SigningAlgorithm: "RS256" },
      { Audience: ["x".repeat(1001)], SigningAlgorithm: "RS256" },
      { Audience: [], SigningAlgorithm: "RS256" },
    ];
    for (const input of bad) expect(await sdkFailure(sts(admin).send(new GetWebIdentityTokenCommand(input)))).toMatchObject({ code: "ValidationError", status: 400 });
    await iam(admin).send(new CreateUserCommand({ UserName: "no-tokens" }));
    const nobody = await issueKey("no-tokens");
    expect(await sdkFailure(sts(nobody).send(new GetWebIdentityTokenCommand({ Audience: ["x"], SigningAlgorithm: "RS256" })))).toMatchObject({ code: "AccessDenied", status: 403 });
  });

  it("serves discovery only for known issuers and only GET/HEAD", async () => {
    const host = hostOf(issuer);
    expect((await getAsHost(host, "/.well-known/jwks.json", "HEAD")).status).toBe(200);
    expect((await getAsHost(host, "/.well-known/other")).status).toBe(404);
    expect((await getAsHost(host, "/.well-known/jwks.json", "POST")).status).toBe(405);
    expect((await getAsHost(`${crypto.randomUUID()}.tokens.sts.global.api.aws`, "/.well-known/jwks.json")).status).toBe(404);
  });

  it("disabling stops new tokens but keeps the issuer and its keys; enabling again gives the same issuer", async () => {
    const earlier = (await sts(admin).send(new GetWebIdentityTokenCommand({ Audience: ["later"], SigningAlgorithm: "RS256" }))).WebIdentityToken!;
    await iam(admin).send(new DisableOutboundWebIdentityFederationCommand({}));
    expect(await iam(admin).send(new GetOutboundWebIdentityFederationInfoCommand({}))).toMatchObject({ IssuerIdentifier: issuer, JwtVendingEnabled: false });
    expect(await sdkFailure(iam(admin).send(new DisableOutboundWebIdentityFederationCommand({})))).toMatchObject({ code: "FeatureDisabled", status: 404 });
    expect(await sdkFailure(sts(admin).send(new GetWebIdentityTokenCommand({ Audience: ["x"], SigningAlgorithm: "RS256" })))).toMatchObject({
      code: "OutboundWebIdentityFederationDisabledException",
    });
    // Issued before: still verifiable.
    expect((await verify(earlier)).claims.aud).toBe("later");
    expect((await iam(admin).send(new EnableOutboundWebIdentityFederationCommand({}))).IssuerIdentifier).toBe(issuer);
  });
});
