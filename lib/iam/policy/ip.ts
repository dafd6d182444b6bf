/**
 * IPv4 and IPv6 addresses and CIDR blocks as four 32-bit words (an IPv4 address uses the last
 * word only), so that containment is four AND-and-compare steps on small integers.
 */

export interface Ip {
  v6: boolean;
  w0: number;
  w1: number;
  w2: number;
  w3: number;
}

export interface Cidr extends Ip {
  m0: number;
  m1: number;
  m2: number;
  m3: number;
}

const V4_PART = /^\d{1,3}$/;
const V6_GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseV4(s: string): number | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!V4_PART.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

/** Eight 16-bit groups of an IPv6 address, or undefined. */
function parseV6(s: string): number[] | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return undefined;
  let tail4: number | undefined;
  let str = s;
  // An embedded IPv4 address at the end (::ffff:1.2.3.4).
  const lastColon = str.lastIndexOf(":");
  if (str.includes(".")) {
    tail4 = parseV4(str.slice(lastColon + 1));
    if (tail4 === undefined) return undefined;
    str = str.slice(0, lastColon + 1) + "0:0";
  }
  const dbl = str.indexOf("::");
  if (dbl !== str.lastIndexOf("::")) return undefined;
  let groups: string[];
  if (dbl >= 0) {
    const left = str.slice(0, dbl) ? str.slice(0, dbl).split(":") : [];
    const right = str.slice(dbl + 2) ? str.slice(dbl + 2).split(":") : [];
    const fill = 8 - left.length - right.length;
    if (fill < 1) return undefined;
    groups = [...left, ...Array<string>(fill).fill("0"), ...right];
  } else groups = str.split(":");
  if (groups.length !== 8) return undefined;
  const out: number[] = [];
  for (const g of groups) {
    if (!V6_GROUP.test(g)) return undefined;
    out.push(parseInt(g, 16));
  }
  if (tail4 !== undefined) {
    out[6] = Math.floor(tail4 / 65536);
    out[7] = tail4 % 65536;
  }
  return out;
}

export function parseIp(s: string): Ip | undefined {
  if (typeof s !== "string") return undefined;
  const t = s.trim();
  if (t.includes(":")) {
    const g = parseV6(t);
    if (!g) return undefined;
    return { v6: true, w0: g[0] * 65536 + g[1], w1: g[2] * 65536 + g[3], w2: g[4] * 65536 + g[5], w3: g[6] * 65536 + g[7] };
  }
  const v = parseV4(t);
  return v === undefined ? undefined : { v6: false, w0: 0, w1: 0, w2: 0, w3: v };
}

/** The mask word for bits [start, start + 32) of a prefix of `prefix` bits. */
function maskWord(prefix: number, start: number): number {
  const bits = Math.max(0, Math.min(32, prefix - start));
  return bits === 0 ? 0 : bits === 32 ? 0xffffffff : (0xffffffff << (32 - bits)) >>> 0;
}

export function parseCidr(s: string): Cidr | undefined {
  if (typeof s !== "string") return undefined;
  const [addr, bits, extra] = s.trim().split("/");
  if (extra !== undefined) return undefined;
  const ip = parseIp(addr);
  if (!ip) return undefined;
  const width = ip.v6 ? 128 : 32;
  let prefix = width;
  if (bits !== undefined) {
    if (!/^\d{1,3}$/.test(bits)) return undefined;
    prefix = Number(bits);
    if (prefix > width) return undefined;
  }
  // IPv4 lives in the last word: its prefix starts at bit 96 of the 128.
  const p = ip.v6 ? prefix : prefix + 96;
  const m0 = ip.v6 ? maskWord(p, 0) : 0;
  const m1 = ip.v6 ? maskWord(p, 32) : 0;
  const m2 = ip.v6 ? maskWord(p, 64) : 0;
  const m3 = maskWord(p, 96);
  return {
    v6: ip.v6,
    w0: (ip.w0 & m0) >>> 0,
    w1: (ip.w1 & m1) >>> 0,
    w2: (ip.w2 & m2) >>> 0,
    w3: (ip.w3 & m3) >>> 0,
    m0,
    m1,
    m2,
    m3,
  };
}

export function cidrContains(c: Cidr, ip: Ip): boolean {
  return (
    c.v6 === ip.v6 &&
    (ip.w3 & c.m3) >>> 0 === c.w3 &&
    (ip.w2 & c.m2) >>> 0 === c.w2 &&
    (ip.w1 & c.m1) >>> 0 === c.w1 &&
    (ip.w0 & c.m0) >>> 0 === c.w0
  );
}
