// Redirects the signed-out to the sign-in page. Never the guard: every page and
// server action resolves the principal from the database itself.
//
// It only reads the session cookie (getToken): Auth.js's auth() wrapper would
// re-issue the cookie on every request, and on the sign-out request that fresh
// cookie could land after the sign-out's deletion and keep the session alive.
import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { sessionSecret } from "@/lib/crypto/keys";

export default async function proxy(req: NextRequest) {
  const secureCookie = req.nextUrl.protocol === "https:";
  const token = await getToken({ req, secret: sessionSecret(), secureCookie });
  if (token?.identity) return NextResponse.next();
  const url = new URL("/signin", req.nextUrl);
  const back = req.nextUrl.pathname + req.nextUrl.search;
  if (back !== "/") url.searchParams.set("next", back);
  return NextResponse.redirect(url);
}

export const config = {
  // Everything except sign-in, the auth endpoints and static assets.
  matcher: ["/((?!signin|api/auth|_next/static|_next/image|favicon.ico|.*\\.(?:svg|png|ico|css|js)$).*)"],
};
