// An S3 request body as the object's bytes, verified as they stream, in every
// payload mode S3's SigV4 knows (x-amz-content-sha256):
//   <64 hex>                                    the body's SHA-256, checked at the end
//   UNSIGNED-PAYLOAD                            (presigned URLs, UNSIGNED-PAYLOAD signers)
//   STREAMING-AWS4-HMAC-SHA256-PAYLOAD          aws-chunked, every chunk signed, chained from the seed
//   STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER  the same plus a signed trailer
//   STREAMING-UNSIGNED-PAYLOAD-TRAILER          aws-chunked, unsigned, checksum trailer (recent SDKs' default)
// plus x-amz-decoded-content-length, x-amz-checksum-* (header or trailer) and
// Content-MD5. Data is handed on as it arrives; a failed check destroys the
// stream with AWS's error (never emits "end"), so a consumer that writes to a
// temporary file and renames it on "end" (lib/s3's blob store) stores nothing.
import { Transform, type Readable, type TransformCallback } from "node:stream";
import crypto from "node:crypto";
import { AwsApiError } from "./errors";
import { type ParsedSignature, UNSIGNED_PAYLOAD } from "./sigv4";
import { algorithmOfHeader, checksumHeader, CHECKSUM_ALGORITHMS, type ChecksumAlgorithm, createChecksum, decodeChecksumValue, type IncrementalChecksum } from "./s3-payload/checksums";
import { ChunkSignatureChain } from "./s3-payload/chunk-signing";
import { AwsChunkedParser } from "./s3-payload/chunked-parser";
import { payloadErrors } from "./s3-payload/errors";

export { type ChecksumAlgorithm } from "./s3-payload/checksums";

export const STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
export const STREAMING_SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
export const STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

export type PayloadMode =
  | { kind: "sha256"; hex: string }
  | { kind: "unsigned" }
  | { kind: "chunked"; signed: boolean; trailers: boolean };

/** The payload mode an x-amz-content-sha256 value names (undefined: the header is absent). */
export function payloadMode(contentSha256: string | undefined): PayloadMode {
  if (contentSha256 === undefined || contentSha256 === UNSIGNED_PAYLOAD) return { kind: "unsigned" };
  if (/^[0-9a-fA-F]{64}$/.test(contentSha256)) return { kind: "sha256", hex: contentSha256.toLowerCase() };
  if (contentSha256 === STREAMING_SIGNED) return { kind: "chunked", signed: true, trailers: false };
  if (contentSha256 === STREAMING_SIGNED_TRAILER) return { kind: "chunked", signed: true, trailers: true };
  if (contentSha256 === STREAMING_UNSIGNED_TRAILER) return { kind: "chunked", signed: false, trailers: true };
  throw payloadErrors.badContentSha256();
}

export interface S3PayloadOptions {
  /** The request's headers, lower-case name -> values (sigv4's RawRequest.headers). */
  headers: Record<string, string[]>;
  /** The request's verified signature; null for an anonymous request. */
  signature: ParsedSignature | null;
  /** The signing key the signature verified with (sigv4's signingKeyFor); needed by the signed streaming modes. */
  signingKey?: Buffer;
  /** Also compute the decoded body's MD5 (S3's ETag of a single-part object). */
  md5?: boolean;
}

export interface S3PayloadSummary {
  /** Bytes of the decoded object. */
  length: number;
  /** MD5 of the decoded object, hex (when asked for, or when Content-MD5 was sent). */
  md5Hex?: string;
  /** The checksum the client sent (header or trailer), verified; undefined when it sent none. */
  checksum?: { algorithm: ChecksumAlgorithm; base64: string };
}

/** The decoded, verifying body: read it like any Readable; `summary` is filled in just before "end". */
export interface S3Payload extends Readable {
  readonly summary: S3PayloadSummary | undefined;
}

const first = (headers: Record<string, string[]>, name: string) => headers[name]?.[0];

