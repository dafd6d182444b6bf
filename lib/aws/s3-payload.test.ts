// S3 payload modes as the server decodes and verifies them: AWS's own worked
// examples (chunked upload, chunked upload with a CRC32C trailer), bodies built
// here from the documented string-to-sign, tampered and truncated bodies, wrong
// checksums, and a fuzz run of the chunk parser that must only ever end in
// AWS errors.
import crypto from "node:crypto";
import { Readable } from "node:stream";
import zlib from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AwsApiError } from "./errors";
import { s3PayloadStream, type S3PayloadOptions, type S3PayloadSummary } from "./s3-payload";
import { crc32c, crc64nvme } from "./s3-payload/checksums";
import { AwsChunkedParser } from "./s3-payload/chunked-parser";
import { ChunkSignatureChain } from "./s3-payload/chunk-signing";
import { encodeAwsChunked } from "./s3-payload/encode";
import { headersFromRaw, parseSignature, type ParsedSignature, signingKeyFor, verifySignature } from "./sigv4";

// AWS's example credentials and request of the "Transferring Payload in Multiple Chunks" pages.
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const AMZ_DATE = "20130524T000000Z";
const SCOPE = "20130524/us-east-1/s3/aws4_request";
const OBJECT = Buffer.alloc(66_560, "a");

const sha256 = (d: string | Uint8Array) => crypto.createHash("sha256").update(d).digest("hex");

/** The doc example's request: its headers and seed signature, verified as the handler would. */
function docRequest(mode: string, seed: string, extra: [string, string][], signed: string) {
  const headers = headersFromRaw(
    [
      ["Host", "s3.amazonaws.com"],
      ["x-amz-date", AMZ_DATE],
      ["x-amz-storage-class", "REDUCED_REDUNDANCY"],
      ["Content-Encoding", "aws-chunked"],
      ["x-amz-content-sha256", mode],
      ["x-amz-decoded-content-length", "66560"],
      ...extra,
      ["Authorization", `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/${SCOPE},SignedHeaders=${signed},Signature=${seed}`],
    ].flat(),
  );
  const req = { method: "PUT", path: "/examplebucket/chunkObject.txt", query: "", headers };
  const sig = parseSignature(req)!;
  verifySignature(req, sig, SECRET, mode);
  return { headers, sig, key: signingKeyFor(sig, SECRET) };
}

/** An aws-chunked body, signed from `seed` with `key` (the doc example's date and scope) or unsigned. */
const encodeChunked = (data: Buffer, o: { size?: number; key?: Buffer; seed?: string; trailers?: [string, string][]; blankBeforeTrailers?: boolean }) =>
  encodeAwsChunked(data, { ...o, signing: o.key ? { signingKey: o.key, seedSignature: o.seed ?? "", amzDate: AMZ_DATE, scope: SCOPE } : undefined });

type Outcome = { ok: true; data: Buffer; summary: S3PayloadSummary } | { ok: false; code: string; status: number; message: string; received: number };

/** Streams `body` (in pieces of `split` bytes) through the verifier; what came out, or the AWS error. */
async function decode(body: Buffer, options: Omit<S3PayloadOptions, "headers"> & { headers: Record<string, string[]> }, split = 7_919): Promise<Outcome> {
  const pieces: Buffer[] = [];
  for (let i = 0; i < body.length; i += split) pieces.push(body.subarray(i, i + split));
  let received = 0;
  try {
    const out = s3PayloadStream(Readable.from(pieces), options);
    const chunks: Buffer[] = [];
    for await (const c of out) {
      chunks.push(c as Buffer);
      received += (c as Buffer).length;
    }
    return { ok: true, data: Buffer.concat(chunks), summary: out.summary! };
  } catch (err) {
    if (!(err instanceof AwsApiError)) throw err;
    return { ok: false, code: err.code, status: err.status, message: err.message, received };
  }
}

const h = (pairs: Record<string, string>) => headersFromRaw(Object.entries(pairs).flat());
const b64crc32 = (d: Buffer) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(zlib.crc32(d));
  return b.toString("base64");
};

