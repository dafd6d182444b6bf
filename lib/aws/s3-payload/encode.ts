// aws-chunked bodies as S3 clients write them (the client side of
// chunked-parser.ts), for tests and benches: unsigned chunks or chunks signed
// along the chain from the request's seed signature, and trailing headers
// (signed with x-amz-trailer-signature when the chunks are).
import crypto from "node:crypto";
import { EMPTY_SHA256 } from "../sigv4";

export interface ChunkSigning {
  signingKey: Buffer;
  seedSignature: string;
  amzDate: string;
  /** date/region/service/aws4_request */
  scope: string;
}

const sha256 = (d: string | Uint8Array) => crypto.createHash("sha256").update(d).digest("hex");
const hmac = (key: Buffer, s: string) => crypto.createHmac("sha256", key).update(s).digest("hex");

/** `data` as an aws-chunked body: chunks of `size` bytes, then the final empty chunk and any trailers. */
export function encodeAwsChunked(data: Buffer, opts: { size?: number; signing?: ChunkSigning; trailers?: [string, string][]; blankBeforeTrailers?: boolean } = {}): Buffer {
  const size = opts.size ?? 65_536;
  const { signing } = opts;
  const parts: Buffer[] = [];
  let previous = signing?.seedSignature ?? "";
  const pieces: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) pieces.push(data.subarray(i, i + size));
  pieces.push(Buffer.alloc(0));
  for (const piece of pieces) {
    let header = piece.length.toString(16);
    if (signing) {
      previous = hmac(signing.signingKey, `AWS4-HMAC-SHA256-PAYLOAD\n${signing.amzDate}\n${signing.scope}\n${previous}\n${EMPTY_SHA256}\n${sha256(piece)}`);
      header += `;chunk-signature=${previous}`;
    }
    parts.push(Buffer.from(`${header}\r\n`), piece);
    if (piece.length || !opts.trailers) parts.push(Buffer.from("\r\n"));
  }
  if (opts.trailers) {
    if (opts.blankBeforeTrailers) parts.push(Buffer.from("\r\n"));
    parts.push(Buffer.from(opts.trailers.map(([k, v]) => `${k}:${v}\r\n`).join("")));
    if (signing) {
      const canonical = opts.trailers.map(([k, v]) => `${k}:${v}\n`).join("");
      const sig = hmac(signing.signingKey, `AWS4-HMAC-SHA256-TRAILER\n${signing.amzDate}\n${signing.scope}\n${previous}\n${sha256(canonical)}`);
      parts.push(Buffer.from(`x-amz-trailer-signature:${sig}\r\n`));
    }
    parts.push(Buffer.from("\r\n"));
  }
  return Buffer.concat(parts);
}
