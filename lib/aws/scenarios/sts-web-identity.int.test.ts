// AssumeRoleWithWebIdentity with the AWS SDK v3 (which sends it unsigned, as
// AWS allows) against the API handler and this file's own database. Tokens are
// real JWTs signed with node:crypto by a key whose certificate (openssl, made
// fresh) is registered with the OIDC provider by its thumbprint; the role's
// trust policy decides on the provider's keys.
import crypto from "node:crypto";
import { CreateOpenIDConnectProviderCommand, CreateRoleCommand } from "@aws-sdk/client-iam";
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { DEV } from "@/lib/testing/principals";
import { pemBody, selfSignedCertificate, type SelfSigned } from "@/lib/testing/self-signed";
import { issueKey, sdkClients, sdkFailure, startTestApi, type Creds, type TestApi } from "../test-server";

let api: TestApi;
let admin: Creds;
let idp: SelfSigned;
let stranger: SelfSigned;
const ISSUER = "https://idp.example.test/realm";
const PROVIDER_ARN = `arn:aws:iam::${DEV}:oidc-provider/idp.example.test/realm`;
const ROLE = "web-identity-role";
const ROLE_ARN = `arn:aws:iam::${DEV}:role/${ROLE}`;

/** An unsigned STS client, as a web or mobile app has no AWS credentials. */
const anonymousSts = () => new STSClient({ endpoint: api.endpoint, region: "us-east-1", maxAttempts: 1, credentials: async () => ({ accessKeyId: "", secretAccessKey: "" }) });

function jwt(claims: Record<string, unknown>, signer: SelfSigned = idp, certificate: SelfSigned = signer): string {
  const header = { alg: "RS256", typ: "JWT", x5c: [pemBody(certificate.certificatePem)] };
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const input = `${part(header)}.${part(claims)}`;
  return `${input}.${crypto.sign("sha256", Buffer.from(input), signer.privateKeyPem).toString("base64url")}`;
}

const now = () => Math.floor(Date.now() / 1000);
const claims = (over: Record<string, unknown> = {}) => ({ iss: ISSUER, aud: "lab-app", sub: "user-1", iat: now(), exp: now() + 600, amr: ["pwd"], ...over });
const assume = (token: string, sessionName = "web-user") =>
  anonymousSts().send(new AssumeRoleWithWebIdentityCommand({ RoleArn: ROLE_ARN, RoleSessionName: sessionName, WebIdentityToken: token, DurationSeconds: 900 }));

beforeAll(async () => {
  api = await startTestApi();
  admin = await issueKey("admin");
  idp = selfSignedCertificate("idp.example.test");
  stranger = selfSignedCertificate("stranger.example.test");
  const thumbprint = crypto.createHash("sha1").update(new crypto.X509Certificate(idp.certificatePem).raw).digest("hex");
  const iam = sdkClients(api).iam(admin);
  await iam.send(new CreateOpenIDConnectProviderCommand({ Url: ISSUER, ClientIDList: ["lab-app"], ThumbprintList: [thumbprint] }));
  const trust = {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: PROVIDER_ARN },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { "idp.example.test/realm:aud": "lab-app", "idp.example.test/realm:sub": "user-1" }, StringLike: { "sts:RoleSessionName": "web-*" } },
      },
    ],
  };
  await iam.send(new CreateRoleCommand({ RoleName: ROLE, AssumeRolePolicyDocument: JSON.stringify(trust) }));
});
afterAll(() => api.close());

describe("AssumeRoleWithWebIdentity", () => {
  it("gives a verified token's user the role, unsigned, and the credentials work", async () => {
    const out = await assume(jwt(claims()));
    expect(out.AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${DEV}:assumed-role/${ROLE}/web-user`);
    expect(out).toMatchObject({ SubjectFromWebIdentityToken: "user-1", Provider: ISSUER, Audience: "lab-app" });
    const credentials = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
    expect((await sdkClients(api).sts(credentials).send(new GetCallerIdentityCommand({}))).Arn).toBe(`arn:aws:sts::${DEV}:assumed-role/${ROLE}/web-user`);
    // Audited in the role's account, without the token.
    const event = await db().auditEvent.findFirstOrThrow({ where: { eventName: "AssumeRoleWithWebIdentity", errorCode: null } });
    expect(event.recipientAccountId).toBe(DEV);
    expect(event.requestParameters).toContain("web-user");
    expect(event.requestParameters ?? "").not.toContain("eyJ");
    expect(event.responseElements).not.toContain(out.Credentials!.SecretAccessKey!);
  });

  it("lets the trust policy decide on the token's claims and the session name", async () => {
    const denied = { code: "AccessDenied", status: 403, message: "Not authorized to perform sts:AssumeRoleWithWebIdentity" };
    expect(await sdkFailure(assume(jwt(claims({ sub: "user-2" }))))).toEqual(denied);
    expect(await sdkFailure(assume(jwt(claims()), "other-name"))).toEqual(denied);
    expect(await sdkFailure(anonymousSts().send(new AssumeRoleWithWebIdentityCommand({ RoleArn: `arn:aws:iam::${DEV}:role/no-such-role`, RoleSessionName: "web-x", WebIdentityToken: jwt(claims()) }))))
      .toEqual(denied);
  });

  it("refuses tokens that do not verify, with AWS's codes", async () => {
    const invalid = (message: string) => ({ code: "InvalidIdentityToken", status: 400, message });
    expect(await sdkFailure(assume(jwt(claims({ aud: "other-app" }))))).toEqual(invalid("Incorrect token audience"));
    expect(await sdkFailure(assume("not-a-jwt"))).toEqual(invalid("The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)"));
    expect(await sdkFailure(assume(jwt(claims({ iss: "https://elsewhere.example.test" }))))).toEqual(invalid("No OpenIDConnect provider found in your account for https://elsewhere.example.test"));
    // Signed by a certificate the provider does not trust.
    expect(await sdkFailure(assume(jwt(claims(), stranger)))).toEqual(invalid("OpenIDConnect provider's HTTPS certificate doesn't match configured thumbprint"));
    // The trusted certificate, but signed by another key; and a claim changed after signing.
    expect((await sdkFailure(assume(jwt(claims(), stranger, idp)))).code).toBe("InvalidIdentityToken");
    const [h, , s] = jwt(claims()).split(".");
    const forged = `${h}.${Buffer.from(JSON.stringify(claims({ sub: "user-1", aud: "lab-app", exp: now() + 86_400 * 365 }))).toString("base64url")}.${s}`;
    expect((await sdkFailure(assume(forged))).message).toBe("The web identity token's signature could not be verified with the identity provider's certificate.");
    const expired = await sdkFailure(assume(jwt(claims({ exp: now() - 60 }))));
    expect(expired.code).toBe("ExpiredTokenException");
    expect(expired.message).toMatch(/^Token expired: current date\/time \d+ must be before the expiration date\/time \d+$/);
    // Nothing was issued for any of them.
    expect(await db().roleSession.count({ where: { kind: "AssumeRoleWithWebIdentity" } })).toBe(1);
  });
});
