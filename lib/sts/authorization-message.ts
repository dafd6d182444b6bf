import "server-only";
// Encoded authorization messages: where AWS answers a denial with "Encoded
// authorization failure message: ..." (EC2's UnauthorizedOperation), the
// details of the decision (who, what action, which resource, the request's
// condition keys, the deciding statement) are sealed under the server's key,
// and sts:DecodeAuthorizationMessage opens them for a caller of the same
// account allowed to. The decoded JSON has AWS's members (allowed,
// explicitDeny, matchedStatements, failures, context).
import { decryptSecret, encryptSecret } from "@/lib/crypto/secrets";
import type { DeniedRequest } from "@/lib/iam/errors";
import { IamError } from "@/lib/iam/errors";
import type { OperationSpec } from "@/lib/iam/operation";
import type { Caller, Principal } from "@/lib/iam/principal";

const PREFIX = "iamlab1-";

export interface DecodedAuthorizationMessage {
  allowed: boolean;
  explicitDeny: boolean;
  matchedStatements: { items: { statementId?: string; effect: string; sourcePolicyId?: string; sourcePolicyType?: string }[] };
  failures: { items: string[] };
  context: {
    principal: { id: string; name?: string; arn: string };
    action: string;
    resource: string;
    conditions: { items: { key: string; values: { items: { value: string }[] } }[] };
  };
}

/** The message AWS would encode for this denial. */
export function authorizationMessage(principal: Caller, denied: DeniedRequest, context: Record<string, string | string[]> = {}): DecodedAuthorizationMessage {
  const explicit = denied.decision === "ExplicitlyDenied";
  const statement = denied.explanation?.statement;
  return {
    allowed: false,
    explicitDeny: explicit,
    matchedStatements: {
      items:
        explicit && denied.explanation
          ? [{ ...(statement ? { statementId: statement } : {}), effect: "DENY", sourcePolicyId: denied.explanation.policyId ?? denied.explanation.policyName, sourcePolicyType: denied.explanation.policyKind }]
          : [],
    },
    failures: { items: [] },
    context: {
      principal: { id: principal.principalId, ...("userName" in principal ? { name: principal.userName } : {}), arn: principal.arn },
      action: denied.action,
      resource: denied.resource,
      conditions: {
        items: Object.entries(context).map(([key, v]) => ({ key, values: { items: (Array.isArray(v) ? v : [v]).map((value) => ({ value })) } })),
      },
    },
  };
}

/** Seals a denial's details for its caller's account. */
export function encodeAuthorizationMessage(principal: Caller, denied: DeniedRequest, context: Record<string, string | string[]> = {}): string {
  const sealed = encryptSecret(JSON.stringify({ account: principal.accountId, message: authorizationMessage(principal, denied, context) }));
  return PREFIX + Buffer.from(sealed).toString("base64url");
}

const INVALID = "The encoded authorization message is not valid: it is truncated, altered, or was not issued to this account.";

/** Opens an encoded message for a caller of `accountId`, or InvalidAuthorizationMessageException. */
export function openAuthorizationMessage(encoded: string, accountId: string): DecodedAuthorizationMessage {
  const refuse = () => new IamError("InvalidAuthorizationMessageException", INVALID);
  if (!encoded.startsWith(PREFIX) || !/^[A-Za-z0-9_-]+$/.test(encoded.slice(PREFIX.length))) throw refuse();
  let sealed: { account?: string; message?: DecodedAuthorizationMessage };
  try {
    sealed = JSON.parse(decryptSecret(Buffer.from(encoded.slice(PREFIX.length), "base64url").toString("utf8")));
  } catch {
    throw refuse();
  }
  if (sealed.account !== accountId || !sealed.message) throw refuse();
  return sealed.message;
}

/** sts:DecodeAuthorizationMessage: the decoded JSON, for a caller allowed the action. */
export function decodeAuthorizationMessage(principal: Principal, input: { encodedMessage: string }): OperationSpec<{ DecodedMessage: string }> {
  return {
    service: "sts",
    name: "DecodeAuthorizationMessage",
    readOnly: true,
    resource: { arn: "*", accountId: principal.accountId },
    // The message itself is not recorded (its details may be privileged); its length is.
    parameters: { encodedMessageLength: input.encodedMessage.length },
    async run() {
      if (input.encodedMessage.length < 1 || input.encodedMessage.length > 10_240) throw new IamError("InvalidAuthorizationMessageException", INVALID);
      return { DecodedMessage: JSON.stringify(openAuthorizationMessage(input.encodedMessage, principal.accountId)) };
    },
  };
}

/** EC2's words for the gate's denial: UnauthorizedOperation, with the details encoded for DecodeAuthorizationMessage. */
export function unauthorizedOperation(principal: Caller, err: IamError, context: Record<string, string | string[]> = {}): IamError {
  if (!err.denied) return err;
  const encoded = encodeAuthorizationMessage(principal, err.denied, context);
  return new IamError("UnauthorizedOperation", `You are not authorized to perform this operation. ${err.message}. Encoded authorization failure message: ${encoded}`, { denied: err.denied });
}