describe("AWS's worked examples", () => {
  it("STREAMING-AWS4-HMAC-SHA256-PAYLOAD: 64 KiB + 1 KiB chunks chained from the seed signature", async () => {
    const signedHeaders = "content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class";
    const req = docRequest("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9", [["Content-Length", "66824"]], signedHeaders);
    const body = encodeChunked(OBJECT, { key: req.key, seed: req.sig.signature });
    expect(body.length).toBe(66_824);
    // The documented chunk signatures, in order.
    const text = body.toString("latin1");
    expect([...text.matchAll(/chunk-signature=([0-9a-f]{64})/g)].map((m) => m[1])).toEqual([
      "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
      "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
      "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
    ]);
    const out = await decode(body, { headers: req.headers, signature: req.sig, signingKey: req.key, md5: true });
    expect(out.ok && out.data.equals(OBJECT)).toBe(true);
    expect(out.ok && out.summary).toEqual({ length: 66_560, md5Hex: crypto.createHash("md5").update(OBJECT).digest("hex"), checksum: undefined });
  });

  it("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER: the CRC32C trailer and its signature", async () => {
    const signedHeaders = "content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer";
    const req = docRequest("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e", [["x-amz-trailer", "x-amz-checksum-crc32c"]], signedHeaders);
    const body = encodeChunked(OBJECT, { key: req.key, seed: req.sig.signature, trailers: [["x-amz-checksum-crc32c", "sOO8/Q=="]] });
    const text = body.toString("latin1");
    expect([...text.matchAll(/(?:chunk|trailer)-signature[=:]([0-9a-f]{64})/g)].map((m) => m[1])).toEqual([
      "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2",
      "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7",
      "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992",
      "d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435",
    ]);
    const out = await decode(body, { headers: req.headers, signature: req.sig, signingKey: req.key });
    expect(out.ok && out.data.equals(OBJECT)).toBe(true);
    expect(out.ok && out.summary.checksum).toEqual({ algorithm: "CRC32C", base64: "sOO8/Q==" });

    // The trailer's value changed: its signature no longer holds.
    const forged = Buffer.from(text.replace("sOO8/Q==", "AAAAAA=="), "latin1");
    expect(await decode(forged, { headers: req.headers, signature: req.sig, signingKey: req.key })).toMatchObject({ ok: false, code: "SignatureDoesNotMatch", status: 403 });
  });
});

describe("signed chunks", () => {
  const signedHeaders = "content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class";
  const req = () => docRequest("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9", [["Content-Length", "66824"]], signedHeaders);
  const data = crypto.randomBytes(40_000);
  const withLength = (r: ReturnType<typeof req>, n: number) => ({ ...r.headers, "x-amz-decoded-content-length": [String(n)] });

  it("refuses a chunk tampered mid-stream, after handing on only what came before it", async () => {
    const r = req();
    const body = encodeChunked(data, { key: r.key, seed: r.sig.signature, size: 8_192 });
    const good = await decode(body, { headers: withLength(r, data.length), signature: r.sig, signingKey: r.key });
    expect(good.ok && good.data.equals(data)).toBe(true);
    // Flip one byte of the third chunk's data.
    const at = body.indexOf("\r\n", body.indexOf("chunk-signature", 2 * 8_192 + 200)) + 2 + 100;
    const tampered = Buffer.from(body);
    tampered[at] ^= 1;
    const out = await decode(tampered, { headers: withLength(r, data.length), signature: r.sig, signingKey: r.key }, 8_192 + 100);
    expect(out).toMatchObject({ ok: false, code: "SignatureDoesNotMatch", status: 403 });
    expect(!out.ok && out.received).toBeLessThan(3 * 8_192 + 1);
  });

  it("refuses chunks swapped, a signature from another seed, and a chunk without its signature", async () => {
    const r = req();
    const a = encodeChunked(data.subarray(0, 16_384), { key: r.key, seed: r.sig.signature, size: 8_192 });
    // Swap the two data chunks (header line, 8 KiB of data, CRLF each), found by their lengths: the
    // random data may hold a CRLF of its own, so the body cannot be split at CRLFs.
    const firstEnd = a.indexOf("\r\n") + 2 + 8_192 + 2;
    const secondEnd = a.indexOf("\r\n", firstEnd) + 2 + 8_192 + 2;
    const swapped = Buffer.concat([a.subarray(firstEnd, secondEnd), a.subarray(0, firstEnd), a.subarray(secondEnd)]);
    expect(await decode(swapped, { headers: withLength(r, 16_384), signature: r.sig, signingKey: r.key })).toMatchObject({ code: "SignatureDoesNotMatch" });
    const otherSeed = encodeChunked(data.subarray(0, 16_384), { key: r.key, seed: "0".repeat(64), size: 8_192 });
    expect(await decode(otherSeed, { headers: withLength(r, 16_384), signature: r.sig, signingKey: r.key })).toMatchObject({ code: "SignatureDoesNotMatch" });
    const bare = encodeChunked(data.subarray(0, 16_384), { size: 8_192 });
    expect(await decode(bare, { headers: withLength(r, 16_384), signature: r.sig, signingKey: r.key })).toMatchObject({ code: "InvalidRequest", message: expect.stringMatching(/chunk-signature/) });
  });

  it("refuses a truncated body, a short decoded length and a long one", async () => {
    const r = req();
    const body = encodeChunked(data, { key: r.key, seed: r.sig.signature, size: 8_192 });
    expect(await decode(body.subarray(0, body.length - 100), { headers: withLength(r, data.length), signature: r.sig, signingKey: r.key })).toMatchObject({ code: "IncompleteBody", status: 400 });
    expect(await decode(body, { headers: withLength(r, data.length + 1), signature: r.sig, signingKey: r.key })).toMatchObject({ code: "IncompleteBody" });
    expect(await decode(body, { headers: withLength(r, data.length - 1), signature: r.sig, signingKey: r.key })).toMatchObject({ code: "InvalidRequest" });
  });

  it("needs the request's signature and x-amz-decoded-content-length", () => {
    const r = req();
    expect(() => s3PayloadStream(Readable.from([]), { headers: r.headers, signature: null })).toThrow(/requires an Authorization header signature/);
    const { "x-amz-decoded-content-length": _, ...without } = r.headers;
    expect(() => s3PayloadStream(Readable.from([]), { headers: without, signature: r.sig, signingKey: r.key })).toThrow(expect.objectContaining({ code: "MissingContentLength", status: 411 }));
  });
});

