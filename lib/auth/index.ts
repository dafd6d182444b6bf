import "server-only";
// Auth.js with JWT sessions. The credentials provider takes a sign-in ticket that
// lib/auth/sign-in.ts issues after the password (and MFA) checks, so the whole
// sign-in logic (throttling, audit, MFA) lives in one service, not in a callback.
import NextAuth from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { authConfig } from "./config";
import { redeemTicket } from "./ticket";

export const { handlers, auth, signIn, signOut } = NextAuth({
  ...authConfig,
  providers: [
    Credentials({
      credentials: { ticket: {} },
      authorize(credentials) {
        const identity = redeemTicket(String(credentials?.ticket ?? ""));
        if (!identity) return null;
        const id = identity.kind === "root" ? `root:${identity.accountId}` : `user:${identity.userId}`;
        return { id, identity } as never;
      },
    }),
  ],
});