/** What is checked at the end, decided from the headers before any byte is read. */
interface Plan {
  mode: PayloadMode;
  chain?: ChunkSignatureChain;
  declaredLength?: number;
  contentMd5?: Buffer;
  /** Checksum from a header (value known now) or a trailer (value arrives at the end). */
  checksum?: { algorithm: ChecksumAlgorithm; header?: Buffer; trailerName?: string };
}

function plan(options: S3PayloadOptions): Plan {
  const { headers, signature } = options;
  const contentSha256 = first(headers, "x-amz-content-sha256");
  if (signature?.kind === "header" && contentSha256 === undefined) throw payloadErrors.missingContentSha256();
  const mode = payloadMode(contentSha256);
  const out: Plan = { mode };

  if (mode.kind === "chunked") {
    const declared = first(headers, "x-amz-decoded-content-length");
    if (declared === undefined) throw payloadErrors.missingDecodedLength();
    if (!/^\d{1,15}$/.test(declared.trim())) throw payloadErrors.badDecodedLength();
    out.declaredLength = Number(declared.trim());
    if (mode.signed) {
      if (!signature || signature.kind !== "header" || !options.signingKey) throw payloadErrors.signedStreamingNeedsSignature();
      out.chain = new ChunkSignatureChain({
        seedSignature: signature.signature,
        signingKey: options.signingKey,
        amzDate: signature.amzDate,
        scope: `${signature.scopeDate}/${signature.region}/${signature.service}/aws4_request`,
      });
    }
  }

  const md5 = first(headers, "content-md5");
  if (md5 !== undefined) {
    const bytes = /^[A-Za-z0-9+/]{22}==$/.test(md5.trim()) ? Buffer.from(md5.trim(), "base64") : null;
    if (!bytes || bytes.length !== 16) throw payloadErrors.invalidMd5();
    out.contentMd5 = bytes;
  }

  const headerChecksums = CHECKSUM_ALGORITHMS.filter((a) => first(headers, checksumHeader(a)) !== undefined);
  const trailer = first(headers, "x-amz-trailer");
  if (trailer !== undefined && !(mode.kind === "chunked" && mode.trailers)) throw payloadErrors.trailerNotChunked();
  const trailerNames = trailer === undefined ? [] : trailer.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  const trailerAlgorithms = trailerNames.map((n) => {
    const a = algorithmOfHeader(n);
    if (!a) throw payloadErrors.unsupportedTrailer();
    return a;
  });
  if (headerChecksums.length + trailerAlgorithms.length > 1) throw payloadErrors.multipleChecksums();
  if (headerChecksums.length) {
    const algorithm = headerChecksums[0]!;
    const name = checksumHeader(algorithm);
    const value = decodeChecksumValue(algorithm, first(headers, name)!);
    if (!value) throw payloadErrors.invalidChecksum(name, false);
    out.checksum = { algorithm, header: value };
  } else if (trailerAlgorithms.length) {
    out.checksum = { algorithm: trailerAlgorithms[0]!, trailerName: trailerNames[0]! };
  }
  return out;
}

class VerifyingPayload extends Transform implements S3Payload {
  summary: S3PayloadSummary | undefined;
  private readonly sha256: crypto.Hash | undefined;
  private readonly md5: crypto.Hash | undefined;
  private readonly checksum: IncrementalChecksum | undefined;
  private readonly parser: AwsChunkedParser | undefined;
  private length = 0;

  constructor(private readonly plan: Plan, wantMd5: boolean) {
    super();
    if (plan.mode.kind === "sha256") this.sha256 = crypto.createHash("sha256");
    if (wantMd5 || plan.contentMd5) this.md5 = crypto.createHash("md5");
    if (plan.checksum) this.checksum = createChecksum(plan.checksum.algorithm);
    if (plan.mode.kind === "chunked") {
      this.parser = new AwsChunkedParser({ chain: plan.chain, trailers: plan.mode.trailers, onData: (d) => this.decoded(d) });
    }
  }

