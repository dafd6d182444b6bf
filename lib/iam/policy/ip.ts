/** IPv4 and IPv6 addresses and CIDR blocks, as big integers. */

export interface Cidr {
  v6: boolean;
  base: bigint;
  mask: bigint;
}

function parseV4(s: string): bigint | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = (n << 8n) | BigInt(v);
  }
  return n;
}

function parseV6(s: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return undefined;
  let tail4: bigint | undefined;
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
    groups = [...left, ...Array(fill).fill("0"), ...right];
  } else groups = str.split(":");
  if (groups.length !== 8) return undefined;
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  if (tail4 !== undefined) n = (n & ~0xffffffffn) | tail4;
  return n;
}

export function parseIp(s: string): { v6: boolean; value: bigint } | undefined {
  if (typeof s !== "string") return undefined;
  const t = s.trim();
  if (t.includes(":")) {
    const v = parseV6(t);
    return v === undefined ? undefined : { v6: true, value: v };
  }
  const v = parseV4(t);
  return v === undefined ? undefined : { v6: false, value: v };
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
  const all = (1n << BigInt(width)) - 1n;
  const mask = prefix === 0 ? 0n : (all >> BigInt(width - prefix)) << BigInt(width - prefix);
  return { v6: ip.v6, base: ip.value & mask, mask };
}

export function cidrContains(c: Cidr, ip: { v6: boolean; value: bigint }): boolean {
  return c.v6 === ip.v6 && (ip.value & c.mask) === c.base;
}
