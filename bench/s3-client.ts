// The S3 side of the API benches: requests signed with SigV4 by this process
// (header signatures over host, x-amz-content-sha256, x-amz-date; presigned
// query URLs), path-style, for IAM Lab and moto_server alike.
import { EMPTY_SHA256, expectedSignature, formatAmzDate, type ParsedSignature, UNSIGNED_PAYLOAD, uriEncode } from "../lib/aws/sigv4";

export type Creds = { accessKeyId: string; secretAccessKey: string };

const REGION = "us-east-1";

/** Headers of an S3 request signed over host, x-amz-content-sha256 (the body's SHA-256), x-amz-date and any `extra` headers. */
export function signS3(method: string, path: string, payloadSha256: string, creds: Creds, host: string, extra: Record<string, string> = {}): Record<string, string> {
  const now = new Date();
  const amzDate = formatAmzDate(now);
  const headers: Record<string, string> = { host, "x-amz-content-sha256": payloadSha256, "x-amz-date": amzDate, ...extra };
  const signedHeaders = Object.keys(headers).sort();
  const sig: ParsedSignature = { kind: "header", accessKeyId: creds.accessKeyId, scopeDate: amzDate.slice(0, 8), region: REGION, service: "s3", amzDate, signedAt: now, signedHeaders, signature: "" };
  const raw = { method, path, query: "", headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])) };
  const signature = expectedSignature(raw, sig, creds.secretAccessKey, payloadSha256);
  return { ...headers, authorization: `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${sig.scopeDate}/${REGION}/s3/aws4_request, SignedHeaders=${signedHeaders.join(";")}, Signature=${signature}` };
}

/** A presigned URL (path and query) for `method` on `path`, valid `expires` seconds, signed over UNSIGNED-PAYLOAD as botocore does. */
export function presignS3(method: string, path: string, creds: Creds, host: string, expires: number): string {
  const now = new Date();
  const amzDate = formatAmzDate(now);
  const scopeDate = amzDate.slice(0, 8);
  const params: [string, string][] = [
    ["X-Amz-Algorithm", "AWS4-HMAC-SHA256"],
    ["X-Amz-Credential", `${creds.accessKeyId}/${scopeDate}/${REGION}/s3/aws4_request`],
    ["X-Amz-Date", amzDate],
    ["X-Amz-Expires", String(expires)],
    ["X-Amz-SignedHeaders", "host"],
  ];
  const query = params.map(([k, v]) => `${uriEncode(k)}=${uriEncode(v)}`).join("&");
  const sig: ParsedSignature = { kind: "query", accessKeyId: creds.accessKeyId, scopeDate, region: REGION, service: "s3", amzDate, signedAt: now, signedHeaders: ["host"], signature: "", expiresSeconds: expires };
  const signature = expectedSignature({ method, path, query, headers: { host: [host] } }, sig, creds.secretAccessKey, UNSIGNED_PAYLOAD);
  return `${path}?${query}&X-Amz-Signature=${signature}`;
}

export { EMPTY_SHA256 };
