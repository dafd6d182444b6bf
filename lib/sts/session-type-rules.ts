// What each kind of temporary credentials may call, by AWS's "Compare AWS STS
// credentials" table. The pipeline (lib/iam/operation.ts) asks this before an
// operation's gate, for requests made with temporary keys through the API door:
// - GetSessionToken credentials call no IAM operation unless the session was
//   started with MFA (IAM refuses the token: InvalidClientTokenId), and no STS
//   operation but AssumeRole and GetCallerIdentity;
// - a federated user's credentials (GetFederationToken) call no IAM operation
//   (InvalidClientTokenId) and no STS operation but GetCallerIdentity.
// STS refusals are AWS's "Cannot call <Operation> with session credentials".
// IAM actions checked inside other services' operations (iam:PassRole) are not
// operations and are not affected. A federated console session may call IAM.
import { IamError } from "@/lib/iam/errors";
import type { Caller, RequestInfo } from "@/lib/iam/principal";
import { INVALID_TOKEN, isFederatedUserArn } from "./rules";

/** STS operations each restricted kind of session may call. */
const STS_ALLOWED: Record<"GetSessionToken" | "GetFederationToken", ReadonlySet<string>> = {
  GetSessionToken: new Set(["AssumeRole", "GetCallerIdentity"]),
  GetFederationToken: new Set(["GetCallerIdentity"]),
};

/** The identity provider's token is the caller of these; a signature on them plays no part (lib/sts/assume-role-with-saml.ts). */
const UNSIGNED_OPERATIONS = new Set(["AssumeRoleWithSAML", "AssumeRoleWithWebIdentity"]);

export const sessionCannotCall = (operation: string) => `Cannot call ${operation} with session credentials`;

/** The restricted kind of API session the caller signs with, if any. */
function restrictedKind(principal: Caller, request: RequestInfo): keyof typeof STS_ALLOWED | null {
  if (request.via !== "api" || principal.accessKeyId === undefined || principal.type === "Anonymous") return null;
  if (principal.sessionKind === "GetFederationToken" || isFederatedUserArn(principal.arn)) return "GetFederationToken";
  if (principal.sessionKind === "GetSessionToken") return "GetSessionToken";
  return null;
}

/** Throws AWS's refusal when the caller's temporary credentials may not call `service:operation`. */
export function assertSessionMayCall(service: string, operation: string, principal: Caller, request: RequestInfo): void {
  if (service !== "iam" && service !== "sts") return;
  if (service === "sts" && UNSIGNED_OPERATIONS.has(operation)) return;
  const kind = restrictedKind(principal, request);
  if (!kind) return;
  if (service === "iam") {
    if (kind === "GetSessionToken" && principal.mfaAuthenticated) return;
    throw new IamError("InvalidClientTokenId", INVALID_TOKEN);
  }
  if (!STS_ALLOWED[kind].has(operation)) throw new IamError("AccessDenied", sessionCannotCall(operation));
}
