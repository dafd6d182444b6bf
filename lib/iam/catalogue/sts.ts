// STS's operations, declared once (see ./operation.ts). The rules of each
// parameter (session name pattern, durations, session tags, MFA code) are
// checked by the builders in lib/sts with AWS's own messages; the schemas here
// fix the shape.
import { z } from "zod";
import { getAccessKeyInfo } from "@/lib/sts/access-key-info";
import { assumeRoot, AssumeRootInput } from "@/lib/sts/assume-root";
import { decodeAuthorizationMessage } from "@/lib/sts/authorization-message";
import { getFederationToken } from "@/lib/sts/federation-token";
import { getDelegatedAccessToken, GetDelegatedAccessTokenInput } from "@/lib/sts/delegated-access-token";
import { getWebIdentityToken, GetWebIdentityTokenInput } from "@/lib/sts/outbound-web-identity-token";
import { assumeRoleWithWebIdentity } from "@/lib/sts/web-identity";
import { assumeRoleWithSaml } from "@/lib/sts/assume-role-with-saml";
import { assumeRole, getCallerIdentity, getSessionToken } from "@/lib/sts/sts";
import { awsString } from "@/lib/iam/validation";
import { declare, declareNoInput } from "./operation";

const optional = <S extends z.ZodType>(schema: S) => z.preprocess((x) => (x === "" || x === null ? undefined : x), schema.optional());
const durationSeconds = optional(z.coerce.number().int());
const sessionTag = z.object({ Key: z.string(), Value: z.string() });

export const AssumeRoleInput = z.object({
  roleArn: z.string(),
  roleSessionName: z.string(),
  durationSeconds,
  externalId: optional(z.string()),
  serialNumber: optional(z.string()),
  tokenCode: optional(z.string()),
  policy: optional(z.string()),
  sourceIdentity: optional(z.string()),
  tags: optional(z.array(sessionTag)),
  transitiveTagKeys: optional(z.array(z.string())),
});

const policyArns = optional(z.array(z.object({ arn: z.string().optional() })));

export const GetFederationTokenInput = z.object({ name: z.string(), policy: optional(z.string()), policyArns, durationSeconds, tags: optional(z.array(sessionTag)) });

/** AWS's encodedMessageType: 1-10,240 characters (checked by the builder with AWS's exception). */
export const DecodeAuthorizationMessageInput = z.object({ encodedMessage: z.string() });

export const AssumeRoleWithWebIdentityInput = z.object({
  roleArn: z.string(),
  roleSessionName: z.string(),
  webIdentityToken: z.string(),
  providerId: optional(z.string()),
  policyArns,
  policy: optional(z.string()),
  durationSeconds,
});

/** Lengths (PrincipalArn 20-2048, SAMLAssertion 4-100,000) are checked by the builder with AWS's messages. */
export const AssumeRoleWithSAMLInput = z.object({
  roleArn: z.string(),
  principalArn: z.string(),
  sAMLAssertion: z.string(),
  policyArns,
  policy: optional(z.string()),
  durationSeconds,
});

export const GetSessionTokenInput = z.object({ durationSeconds, serialNumber: optional(z.string()), tokenCode: optional(z.string()) });

/** AWS's accessKeyIdType: 16-128 word characters. */
export const GetAccessKeyInfoInput = z.object({ accessKeyId: awsString("accessKeyId", { min: 16, max: 128, pattern: /^\w+$/, patternText: "[\\w]*" }) });

export const STS = {
  AssumeRole: declare("sts", "AssumeRole", AssumeRoleInput, assumeRole),
  GetSessionToken: declare("sts", "GetSessionToken", GetSessionTokenInput, getSessionToken),
  GetAccessKeyInfo: declare("sts", "GetAccessKeyInfo", GetAccessKeyInfoInput, getAccessKeyInfo),
  AssumeRoleWithWebIdentity: declare("sts", "AssumeRoleWithWebIdentity", AssumeRoleWithWebIdentityInput, assumeRoleWithWebIdentity),
  AssumeRoleWithSAML: declare("sts", "AssumeRoleWithSAML", AssumeRoleWithSAMLInput, assumeRoleWithSaml),
  GetFederationToken: declare("sts", "GetFederationToken", GetFederationTokenInput, getFederationToken),
  DecodeAuthorizationMessage: declare("sts", "DecodeAuthorizationMessage", DecodeAuthorizationMessageInput, decodeAuthorizationMessage),
  AssumeRoot: declare("sts", "AssumeRoot", AssumeRootInput, assumeRoot),
  GetWebIdentityToken: declare("sts", "GetWebIdentityToken", GetWebIdentityTokenInput, getWebIdentityToken),
  GetDelegatedAccessToken: declare("sts", "GetDelegatedAccessToken", GetDelegatedAccessTokenInput, getDelegatedAccessToken),
  GetCallerIdentity: declareNoInput("sts", "GetCallerIdentity", z.object({}).passthrough(), getCallerIdentity),
};
