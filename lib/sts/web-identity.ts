import "server-only";
// sts:AssumeRoleWithWebIdentity: a role session for a user of an OpenID
// Connect provider the role's account trusts, proved by the provider's ID
// token (no SigV4: the request is unsigned). The token is checked against the
// stored provider (./web-identity-token.ts), then the role's trust policy
// decides with the provider's keys (<provider URL>:aud, :sub, :amr, :oaud),
// sts:RoleSessionName and aws:FederatedProvider.
import type { Tx } from "@/lib/db/client";
import { IamError } from "@/lib/iam/errors";
import type { OperationSpec } from "@/lib/iam/operation";
import { anonymousPrincipal, type Caller } from "@/lib/iam/principal";
import { checkFederatedRequest, checkTrust, federatedTargetRole, notAuthorized, startFederatedSession, type FederatedSession } from "./federated-role-session";
import { credentialsForAudit, roleResource } from "./sts";
import { decodeJwt, issuerKey, NOT_A_JWT, verifyWebIdentityToken, type VerifiedToken } from "./web-identity-token";

export interface AssumeRoleWithWebIdentityInput {
  roleArn: string;
  roleSessionName: string;
  webIdentityToken: string;
  providerId?: string;
  policyArns?: { arn?: string }[];
  policy?: string;
  durationSeconds?: number;
}

export interface AssumeRoleWithWebIdentityResult extends FederatedSession {
  SubjectFromWebIdentityToken: string;
  Provider: string;
  Audience: string;
}

const ACTION = "sts:AssumeRoleWithWebIdentity";
export const oidcProviderArnOf = (accountId: string, url: string) => `arn:aws:iam::${accountId}:oidc-provider/${url}`;
const SOURCE_IDENTITY_CLAIM = "https://aws.amazon.com/source_identity";

/** The trust policy's keys for a verified token: the provider's own (under its URL) and STS's. */
export function webIdentityContext(url: string, providerArn: string, token: VerifiedToken, roleSessionName: string): Record<string, string | string[]> {
  const { claims } = token;
  const ctx: Record<string, string | string[]> = {
    "sts:RoleSessionName": roleSessionName,
    "aws:FederatedProvider": providerArn,
    [`${url}:sub`]: token.subject,
  };
  // With an authorized party (azp) it is the audience keyed :aud, and the token's audience :oaud.
  if (typeof claims.azp === "string") {
    ctx[`${url}:aud`] = claims.azp;
    ctx[`${url}:oaud`] = token.audience;
  } else ctx[`${url}:aud`] = token.audience;
  if (Array.isArray(claims.amr)) ctx[`${url}:amr`] = claims.amr.filter((a): a is string => typeof a === "string");
  else if (typeof claims.amr === "string") ctx[`${url}:amr`] = claims.amr;
  const source = claims[SOURCE_IDENTITY_CLAIM];
  if (typeof source === "string") ctx["sts:SourceIdentity"] = source;
  return ctx;
}

async function providerFor(tx: Tx, accountId: string, iss: unknown) {
  const url = issuerKey(iss);
  if (!url) throw new IamError("InvalidIdentityToken", NOT_A_JWT);
  const arn = oidcProviderArnOf(accountId, url);
  const row = await tx.oidcProvider.findUnique({ where: { arn }, select: { arn: true, url: true, clientIds: true, thumbprints: true } });
  if (!row) throw new IamError("InvalidIdentityToken", `No OpenIDConnect provider found in your account for ${String(iss)}`);
  return { arn: row.arn, url: row.url, clientIds: JSON.parse(row.clientIds) as string[], thumbprints: JSON.parse(row.thumbprints) as string[] };
}

/**
 * The caller is the token's user: the request needs no signature, and a signed
 * one is taken as unsigned (the signer's identity plays no part, as in AWS).
 */
export function assumeRoleWithWebIdentity(signer: Caller, input: AssumeRoleWithWebIdentityInput): OperationSpec<AssumeRoleWithWebIdentityResult> {
  const caller = signer.type === "Anonymous" ? signer : anonymousPrincipal(signer.organizationId);
  let state: { role: Awaited<ReturnType<typeof federatedTargetRole>>; seconds: number; sessionPolicy?: string } | undefined;
  return {
    service: "sts",
    name: "AssumeRoleWithWebIdentity",
    readOnly: false,
    // Only the role's trust policy decides (checkTrust, through the gate): the caller has no identity policies.
    noPermissionRequired: true,
    // The token is a bearer credential: never recorded.
    parameters: { roleArn: input.roleArn, roleSessionName: input.roleSessionName, providerId: input.providerId, policyArns: input.policyArns, policy: input.policy, durationSeconds: input.durationSeconds },
    resource: async (tx) => {
      if (input.webIdentityToken.length < 4 || input.webIdentityToken.length > 20_000) throw new IamError("InvalidIdentityToken", NOT_A_JWT);
      const role = await federatedTargetRole(tx, input.roleArn);
      const checked = await checkFederatedRequest(tx, input, role);
      state = { role, ...checked };
      return role ? roleResource(role) : { arn: input.roleArn };
    },
    run: async ({ tx, request }) => {
      const { role, seconds, sessionPolicy } = state!;
      if (!role) throw notAuthorized(ACTION);
      const jwt = decodeJwt(input.webIdentityToken);
      const provider = await providerFor(tx, role.accountId, jwt.claims.iss);
      const token = verifyWebIdentityToken(jwt, provider, new Date());
      const context = webIdentityContext(provider.url, provider.arn, token, input.roleSessionName);
      const principalId = `${provider.url}:${token.audience}:${token.subject}`;
      await checkTrust(tx, { caller, request, role, providerArn: provider.arn, principalId, action: ACTION, context });
      const sourceIdentity = typeof context["sts:SourceIdentity"] === "string" ? context["sts:SourceIdentity"] : undefined;
      if (sourceIdentity !== undefined) await checkTrust(tx, { caller, request, role, providerArn: provider.arn, principalId, action: "sts:SetSourceIdentity", context });
      const session = await startFederatedSession(tx, {
        role,
        roleSessionName: input.roleSessionName,
        seconds,
        providerArn: provider.arn,
        sessionPolicy,
        inlinePolicy: input.policy,
        policyArns: input.policyArns,
        sourceIdentity,
        kind: "AssumeRoleWithWebIdentity",
        region: request.region,
      });
      return { ...session, SubjectFromWebIdentityToken: token.subject, Provider: typeof token.claims.iss === "string" ? token.claims.iss : provider.url, Audience: token.audience };
    },
    response: (r) => ({
      credentials: credentialsForAudit(r.Credentials),
      assumedRoleUser: { assumedRoleId: r.AssumedRoleUser.AssumedRoleId, arn: r.AssumedRoleUser.Arn },
      subjectFromWebIdentityToken: r.SubjectFromWebIdentityToken,
      provider: r.Provider,
      audience: r.Audience,
    }),
  };
}
