// AssumeRoleWithSAML with the AWS SDK v3 and the AWS CLI (both send it
// unsigned, as AWS allows) against the API handler and this file's own database. The identity
// provider is a key and certificate made fresh (openssl); its metadata is
// registered with CreateSAMLProvider, and each test signs its own SAML
// response (xml-crypto, enveloped signature on the Assertion). The role's
// trust policy decides on the saml:* keys.
import crypto from "node:crypto";
import { CreateRoleCommand, CreateSAMLProviderCommand } from "@aws-sdk/client-iam";
import { AssumeRoleWithSAMLCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { DEV } from "@/lib/testing/principals";
import { base64, samlResponseXml, signAssertion, signedSamlResponse, type SamlResponseOptions } from "@/lib/testing/saml-response";
import { samlMetadata, selfSignedCertificate, type SelfSigned } from "@/lib/testing/self-signed";
import { issueKey, sdkClients, sdkFailure, startTestApi, type Creds, type TestApi } from "../test-server";
import { aws } from "./cli";

let api: TestApi;
let admin: Creds;
let idp: SelfSigned;
let stranger: SelfSigned;
const ISSUER = "https://idp.saml.example.test/metadata";
const PROVIDER = "lab-idp";
const PROVIDER_ARN = `arn:aws:iam::${DEV}:saml-provider/${PROVIDER}`;
const ROLE = "saml-role";
const ROLE_ARN = `arn:aws:iam::${DEV}:role/${ROLE}`;
const OTHER_ROLE_ARN = `arn:aws:iam::${DEV}:role/saml-untrusting-role`;
const ATTR = "https://aws.amazon.com/SAML/Attributes/";

const anonymousSts = () => new STSClient({ endpoint: api.endpoint, region: "us-east-1", maxAttempts: 1, credentials: async () => ({ accessKeyId: "", secretAccessKey: "" }) });

const options = (over: Partial<SamlResponseOptions> = {}, attributes: Record<string, string[]> = {}): SamlResponseOptions => ({
  issuer: ISSUER,
  subject: "alice",
  attributes: { [`${ATTR}Role`]: [`${ROLE_ARN},${PROVIDER_ARN}`], [`${ATTR}RoleSessionName`]: ["alice@example.test"], ...attributes },
  ...over,
});
const assume = (assertion: string, roleArn = ROLE_ARN, principalArn = PROVIDER_ARN) =>
  anonymousSts().send(new AssumeRoleWithSAMLCommand({ RoleArn: roleArn, PrincipalArn: principalArn, SAMLAssertion: assertion, DurationSeconds: 900 }));

beforeAll(async () => {
  api = await startTestApi();
  admin = await issueKey("admin");
  idp = selfSignedCertificate("idp.saml.example.test");
  stranger = selfSignedCertificate("stranger.example.test");
  const iam = sdkClients(api).iam(admin);
  await iam.send(new CreateSAMLProviderCommand({ Name: PROVIDER, SAMLMetadataDocument: samlMetadata(ISSUER, idp.certificatePem) }));
  const trust = {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: PROVIDER_ARN },
        Action: ["sts:AssumeRoleWithSAML", "sts:TagSession"],
        Condition: { StringEquals: { "saml:aud": "https://signin.aws.amazon.com/saml", "saml:sub": "alice", "saml:edupersonaffiliation": "staff" } },
      },
    ],
  };
  await iam.send(new CreateRoleCommand({ RoleName: ROLE, AssumeRolePolicyDocument: JSON.stringify(trust) }));
  // A role that trusts another provider only.
  const other = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Federated: `arn:aws:iam::${DEV}:saml-provider/another-idp` }, Action: "sts:AssumeRoleWithSAML" }] };
  await iam.send(new CreateRoleCommand({ RoleName: "saml-untrusting-role", AssumeRolePolicyDocument: JSON.stringify(other) }));
});
afterAll(() => api.close());

const STAFF = { "urn:oid:1.3.6.1.4.1.5923.1.1.1.1": ["staff", "member"] };

