import "server-only";
// Auth.js with JWT sessions. The credentials provider takes a sign-in ticket that
// lib/auth/sign-in.ts issues after the password (and MFA) checks, so the whole
// sign-in logic (throttling, audit, MFA) lives in one service, not in a callback.
import NextAuth from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { authConfig } from "./config";
import { startConsoleSession } from "./console-sessions";
import { redeemTicket } from "./ticket";

export const { handlers, auth, signIn, signOut } = NextAuth({
  ...authConfig,
  providers: [
    Credentials({
      credentials: { ticket: {} },
      async authorize(credentials) {
        const redeemed = redeemTicket(String(credentials?.ticket ?? ""));
        if (!redeemed) return null;
        // Every sign-in starts a server-side session the cookie names: it can be ended at once.
        const identity = { ...redeemed, sessionId: await startConsoleSession(redeemed) };
        const id = identity.kind === "root" ? `root:${identity.accountId}` : `user:${identity.userId}`;
        return { id, identity } as never;
      },
    }),
  ],
});
