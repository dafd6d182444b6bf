// Redirects the signed-out to the sign-in page. Never the guard: every page and
// server action resolves the principal from the database itself.
import NextAuth from "next-auth";
import { NextResponse } from "next/server";
import { authConfig } from "@/lib/auth/config";

const { auth } = NextAuth(authConfig);

export default auth((req) => {
  if (req.auth) return NextResponse.next();
  const url = new URL("/signin", req.nextUrl);
  const back = req.nextUrl.pathname + req.nextUrl.search;
  if (back !== "/") url.searchParams.set("next", back);
  return NextResponse.redirect(url);
});

export const config = {
  // Everything except sign-in, the auth endpoints and static assets.
  matcher: ["/((?!signin|api/auth|_next/static|_next/image|favicon.ico|.*\\.(?:svg|png|ico|css|js)$).*)"],
};
