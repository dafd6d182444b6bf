// The chained signatures of STREAMING-AWS4-HMAC-SHA256-PAYLOAD(-TRAILER):
// every chunk's signature covers its data and the previous signature, starting
// from the request's own (the seed); the trailer's covers the trailing headers
// and the final chunk's. String to sign (AWS's "Transferring Payload in
// Multiple Chunks" and "Including Trailing Headers" pages):
//   AWS4-HMAC-SHA256-PAYLOAD \n amzDate \n scope \n previous \n sha256("") \n sha256(chunk data)
//   AWS4-HMAC-SHA256-TRAILER \n amzDate \n scope \n previous \n sha256(trailing headers, "name:value\n" each)
import crypto from "node:crypto";
import { EMPTY_SHA256, signaturesEqual } from "../sigv4";
import { payloadErrors } from "./errors";

export interface ChunkSigningContext {
  /** The request's own signature, which the first chunk's chains from. */
  seedSignature: string;
  signingKey: Buffer;
  /** YYYYMMDDTHHMMSSZ as signed. */
  amzDate: string;
  /** date/region/service/aws4_request */
  scope: string;
}

const hmacHex = (key: Buffer, s: string) => crypto.createHmac("sha256", key).update(s, "utf8").digest("hex");

export class ChunkSignatureChain {
  private previous: string;

  constructor(private readonly ctx: ChunkSigningContext) {
    this.previous = ctx.seedSignature;
  }

  /** The signature a chunk whose data hashes to `dataSha256Hex` must carry (advances nothing). */
  expectedChunk(dataSha256Hex: string): string {
    return hmacHex(this.ctx.signingKey, `AWS4-HMAC-SHA256-PAYLOAD\n${this.ctx.amzDate}\n${this.ctx.scope}\n${this.previous}\n${EMPTY_SHA256}\n${dataSha256Hex}`);
  }

  expectedTrailer(canonicalTrailers: string): string {
    const hash = crypto.createHash("sha256").update(canonicalTrailers, "utf8").digest("hex");
    return hmacHex(this.ctx.signingKey, `AWS4-HMAC-SHA256-TRAILER\n${this.ctx.amzDate}\n${this.ctx.scope}\n${this.previous}\n${hash}`);
  }

  /** Checks a chunk's signature and makes it the next one's previous; throws SignatureDoesNotMatch. */
  verifyChunk(dataSha256Hex: string, given: string): void {
    if (!signaturesEqual(this.expectedChunk(dataSha256Hex), given)) throw payloadErrors.chunkSignature();
    this.previous = given;
  }

  verifyTrailer(canonicalTrailers: string, given: string): void {
    if (!signaturesEqual(this.expectedTrailer(canonicalTrailers), given)) throw payloadErrors.chunkSignature();
    this.previous = given;
  }
}
