// Principals and request info for integration tests, built from the seeded
// database the same way the console builds them from a session.
import { db } from "@/lib/db/client";
import { newRequestId } from "@/lib/crypto/ids";
import { rootArn } from "@/lib/iam/arn";
import type { Principal, RequestInfo, RootPrincipal, UserPrincipal } from "@/lib/iam/principal";
import { DEMO_ACCOUNTS, DEMO_ORG } from "@/lib/db/seed/demo-identities";

export const DEV = DEMO_ACCOUNTS.dev.id;
export const STAGING = DEMO_ACCOUNTS.staging.id;
export const PROD = DEMO_ACCOUNTS.prod.id;

export function testRequest(overrides: Partial<RequestInfo> = {}): RequestInfo {
  return { via: "console", sourceIp: "203.0.113.10", userAgent: "vitest", secureTransport: true, region: "us-east-1", requestId: newRequestId(), ...overrides };
}

export function asRoot(accountId: string = DEV, mfa = false): RootPrincipal {
  return { type: "Root", organizationId: DEMO_ORG.id, accountId, arn: rootArn(accountId), principalId: accountId, mfaAuthenticated: mfa, tokenIssuedAt: new Date() };
}

export async function asUser(name: string, accountId: string = DEV, mfa = false): Promise<UserPrincipal> {
  const user = await db().iamUser.findUniqueOrThrow({ where: { accountId_nameLower: { accountId, nameLower: name.toLowerCase() } } });
  return {
    type: "IAMUser",
    organizationId: DEMO_ORG.id,
    accountId,
    arn: user.arn,
    principalId: user.id,
    userId: user.id,
    userName: user.name,
    mfaAuthenticated: mfa,
    mfaAuthenticatedAt: mfa ? new Date() : undefined,
    tokenIssuedAt: new Date(),
  };
}

export type { Principal };
