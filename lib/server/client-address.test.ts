import { describe, expect, it } from "vitest";
import { applyClientHeaders, CLIENT_IP_HEADER, CLIENT_PROTO_HEADER, parseTrustedProxies, resolveClient } from "./client-address";

const none = parseTrustedProxies("");
const proxies = parseTrustedProxies("10.0.0.5, 192.168.0.0/16, ::1");

describe("trusted proxies (IAMLAB_TRUSTED_PROXIES)", () => {
  it("takes addresses and CIDR ranges, IPv4 and IPv6, and names a bad entry", () => {
    expect(proxies.has("10.0.0.5")).toBe(true);
    expect(proxies.has("::ffff:10.0.0.5")).toBe(true);
    expect(proxies.has("192.168.44.1")).toBe(true);
    expect(proxies.has("::1")).toBe(true);
    expect(proxies.has("10.0.0.6")).toBe(false);
    expect(proxies.has("not-an-ip")).toBe(false);
    expect(none.size).toBe(0);
    expect(() => parseTrustedProxies("10.0.0.0/33")).toThrow(/"10.0.0.0\/33" is not an IP address or CIDR range/);
    expect(() => parseTrustedProxies("proxy.internal")).toThrow(/"proxy.internal"/);
  });
});

describe("the client of a request", () => {
  const forged = { "x-forwarded-for": "10.1.2.3", "x-forwarded-proto": "https" };

  it("is the socket's peer when no proxy is trusted: forwarded headers are ignored", () => {
    expect(resolveClient("203.0.113.7", false, forged, none)).toEqual({ ip: "203.0.113.7", proto: "http", viaTrustedProxy: false });
    expect(resolveClient("::ffff:203.0.113.7", true, forged, none)).toMatchObject({ ip: "203.0.113.7", proto: "https" });
  });

  it("ignores a forwarded header from an untrusted peer even when proxies are configured", () => {
    expect(resolveClient("203.0.113.7", false, forged, proxies)).toMatchObject({ ip: "203.0.113.7", proto: "http" });
  });

  it("through trusted proxies: the first untrusted address from the right, and the proxy's protocol", () => {
    const headers = { "x-forwarded-for": "6.6.6.6, 198.51.100.4, 192.168.1.1", "x-forwarded-proto": "https" };
    expect(resolveClient("10.0.0.5", false, headers, proxies)).toEqual({ ip: "198.51.100.4", proto: "https", viaTrustedProxy: true });
    expect(resolveClient("10.0.0.5", false, {}, proxies)).toMatchObject({ ip: "10.0.0.5", proto: "http" });
  });

  it("rewrites the headers: internal ones always replaced, forwarded ones kept only from a trusted proxy", () => {
    const headers: Record<string, string> = { ...forged, [CLIENT_IP_HEADER]: "10.9.9.9", "x-iamlab-client-other": "x", host: "h" };
    applyClientHeaders(headers, resolveClient("203.0.113.7", false, headers, none));
    expect(headers).toEqual({ host: "h", [CLIENT_IP_HEADER]: "203.0.113.7", [CLIENT_PROTO_HEADER]: "http" });
  });
});
