import "server-only";
// sts:AssumeRoleWithSAML: a role session for a user of a SAML 2.0 identity
// provider the role's account trusts (an IAM SAML provider, PrincipalArn),
// proved by the provider's signed authentication response (no SigV4: the
// request is unsigned). The response is checked against the provider's
// metadata (./saml-assertion.ts); its Role attribute must name this role and
// provider; its RoleSessionName, PrincipalTag:*, TransitiveTagKeys and
// SourceIdentity attributes shape the session; then the role's trust policy
// decides with the saml:* keys AWS documents (saml:aud is the Recipient, not
// the Audience; saml:namequalifier is AWS's hash of issuer, account and
// provider name; attribute keys such as saml:edupersonaffiliation come from
// the attributes' urn:oid names) and sts:RoleSessionName.
import crypto from "node:crypto";
import type { Tx } from "@/lib/db/client";
import { IamError } from "@/lib/iam/errors";
import type { OperationSpec } from "@/lib/iam/operation";
import { anonymousPrincipal, type Caller } from "@/lib/iam/principal";
import { parseSamlMetadata } from "@/lib/iam/services/identity-providers";
import { checkFederatedRequest, checkTrust, federatedTargetRole, notAuthorized, startFederatedSession, type FederatedRole, type FederatedSession } from "./federated-role-session";
import { checkPackedPolicySize, checkSessionTags, constraintError } from "./rules";
import { SAML_ASSERTION_MAX, SAML_ASSERTION_MIN, verifySamlResponse, type VerifiedSamlAssertion } from "./saml-assertion";
import { credentialsForAudit, roleResource } from "./sts";

export interface AssumeRoleWithSamlInput {
  roleArn: string;
  principalArn: string;
  sAMLAssertion: string;
  policyArns?: { arn?: string }[];
  policy?: string;
  durationSeconds?: number;
}

export interface AssumeRoleWithSamlResult extends FederatedSession {
  Subject: string;
  SubjectType: string;
  Issuer: string;
  Audience: string;
  NameQualifier: string;
}

const ACTION = "sts:AssumeRoleWithSAML";
const ATTRIBUTE = "https://aws.amazon.com/SAML/Attributes/";
const SESSION_NAME_RE = /^[\w+=,.@-]{2,64}$/;

/** The saml:* keys AWS documents for attributes, by the attribute's urn:oid name. */
const ATTRIBUTE_KEYS: Record<string, string> = {
  "urn:oid:1.3.6.1.4.1.5923.1.1.1.1": "saml:edupersonaffiliation",
  "urn:oid:1.3.6.1.4.1.5923.1.1.1.2": "saml:edupersonnickname",
  "urn:oid:1.3.6.1.4.1.5923.1.1.1.3": "saml:edupersonorgdn",
  "urn:oid:1.3.6.1.4.1.5923.1.1.1.4": "saml:edupersonorgunitdn",
  "urn:oid:1.3.6.1.4.1.5923.1.1.1.5": "saml:edupersonprimaryaffiliation",
  "urn:oid:1.3.6.1.4.1.5923.1.1.1.6": "saml:edupersonprincipalname",
  "urn:oid:1.3.6.1.4.1.5923.1.1.1.7": "saml:edupersonentitlement",
  "urn:oid:1.3.6.1.4.1.5923.1.1.1.8": "saml:edupersonprimaryorgunitdn",
  "urn:oid:1.3.6.1.4.1.5923.1.1.1.9": "saml:edupersonscopedaffiliation",
  "urn:oid:1.3.6.1.4.1.5923.1.1.1.10": "saml:edupersontargetedid",
  "urn:oid:1.3.6.1.4.1.5923.1.1.1.11": "saml:edupersonassurance",
  "urn:oid:1.3.6.1.4.1.5923.1.2.1.2": "saml:eduorghomepageuri",
  "urn:oid:1.3.6.1.4.1.5923.1.2.1.3": "saml:eduorgidentityauthnpolicyuri",
  "urn:oid:1.3.6.1.4.1.5923.1.2.1.4": "saml:eduorglegalname",
  "urn:oid:1.3.6.1.4.1.5923.1.2.1.5": "saml:eduorgsuperioruri",
  "urn:oid:1.3.6.1.4.1.5923.1.2.1.6": "saml:eduorgwhitepagesuri",
  "urn:oid:2.5.4.3": "saml:cn",
  "urn:oid:2.5.4.42": "saml:givenName",
  "urn:oid:2.5.4.4": "saml:surname",
  "urn:oid:0.9.2342.19200300.100.1.3": "saml:mail",
  "urn:oid:0.9.2342.19200300.100.1.1": "saml:uid",
};

