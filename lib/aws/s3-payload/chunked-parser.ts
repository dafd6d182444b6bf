// The aws-chunked body parser (Content-Encoding: aws-chunked), fed bytes as they
// arrive, handing on the decoded data at once. Pure and incremental: no I/O, so
// the fuzz test drives it directly. Every failure is an AwsApiError.
//
// Signed (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]):
//   <hex size>;chunk-signature=<64 hex>\r\n<data>\r\n ... 0;chunk-signature=<sig>\r\n
// Unsigned (STREAMING-UNSIGNED-PAYLOAD-TRAILER):
//   <hex size>\r\n<data>\r\n ... 0\r\n
// then, without trailers, "\r\n"; with them, "name:value\r\n" lines (signed mode:
// ending with x-amz-trailer-signature:<sig>\r\n) and an empty line.
import crypto from "node:crypto";
import type { ChunkSignatureChain } from "./chunk-signing";
import { payloadErrors } from "./errors";

/** A chunk header (or trailer) line longer than this is refused. */
export const MAX_LINE_BYTES = 4096;
/** At most this many trailing headers. */
export const MAX_TRAILERS = 16;
const MAX_CHUNK_HEX_DIGITS = 12;

type State = "header" | "data" | "dataCr" | "dataLf" | "trailer" | "done";

export interface ChunkedParserOptions {
  /** Chunk signatures are verified along this chain (signed modes); undefined: unsigned chunks. */
  chain?: ChunkSignatureChain;
  /** A trailer section follows the final chunk. */
  trailers: boolean;
  /** Decoded data, in order, as soon as it is read (before its chunk's signature is checked). */
  onData(data: Buffer): void;
}

export class AwsChunkedParser {
  private state: State = "header";
  private line: Buffer[] = [];
  private lineBytes = 0;
  private remaining = 0;
  private chunkHash: crypto.Hash | undefined;
  private chunkSignature = "";
  private finalChunk = false;
  private skippedBlankBeforeTrailers = false;
  /** Trailing headers received (lower-case name -> value), x-amz-trailer-signature left out. */
  readonly trailers = new Map<string, string>();
  private trailerSignature: string | undefined;
  /** Decoded bytes so far. */
  decodedLength = 0;

  constructor(private readonly opts: ChunkedParserOptions) {}

  /** Feeds the next bytes of the body; throws AWS's error at the first fault. */
  write(buf: Buffer): void {
    let i = 0;
    const n = buf.length;
    while (i < n) {
      switch (this.state) {
        case "header":
        case "trailer": {
          const lf = buf.indexOf(0x0a, i);
          const end = lf < 0 ? n : lf;
          this.lineBytes += end - i;
          if (this.lineBytes > MAX_LINE_BYTES) throw payloadErrors.malformedChunk(`a ${this.state === "header" ? "chunk header" : "trailer"} line is longer than ${MAX_LINE_BYTES} bytes`);
          this.line.push(buf.subarray(i, end));
          if (lf < 0) return;
          i = lf + 1;
          const raw = this.line.length === 1 ? this.line[0]! : Buffer.concat(this.line);
          this.line = [];
          this.lineBytes = 0;
          if (raw.length === 0 || raw[raw.length - 1] !== 0x0d) throw payloadErrors.malformedChunk("lines must end with CRLF");
          const text = raw.subarray(0, raw.length - 1).toString("latin1");
          if (this.state === "header") this.onHeader(text);
          else this.onTrailerLine(text);
          break;
        }
        case "data": {
          const take = Math.min(this.remaining, n - i);
          const part = buf.subarray(i, i + take);
          i += take;
          this.remaining -= take;
          this.chunkHash?.update(part);
          this.decodedLength += take;
          this.opts.onData(part);
          if (this.remaining === 0) {
            this.verifyChunk();
            this.state = "dataCr";
          }
          break;
        }
        case "dataCr":
          if (buf[i++] !== 0x0d) throw payloadErrors.malformedChunk("chunk data must be followed by CRLF");
          this.state = "dataLf";
          break;
        case "dataLf":
          if (buf[i++] !== 0x0a) throw payloadErrors.malformedChunk("chunk data must be followed by CRLF");
          this.state = this.finalChunk ? "done" : "header";
          break;
        case "done":
          // Only line ends may follow the end (some clients add one).
          for (; i < n; i++) if (buf[i] !== 0x0d && buf[i] !== 0x0a) throw payloadErrors.malformedChunk("data follows the final chunk");
          break;
      }
    }
  }

