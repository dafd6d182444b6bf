// The part of the Auth.js configuration that needs no database: proxy.ts uses it
// to redirect the signed-out. It is never the guard: every page and action
// resolves the principal from the database (lib/auth/current.ts).
import type { NextAuthConfig } from "next-auth";
import { sessionSecret } from "@/lib/crypto/keys";

/** What the session cookie carries: who signed in, and how. */
export interface SignedInIdentity {
  kind: "root" | "user";
  accountId: string;
  userId?: string;
  mfa: boolean;
  /** Epoch ms of the MFA check / of the sign-in. */
  mfaAt?: number;
  signedInAt: number;
  /** The ConsoleSession row this cookie belongs to (lib/auth/console-sessions.ts). */
  sessionId?: string;
}

export const SESSION_HOURS = 12;

export const authConfig = {
  secret: sessionSecret(),
  trustHost: true,
  session: { strategy: "jwt", maxAge: SESSION_HOURS * 3600 },
  pages: { signIn: "/signin" },
  // One line per problem: a garbage session cookie is a client's mistake, not a stack trace per request.
  logger: {
    error(error: Error) {
      // Auth.js errors carry their kind in `type` and the underlying error in cause.err.
      const { type, cause } = error as { type?: string; cause?: { err?: unknown } };
      const detail = cause?.err instanceof Error ? cause.err.message : error.message.split("\n")[0];
      console.error(`Auth.js ${type ?? error.name}: ${detail}`);
    },
  },
  providers: [],
  callbacks: {
    jwt({ token, user }) {
      if (user) token.identity = (user as unknown as { identity: SignedInIdentity }).identity;
      return token;
    },
    session({ session, token }) {
      return { ...session, identity: token.identity as SignedInIdentity | undefined };
    },
  },
} satisfies NextAuthConfig;
