// S3's flexible checksums (x-amz-checksum-*), computed incrementally as a body
// streams: CRC32 (node:zlib), CRC32C (Castagnoli, slicing-by-8 tables here),
// CRC64NVME (two 32-bit halves, table per byte), SHA1 and SHA256 (node:crypto).
// Values are what S3 sends and expects: the big-endian digest in base64.
import crypto from "node:crypto";
import zlib from "node:zlib";

export const CHECKSUM_ALGORITHMS = ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

/** The header (and trailer) that carries an algorithm's value: x-amz-checksum-crc32... */
export const checksumHeader = (algorithm: ChecksumAlgorithm) => `x-amz-checksum-${algorithm.toLowerCase()}`;

/** The algorithm a header or trailer name stands for, or undefined. */
export function algorithmOfHeader(name: string): ChecksumAlgorithm | undefined {
  const lower = name.trim().toLowerCase();
  return CHECKSUM_ALGORITHMS.find((a) => checksumHeader(a) === lower);
}

/** Digest sizes in bytes, to tell a malformed value from a mismatching one. */
export const DIGEST_BYTES: Record<ChecksumAlgorithm, number> = { CRC32: 4, CRC32C: 4, CRC64NVME: 8, SHA1: 20, SHA256: 32 };

export interface IncrementalChecksum {
  update(data: Uint8Array): void;
  /** The digest, base64, as S3 writes it. */
  digest(): string;
}

function makeTable(poly: number): Uint32Array {
  const t = new Uint32Array(8 * 256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    t[i] = c >>> 0;
  }
  for (let i = 0; i < 256; i++) {
    for (let s = 1; s < 8; s++) {
      const prev = t[(s - 1) * 256 + i]!;
      t[s * 256 + i] = (prev >>> 8) ^ t[prev & 0xff]!;
    }
  }
  return t;
}

let crc32cTable: Uint32Array | undefined;

/** CRC-32C (Castagnoli, reflected 0x82F63B78) of `data`, continuing from `crc` (0 to start). */
export function crc32c(data: Uint8Array, crc = 0): number {
  const t = (crc32cTable ??= makeTable(0x82f63b78));
  let c = ~crc >>> 0;
  let i = 0;
  const n = data.length;
  for (; n - i >= 8; i += 8) {
    c ^= data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    c =
      t[7 * 256 + (c & 0xff)]! ^
      t[6 * 256 + ((c >>> 8) & 0xff)]! ^
      t[5 * 256 + ((c >>> 16) & 0xff)]! ^
      t[4 * 256 + (c >>> 24)]! ^
      t[3 * 256 + data[i + 4]!]! ^
      t[2 * 256 + data[i + 5]!]! ^
      t[256 + data[i + 6]!]! ^
      t[data[i + 7]!]!;
  }
  for (; i < n; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

let crc64Tables: { lo: Uint32Array; hi: Uint32Array } | undefined;

function crc64NvmeTables() {
  // Reflected polynomial 0x9A6C9329AC4BC9B5, as two 32-bit halves.
  const polyHi = 0x9a6c9329;
  const polyLo = 0xac4bc9b5;
  const lo = new Uint32Array(256);
  const hi = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let l = i;
    let h = 0;
    for (let k = 0; k < 8; k++) {
      const bit = l & 1;
      l = ((l >>> 1) | ((h & 1) << 31)) >>> 0;
      h = h >>> 1;
      if (bit) {
        l = (l ^ polyLo) >>> 0;
        h = (h ^ polyHi) >>> 0;
      }
    }
    lo[i] = l;
    hi[i] = h;
  }
  return { lo, hi };
}

/** CRC-64/NVME state as [hi, lo] 32-bit halves (start from [0, 0]). */
export function crc64nvme(data: Uint8Array, state: [number, number] = [0, 0]): [number, number] {
  const { lo: tl, hi: th } = (crc64Tables ??= crc64NvmeTables());
  let h = ~state[0] >>> 0;
  let l = ~state[1] >>> 0;
  for (let i = 0; i < data.length; i++) {
    const idx = (l ^ data[i]!) & 0xff;
    l = (((l >>> 8) | (h << 24)) ^ tl[idx]!) >>> 0;
    h = ((h >>> 8) ^ th[idx]!) >>> 0;
  }
  return [~h >>> 0, ~l >>> 0];
}

const be32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

export function createChecksum(algorithm: ChecksumAlgorithm): IncrementalChecksum {
  switch (algorithm) {
    case "CRC32": {
      let c = 0;
      return { update: (d) => void (c = zlib.crc32(d, c)), digest: () => be32(c).toString("base64") };
    }
    case "CRC32C": {
      let c = 0;
      return { update: (d) => void (c = crc32c(d, c)), digest: () => be32(c).toString("base64") };
    }
    case "CRC64NVME": {
      let s: [number, number] = [0, 0];
      return { update: (d) => void (s = crc64nvme(d, s)), digest: () => Buffer.concat([be32(s[0]), be32(s[1])]).toString("base64") };
    }
    case "SHA1":
    case "SHA256": {
      const h = crypto.createHash(algorithm === "SHA1" ? "sha1" : "sha256");
      return { update: (d) => void h.update(d), digest: () => h.digest("base64") };
    }
  }
}

/** A checksum value's bytes when it is well-formed base64 of the algorithm's size, else null. */
export function decodeChecksumValue(algorithm: ChecksumAlgorithm, value: string): Buffer | null {
  const v = value.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(v) || v.length % 4 !== 0) return null;
  const bytes = Buffer.from(v, "base64");
  return bytes.length === DIGEST_BYTES[algorithm] ? bytes : null;
}