  private decoded(data: Buffer): void {
    this.length += data.length;
    if (this.plan.declaredLength !== undefined && this.length > this.plan.declaredLength) throw payloadErrors.longerThanDeclared();
    this.md5?.update(data);
    this.checksum?.update(data);
    this.push(data);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      if (this.parser) this.parser.write(chunk);
      else {
        this.sha256?.update(chunk);
        this.decoded(chunk);
      }
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      this.parser?.end();
      const { plan } = this;
      if (plan.declaredLength !== undefined && this.length < plan.declaredLength) {
        throw payloadErrors.incompleteBody(`x-amz-decoded-content-length says ${plan.declaredLength} bytes, the body held ${this.length}`);
      }
      if (this.parser) {
        const announced = plan.checksum?.trailerName;
        for (const name of this.parser.trailers.keys()) if (name !== announced) throw payloadErrors.unexpectedTrailer(name);
      }
      if (this.sha256 && plan.mode.kind === "sha256" && this.sha256.digest("hex") !== plan.mode.hex) throw payloadErrors.sha256Mismatch();
      const md5 = this.md5?.digest();
      if (plan.contentMd5 && !plan.contentMd5.equals(md5!)) throw payloadErrors.md5Mismatch();
      let checksum: S3PayloadSummary["checksum"];
      if (plan.checksum && this.checksum) {
        const { algorithm, trailerName } = plan.checksum;
        let expected = plan.checksum.header;
        if (trailerName) {
          const value = this.parser?.trailers.get(trailerName);
          if (value === undefined) throw payloadErrors.missingTrailer(trailerName);
          const decoded = decodeChecksumValue(algorithm, value);
          if (!decoded) throw payloadErrors.invalidChecksum(trailerName, true);
          expected = decoded;
        }
        const actual = this.checksum.digest();
        if (!Buffer.from(actual, "base64").equals(expected!)) throw payloadErrors.checksumMismatch(algorithm);
        checksum = { algorithm, base64: actual };
      }
      this.summary = { length: this.length, md5Hex: md5?.toString("hex"), checksum };
      done();
    } catch (err) {
      done(err as Error);
    }
  }
}

/**
 * The request body `body` as the object's decoded bytes, verified as they
 * stream. Throws at once (before reading) for headers that cannot be right; the
 * returned stream errors with AWS's error when a chunk signature, the length,
 * a digest or a checksum fails, and emits "end" only when all of them held.
 * A source that errors or closes early fails the stream with IncompleteBody.
 */
export function s3PayloadStream(body: Readable, options: S3PayloadOptions): S3Payload {
  const out = new VerifyingPayload(plan(options), options.md5 ?? false);
  // A failure before the consumer listens (a small body checked while it opens
  // its file) must not be an uncaught 'error': the stream keeps it (errored),
  // and pipeline(), finished() and async iteration report it when they start.
  out.on("error", () => {});
  let ended = false;
  const fail = (err: unknown) => {
    if (ended || out.destroyed) return;
    out.destroy(err instanceof AwsApiError ? err : payloadErrors.incompleteBody());
  };
  // Forwarded by hand rather than with pipe(): pipe() re-emits a destination's
  // error when nobody listens any more, which would be an uncaught exception.
  const onData = (chunk: Buffer) => {
    if (!out.destroyed && !out.write(chunk)) body.pause();
  };
  const onDrain = () => body.resume();
  const onEnd = () => {
    ended = true;
    if (!out.destroyed) out.end();
  };
  const onAborted = () => fail(undefined);
  const onClose = () => {
    if (!ended) fail(undefined);
  };
  body.on("data", onData).once("end", onEnd).once("error", fail).once("aborted", onAborted).once("close", onClose);
  out.on("drain", onDrain);
  // A failed or abandoned payload stops reading; the caller answers and closes the connection.
  out.once("close", () => {
    body.off("data", onData).off("end", onEnd).off("aborted", onAborted).off("close", onClose);
    out.off("drain", onDrain);
    if (!ended) body.pause();
  });
  return out;
}
