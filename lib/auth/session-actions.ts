"use server";
// Sign-in, MFA step and sign-out: the console's authentication door.
import { AuthError } from "next-auth";
import { cookies } from "next/headers";
import { z } from "zod";
import type { ActionResult } from "@/lib/actions/action-result";
import { IamError } from "@/lib/iam/errors";
import { validationFailure } from "@/lib/actions/define-action";
import { signIn, signOut } from "./index";
import { ROLE_COOKIE, signedInIdentity } from "./current";
import { endConsoleSession } from "./console-sessions";
import { consoleRequestInfo } from "./request-info";
import { checkMfaCode, checkPassword } from "./sign-in";

export type SignInState = ActionResult<{ mfaChallenge?: string }> | null;

const signInInput = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("user"),
    account: z.string().trim().min(1, "Enter the account ID (12 digits) or account alias."),
    userName: z.string().trim().min(1, "Enter your IAM user name."),
    password: z.string().min(1, "Enter your password."),
    next: z.string().optional(),
  }),
  z.object({
    kind: z.literal("root"),
    email: z.string().trim().email("Enter the root user's email address."),
    password: z.string().min(1, "Enter your password."),
    next: z.string().optional(),
  }),
]);

const mfaInput = z.object({
  challenge: z.string().min(1),
  code: z.string().trim().regex(/^\d{6}$/, "Enter the 6-digit code from your MFA device."),
  next: z.string().optional(),
});

/** Only same-site paths: never redirect to another origin. Without one, Console Home (it lands each identity on a page it can use). */
function safeNext(next: string | undefined): string {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/?from=signin";
}

async function finish(ticket: string, next: string | undefined): Promise<never> {
  (await cookies()).delete(ROLE_COOKIE);
  await signIn("credentials", { ticket, redirectTo: safeNext(next) });
  throw new Error("unreachable: signIn redirects");
}

function refused(err: unknown): SignInState {
  if (err instanceof IamError) return { ok: false, error: { code: err.code, message: err.message } };
  if (err instanceof AuthError) return { ok: false, error: { code: "AccessDenied", message: "Sign-in failed. Try again." } };
  throw err; // Next's redirect after a successful sign-in travels as an error
}

export async function signInAction(_: SignInState, form: FormData): Promise<SignInState> {
  const parsed = signInInput.safeParse(Object.fromEntries(form));
  if (!parsed.success) return validationFailure(parsed.error);
  let ticket: string;
  try {
    const step = await checkPassword(parsed.data, await consoleRequestInfo());
    if (step.status === "mfa") return { ok: true, data: { mfaChallenge: step.challenge } };
    ticket = step.ticket;
  } catch (err) {
    return refused(err);
  }
  return finish(ticket, parsed.data.next);
}

export async function mfaAction(_: SignInState, form: FormData): Promise<SignInState> {
  const parsed = mfaInput.safeParse(Object.fromEntries(form));
  if (!parsed.success) return validationFailure(parsed.error);
  let ticket: string;
  try {
    ticket = (await checkMfaCode(parsed.data.challenge, parsed.data.code, await consoleRequestInfo())).ticket;
  } catch (err) {
    return refused(err);
  }
  return finish(ticket, parsed.data.next);
}

export async function signOutAction(): Promise<void> {
  // The session ends on the server first: a copy of the cookie is worthless from now on.
  const identity = await signedInIdentity();
  if (identity?.sessionId) await endConsoleSession(identity.sessionId, "SignOut");
  (await cookies()).delete(ROLE_COOKIE);
  await signOut({ redirectTo: "/signin" });
}
