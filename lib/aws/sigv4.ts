// AWS Signature Version 4, as the receiving side checks it: parse the
// Authorization header or the presigned query (X-Amz-*), rebuild the canonical
// request from what arrived, derive the signing key from the secret and compare
// signatures in constant time. Pure: no database, no clock of its own (the
// caller passes `now`), no Node request objects (the caller passes raw parts).
//
// The algorithm is AWS's "Create a signed AWS API request" (the same one
// botocore, the AWS CLI and @smithy/signature-v4 implement); sigv4.test.ts
// checks it against AWS's published test vectors and against smithy's signer.
// S3's streaming payload modes (aws-chunked, trailers) are checked as the body
// streams, by lib/aws/s3-payload.ts, with the key signingKeyFor returns.
import crypto from "node:crypto";
import { AwsApiError, MESSAGES } from "./errors";

export const ALGORITHM = "AWS4-HMAC-SHA256";
export const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
export const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/** Allowed difference between the request's time and the server's. */
export const MAX_SKEW_MS = 15 * 60 * 1000;
/** A presigned URL lives at most seven days. */
export const MAX_EXPIRES_SECONDS = 604_800;

export interface RawRequest {
  method: string;
  /** The path as received, still percent-encoded, without the query. */
  path: string;
  /** The query string as received, without "?". */
  query: string;
  /** Lower-case header name -> every value received for it, in order. */
  headers: Record<string, string[]>;
}

export interface ParsedSignature {
  kind: "header" | "query";
  accessKeyId: string;
  /** YYYYMMDD of the credential scope. */
  scopeDate: string;
  region: string;
  service: string;
  /** The request time as signed (YYYYMMDDTHHMMSSZ). */
  amzDate: string;
  signedAt: Date;
  signedHeaders: string[];
  signature: string;
  securityToken?: string;
  /** Presigned only: seconds the URL is valid from signedAt. */
  expiresSeconds?: number;
  /** x-amz-content-sha256 as sent (S3 clients send it), if any. */
  contentSha256?: string;
}

const header = (req: RawRequest, name: string): string | undefined => req.headers[name]?.[0];

/** "service" in lower case from a credential scope, for routing before the key is known. */
export const SIGNED_SERVICE_PATTERN = /^[a-z0-9-]{1,64}$/;

const incomplete = (message: string) => new AwsApiError("IncompleteSignature", message, 400);
const mismatch = (message: string = MESSAGES.signatureMismatch) => new AwsApiError("SignatureDoesNotMatch", message, 403);

/** Query parameters as decoded pairs, in order (keys and values percent-decoded; "+" stays "+"). */
export function parseQueryPairs(query: string): [string, string][] {
  if (!query) return [];
  const pairs: [string, string][] = [];
  for (const part of query.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? "" : part.slice(eq + 1);
    pairs.push([percentDecode(k), percentDecode(v)]);
  }
  return pairs;
}

/** Percent-decoding that never throws: a malformed escape stays as it is. */
export function percentDecode(s: string): string {
  if (!s.includes("%")) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s.replace(/(%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}

/** AWS's URI encoding: every byte but A-Z a-z 0-9 - _ . ~ as %XX (upper-case hex); "/" kept when asked. */
export function uriEncode(s: string, keepSlash = false): string {
  let out = "";
  for (const byte of Buffer.from(s, "utf8")) {
    const c = String.fromCharCode(byte);
    if ((byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39) || c === "-" || c === "_" || c === "." || c === "~" || (keepSlash && c === "/")) {
      out += c;
    } else {
      out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    }
  }
  return out;
}

/** RFC 3986 dot-segment removal, with empty segments dropped, as AWS normalizes non-S3 paths. */
export function removeDotSegments(path: string): string {
  if (!path) return "/";
  const out: string[] = [];
  for (const seg of path.split("/")) {
    if (!seg || seg === ".") continue;
    if (seg === "..") out.pop();
    else out.push(seg);
  }
  const first = path.startsWith("/") ? "/" : "";
  const last = path.endsWith("/") && out.length ? "/" : "";
  return first + out.join("/") + last;
}

/** The canonical URI: S3 signs the path as sent; every other service its normalized, encoded-again form. */
export function canonicalUri(path: string, service: string): string {
  if (service === "s3") return path || "/";
  return uriEncode(removeDotSegments(path), true) || "/";
}

/** The canonical query string: pairs re-encoded, sorted by key then value; the signature itself left out. */
export function canonicalQuery(query: string, omitSignature: boolean): string {
  const pairs = parseQueryPairs(query)
    .filter(([k]) => !(omitSignature && k === "X-Amz-Signature"))
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const);
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

const canonicalHeaderValue = (values: string[]) => values.map((v) => v.trim().replace(/\s+/g, " ")).join(",");

export function canonicalRequest(req: RawRequest, sig: ParsedSignature, payloadHash: string): string {
  const headers = sig.signedHeaders.map((name) => `${name}:${canonicalHeaderValue(req.headers[name] ?? [])}\n`).join("");
  return [
    req.method.toUpperCase(),
    canonicalUri(req.path, sig.service),
    canonicalQuery(req.query, sig.kind === "query"),
    headers,
    sig.signedHeaders.join(";"),
    payloadHash,
  ].join("\n");
}

export const sha256Hex = (data: string | Uint8Array) => crypto.createHash("sha256").update(data).digest("hex");
const hmac = (key: crypto.BinaryLike, data: string) => crypto.createHmac("sha256", key).update(data, "utf8").digest();

/** Derived signing keys by secret and scope: a key is good for a day, region and service, so most requests reuse one. */
const signingKeys = new Map<string, Buffer>();
const MAX_SIGNING_KEYS = 4096;

export function signingKey(secret: string, scopeDate: string, region: string, service: string): Buffer {
  const id = `${scopeDate}\0${region}\0${service}\0${secret}`;
  const cached = signingKeys.get(id);
  if (cached) return cached;
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, scopeDate), region), service), "aws4_request");
  if (signingKeys.size >= MAX_SIGNING_KEYS) signingKeys.delete(signingKeys.keys().next().value!);
  signingKeys.set(id, key);
  return key;
}

