// The errors S3 answers when a request body fails its checks, as AwsApiError.
import { AwsApiError } from "../errors";
import type { ChecksumAlgorithm } from "./checksums";

export const payloadErrors = {
  incompleteBody: (detail?: string) =>
    new AwsApiError("IncompleteBody", detail ? `You did not provide the number of bytes specified by the Content-Length HTTP header: ${detail}` : "You did not provide the number of bytes specified by the Content-Length HTTP header", 400),
  malformedChunk: (detail: string) => new AwsApiError("InvalidRequest", `The aws-chunked request body is malformed: ${detail}.`, 400),
  chunkSignature: () =>
    new AwsApiError("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.", 403),
  sha256Mismatch: () => new AwsApiError("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.", 400),
  badContentSha256: () =>
    new AwsApiError(
      "InvalidArgument",
      "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.",
      400,
    ),
  missingContentSha256: () => new AwsApiError("InvalidRequest", "Missing required header for this request: x-amz-content-sha256", 400),
  missingDecodedLength: () => new AwsApiError("MissingContentLength", "You must provide the Content-Length HTTP header.", 411),
  badDecodedLength: () => new AwsApiError("InvalidArgument", "x-amz-decoded-content-length must be a non-negative integer.", 400),
  longerThanDeclared: () => new AwsApiError("InvalidRequest", "The decoded request body is longer than x-amz-decoded-content-length says.", 400),
  invalidMd5: () => new AwsApiError("InvalidDigest", "The Content-MD5 you specified was not valid.", 400),
  md5Mismatch: () => new AwsApiError("BadDigest", "The Content-MD5 you specified did not match what we received.", 400),
  checksumMismatch: (algorithm: ChecksumAlgorithm) => new AwsApiError("BadDigest", `The ${algorithm} you specified did not match the calculated checksum.`, 400),
  invalidChecksum: (name: string, trailing: boolean) => new AwsApiError("InvalidRequest", `Value for ${name} ${trailing ? "trailing header" : "header"} is invalid.`, 400),
  unsupportedTrailer: () => new AwsApiError("InvalidRequest", "The value specified in the x-amz-trailer header is not supported", 400),
  missingTrailer: (name: string) => new AwsApiError("InvalidRequest", `The request body did not include the trailing header ${name} that x-amz-trailer announced.`, 400),
  unexpectedTrailer: (name: string) => new AwsApiError("InvalidRequest", `The trailing header ${name.slice(0, 64)} was not announced in x-amz-trailer.`, 400),
  multipleChecksums: () => new AwsApiError("InvalidRequest", "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.", 400),
  trailerNotChunked: () => new AwsApiError("InvalidRequest", "x-amz-trailer is only allowed with a STREAMING-*-TRAILER x-amz-content-sha256.", 400),
  signedStreamingNeedsSignature: () => new AwsApiError("InvalidRequest", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD requires an Authorization header signature.", 400),
};