  /** The body ended: throws IncompleteBody unless the final chunk (and trailers) arrived. */
  end(): void {
    if (this.state === "done") return;
    if (this.state === "trailer" && this.lineBytes === 0 && this.skippedBlankBeforeTrailers) {
      this.finishTrailers();
      return;
    }
    throw payloadErrors.incompleteBody("the aws-chunked body ended before its final chunk");
  }

  get finished(): boolean {
    return this.state === "done";
  }

  private onHeader(text: string): void {
    const semi = text.indexOf(";");
    const sizeText = semi < 0 ? text : text.slice(0, semi);
    if (!/^[0-9a-fA-F]+$/.test(sizeText) || sizeText.replace(/^0+(?=.)/, "").length > MAX_CHUNK_HEX_DIGITS) throw payloadErrors.malformedChunk("a chunk size is not a hexadecimal number");
    const size = parseInt(sizeText, 16);
    if (this.opts.chain) {
      const ext = semi < 0 ? "" : text.slice(semi + 1);
      const m = /^chunk-signature=([0-9a-f]{64})$/.exec(ext);
      if (!m) throw payloadErrors.malformedChunk("a chunk header lacks its chunk-signature");
      this.chunkSignature = m[1]!;
      this.chunkHash = crypto.createHash("sha256");
    }
    if (size === 0) {
      this.finalChunk = true;
      this.verifyChunk();
      this.state = this.opts.trailers ? "trailer" : "dataCr";
      return;
    }
    this.remaining = size;
    this.state = "data";
  }

  private verifyChunk(): void {
    if (!this.opts.chain || !this.chunkHash) return;
    this.opts.chain.verifyChunk(this.chunkHash.digest("hex"), this.chunkSignature);
    this.chunkHash = undefined;
  }

  private onTrailerLine(text: string): void {
    if (text === "") {
      // A blank line straight after the final chunk (its empty data's CRLF) before the trailers.
      if (this.trailers.size === 0 && this.trailerSignature === undefined && !this.skippedBlankBeforeTrailers) {
        this.skippedBlankBeforeTrailers = true;
        return;
      }
      this.finishTrailers();
      return;
    }
    const colon = text.indexOf(":");
    if (colon <= 0) throw payloadErrors.malformedChunk("a trailer line is not name:value");
    const name = text.slice(0, colon).trim().toLowerCase();
    const value = text.slice(colon + 1).trim();
    if (!/^[a-z0-9-]+$/.test(name)) throw payloadErrors.malformedChunk("a trailer name is not a header name");
    if (name === "x-amz-trailer-signature") {
      if (!this.opts.chain) throw payloadErrors.malformedChunk("an unsigned body carries a trailer signature");
      if (!/^[0-9a-f]{64}$/.test(value)) throw payloadErrors.malformedChunk("the trailer signature is not 64 hexadecimal digits");
      this.trailerSignature = value;
      return;
    }
    if (this.trailerSignature !== undefined) throw payloadErrors.malformedChunk("a trailer follows x-amz-trailer-signature");
    if (this.trailers.has(name) || this.trailers.size >= MAX_TRAILERS) throw payloadErrors.malformedChunk("too many or repeated trailers");
    this.trailers.set(name, value);
  }

  /** The trailing headers as signed: "name:value\n" each, sorted by name. */
  canonicalTrailers(): string {
    return [...this.trailers.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}:${v}\n`)
      .join("");
  }

  private finishTrailers(): void {
    if (this.opts.chain) {
      if (this.trailerSignature === undefined) throw payloadErrors.malformedChunk("the trailers lack x-amz-trailer-signature");
      this.opts.chain.verifyTrailer(this.canonicalTrailers(), this.trailerSignature);
    }
    this.state = "done";
  }
}