/** The signing key a parsed signature was made with, given the secret (S3's streaming modes sign chunks with it). */
export const signingKeyFor = (sig: ParsedSignature, secret: string) => signingKey(secret, sig.scopeDate, sig.region, sig.service);

export function stringToSign(sig: ParsedSignature, canonical: string): string {
  return [ALGORITHM, sig.amzDate, `${sig.scopeDate}/${sig.region}/${sig.service}/aws4_request`, sha256Hex(canonical)].join("\n");
}

/** The signature the request should carry, given the secret. */
export function expectedSignature(req: RawRequest, sig: ParsedSignature, secret: string, payloadHash: string): string {
  const key = signingKey(secret, sig.scopeDate, sig.region, sig.service);
  return crypto.createHmac("sha256", key).update(stringToSign(sig, canonicalRequest(req, sig, payloadHash)), "utf8").digest("hex");
}

/** Constant-time comparison of two hex signatures (any length, any content). */
export function signaturesEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected, "latin1");
  const b = Buffer.from(given, "latin1");
  if (a.length !== b.length) {
    crypto.timingSafeEqual(a, a);
    return false;
  }
  return crypto.timingSafeEqual(a, b);
}

/** Checks the signature; throws AWS's SignatureDoesNotMatch when it differs. */
export function verifySignature(req: RawRequest, sig: ParsedSignature, secret: string, payloadHash: string, message?: string): void {
  if (!signaturesEqual(expectedSignature(req, sig, secret, payloadHash), sig.signature)) throw mismatch(message);
}

/**
 * The payload hash the signature covers. With the body in hand (every Query
 * request) it is the body's SHA-256, and an x-amz-content-sha256 claiming
 * another hash is refused: the signature covers the claim, not the bytes.
 * Without the body (a stream checked as it arrives) it is the claim.
 */
export function payloadHashOf(sig: ParsedSignature, body: Uint8Array | undefined): string {
  const claimed = sig.contentSha256;
  if (body === undefined) return claimed ?? (sig.service === "s3" && sig.kind === "query" ? UNSIGNED_PAYLOAD : EMPTY_SHA256);
  const actual = body.length ? sha256Hex(body) : EMPTY_SHA256;
  if (claimed !== undefined && /^[0-9a-fA-F]{64}$/.test(claimed) && claimed.toLowerCase() !== actual) {
    if (sig.service === "s3") throw new AwsApiError("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.", 400);
    throw mismatch();
  }
  if (claimed !== undefined) return claimed;
  return sig.service === "s3" && sig.kind === "query" ? UNSIGNED_PAYLOAD : actual;
}

/**
 * Verifies a request's signature given its whole body (undefined: a stream
 * checked as it arrives). Presigned URLs are signed over the empty body's hash
 * by some SDKs (smithy, Go) and over UNSIGNED-PAYLOAD by others (botocore):
 * AWS takes both, and so does this.
 */