/** AWS's NameQualifier: BASE64(SHA1(issuer + account ID + "/" + provider name)). */
export const nameQualifierOf = (issuer: string, accountId: string, providerName: string) =>
  crypto.createHash("sha1").update(`${issuer}${accountId}/${providerName}`).digest("base64");

/** The provider named by PrincipalArn, in the role's account, or InvalidIdentityToken. */
async function samlProviderFor(tx: Tx, principalArn: string, role: FederatedRole) {
  const row = await tx.samlProvider.findUnique({ where: { arn: principalArn }, select: { arn: true, name: true, accountId: true, metadataDocument: true, validUntil: true, assertionEncryptionMode: true } });
  if (!row || row.accountId !== role.accountId) throw new IamError("InvalidIdentityToken", "Specified provider doesn't exist.");
  return row;
}

/** The Role attribute's pairs (role ARN and provider ARN, either order). */
function rolePairs(values: string[]): { role: string; provider: string }[] {
  return values.flatMap((v) => {
    const [a, b, ...rest] = v.split(",").map((s) => s.trim());
    if (!a || !b || rest.length) return [];
    if (/:role\//.test(a) && /:saml-provider\//.test(b)) return [{ role: a, provider: b }];
    if (/:saml-provider\//.test(a) && /:role\//.test(b)) return [{ role: b, provider: a }];
    return [];
  });
}

interface SessionClaims {
  roleSessionName: string;
  sourceIdentity?: string;
  tags: { Key: string; Value: string }[];
  transitiveTagKeys: string[];
}

/** RoleSessionName, SourceIdentity, PrincipalTag:* and TransitiveTagKeys, with AWS's refusals. */
export function sessionClaims(assertion: VerifiedSamlAssertion): SessionClaims {
  const first = (name: string) => assertion.attributes.get(ATTRIBUTE + name)?.[0];
  const roleSessionName = first("RoleSessionName");
  if (roleSessionName === undefined) throw new IamError("InvalidIdentityToken", "RoleSessionName is required in AuthnResponse");
  if (!SESSION_NAME_RE.test(roleSessionName)) throw new IamError("InvalidIdentityToken", "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}");
  const sourceIdentity = first("SourceIdentity");
  if (sourceIdentity !== undefined && (!SESSION_NAME_RE.test(sourceIdentity) || sourceIdentity.toLowerCase().startsWith("aws:")))
    throw new IamError("InvalidIdentityToken", 'Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with "aws:"');
  const tags: { Key: string; Value: string }[] = [];
  for (const [name, values] of assertion.attributes) {
    if (name.startsWith(`${ATTRIBUTE}PrincipalTag:`)) tags.push({ Key: name.slice(`${ATTRIBUTE}PrincipalTag:`.length), Value: values[0] ?? "" });
  }
  const transitiveTagKeys = assertion.attributes.get(`${ATTRIBUTE}TransitiveTagKeys`) ?? [];
  return { roleSessionName, sourceIdentity, tags, transitiveTagKeys };
}

/** The trust policy's keys for a verified response. */
export function samlContext(
  assertion: VerifiedSamlAssertion,
  provider: { accountId: string; name: string },
  claims: SessionClaims,
): Record<string, string | string[]> {
  const ctx: Record<string, string | string[]> = {
    "saml:aud": assertion.recipient,
    "saml:iss": assertion.issuer,
    "saml:sub": assertion.subject,
    "saml:sub_type": assertion.subjectType,
    "saml:namequalifier": nameQualifierOf(assertion.issuer, provider.accountId, provider.name),
    "saml:doc": `${provider.accountId}/${provider.name}`,
    "sts:RoleSessionName": claims.roleSessionName,
  };
  for (const [name, values] of assertion.attributes) {
    const key = ATTRIBUTE_KEYS[name];
    if (key && values.length) ctx[key] = values.length === 1 ? values[0]! : values;
  }
  if (claims.sourceIdentity !== undefined) ctx["sts:SourceIdentity"] = claims.sourceIdentity;
  if (claims.tags.length) {
    for (const t of claims.tags) ctx[`aws:RequestTag/${t.Key}`] = t.Value;
    ctx["aws:TagKeys"] = claims.tags.map((t) => t.Key);
  }
  if (claims.transitiveTagKeys.length) ctx["sts:TransitiveTagKeys"] = claims.transitiveTagKeys;
  return ctx;
}

/** The SessionDuration attribute's bounds (AWS: 900 seconds to 12 hours). */
export const SAML_SESSION_DURATION_MIN = 900;
export const SAML_SESSION_DURATION_MAX = 43_200;

/** The IdP's SessionDuration attribute, if it sent one: an integer number of seconds, 900 to 43200, or AWS's refusal. */
export function samlSessionDuration(assertion: Pick<VerifiedSamlAssertion, "attributes">): number | undefined {
  const value = assertion.attributes.get(`${ATTRIBUTE}SessionDuration`)?.[0]?.trim();
  if (value === undefined) return undefined;
  const seconds = /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  if (!(seconds >= SAML_SESSION_DURATION_MIN && seconds <= SAML_SESSION_DURATION_MAX))
    throw new IamError("InvalidIdentityToken", `SessionDuration in AuthnResponse must be an integer from ${SAML_SESSION_DURATION_MIN} to ${SAML_SESSION_DURATION_MAX} seconds`);
  return seconds;
}

/**
 * The API session's length. DurationSeconds (checked against the role's
 * MaxSessionDuration) when the request gives one; otherwise the one-hour
 * default, which the SessionDuration attribute may shorten but never extend
 * (AWS: it lengthens console sessions only). Either way the IdP's
 * SessionNotOnOrAfter cuts it short when that comes sooner.
 */
export function sessionSeconds(
  args: { seconds: number; durationSecondsGiven: boolean },
  assertion: Pick<VerifiedSamlAssertion, "attributes" | "sessionNotOnOrAfter">,
  now: Date,
): number {
  const attribute = samlSessionDuration(assertion);
  let seconds = args.seconds;
  if (!args.durationSecondsGiven && attribute !== undefined) seconds = Math.min(seconds, attribute);
  if (!assertion.sessionNotOnOrAfter) return seconds;
  return Math.max(1, Math.min(seconds, Math.floor((assertion.sessionNotOnOrAfter.getTime() - now.getTime()) / 1000)));
}

/**
 * The caller is the response's user: the request needs no signature, and a
 * signed one is taken as unsigned (the signer's identity plays no part, as in AWS).
 */
export function assumeRoleWithSaml(signer: Caller, input: AssumeRoleWithSamlInput): OperationSpec<AssumeRoleWithSamlResult> {
  const caller = signer.type === "Anonymous" ? signer : anonymousPrincipal(signer.organizationId);
  let state: { role: FederatedRole | null; seconds: number; sessionPolicy?: string } | undefined;
  return {
    service: "sts",
    name: "AssumeRoleWithSAML",
    readOnly: false,
    // Only the role's trust policy decides (checkTrust, through the gate): the caller has no identity policies.
    noPermissionRequired: true,
    // The assertion is a bearer credential: never recorded.
    parameters: { roleArn: input.roleArn, principalArn: input.principalArn, policyArns: input.policyArns, policy: input.policy, durationSeconds: input.durationSeconds },
    resource: async (tx) => {
      if (input.principalArn.length < 20) throw constraintError("principalArn", input.principalArn, "Member must have length greater than or equal to 20");
      if (input.principalArn.length > 2048) throw constraintError("principalArn", input.principalArn, "Member must have length less than or equal to 2048");
      if (input.sAMLAssertion.length < SAML_ASSERTION_MIN) throw constraintError("sAMLAssertion", undefined, `Member must have length greater than or equal to ${SAML_ASSERTION_MIN}`);
      if (input.sAMLAssertion.length > SAML_ASSERTION_MAX) throw constraintError("sAMLAssertion", undefined, `Member must have length less than or equal to ${SAML_ASSERTION_MAX}`);
      const role = await federatedTargetRole(tx, input.roleArn);
      const checked = await checkFederatedRequest(tx, input, role);
      state = { role, ...checked };
      return role ? roleResource(role) : { arn: input.roleArn };
    },
    run: async ({ tx, request }) => {
      const { role, seconds, sessionPolicy } = state!;
      if (!role) throw notAuthorized(ACTION);
      const provider = await samlProviderFor(tx, input.principalArn, role);
      const now = new Date();
      if (provider.validUntil && provider.validUntil <= now) throw new IamError("InvalidIdentityToken", `The metadata of SAML provider ${provider.arn} expired at ${provider.validUntil.toISOString()}.`);
      if (provider.assertionEncryptionMode === "Required")
        throw new IamError("InvalidIdentityToken", `SAML provider ${provider.arn} requires encrypted assertions, which IAM Lab does not decrypt: set its AssertionEncryptionMode to Allowed.`);
      const metadata = parseSamlMetadata(provider.metadataDocument);
      const assertion = verifySamlResponse(input.sAMLAssertion, metadata, now);
      if (!rolePairs(assertion.attributes.get(`${ATTRIBUTE}Role`) ?? []).some((p) => p.role === role.arn && p.provider === provider.arn)) throw notAuthorized(ACTION);
      const claims = sessionClaims(assertion);
      const sessionLength = sessionSeconds({ seconds, durationSecondsGiven: input.durationSeconds !== undefined }, assertion, now);
      const tags = checkSessionTags(claims.tags, claims.transitiveTagKeys);
      checkPackedPolicySize(input.policy, tags);
      const context = samlContext(assertion, provider, claims);
      const principalId = `${context["saml:namequalifier"]}:${assertion.subject}`;
      const trust = (action: string) => checkTrust(tx, { caller, request, role, providerArn: provider.arn, principalId, action, context });
      await trust(ACTION);
      if (claims.tags.length) await trust("sts:TagSession");
      if (claims.sourceIdentity !== undefined) await trust("sts:SetSourceIdentity");
      const session = await startFederatedSession(tx, {
        role,
        roleSessionName: claims.roleSessionName,
        seconds: sessionLength,
        providerArn: provider.arn,
        sessionPolicy,
        inlinePolicy: input.policy,
        policyArns: input.policyArns,
        sourceIdentity: claims.sourceIdentity,
        sessionTags: tags,
        transitiveTagKeys: claims.transitiveTagKeys,
        kind: "AssumeRoleWithSAML",
        region: request.region,
      });
      return {
        ...session,
        Subject: assertion.subject,
        SubjectType: assertion.subjectType,
        Issuer: assertion.issuer,
        Audience: assertion.recipient,
        NameQualifier: String(context["saml:namequalifier"]),
      };
    },
    response: (r) => ({
      credentials: credentialsForAudit(r.Credentials),
      assumedRoleUser: { assumedRoleId: r.AssumedRoleUser.AssumedRoleId, arn: r.AssumedRoleUser.Arn },
      subject: r.Subject,
      subjectType: r.SubjectType,
      issuer: r.Issuer,
      audience: r.Audience,
      nameQualifier: r.NameQualifier,
      ...(r.SourceIdentity ? { sourceIdentity: r.SourceIdentity } : {}),
    }),
  };
}
