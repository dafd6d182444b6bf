import "server-only";
// sts:GetDelegatedAccessToken: the partner of an IAM delegation request
// (lib/iam/services/delegation-requests.ts) trades the token SendDelegationToken
// sent it for temporary credentials in the customer's account. The credentials
// act as the identity that accepted the request (AssumedPrincipal: an IAM user
// or a role session; a request the root user accepted is refused), limited by the request's permission policy
// as their session policy (none: they grant nothing), for the request's session
// duration. A token works once, only for the requestor account, and only until
// it expires: an unknown (or another account's) token is InvalidParameterValue,
// a used or expired one ExpiredTradeInTokenException. The session is a
// RoleSession row of kind "GetDelegatedAccessToken"; the token itself is never
// recorded.
import { z } from "zod";
import type { Tx } from "@/lib/db/client";
import { IamError } from "@/lib/iam/errors";
import type { OperationSpec } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";
import { findDelegationByTradeInToken, markTradeInTokenUsed, type RedeemableDelegation } from "@/lib/iam/services/delegation-requests";
import { assumedRoleArn, constraintError } from "./rules";
import { GRANTS_NOTHING } from "./session-policy";
import { credentialsForAudit, issueSession, type Credentials } from "./sts";

export const GetDelegatedAccessTokenInput = z.object({ tradeInToken: z.string().optional() });

export interface GetDelegatedAccessTokenResult {
  Credentials: Credentials;
  AssumedPrincipal: string;
  sessionId: string;
}

export const UNKNOWN_TOKEN = "The trade-in token is not valid: it was not issued to this account by SendDelegationToken.";
export const USED_TOKEN = "The trade-in token was already exchanged for credentials; a token can be used once. Ask the customer to send a new delegation request.";
export const EXPIRED_TOKEN = "The trade-in token has expired and can no longer be exchanged for credentials. Ask the customer to send a new delegation request.";

/**
 * Whom the delegated session acts as: the approver's user or role; null when it
 * no longer exists, or when the root user accepted the request (IAM Lab issues
 * delegated credentials for IAM users and role sessions only).
 */
async function approverIdentity(tx: Tx, d: RedeemableDelegation): Promise<{ userId: string | null; roleId: string | null; arn: string } | null> {
  const arn = d.approverId;
  if (arn.startsWith(`arn:aws:iam::${d.ownerAccountId}:user/`)) {
    const user = await tx.iamUser.findUnique({ where: { arn }, select: { id: true } });
    return user ? { userId: user.id, roleId: null, arn } : null;
  }
  const m = /^arn:aws:sts::(\d{12}):assumed-role\/([\w+=,.@-]+)\/([\w+=,.@-]+)$/.exec(arn);
  if (m && m[1] === d.ownerAccountId) {
    const role = await tx.role.findFirst({ where: { accountId: d.ownerAccountId, name: m[2] }, select: { id: true } });
    return role ? { userId: null, roleId: role.id, arn } : null;
  }
  return null;
}

/** The session name of a role approver's delegated session: the request's ID, as a session name may be at most 64 characters. */
const sessionNameOf = (d: RedeemableDelegation) => d.delegationRequestId.slice(0, 64);

export function getDelegatedAccessToken(principal: Principal, input: z.output<typeof GetDelegatedAccessTokenInput>): OperationSpec<GetDelegatedAccessTokenResult> {
  return {
    service: "sts",
    name: "GetDelegatedAccessToken",
    readOnly: false,
    // The token is a bearer secret: never in the record.
    parameters: {},
    resource: async () => {
      if (input.tradeInToken === undefined) throw constraintError("tradeInToken", undefined, "Member must not be null");
      return { arn: "*" };
    },
    run: async ({ tx }) => {
      const token = input.tradeInToken!;
      const found = await findDelegationByTradeInToken(tx, token);
      const requestor = found && (await tx.delegationRequest.findUnique({ where: { id: found.delegationRequestId }, select: { requestorAccountId: true } }));
      if (!found || requestor?.requestorAccountId !== principal.accountId) throw new IamError("InvalidParameterValue", UNKNOWN_TOKEN);
      const now = new Date();
      if (found.tokenUsedAt) throw new IamError("ExpiredTradeInTokenException", USED_TOKEN);
      if (found.tokenExpiresAt.getTime() <= now.getTime()) throw new IamError("ExpiredTradeInTokenException", EXPIRED_TOKEN);
      const approver = await approverIdentity(tx, found);
      if (!approver) throw new IamError("InvalidParameterValue", `The identity that accepted the delegation request (${found.approverId}) is not an IAM user or role session that still exists.`);
      if (!(await markTradeInTokenUsed(tx, found.delegationRequestId, now))) throw new IamError("ExpiredTradeInTokenException", USED_TOKEN);
      const sessionName = approver.roleId ? sessionNameOf(found) : null;
      const roleName = approver.roleId ? approver.arn.split("/")[1]! : "";
      const arn = approver.roleId ? assumedRoleArn(found.ownerAccountId, roleName, sessionName!) : approver.arn;
      const session = await issueSession(tx, found.sessionDuration, now, {
        accountId: found.ownerAccountId,
        kind: "GetDelegatedAccessToken",
        userId: approver.userId,
        roleId: approver.roleId,
        arn,
        sessionName,
        sourcePrincipalArn: principal.arn,
        sourcePrincipalAccount: principal.accountId,
        sessionPolicy: found.permissionPolicy ?? GRANTS_NOTHING,
      });
      return { Credentials: session.credentials, AssumedPrincipal: arn, sessionId: session.id };
    },
    response: (r) => ({ credentials: credentialsForAudit(r.Credentials), assumedPrincipal: r.AssumedPrincipal }),
  };
}