export function verifyRequest(req: RawRequest, sig: ParsedSignature, secret: string, body: Uint8Array | undefined): void {
  const hash = payloadHashOf(sig, body);
  const message = sig.service === "s3" ? MESSAGES.s3SignatureMismatch : undefined;
  if (sig.kind === "query" && sig.contentSha256 === undefined && hash !== UNSIGNED_PAYLOAD) {
    if (signaturesEqual(expectedSignature(req, sig, secret, hash), sig.signature)) return;
    return verifySignature(req, sig, secret, UNSIGNED_PAYLOAD, message);
  }
  verifySignature(req, sig, secret, hash, message);
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** YYYYMMDDTHHMMSSZ as a Date, or null. */
export function parseAmzDate(s: string): Date | null {
  const m = AMZ_DATE.exec(s);
  if (!m) return null;
  const [, y, mo, d, h, mi, se] = m.map(Number) as number[];
  const date = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, se!));
  // Reject rollovers (20150231 would become March 3rd).
  if (date.getUTCMonth() !== mo! - 1 || date.getUTCDate() !== d! || h! > 23 || mi! > 59 || se! > 60) return null;
  return date;
}

export const formatAmzDate = (d: Date) => d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");

/** Splits "AKID/20150830/us-east-1/iam/aws4_request" and checks its form. */
function parseCredential(credential: string, amzDate: string) {
  const parts = credential.split("/");
  if (parts.length !== 5) {
    throw incomplete(`Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential.slice(0, 256)}'`);
  }
  const [accessKeyId, scopeDate, region, service, terminator] = parts as [string, string, string, string, string];
  if (terminator !== "aws4_request") throw mismatch(`Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator.slice(0, 64)}'.`);
  if (!/^[a-z0-9-]{1,32}$/.test(region)) throw mismatch(`Credential should be scoped to a valid region, not '${region.slice(0, 64)}'. `);
  if (!SIGNED_SERVICE_PATTERN.test(service)) throw mismatch(`Credential should be scoped to correct service: '${service.slice(0, 64)}'. `);
  if (!/^\d{8}$/.test(scopeDate) || amzDate.slice(0, 8) !== scopeDate) {
    throw mismatch(`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate.slice(0, 16)}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`);
  }
  if (!accessKeyId || accessKeyId.length > 128 || !/^[\w]+$/.test(accessKeyId)) throw new AwsApiError("InvalidClientTokenId", MESSAGES.invalidToken, 403);
  return { accessKeyId, scopeDate, region, service };
}

/** HTTP Date (RFC 7231) as an amz date, or null. */
function fromHttpDate(value: string | undefined): string | null {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isFinite(t) ? formatAmzDate(new Date(t)) : null;
}

/** Signed headers as listed: lower-case, ";"-separated, sorted, no duplicates. */
function parseSignedHeaders(list: string): string[] {
  const names = list.split(";");
  if (names.some((n) => !/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(n))) throw mismatch();
  return names;
}

