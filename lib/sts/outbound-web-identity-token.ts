import "server-only";
// sts:GetWebIdentityToken (outbound web identity federation): a signed JWT
// that says who the caller is, for services outside AWS, which verify it with
// the issuer's JWKS (lib/iam/services/outbound-web-identity-federation.ts).
// (Not to be confused with ./web-identity-token.ts, the inbound ID tokens
// AssumeRoleWithWebIdentity verifies.)
//
// Claims as AWS documents them: iss (the account's issuer), sub (the caller's
// IAM identity: the role's ARN for a role session), aud (the requested
// audiences: one is a string, several an array), iat, exp, jti, and AWS's own
// under "https://sts.amazonaws.com/": aws_account, source_region, org_id,
// principal_tags (the user's tags; a role session's role tags and session tags)
// and request_tags (the request's Tags). Refused with
// OutboundWebIdentityFederationDisabledException unless the account enabled the
// feature; a role session cannot get a token that outlives it
// (SessionDurationEscalationException). The policy keys sts:IdentityTokenAudience,
// sts:DurationSeconds and sts:SigningAlgorithm (and aws:RequestTag/*) reach the gate.
import crypto from "node:crypto";
import { z } from "zod";
import type { Tx } from "@/lib/db/client";
import { rootArn } from "@/lib/iam/arn";
import { IamError } from "@/lib/iam/errors";
import type { OperationSpec } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";
import { activeSigningKey, type SigningAlgorithm } from "@/lib/iam/services/outbound-web-identity-federation";
import { checkSessionTags, constraintError, type SessionTag } from "./rules";

const optional = <S extends z.ZodType>(schema: S) => z.preprocess((x) => (x === "" || x === null ? undefined : x), schema.optional());

/** The shape; the rules (lengths, range, algorithm) are checked by the builder with AWS's messages. */
export const GetWebIdentityTokenInput = z.object({
  audience: optional(z.array(z.string())),
  durationSeconds: optional(z.coerce.number()),
  signingAlgorithm: optional(z.string()),
  tags: optional(z.array(z.object({ Key: z.string(), Value: z.string() }))),
});

export interface GetWebIdentityTokenResult {
  WebIdentityToken: string;
  Expiration: Date;
}

export const DEFAULT_TOKEN_SECONDS = 300;
export const MIN_TOKEN_SECONDS = 60;
export const MAX_TOKEN_SECONDS = 3600;
const ALGORITHMS: Record<SigningAlgorithm, { hash: string; dsaEncoding?: "ieee-p1363" }> = {
  RS256: { hash: "sha256" },
  ES384: { hash: "sha384", dsaEncoding: "ieee-p1363" },
};
/** The claims namespace AWS puts its own claims under. */
export const STS_CLAIMS = "https://sts.amazonaws.com/";

export const FEATURE_DISABLED =
  "Outbound web identity federation is not enabled for this account. Enable it with iam:EnableOutboundWebIdentityFederation before calling GetWebIdentityToken.";

interface Checked {
  audience: string[];
  seconds: number;
  algorithm: SigningAlgorithm;
  tags: Record<string, string>;
}

function check(input: z.output<typeof GetWebIdentityTokenInput>): Checked {
  const audience = input.audience ?? [];
  if (input.audience === undefined) throw constraintError("audience", undefined, "Member must not be null");
  if (audience.length < 1) throw constraintError("audience", undefined, "Member must have length greater than or equal to 1");
  if (audience.length > 10) throw constraintError("audience", undefined, "Member must have length less than or equal to 10");
  for (const a of audience) {
    if (a.length < 1) throw constraintError("audience.member", a, "Member must have length greater than or equal to 1");
    if (a.length > 1000) throw constraintError("audience.member", undefined, "Member must have length less than or equal to 1000");
  }
  let seconds = DEFAULT_TOKEN_SECONDS;
  if (input.durationSeconds !== undefined) {
    const d = input.durationSeconds;
    if (!Number.isInteger(d)) throw constraintError("durationSeconds", String(d), "Member must be an integer");
    if (d < MIN_TOKEN_SECONDS) throw constraintError("durationSeconds", d, `Member must have value greater than or equal to ${MIN_TOKEN_SECONDS}`);
    if (d > MAX_TOKEN_SECONDS) throw constraintError("durationSeconds", d, `Member must have value less than or equal to ${MAX_TOKEN_SECONDS}`);
    seconds = d;
  }
  const algorithm = input.signingAlgorithm;
  if (algorithm === undefined) throw constraintError("signingAlgorithm", undefined, "Member must not be null");
  if (algorithm !== "RS256" && algorithm !== "ES384") throw constraintError("signingAlgorithm", algorithm, "Member must satisfy enum value set: [RS256, ES384]");
  const tags = checkSessionTags(input.tags as SessionTag[] | undefined, undefined);
  return { audience, seconds, algorithm, tags };
}