describe("AssumeRoleWithSAML", () => {
  it("gives a signed response's user the role, unsigned, with AWS's response fields, and the credentials work", async () => {
    const out = await assume(signedSamlResponse(options({}, { ...STAFF, [`${ATTR}PrincipalTag:team`]: ["lab"] }), idp));
    const arn = `arn:aws:sts::${DEV}:assumed-role/${ROLE}/alice@example.test`;
    expect(out.AssumedRoleUser!.Arn).toBe(arn);
    // NameQualifier: BASE64(SHA1(issuer + account + "/" + provider name)), as AWS documents it.
    const qualifier = crypto.createHash("sha1").update(`${ISSUER}${DEV}/${PROVIDER}`).digest("base64");
    expect(out).toMatchObject({ Subject: "alice", SubjectType: "persistent", Issuer: ISSUER, Audience: "https://signin.aws.amazon.com/saml", NameQualifier: qualifier });
    expect(out.PackedPolicySize).toBeGreaterThan(0);
    const credentials = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
    expect(out.Credentials!.Expiration!.getTime() - Date.now()).toBeLessThanOrEqual(900_000);
    expect((await sdkClients(api).sts(credentials).send(new GetCallerIdentityCommand({}))).Arn).toBe(arn);
    const session = await db().roleSession.findFirstOrThrow({ where: { kind: "AssumeRoleWithSAML", accessKeyId: out.Credentials!.AccessKeyId! } });
    expect(session.sourcePrincipalArn).toBe(PROVIDER_ARN);
    expect(JSON.parse(session.sessionTags ?? "{}")).toEqual({ team: "lab" });
    // Audited in the role's account, without the assertion.
    const event = await db().auditEvent.findFirstOrThrow({ where: { eventName: "AssumeRoleWithSAML", errorCode: null } });
    expect(event.recipientAccountId).toBe(DEV);
    expect(event.requestParameters ?? "").not.toContain("PD94");
    expect(event.requestParameters ?? "").not.toContain("samlp");
    expect(event.responseElements).not.toContain(out.Credentials!.SecretAccessKey!);
  });

  it("answers the AWS CLI, which sends the call unsigned", async () => {
    const assertion = signedSamlResponse(options({ subjectFormat: "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress" }, STAFF), idp);
    const out = await aws(api.endpoint, { accessKeyId: "", secretAccessKey: "" }, "sts", "assume-role-with-saml", "--role-arn", ROLE_ARN, "--principal-arn", PROVIDER_ARN, "--saml-assertion", assertion);
    expect(out.stderr).toBe("");
    expect(out.json).toMatchObject({ Subject: "alice", SubjectType: "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress", AssumedRoleUser: { Arn: `arn:aws:sts::${DEV}:assumed-role/${ROLE}/alice@example.test` } });
    expect(out.json.Credentials.AccessKeyId).toMatch(/^ASIA/);
  });

  it("lets the trust policy decide on saml:* keys, and the Role attribute must name this role and provider", async () => {
    const denied = { code: "AccessDenied", status: 403, message: "Not authorized to perform sts:AssumeRoleWithSAML" };
    expect(await sdkFailure(assume(signedSamlResponse(options({ subject: "mallory" }, STAFF), idp)))).toEqual(denied);
    expect(await sdkFailure(assume(signedSamlResponse(options({}, { "urn:oid:1.3.6.1.4.1.5923.1.1.1.1": ["student"] }), idp)))).toEqual(denied);
    // The role does not trust this provider.
    const forOther = options({}, { ...STAFF, [`${ATTR}Role`]: [`${PROVIDER_ARN},${OTHER_ROLE_ARN}`] });
    expect(await sdkFailure(assume(signedSamlResponse(forOther, idp), OTHER_ROLE_ARN))).toEqual(denied);
    // The response does not offer the requested role.
    expect(await sdkFailure(assume(signedSamlResponse(options({}, STAFF), idp), OTHER_ROLE_ARN))).toEqual(denied);
  });

  it("refuses responses that do not verify, with AWS's codes and no 500s", async () => {
    const invalid = (message: string) => ({ code: "InvalidIdentityToken", status: 400, message });
    // Changed after signing; signed by a key the provider does not know.
    const tampered = signAssertion(samlResponseXml(options({}, STAFF)), idp).replace(">alice</saml:NameID>", ">admin</saml:NameID>");
    expect(await sdkFailure(assume(base64(tampered)))).toEqual(invalid("Response signature invalid"));
    expect(await sdkFailure(assume(signedSamlResponse(options({}, STAFF), stranger)))).toEqual(invalid("Response signature invalid"));
    expect(await sdkFailure(assume(base64(samlResponseXml(options({}, STAFF)))))).toEqual(invalid("Response signature invalid"));
    expect(await sdkFailure(assume(signedSamlResponse(options({ audience: "https://app.example.test" }, STAFF), idp)))).toEqual(invalid("Response does not contain the required audience."));
    expect(await sdkFailure(assume(signedSamlResponse(options({ issuer: "https://elsewhere.example.test" }, STAFF), idp)))).toEqual(invalid("Issuer not present in specified provider"));
    expect((await sdkFailure(assume(signedSamlResponse(options({ recipient: "https://app.example.test/acs" }, STAFF), idp)))).code).toBe("InvalidIdentityToken");
    const past = new Date(Date.now() - 60_000);
    const expired = await sdkFailure(assume(signedSamlResponse(options({ notBefore: new Date(past.getTime() - 600_000), notOnOrAfter: past }, STAFF), idp)));
    expect(expired.code).toBe("ExpiredTokenException");
    expect(expired.message).toMatch(/^Token expired: current date\/time \d+ must be before the expiration date\/time \d+$/);
    const noName = options({}, STAFF);
    delete noName.attributes[`${ATTR}RoleSessionName`];
    expect(await sdkFailure(assume(signedSamlResponse(noName, idp)))).toEqual(invalid("RoleSessionName is required in AuthnResponse"));
    expect(await sdkFailure(assume(signedSamlResponse(options({}, { ...STAFF, [`${ATTR}RoleSessionName`]: ["a b"] }), idp)))).toEqual(
      invalid("RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}"),
    );
    expect(await sdkFailure(assume(signedSamlResponse(options({ statusCode: "urn:oasis:names:tc:SAML:2.0:status:Requester" }, STAFF), idp)))).toEqual({
      code: "IDPRejectedClaim",
      status: 403,
      message: "The identity provider (IdP) reported that authentication failed.",
    });
    expect(await sdkFailure(assume(signedSamlResponse(options({}, STAFF), idp), ROLE_ARN, `arn:aws:iam::${DEV}:saml-provider/no-such-idp`))).toEqual(invalid("Specified provider doesn't exist."));
    // SourceIdentity: AWS's pattern, and the trust policy must allow sts:SetSourceIdentity (this one does not).
    expect(await sdkFailure(assume(signedSamlResponse(options({}, { ...STAFF, [`${ATTR}SourceIdentity`]: ["aws:alice"] }), idp)))).toEqual(
      invalid('Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with "aws:"'),
    );
    expect((await sdkFailure(assume(signedSamlResponse(options({}, { ...STAFF, [`${ATTR}SourceIdentity`]: ["alice"] }), idp)))).code).toBe("AccessDenied");
    // Shorter than SAMLAssertionType's 4 characters.
    expect((await sdkFailure(assume("abc"))).code).toBe("ValidationError");
    // Garbage: not base64, base64 of text that is not XML, XML that is not a SAML response, a DTD.
    for (const garbage of ["not base64!", base64("hello"), base64("<a/>"), base64('<!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>')]) {
      expect((await sdkFailure(assume(garbage))).code).toBe("InvalidIdentityToken");
    }
    // Nothing was issued for any of them.
    expect(await db().roleSession.count({ where: { kind: "AssumeRoleWithSAML" } })).toBe(2);
  });
});