describe("STREAMING-UNSIGNED-PAYLOAD-TRAILER with checksum trailers (recent SDKs' default)", () => {
  const data = crypto.randomBytes(100_000);
  const digest = (alg: string) => {
    if (alg === "crc32") return b64crc32(data);
    if (alg === "crc32c") {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(crc32c(data));
      return b.toString("base64");
    }
    if (alg === "crc64nvme") {
      const [hi, lo] = crc64nvme(data);
      const b = Buffer.alloc(8);
      b.writeUInt32BE(hi);
      b.writeUInt32BE(lo, 4);
      return b.toString("base64");
    }
    return crypto.createHash(alg).update(data).digest("base64");
  };
  const headers = (alg: string) =>
    h({ "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "content-encoding": "aws-chunked", "x-amz-decoded-content-length": String(data.length), "x-amz-trailer": `x-amz-checksum-${alg}` });
  const sig = { kind: "header" } as ParsedSignature;

  for (const alg of ["crc32", "crc32c", "crc64nvme", "sha1", "sha256"]) {
    it(`${alg}: accepted when right, BadDigest when wrong`, async () => {
      const body = encodeChunked(data, { size: 65_536, trailers: [[`x-amz-checksum-${alg}`, digest(alg)]] });
      const out = await decode(body, { headers: headers(alg), signature: sig });
      expect(out.ok && out.data.equals(data)).toBe(true);
      expect(out.ok && out.summary.checksum).toEqual({ algorithm: alg.toUpperCase(), base64: digest(alg) });
      const wrongValue = Buffer.from(digest(alg), "base64");
      wrongValue[0] ^= 0xff;
      const wrong = encodeChunked(data, { trailers: [[`x-amz-checksum-${alg}`, wrongValue.toString("base64")]] });
      expect(await decode(wrong, { headers: headers(alg), signature: sig })).toMatchObject({ ok: false, code: "BadDigest", status: 400, message: `The ${alg.toUpperCase()} you specified did not match the calculated checksum.` });
    });
  }

  it("takes the blank line some encoders put before the trailers", async () => {
    const body = encodeChunked(data, { trailers: [["x-amz-checksum-crc32", digest("crc32")]], blankBeforeTrailers: true });
    expect(await decode(body, { headers: headers("crc32"), signature: sig })).toMatchObject({ ok: true });
  });

  it("refuses a malformed, missing or unannounced trailer and an unsupported x-amz-trailer", async () => {
    const malformed = encodeChunked(data, { trailers: [["x-amz-checksum-crc32", "not base64!"]] });
    expect(await decode(malformed, { headers: headers("crc32"), signature: sig })).toMatchObject({ code: "InvalidRequest", message: "Value for x-amz-checksum-crc32 trailing header is invalid." });
    const missing = encodeChunked(data, { trailers: [] });
    expect(await decode(missing, { headers: headers("crc32"), signature: sig })).toMatchObject({ code: "InvalidRequest", message: expect.stringMatching(/did not include the trailing header x-amz-checksum-crc32/) });
    const other = encodeChunked(data, { trailers: [["x-amz-checksum-crc32c", digest("crc32c")]] });
    expect(await decode(other, { headers: headers("crc32"), signature: sig })).toMatchObject({ code: "InvalidRequest" });
    expect(() => s3PayloadStream(Readable.from([]), { headers: headers("md5"), signature: sig })).toThrow(/x-amz-trailer header is not supported/);
  });

  it("refuses a body cut before its trailers, and a source that fails", async () => {
    const body = encodeChunked(data, { trailers: [["x-amz-checksum-crc32", digest("crc32")]] });
    expect(await decode(body.subarray(0, body.length - 20), { headers: headers("crc32"), signature: sig })).toMatchObject({ code: "IncompleteBody" });
    const source = new Readable({ read() {} });
    const out = s3PayloadStream(source, { headers: headers("crc32"), signature: sig });
    source.push(body.subarray(0, 1000));
    const failed = new Promise((_, reject) => out.on("error", reject)).catch((e: AwsApiError) => e.code);
    out.resume();
    source.destroy(new Error("ECONNRESET"));
    expect(await failed).toBe("IncompleteBody");
  });
});

describe("whole-body modes", () => {
  const data = crypto.randomBytes(70_000);
  const sig = { kind: "header" } as ParsedSignature;

  it("x-amz-content-sha256 as a hex digest: checked at the end, XAmzContentSHA256Mismatch without ever ending", async () => {
    expect(await decode(data, { headers: h({ "x-amz-content-sha256": sha256(data) }), signature: sig })).toMatchObject({ ok: true, summary: { length: 70_000 } });
    const other = Buffer.from(data);
    other[69_999] ^= 1;
    const out = await decode(other, { headers: h({ "x-amz-content-sha256": sha256(data).toUpperCase() }), signature: sig });
    expect(out).toMatchObject({ ok: false, code: "XAmzContentSHA256Mismatch", status: 400 });
  });

  it("UNSIGNED-PAYLOAD and presigned requests pass the bytes as they are", async () => {
    const out = await decode(data, { headers: h({ "x-amz-content-sha256": "UNSIGNED-PAYLOAD" }), signature: sig });
    expect(out.ok && out.data.equals(data)).toBe(true);
    expect((await decode(data, { headers: {}, signature: { kind: "query" } as ParsedSignature })).ok).toBe(true);
    expect((await decode(data, { headers: {}, signature: null })).ok).toBe(true);
  });

  it("Content-MD5 and an x-amz-checksum-* header are checked; malformed ones refused before reading", async () => {
    const md5 = crypto.createHash("md5").update(data).digest("base64");
    const base = { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" };
    expect(await decode(data, { headers: h({ ...base, "content-md5": md5 }), signature: sig })).toMatchObject({ ok: true });
    expect(await decode(data.subarray(1), { headers: h({ ...base, "content-md5": md5 }), signature: sig })).toMatchObject({ code: "BadDigest", message: "The Content-MD5 you specified did not match what we received." });
    expect(() => s3PayloadStream(Readable.from([]), { headers: h({ ...base, "content-md5": "abc" }), signature: sig })).toThrow(expect.objectContaining({ code: "InvalidDigest" }));
    expect(await decode(data, { headers: h({ ...base, "x-amz-checksum-crc32": b64crc32(data) }), signature: sig })).toMatchObject({ ok: true, summary: { checksum: { algorithm: "CRC32" } } });
    expect(await decode(data.subarray(1), { headers: h({ ...base, "x-amz-checksum-crc32": b64crc32(data) }), signature: sig })).toMatchObject({ code: "BadDigest" });
    expect(() => s3PayloadStream(Readable.from([]), { headers: h({ ...base, "x-amz-checksum-crc32": "AAAA" }), signature: sig })).toThrow(/x-amz-checksum-crc32 header is invalid/);
    expect(() => s3PayloadStream(Readable.from([]), { headers: h({ ...base, "x-amz-checksum-crc32": "AAAAAA==", "x-amz-checksum-sha1": "AAAAAA==" }), signature: sig })).toThrow(/Multiple checksum/);
  });

  it("refuses an x-amz-content-sha256 that names no mode, and a header signature without one", () => {
    expect(() => s3PayloadStream(Readable.from([]), { headers: h({ "x-amz-content-sha256": "STREAMING-AWS4-ECDSA" }), signature: sig })).toThrow(expect.objectContaining({ code: "InvalidArgument" }));
    expect(() => s3PayloadStream(Readable.from([]), { headers: {}, signature: sig })).toThrow(/Missing required header for this request: x-amz-content-sha256/);
  });
});

describe("fuzz: the chunk parser only ever fails with AWS errors", () => {
  const key = crypto.randomBytes(32);
  const seed = "a".repeat(64);
  const valid = encodeChunked(crypto.randomBytes(3_000), { size: 700, key, seed, trailers: [["x-amz-checksum-crc32", "AAAAAA=="]] });
  const validUnsigned = encodeChunked(crypto.randomBytes(3_000), { size: 700 });

  const run = (bytes: Uint8Array, signed: boolean, trailers: boolean, splits: number[]) => {
    const chain = signed ? new ChunkSignatureChain({ seedSignature: seed, signingKey: key, amzDate: AMZ_DATE, scope: SCOPE }) : undefined;
    const parser = new AwsChunkedParser({ chain, trailers, onData: () => {} });
    try {
      let at = 0;
      for (const s of [...splits.map((x) => x % (bytes.length + 1)).sort((a, b) => a - b), bytes.length]) {
        parser.write(Buffer.from(bytes.subarray(at, Math.max(at, s))));
        at = Math.max(at, s);
      }
      parser.end();
    } catch (err) {
      if (!(err instanceof AwsApiError)) throw err;
      expect(err.status).toBeLessThan(500);
    }
  };

  it("random bytes, mutated valid bodies, random split points", () => {
    const mutate = (base: Buffer) =>
      fc.tuple(fc.nat({ max: base.length - 1 }), fc.uint8Array({ minLength: 0, maxLength: 6 }), fc.nat({ max: 8 })).map(([at, insert, drop]) =>
        Buffer.concat([base.subarray(0, at), insert, base.subarray(Math.min(base.length, at + drop))]),
      );
    fc.assert(
      fc.property(
        fc.oneof(fc.uint8Array({ maxLength: 400 }), fc.string().map((s) => Buffer.from(s.replace(/\n/g, "\r\n"))), mutate(valid), mutate(validUnsigned)),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 5 }),
        (bytes, signed, trailers, splits) => run(bytes, signed, trailers, splits),
      ),
      { numRuns: 3000 },
    );
  });

  it("decodes the same whatever the split, down to one byte at a time", () => {
    const data = crypto.randomBytes(2_000);
    const body = encodeChunked(data, { size: 500, key, seed });
    const chain = new ChunkSignatureChain({ seedSignature: seed, signingKey: key, amzDate: AMZ_DATE, scope: SCOPE });
    const out: Buffer[] = [];
    const parser = new AwsChunkedParser({ chain, trailers: false, onData: (d) => out.push(Buffer.from(d)) });
    for (let i = 0; i < body.length; i++) parser.write(body.subarray(i, i + 1));
    parser.end();
    expect(Buffer.concat(out).equals(data)).toBe(true);
  });
});

describe("a consumer that starts late", () => {
  it("still gets the error of a body that failed before it listened, and nothing is thrown uncaught", async () => {
    const out = s3PayloadStream(Readable.from([Buffer.from("the real body")]), { headers: h({ "x-amz-content-sha256": "UNSIGNED-PAYLOAD", "x-amz-checksum-crc32": "AAAAAA==" }), signature: { kind: "header" } as ParsedSignature });
    await new Promise((r) => setTimeout(r, 50));
    expect(out.errored).toMatchObject({ code: "BadDigest" });
    const { pipeline } = await import("node:stream/promises");
    const { Writable } = await import("node:stream");
    await expect(pipeline(out, new Writable({ write: (_c, _e, cb) => cb() }))).rejects.toMatchObject({ code: "BadDigest" });
  });
});
