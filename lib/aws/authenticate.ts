import "server-only";
// Who signed a request: the access key's identity. Long-term keys (AKIA) are an
// IAM user's or an account root user's; temporary ones (ASIA) a role session or
// a GetSessionToken session (lib/sts/credentials.ts). Unknown, inactive or
// mismatched keys all answer AWS's InvalidClientTokenId; expired sessions
// ExpiredToken. The key's last use (date, service, region) is written here.
import { decryptSecret } from "@/lib/crypto/secrets";
import { db, type Tx } from "@/lib/db/client";
import { rootArn } from "@/lib/iam/arn";
import type { Principal } from "@/lib/iam/principal";
import { resolveTemporaryCredentials } from "@/lib/sts/credentials";
import type { Readable } from "node:stream";
import { AwsApiError, MESSAGES } from "./errors";
import { s3PayloadStream, type S3Payload } from "./s3-payload";
import { payloadErrors } from "./s3-payload/errors";
import { checkRequestTime, type ParsedSignature, parseSignature, type RawRequest, signingKeyFor, verifyRequest } from "./sigv4";

export interface Authenticated {
  principal: Principal;
  secretAccessKey: string;
  /** A long-term key (its last use is recorded). */
  longTerm: boolean;
}

export function invalidToken(s3: boolean): AwsApiError {
  return s3 ? new AwsApiError("InvalidAccessKeyId", MESSAGES.s3InvalidAccessKeyId, 403) : new AwsApiError("InvalidClientTokenId", MESSAGES.invalidToken, 403);
}

type KeyRow = { secretCiphertext: string; status: string; accountId: string; organizationId: string; userId: string | null; userName: string | null; userArn: string | null };

/** The identity and secret behind an access key ID (and session token), or AWS's refusal. */
export async function lookupCredentials(accessKeyId: string, sessionToken: string | undefined, s3: boolean, now = new Date()): Promise<Authenticated> {
  if (accessKeyId.startsWith("ASIA")) {
    if (sessionToken === undefined) throw invalidToken(s3);
    try {
      const resolved = await resolveTemporaryCredentials(db() as unknown as Tx, accessKeyId, sessionToken, now);
      return { principal: resolved.principal, secretAccessKey: resolved.secretAccessKey, longTerm: false };
    } catch (err) {
      if (err instanceof Error && "code" in err && err.code === "ExpiredToken") throw new AwsApiError("ExpiredToken", "The security token included in the request is expired", s3 ? 400 : 403);
      throw invalidToken(s3);
    }
  }
  // A session token with a long-term key is refused, as AWS does.
  if (sessionToken !== undefined) throw invalidToken(s3);
  // One statement (the model query with its two relations costs three, ~5x the time): this runs on every request.
  const [key] = await db().$queryRaw<KeyRow[]>`SELECT k."secretCiphertext" AS "secretCiphertext", k."status" AS "status", k."accountId" AS "accountId",
      a."organizationId" AS "organizationId", u."id" AS "userId", u."name" AS "userName", u."arn" AS "userArn"
    FROM "AccessKey" k JOIN "Account" a ON a."id" = k."accountId" LEFT JOIN "IamUser" u ON u."id" = k."userId"
    WHERE k."id" = ${accessKeyId}`;
  if (!key || key.status !== "Active") throw invalidToken(s3);
  const common = { organizationId: key.organizationId, accountId: key.accountId, mfaAuthenticated: false, accessKeyId };
  const principal: Principal = key.userId
    ? { ...common, type: "IAMUser", arn: key.userArn!, principalId: key.userId, userId: key.userId, userName: key.userName! }
    : { ...common, type: "Root", arn: rootArn(key.accountId), principalId: key.accountId };
  return { principal, secretAccessKey: decryptSecret(key.secretCiphertext), longTerm: true };
}

/** Last writes per key, so a burst of calls writes the row once a second, not once a call. */
const lastWrites = new Map<string, { at: number; what: string }>();
const WRITE_EVERY_MS = 1000;

/**
 * A long-term key was used: its last-used date, service and region (what
 * GetAccessKeyLastUsed and the credential report show), and its user's last
 * activity. Written at most once a second per key and service.
 */
export async function recordKeyUse(auth: Authenticated, service: string, region: string, now = new Date()): Promise<void> {
  const id = auth.principal.accessKeyId;
  if (!auth.longTerm || !id) return;
  const what = `${service}\0${region}`;
  const last = lastWrites.get(id);
  if (last && last.what === what && now.getTime() - last.at < WRITE_EVERY_MS) return;
  lastWrites.set(id, { at: now.getTime(), what });
  if (lastWrites.size > 10_000) lastWrites.delete(lastWrites.keys().next().value!);
  await db().$transaction([
    db().accessKey.updateMany({ where: { id }, data: { lastUsedAt: now, lastUsedService: service, lastUsedRegion: region } }),
    ...(auth.principal.type === "IAMUser" ? [db().iamUser.updateMany({ where: { id: auth.principal.userId }, data: { lastActivityAt: now } })] : []),
  ]);
}

/** An S3 request's signer: `auth` null for an anonymous (unsigned) request, which the gate judges as anonymous. */
export interface S3Caller {
  auth: Authenticated | null;
  signature: ParsedSignature | null;
  /** The key the signature verified with; the streaming payload modes verify chunk signatures with it. */
  signingKey?: Buffer;
}

/**
 * Authenticates an S3 request before its body is read: SigV4 header or
 * presigned query (S3's canonical URI, S3's error codes: AccessDenied "Request
 * has expired", RequestTimeTooSkewed, InvalidAccessKeyId), the signature
 * checked over the payload hash the client claims (x-amz-content-sha256, or
 * UNSIGNED-PAYLOAD for presigned URLs); the body itself is checked as it
 * streams by s3RequestBody. Unsigned requests are anonymous.
 */
export async function authenticateS3(raw: RawRequest, now: Date): Promise<S3Caller> {
  const signature = parseSignature(raw);
  if (!signature) return { auth: null, signature: null };
  checkRequestTime(signature, now, true);
  const auth = await lookupCredentials(signature.accessKeyId, signature.securityToken, true, now);
  if (signature.kind === "header" && signature.contentSha256 === undefined) throw payloadErrors.missingContentSha256();
  verifyRequest(raw, signature, auth.secretAccessKey, undefined);
  await recordKeyUse(auth, "s3", signature.region, now);
  return { auth, signature, signingKey: signingKeyFor(signature, auth.secretAccessKey) };
}

/**
 * The request body of an authenticated S3 request as the object's decoded,
 * verifying stream (lib/aws/s3-payload.ts). Throws AWS's error at once for
 * payload headers that cannot be right.
 */
export function s3RequestBody(body: Readable, headers: Record<string, string[]>, caller: S3Caller, options: { md5?: boolean } = {}): S3Payload {
  return s3PayloadStream(body, { headers, signature: caller.signature, signingKey: caller.signingKey, md5: options.md5 });
}
