// The SAML SessionDuration attribute through the AWS SDK v3 (unsigned
// AssumeRoleWithSAML) against the API handler: it shortens the default one-hour
// session, never lengthens it, leaves an explicit DurationSeconds alone (which
// the role's MaxSessionDuration still bounds), and out of 900..43200 it is refused.
import { CreateRoleCommand, CreateSAMLProviderCommand } from "@aws-sdk/client-iam";
import { AssumeRoleWithSAMLCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV } from "@/lib/testing/principals";
import { signedSamlResponse } from "@/lib/testing/saml-response";
import { samlMetadata, selfSignedCertificate, type SelfSigned } from "@/lib/testing/self-signed";
import { issueKey, sdkClients, sdkFailure, startTestApi, type TestApi } from "../test-server";

let api: TestApi;
let idp: SelfSigned;
const ISSUER = "https://idp.duration.example.test/metadata";
const PROVIDER_ARN = `arn:aws:iam::${DEV}:saml-provider/duration-idp`;
const ROLE_ARN = `arn:aws:iam::${DEV}:role/saml-duration-role`;
const ATTR = "https://aws.amazon.com/SAML/Attributes/";

const anonymousSts = () => new STSClient({ endpoint: api.endpoint, region: "us-east-1", maxAttempts: 1, credentials: async () => ({ accessKeyId: "", secretAccessKey: "" }) });
const assertion = (sessionDuration?: string) =>
  signedSamlResponse(
    {
      issuer: ISSUER,
      subject: "alice",
      attributes: {
        [`${ATTR}Role`]: [`${ROLE_ARN},${PROVIDER_ARN}`],
        [`${ATTR}RoleSessionName`]: ["alice"],
        ...(sessionDuration !== undefined ? { [`${ATTR}SessionDuration`]: [sessionDuration] } : {}),
      },
    },
    idp,
  );
/** The session's length in seconds as the returned Expiration says (rounded to the minute). */
async function sessionLength(sessionDuration: string | undefined, durationSeconds?: number): Promise<number> {
  const out = await anonymousSts().send(new AssumeRoleWithSAMLCommand({ RoleArn: ROLE_ARN, PrincipalArn: PROVIDER_ARN, SAMLAssertion: assertion(sessionDuration), DurationSeconds: durationSeconds }));
  return Math.round((out.Credentials!.Expiration!.getTime() - Date.now()) / 60_000) * 60;
}

beforeAll(async () => {
  api = await startTestApi();
  const admin = await issueKey("admin");
  idp = selfSignedCertificate("idp.duration.example.test");
  const iam = sdkClients(api).iam(admin);
  await iam.send(new CreateSAMLProviderCommand({ Name: "duration-idp", SAMLMetadataDocument: samlMetadata(ISSUER, idp.certificatePem) }));
  const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Federated: PROVIDER_ARN }, Action: "sts:AssumeRoleWithSAML" }] };
  await iam.send(new CreateRoleCommand({ RoleName: "saml-duration-role", AssumeRolePolicyDocument: JSON.stringify(trust), MaxSessionDuration: 7200 }));
});
afterAll(() => api.close());

describe("AssumeRoleWithSAML SessionDuration attribute", () => {
  it("shortens the default hour, never lengthens it, and leaves DurationSeconds to the role's limit", async () => {
    expect(await sessionLength(undefined)).toBe(3600);
    expect(await sessionLength("1800")).toBe(1800);
    expect(await sessionLength("43200")).toBe(3600);
    expect(await sessionLength("1800", 5400)).toBe(5400);
    expect(await sdkFailure(anonymousSts().send(new AssumeRoleWithSAMLCommand({ RoleArn: ROLE_ARN, PrincipalArn: PROVIDER_ARN, SAMLAssertion: assertion("1800"), DurationSeconds: 10_800 }))))
      .toEqual({ code: "ValidationError", status: 400, message: "The requested DurationSeconds exceeds the MaxSessionDuration set for this role." });
  });

  it("refuses a SessionDuration outside 900..43200 or not a whole number, as an invalid token", async () => {
    for (const bad of ["600", "43201", "3600.5", "an hour"]) {
      expect(await sdkFailure(anonymousSts().send(new AssumeRoleWithSAMLCommand({ RoleArn: ROLE_ARN, PrincipalArn: PROVIDER_ARN, SAMLAssertion: assertion(bad) })))).toEqual({
        code: "InvalidIdentityToken",
        status: 400,
        message: "SessionDuration in AuthnResponse must be an integer from 900 to 43200 seconds",
      });
    }
  });
});
