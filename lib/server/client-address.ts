// Who is on the other end of a request, decided by the Node server from the
// socket, never from what the client says. Forwarded headers (X-Forwarded-For,
// X-Forwarded-Proto, ...) are honoured only when the socket's peer is one of the
// configured trusted proxies (IAMLAB_TRUSTED_PROXIES, none by default), as
// reverse-proxy-aware servers do; from anyone else they are removed. The result
// travels to route code in internal headers that the server always overwrites,
// so a client cannot send them either. Pure: no Next, no database.
import net from "node:net";

/** The client's address as the server resolved it. */
export const CLIENT_IP_HEADER = "x-iamlab-client-ip";
/** "https" or "http", as the server resolved it. */
export const CLIENT_PROTO_HEADER = "x-iamlab-client-proto";
const INTERNAL_PREFIX = "x-iamlab-client-";
/** What a client may claim only through a trusted proxy. */
const FORWARDED_HEADERS = ["x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port", "x-real-ip", "forwarded"];

export interface TrustedProxies {
  has(address: string): boolean;
  readonly size: number;
}

/** "::ffff:10.0.0.1" (IPv4 seen on an IPv6 socket) is 10.0.0.1; anything else as is. */
export function normalizeAddress(address: string): string {
  const a = address.trim();
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(a) ? a.slice(7) : a;
}

/**
 * IAMLAB_TRUSTED_PROXIES: comma-separated addresses and CIDR ranges, IPv4 or IPv6
 * ("10.0.0.5, 192.168.0.0/16, ::1"). Throws a message naming the bad entry.
 */
export function parseTrustedProxies(spec: string | undefined): TrustedProxies {
  const list = new net.BlockList();
  let size = 0;
  for (const raw of (spec ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
    const [address = "", prefix] = raw.split("/");
    const family = net.isIPv4(address) ? "ipv4" : net.isIPv6(address) ? "ipv6" : null;
    const bits = prefix === undefined ? null : Number(prefix);
    const max = family === "ipv4" ? 32 : 128;
    if (!family || (bits !== null && (!/^\d+$/.test(prefix!) || bits > max))) {
      throw new Error(`"${raw}" is not an IP address or CIDR range (e.g. 10.0.0.5 or 10.0.0.0/8)`);
    }
    if (bits === null) list.addAddress(address, family);
    else list.addSubnet(address, bits, family);
    size++;
  }
  return {
    size,
    has(address) {
      const a = normalizeAddress(address);
      const family = net.isIPv4(a) ? "ipv4" : net.isIPv6(a) ? "ipv6" : null;
      return family !== null && list.check(a, family);
    },
  };
}

export interface ResolvedClient {
  ip: string;
  proto: "http" | "https";
  /** True when the socket's peer is a trusted proxy (its forwarded headers were kept). */
  viaTrustedProxy: boolean;
}

type Headers = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(",") : v);

/**
 * The client from the socket and, through trusted proxies only, X-Forwarded-For
 * (read right to left, skipping trusted hops: the first untrusted address is
 * the client) and X-Forwarded-Proto.
 */
export function resolveClient(peer: string | undefined, encrypted: boolean, headers: Headers, trusted: TrustedProxies): ResolvedClient {
  const socketIp = normalizeAddress(peer ?? "") || "unknown";
  const own: ResolvedClient = { ip: socketIp, proto: encrypted ? "https" : "http", viaTrustedProxy: false };
  if (!trusted.has(socketIp)) return own;
  const hops = (first(headers["x-forwarded-for"]) ?? "")
    .split(",")
    .map(normalizeAddress)
    .filter((a) => net.isIP(a) !== 0);
  let ip = socketIp;
  for (let i = hops.length - 1; i >= 0; i--) {
    ip = hops[i]!;
    if (!trusted.has(ip)) break;
  }
  const proto = (first(headers["x-forwarded-proto"]) ?? "").split(",")[0]!.trim().toLowerCase();
  return { ip, proto: proto === "https" || proto === "http" ? proto : own.proto, viaTrustedProxy: true };
}

/**
 * Rewrites an incoming request's headers in place: internal headers are always
 * replaced; forwarded headers survive only from a trusted proxy.
 */
export function applyClientHeaders(headers: Headers, client: ResolvedClient): void {
  for (const name of Object.keys(headers)) {
    if (name.startsWith(INTERNAL_PREFIX) || (!client.viaTrustedProxy && FORWARDED_HEADERS.includes(name))) delete headers[name];
  }
  headers[CLIENT_IP_HEADER] = client.ip;
  headers[CLIENT_PROTO_HEADER] = client.proto;
}

/** Set by the Node server (lib/server): only then are the internal headers its own. */
export const SERVER_MARK = Symbol.for("iamlab.server.resolvesClients");
export const serverResolvesClients = () => (globalThis as Record<symbol, unknown>)[SERVER_MARK] === true;

type HeaderSource = { get(name: string): string | null };

/**
 * For route code: the client's address and whether it came over HTTPS, as the
 * server resolved them. Without IAM Lab's server (next dev) the address is
 * unknown and the transport is not taken as secure.
 */
export function clientOf(h: HeaderSource): { sourceIp?: string; secureTransport: boolean } {
  if (!serverResolvesClients()) return { sourceIp: undefined, secureTransport: false };
  return { sourceIp: h.get(CLIENT_IP_HEADER) ?? undefined, secureTransport: h.get(CLIENT_PROTO_HEADER) === "https" };
}