/** The IAM identity a token names in `sub`: a role session's role, else the caller's own ARN. */
export function subjectOf(principal: Principal): string {
  if (principal.type === "AssumedRole") return principal.roleArn;
  if (principal.type === "Root") return rootArn(principal.accountId);
  return principal.arn;
}

/** A compact JWS (RFC 7515) of `claims`, signed with the key. */
export function signJwt(claims: Record<string, unknown>, algorithm: SigningAlgorithm, keyId: string, privateKey: crypto.KeyObject): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const signingInput = `${part({ alg: algorithm, typ: "JWT", kid: keyId })}.${part(claims)}`;
  const { hash, dsaEncoding } = ALGORITHMS[algorithm];
  const signature = crypto.sign(hash, Buffer.from(signingInput), dsaEncoding ? { key: privateKey, dsaEncoding } : privateKey);
  return `${signingInput}.${signature.toString("base64url")}`;
}

/** The caller's tags as AWS puts them in principal_tags: a user's tags; a role session's role tags, its session tags over them. */
async function principalTags(tx: Tx, principal: Principal): Promise<Record<string, string>> {
  if (principal.type === "Root") return {};
  const holder = principal.type === "AssumedRole" ? principal.roleArn : principal.arn;
  const rows = await tx.tag.findMany({ where: { accountId: principal.accountId, resourceArn: holder }, select: { key: true, value: true }, orderBy: { keyLower: "asc" } });
  const tags: Record<string, string> = Object.fromEntries(rows.map((r) => [r.key, r.value]));
  if (principal.type === "AssumedRole") {
    const session = await tx.roleSession.findUnique({ where: { id: principal.sessionId }, select: { sessionTags: true } });
    try {
      Object.assign(tags, session?.sessionTags ? (JSON.parse(session.sessionTags) as Record<string, string>) : {});
    } catch {
      // an unreadable row adds nothing
    }
  }
  return tags;
}

function tokenContext(input: z.output<typeof GetWebIdentityTokenInput>): Record<string, string | string[]> {
  const ctx: Record<string, string | string[]> = {};
  if (input.audience?.length) ctx["sts:IdentityTokenAudience"] = input.audience;
  ctx["sts:DurationSeconds"] = String(input.durationSeconds ?? DEFAULT_TOKEN_SECONDS);
  if (input.signingAlgorithm) ctx["sts:SigningAlgorithm"] = input.signingAlgorithm;
  for (const t of input.tags ?? []) ctx[`aws:RequestTag/${t.Key}`] = t.Value ?? "";
  if (input.tags?.length) ctx["aws:TagKeys"] = input.tags.map((t) => t.Key);
  return ctx;
}

export function getWebIdentityToken(principal: Principal, input: z.output<typeof GetWebIdentityTokenInput>): OperationSpec<GetWebIdentityTokenResult> {
  let checked: Checked | undefined;
  return {
    service: "sts",
    name: "GetWebIdentityToken",
    readOnly: false,
    context: tokenContext(input),
    parameters: { audience: input.audience, durationSeconds: input.durationSeconds, signingAlgorithm: input.signingAlgorithm, tags: input.tags },
    resource: async () => {
      checked = check(input);
      return { arn: "*" };
    },
    run: async ({ tx, request }) => {
      const { audience, seconds, algorithm, tags } = checked!;
      const now = new Date();
      const expiration = new Date(Math.floor(now.getTime() / 1000) * 1000 + seconds * 1000);
      if (principal.type === "AssumedRole" && expiration.getTime() > principal.expiresAt.getTime()) {
        throw new IamError(
          "SessionDurationEscalationException",
          `The requested token duration (${seconds} seconds) would outlive the session, which expires at ${principal.expiresAt.toISOString()}.`,
        );
      }
      const key = await activeSigningKey(tx, principal.accountId, algorithm);
      if (!key) throw new IamError("OutboundWebIdentityFederationDisabledException", FEATURE_DISABLED);
      const aws: Record<string, unknown> = { aws_account: principal.accountId, source_region: request.region, org_id: principal.organizationId };
      const ownTags = await principalTags(tx, principal);
      if (Object.keys(ownTags).length) aws.principal_tags = ownTags;
      if (Object.keys(tags).length) aws.request_tags = tags;
      const claims = {
        iss: key.issuer,
        sub: subjectOf(principal),
        aud: audience.length === 1 ? audience[0] : audience,
        iat: Math.floor(now.getTime() / 1000),
        exp: Math.floor(expiration.getTime() / 1000),
        jti: crypto.randomUUID(),
        [STS_CLAIMS]: aws,
      };
      return { WebIdentityToken: signJwt(claims, algorithm, key.keyId, key.privateKey), Expiration: expiration };
    },
    // The token is a bearer credential: only its expiry is recorded.
    response: (r) => ({ expiration: r.Expiration.toISOString() }),
  };
}
