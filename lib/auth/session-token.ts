// Decoding the session cookie (Auth.js's encrypted JWT), remembered: every
// request decodes it twice (proxy.ts, then the page), and each decode derives
// the key (HKDF) and checks a key thumbprint before decrypting, ~5% of a
// console page's CPU. A cookie decoded once is the same claims on every later
// request until it expires, so the claims are kept by the exact cookie text
// (an authenticated ciphertext: any other text is decoded in full). Only the
// cookie is remembered, never whether its session is live: that is the
// ConsoleSession row's, read on every request (lib/auth/console-sessions.ts).
import { decode, type JWT } from "next-auth/jwt";

const KEPT = 2000;
const decoded = new Map<string, JWT>();

/** Auth.js's decode, for getToken's `decode` option; a cookie decoded before (and not expired) is not decoded again. */
export async function decodeSessionToken(params: Parameters<typeof decode>[0]): Promise<JWT | null> {
  if (!params.token) return null;
  const key = `${params.salt}\n${params.token}`;
  const known = decoded.get(key);
  if (known) {
    if (typeof known.exp === "number" && known.exp * 1000 > Date.now()) return known;
    decoded.delete(key);
  }
  const claims = await decode(params);
  if (claims && typeof claims.exp === "number") {
    decoded.set(key, claims);
    if (decoded.size > KEPT) decoded.delete(decoded.keys().next().value!);
  }
  return claims;
}
