import "server-only";
// After the signed-in person changes their own password every console session
// of theirs has ended (lib/iam/services/passwords.ts), copies of this browser's
// cookie included: this browser alone goes on, in a new session.
import { signedInIdentity } from "./current";
import { signIn } from "./index";
import { issueTicket } from "./ticket";

/** Call only after this request's identity changed its own password. */
export async function continueInNewSession(): Promise<void> {
  const identity = await signedInIdentity();
  if (!identity) return;
  const { sessionId: _ended, ...rest } = identity;
  await signIn("credentials", { ticket: issueTicket(rest), redirect: false });
}
