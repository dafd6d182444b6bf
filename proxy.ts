// Runs before every page and route (not static files). It:
//   - answers malformed requests with a clear 4xx instead of a 500: a path with
//     broken percent-encoding (400), a server action from another site (403)
//     or with a body over the limit (413);
//   - redirects the signed-out to the sign-in page. Never the guard: every page
//     and server action resolves the principal (and its live session) from the
//     database itself;
//   - sets the security headers, with a fresh CSP nonce per request.
//
// It only reads the session cookie (getToken): Auth.js's auth() wrapper would
// re-issue the cookie on every request, and on the sign-out request that fresh
// cookie could land after the sign-out's deletion and keep the session alive.
import crypto from "node:crypto";
import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { FOREIGN_ORIGIN_MESSAGE, isForeignOrigin } from "@/lib/auth/origin";
import { clientOf } from "@/lib/server/client-address";
import { sessionSecret } from "@/lib/crypto/keys";
import { decodeSessionToken } from "@/lib/auth/session-token";
import { contentSecurityPolicy, HSTS, SERVER_ACTION_BODY_LIMIT_MB, STATIC_SECURITY_HEADERS } from "@/lib/server/security-headers";

const PUBLIC = /^\/(signin|api\/auth)(\/|$)/;

function plain(status: number, code: string, message: string): NextResponse {
  return new NextResponse(`${code}: ${message}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
}

/** A 4xx for what cannot be served, or null. */
function refusal(req: NextRequest): NextResponse | null {
  const raw = req.nextUrl.pathname;
  try {
    for (const segment of raw.split("/")) decodeURIComponent(segment);
  } catch {
    return plain(400, "InvalidURI", "The address contains malformed percent-encoding (a % not followed by a valid UTF-8 sequence). Check the link and try again.");
  }
  if (req.method === "POST" && req.headers.has("next-action")) {
    if (isForeignOrigin(req.headers)) return plain(403, "AccessDenied", FOREIGN_ORIGIN_MESSAGE);
    const length = Number(req.headers.get("content-length") ?? 0);
    if (length > SERVER_ACTION_BODY_LIMIT_MB * 1024 * 1024) {
      return plain(413, "EntityTooLarge", `The request body is ${(length / 1024 / 1024).toFixed(1)} MB; the console accepts at most ${SERVER_ACTION_BODY_LIMIT_MB} MB per request.`);
    }
  }
  return null;
}

function secured(res: NextResponse, csp: string, https: boolean): NextResponse {
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) res.headers.set(name, value);
  res.headers.set("Content-Security-Policy", csp);
  if (https) res.headers.set("Strict-Transport-Security", HSTS);
  return res;
}

export default async function proxy(req: NextRequest) {
  const https = clientOf(req.headers).secureTransport;
  const nonce = crypto.randomBytes(16).toString("base64");
  const csp = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development", https });
  const refused = refusal(req);
  if (refused) return secured(refused, csp, https);

  if (!PUBLIC.test(req.nextUrl.pathname)) {
    const token = await getToken({ req, secret: sessionSecret(), secureCookie: req.nextUrl.protocol === "https:", decode: decodeSessionToken });
    if (!token?.identity) {
      const url = new URL("/signin", req.nextUrl);
      const back = req.nextUrl.pathname + req.nextUrl.search;
      if (back !== "/") url.searchParams.set("next", back);
      return secured(NextResponse.redirect(url), csp, https);
    }
  }
  // Next reads the nonce from the request's CSP header and puts it on its scripts.
  const headers = new Headers(req.headers);
  headers.set("content-security-policy", csp);
  return secured(NextResponse.next({ request: { headers } }), csp, https);
}

export const config = {
  // Everything except static assets.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|.*\\.(?:svg|png|ico|css|js|woff2?)$).*)"],
};