function requireHost(signedHeaders: string[]) {
  if (!signedHeaders.includes("host")) throw mismatch("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
}

function parseHeaderAuth(req: RawRequest, authorization: string): ParsedSignature {
  const space = authorization.indexOf(" ");
  const algorithm = space < 0 ? authorization : authorization.slice(0, space);
  if (algorithm !== ALGORITHM) {
    throw incomplete(`Authorization header requires a supported algorithm ('${ALGORITHM}'), got '${algorithm.slice(0, 64)}'.`);
  }
  const fields = new Map<string, string>();
  for (const part of authorization.slice(space + 1).split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const amzDate = header(req, "x-amz-date") ?? fromHttpDate(header(req, "date"));
  const missing: string[] = [];
  if (!fields.get("Credential")) missing.push("Authorization header requires 'Credential' parameter.");
  if (!fields.get("Signature")) missing.push("Authorization header requires 'Signature' parameter.");
  if (!fields.get("SignedHeaders")) missing.push("Authorization header requires 'SignedHeaders' parameter.");
  if (!amzDate) missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  if (missing.length) throw incomplete(`${missing.join(" ")} Authorization=${authorization.slice(0, 512)}`);
  const signedAt = parseAmzDate(amzDate!);
  if (!signedAt) throw incomplete(`Date must be in ISO-8601 'basic format'. Got '${amzDate!.slice(0, 32)}'. See http://en.wikipedia.org/wiki/ISO_8601`);
  const scope = parseCredential(fields.get("Credential")!, amzDate!);
  const signedHeaders = parseSignedHeaders(fields.get("SignedHeaders")!);
  requireHost(signedHeaders);
  return {
    kind: "header",
    ...scope,
    amzDate: amzDate!,
    signedAt,
    signedHeaders,
    signature: fields.get("Signature")!,
    securityToken: header(req, "x-amz-security-token"),
    contentSha256: header(req, "x-amz-content-sha256"),
  };
}

function parseQueryAuth(req: RawRequest, params: Map<string, string>): ParsedSignature {
  const need = (name: string) => {
    const v = params.get(name);
    if (v === undefined || v === "") throw incomplete(`AWS query-string parameters must include '${name}'. Re-examine the query-string parameters.`);
    return v;
  };
  const algorithm = need("X-Amz-Algorithm");
  if (algorithm !== ALGORITHM) throw incomplete(`X-Amz-Algorithm only supports "${ALGORITHM}"`);
  const credential = need("X-Amz-Credential");
  const amzDate = need("X-Amz-Date");
  const signedHeadersText = need("X-Amz-SignedHeaders");
  const signature = need("X-Amz-Signature");
  const signedAt = parseAmzDate(amzDate);
  if (!signedAt) throw incomplete(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`);
  const expiresText = params.get("X-Amz-Expires");
  let expiresSeconds: number | undefined;
  if (expiresText !== undefined) {
    if (!/^\d{1,9}$/.test(expiresText)) throw incomplete("X-Amz-Expires should be a number");
    expiresSeconds = Number(expiresText);
    if (expiresSeconds > MAX_EXPIRES_SECONDS) throw incomplete(`X-Amz-Expires must be less than a week (in seconds) that is ${MAX_EXPIRES_SECONDS}`);
  }
  const scope = parseCredential(credential, amzDate);
  const signedHeaders = parseSignedHeaders(signedHeadersText);
  requireHost(signedHeaders);
  return {
    kind: "query",
    ...scope,
    amzDate,
    signedAt,
    signedHeaders,
    signature,
    securityToken: params.get("X-Amz-Security-Token") ?? header(req, "x-amz-security-token"),
    expiresSeconds,
    contentSha256: header(req, "x-amz-content-sha256"),
  };
}

/**
 * The request's SigV4 signature, parsed and checked for form; null when the
 * request is not signed at all (no Authorization header, no X-Amz-Algorithm).
 * Throws AWS's IncompleteSignature / SignatureDoesNotMatch for malformed ones.
 */
export function parseSignature(req: RawRequest): ParsedSignature | null {
  const authorization = header(req, "authorization");
  if (authorization !== undefined) return parseHeaderAuth(req, authorization);
  if (!req.query.includes("X-Amz-")) return null;
  const params = new Map(parseQueryPairs(req.query));
  if (!params.has("X-Amz-Algorithm") && !params.has("X-Amz-Signature") && !params.has("X-Amz-Credential")) return null;
  return parseQueryAuth(req, params);
}

/**
 * The request's time against the server's: more than 15 minutes apart (header
 * signatures), or a presigned URL past its X-Amz-Expires, is refused.
 */
export function checkRequestTime(sig: ParsedSignature, now: Date, s3 = false): void {
  const signed = sig.signedAt.getTime();
  const at = now.getTime();
  if (sig.kind === "query") {
    const expiresAt = signed + (sig.expiresSeconds ?? MAX_EXPIRES_SECONDS) * 1000;
    if (at > expiresAt) {
      if (s3) throw new AwsApiError("AccessDenied", "Request has expired", 403);
      throw mismatch(`Signature expired: ${formatAmzDate(new Date(expiresAt))} is now earlier than ${formatAmzDate(now)}.`);
    }
    if (signed - at > MAX_SKEW_MS) {
      if (s3) throw new AwsApiError("AccessDenied", "Request is not valid yet", 403);
      throw mismatch(`Signature not yet current: ${sig.amzDate} is still later than ${formatAmzDate(new Date(at + MAX_SKEW_MS))} (${formatAmzDate(now)} + 15 min.)`);
    }
    return;
  }
  if (at - signed > MAX_SKEW_MS || signed - at > MAX_SKEW_MS) {
    if (s3) throw new AwsApiError("RequestTimeTooSkewed", "The difference between the request time and the current time is too large.", 403);
    if (at - signed > MAX_SKEW_MS) {
      throw mismatch(`Signature expired: ${sig.amzDate} is now earlier than ${formatAmzDate(new Date(at - MAX_SKEW_MS))} (${formatAmzDate(now)} - 15 min.)`);
    }
    throw mismatch(`Signature not yet current: ${sig.amzDate} is still later than ${formatAmzDate(new Date(at + MAX_SKEW_MS))} (${formatAmzDate(now)} + 15 min.)`);
  }
}

/** Raw headers (name, value, name, value...) as the lower-case map signing uses. */
export function headersFromRaw(raw: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null);
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    (out[name] ??= []).push(raw[i + 1]!);
  }
  return out;
}
