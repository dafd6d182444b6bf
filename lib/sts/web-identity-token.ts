// An OpenID Connect ID token (JWT) as AssumeRoleWithWebIdentity checks it,
// pure: well-formed, signed (RS256/384/512, ES256/384) by the certificate the
// token carries (x5c) whose chain reaches a certificate with one of the
// provider's thumbprints (SHA-1 of the certificate, as IAM stores them), every
// certificate valid now, issued by the provider's URL, for one of its client
// IDs, and not expired. IAM Lab has no network, so the provider's keys cannot
// be fetched from its JWKS URL: the thumbprints registered with the provider
// (CreateOpenIDConnectProvider / UpdateOpenIDConnectProviderThumbprint) are
// what the token's certificates are trusted by. Messages are AWS's.
import crypto from "node:crypto";
import { IamError } from "@/lib/iam/errors";

export interface Jwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

export interface OidcProviderKeys {
  /** Host and path, as IAM stores the provider's URL (no https://). */
  url: string;
  clientIds: string[];
  thumbprints: string[];
}

export const NOT_A_JWT = "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)";
export const NO_VERIFICATION_KEY = "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements";
export const THUMBPRINT_MISMATCH = "OpenIDConnect provider's HTTPS certificate doesn't match configured thumbprint";
export const BAD_SIGNATURE = "The web identity token's signature could not be verified with the identity provider's certificate.";
export const WRONG_AUDIENCE = "Incorrect token audience";

const invalid = (message: string) => new IamError("InvalidIdentityToken", message);

function base64url(part: string): Buffer {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) throw invalid(NOT_A_JWT);
  return Buffer.from(part, "base64url");
}

function json(part: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(base64url(part).toString("utf8"));
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // falls through to the refusal
  }
  throw invalid(NOT_A_JWT);
}

/** The three parts of a compact JWS, or InvalidIdentityToken. */
export function decodeJwt(token: string): Jwt {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts[0] || !parts[1] || !parts[2]) throw invalid(NOT_A_JWT);
  return { header: json(parts[0]), claims: json(parts[1]), signingInput: `${parts[0]}.${parts[1]}`, signature: base64url(parts[2]) };
}

/** The URL of an `iss` claim as IAM keys providers: without https://, without a trailing slash. */
export function issuerKey(iss: unknown): string | undefined {
  if (typeof iss !== "string" || iss.length === 0) return undefined;
  return iss.replace(/^https:\/\//i, "").replace(/\/+$/, "");
}

const ALGORITHMS: Record<string, { hash: string; ec?: boolean }> = {
  RS256: { hash: "sha256" },
  RS384: { hash: "sha384" },
  RS512: { hash: "sha512" },
  ES256: { hash: "sha256", ec: true },
  ES384: { hash: "sha384", ec: true },
};

const thumbprintOf = (cert: crypto.X509Certificate) => crypto.createHash("sha1").update(cert.raw).digest("hex");

/** The token's certificate chain (x5c), each certificate parsed, valid now and signed by the next. */
function certificateChain(header: Record<string, unknown>, now: Date): crypto.X509Certificate[] {
  const x5c = header.x5c;
  if (!Array.isArray(x5c) || x5c.length === 0 || x5c.length > 10 || !x5c.every((c) => typeof c === "string")) throw invalid(NO_VERIFICATION_KEY);
  let chain: crypto.X509Certificate[];
  try {
    chain = (x5c as string[]).map((c) => new crypto.X509Certificate(Buffer.from(c, "base64")));
  } catch {
    throw invalid(NO_VERIFICATION_KEY);
  }
  for (let i = 0; i < chain.length; i++) {
    const cert = chain[i]!;
    if (new Date(cert.validFrom) > now || new Date(cert.validTo) <= now) throw invalid(BAD_SIGNATURE);
    if (i + 1 < chain.length && !cert.verify(chain[i + 1]!.publicKey)) throw invalid(BAD_SIGNATURE);
  }
  return chain;
}

function verifySignature(jwt: Jwt, key: crypto.KeyObject): boolean {
  const alg = ALGORITHMS[String(jwt.header.alg)];
  if (!alg) throw invalid(BAD_SIGNATURE);
  try {
    return crypto.verify(alg.hash, Buffer.from(jwt.signingInput), alg.ec ? { key, dsaEncoding: "ieee-p1363" } : key, jwt.signature);
  } catch {
    return false;
  }
}

/** The token's audiences: `aud` (a string or a list). */
export function audiencesOf(claims: Record<string, unknown>): string[] {
  const aud = claims.aud;
  if (typeof aud === "string") return [aud];
  if (Array.isArray(aud)) return aud.filter((a): a is string => typeof a === "string");
  return [];
}

export interface VerifiedToken {
  claims: Record<string, unknown>;
  subject: string;
  /** The client ID the token was issued for (one of the provider's). */
  audience: string;
}

/**
 * Checks a decoded token against its provider, in AWS's order: the signing
 * certificate (thumbprint, chain, signature), then the audience, then the
 * expiry (ExpiredTokenException, as AWS answers it).
 */
export function verifyWebIdentityToken(jwt: Jwt, provider: OidcProviderKeys, now: Date): VerifiedToken {
  const chain = certificateChain(jwt.header, now);
  const trusted = new Set(provider.thumbprints.map((t) => t.toLowerCase()));
  if (!chain.some((cert) => trusted.has(thumbprintOf(cert)))) throw invalid(THUMBPRINT_MISMATCH);
  if (!verifySignature(jwt, chain[0]!.publicKey)) throw invalid(BAD_SIGNATURE);
  const { claims } = jwt;
  if (issuerKey(claims.iss) !== provider.url) throw invalid(NOT_A_JWT);
  const audience = audiencesOf(claims).find((a) => provider.clientIds.includes(a));
  if (!audience) throw invalid(WRONG_AUDIENCE);
  if (typeof claims.sub !== "string" || claims.sub.length === 0) throw invalid(NOT_A_JWT);
  const exp = claims.exp;
  if (typeof exp !== "number") throw invalid(NOT_A_JWT);
  if (exp * 1000 <= now.getTime())
    throw new IamError("ExpiredTokenException", `Token expired: current date/time ${Math.floor(now.getTime() / 1000)} must be before the expiration date/time ${exp}`);
  if (typeof claims.nbf === "number" && claims.nbf * 1000 > now.getTime() + 300_000) throw invalid(NOT_A_JWT);
  return { claims, subject: claims.sub, audience };
}
