import "server-only";
// "X deleted." banners after a delete redirect (?deleted=X): shown only when the
// audit trail holds that principal's successful delete of X in the last
// minutes, so no link can make the console announce a deletion that did not happen.
import { db } from "@/lib/db/client";
import type { Principal } from "@/lib/iam/principal";

const RECENT_MS = 15 * 60 * 1000;
const NAME = /^[\w+=,.@-]{1,255}$/;

/**
 * The name, if `principal` deleted it successfully within the last minutes
 * (`eventName` with requestParameters[param] equal to the name, or, for ARN
 * parameters, ending in "/name"); else undefined.
 */
export async function recentlyDeleted(principal: Principal, eventName: string, param: string, name: unknown): Promise<string | undefined> {
  if (typeof name !== "string" || !NAME.test(name)) return undefined;
  const value = param.endsWith("Arn") ? `/${name}"` : `${JSON.stringify(name)}`;
  const hit = await db().auditEvent.findFirst({
    where: {
      recipientAccountId: principal.accountId,
      identityArn: principal.arn,
      eventName,
      errorCode: null,
      eventTime: { gt: new Date(Date.now() - RECENT_MS) },
      requestParameters: { contains: param.endsWith("Arn") ? value : `"${param}":${value}` },
    },
    select: { id: true },
  });
  return hit ? name : undefined;
}
