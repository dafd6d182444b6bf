import "server-only";
// Failed authentications over the API (InvalidClientTokenId for an inactive
// key or a wrong session token, SignatureDoesNotMatch, ExpiredToken) written to
// the event history of the account whose key was presented, as CloudTrail
// records a refused call: the key's identity and access key ID, the action,
// source address and user agent, the error; no request parameters, no
// signature, no secret. An access key ID nobody has belongs to no account and
// is not recorded.
import { db, type Tx } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record";
import { rootArn } from "@/lib/iam/arn";
import type { Principal, RequestInfo } from "@/lib/iam/principal";
import { principalOfAccessKey } from "./credentials";

/** Who an AKIA key belongs to, whatever its status. */
async function longTermKeyOwner(tx: Tx, accessKeyId: string): Promise<Principal | null> {
  const key = await tx.accessKey.findUnique({
    where: { id: accessKeyId },
    select: { accountId: true, account: { select: { organizationId: true } }, user: { select: { id: true, name: true, arn: true } } },
  });
  if (!key) return null;
  const common = { organizationId: key.account.organizationId, accountId: key.accountId, mfaAuthenticated: false, accessKeyId };
  return key.user
    ? { ...common, type: "IAMUser", arn: key.user.arn, principalId: key.user.id, userId: key.user.id, userName: key.user.name }
    : { ...common, type: "Root", arn: rootArn(key.accountId), principalId: key.accountId };
}

const READ_ONLY = /^(Get|List|Describe|Decode|Simulate|Generate)/;

export async function recordFailedAuthentication(args: {
  accessKeyId: string;
  service: "iam" | "sts";
  action?: string;
  request: RequestInfo;
  errorCode: string;
  errorMessage: string;
}): Promise<void> {
  const tx = db() as unknown as Tx;
  const principal = args.accessKeyId.startsWith("ASIA") ? await principalOfAccessKey(tx, args.accessKeyId) : await longTermKeyOwner(tx, args.accessKeyId);
  if (!principal) return;
  const eventName = args.action && /^[A-Za-z]{1,128}$/.test(args.action) ? args.action : "Unknown";
  await recordAudit(tx, {
    principal,
    request: args.request,
    eventSource: `${args.service}.amazonaws.com`,
    eventName,
    readOnly: READ_ONLY.test(eventName),
    errorCode: args.errorCode,
    errorMessage: args.errorMessage,
  });
}
