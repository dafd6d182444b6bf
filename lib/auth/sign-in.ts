import "server-only";
// Console sign-in as AWS does it: an IAM user by account (ID or alias), user name
// and password; the root user by email and password; then a TOTP code when the
// identity has an MFA device. One generic message for every wrong credential.
import { verifyAgainstDecoy, verifyPassword } from "@/lib/crypto/passwords";
import { recordAudit } from "@/lib/audit/record";
import { transaction, type Tx } from "@/lib/db/client";
import { IamError } from "@/lib/iam/errors";
import { consumeMfaCode } from "@/lib/iam/mfa-code";
import { rootArn } from "@/lib/iam/arn";
import type { RequestInfo } from "@/lib/iam/principal";
import type { SignedInIdentity } from "./config";
import { issueTicket, seal, unseal } from "./ticket";
import { assertNotThrottled, clearFailures, countRefusal, recordFailure, throttleKeys } from "./throttle";

export type SignInInput =
  | { kind: "user"; account: string; userName: string; password: string }
  | { kind: "root"; email: string; password: string };

export type SignInStep = { status: "signed-in"; ticket: string } | { status: "mfa"; challenge: string };

export const WRONG_CREDENTIALS = "Your authentication information is incorrect. Please try again.";

interface Candidate {
  identity: Omit<SignedInIdentity, "mfa" | "signedInAt">;
  organizationId: string;
  arn: string;
  userName?: string;
  passwordHash: string;
  mfaDeviceIds: string[];
}

async function findCandidate(tx: Tx, input: SignInInput): Promise<Candidate | null> {
  if (input.kind === "root") {
    const account = await tx.account.findUnique({
      where: { rootEmail: input.email.trim().toLowerCase() },
      include: { mfaDevices: { where: { forRoot: true, enabledAt: { not: null } }, select: { id: true } } },
    });
    if (!account) return null;
    return {
      identity: { kind: "root", accountId: account.id },
      organizationId: account.organizationId,
      arn: rootArn(account.id),
      passwordHash: account.rootPasswordHash,
      mfaDeviceIds: account.mfaDevices.map((d) => d.id),
    };
  }
  const accountKey = input.account.trim().toLowerCase();
  const account = await tx.account.findFirst({
    where: /^\d{12}$/.test(accountKey) ? { id: accountKey } : { alias: accountKey },
    select: { id: true, organizationId: true },
  });
  if (!account) return null;
  const user = await tx.iamUser.findUnique({
    where: { accountId_nameLower: { accountId: account.id, nameLower: input.userName.trim().toLowerCase() } },
    include: { loginProfile: true, mfaDevices: { where: { enabledAt: { not: null } }, select: { id: true } } },
  });
  if (!user?.loginProfile) return null;
  return {
    identity: { kind: "user", accountId: account.id, userId: user.id },
    organizationId: account.organizationId,
    arn: user.arn,
    userName: user.name,
    passwordHash: user.loginProfile.passwordHash,
    mfaDeviceIds: user.mfaDevices.map((d) => d.id),
  };
}

/**
 * The counters a password attempt is checked against: the identity (an account
 * alias and its 12-digit ID are one identity) and the client's address.
 */
async function passwordKeys(input: SignInInput, request: RequestInfo): Promise<{ identityKey: string; keys: string[] }> {
  let identityKey: string;
  if (input.kind === "root") identityKey = throttleKeys.root(input.email);
  else {
    const accountKey = input.account.trim().toLowerCase();
    const account = /^\d{12}$/.test(accountKey) ? null : await transaction((tx) => tx.account.findUnique({ where: { alias: accountKey }, select: { id: true } }));
    identityKey = throttleKeys.user(account?.id ?? accountKey, input.userName);
  }
  return { identityKey, keys: [identityKey, throttleKeys.address(request.sourceIp)] };
}

const SIGN_IN_ATTEMPTS = "sign-in attempts";

async function auditSignIn(c: Omit<Candidate, "passwordHash">, request: RequestInfo, outcome: "Success" | "Failure", mfaUsed: boolean, errorMessage?: string) {
  await transaction((tx) =>
    recordAudit(tx, {
      principal: null,
      claimedIdentity: { type: c.identity.kind === "root" ? "Root" : "IAMUser", arn: c.arn, accountId: c.identity.accountId, userName: c.userName },
      organizationId: c.organizationId,
      request,
      eventSource: "signin.amazonaws.com",
      eventName: "ConsoleLogin",
      eventType: "AwsConsoleSignIn",
      readOnly: false,
      responseElements: { ConsoleLogin: outcome },
      requestParameters: { MFAUsed: mfaUsed ? "Yes" : "No" },
      errorMessage,
    }),
  );
}

async function markSignedIn(tx: Tx, identity: Candidate["identity"]) {
  const now = new Date();
  if (identity.kind === "root") await tx.account.update({ where: { id: identity.accountId }, data: { rootPasswordLastUsed: now } });
  else {
    await tx.loginProfile.update({ where: { userId: identity.userId! }, data: { passwordLastUsed: now } });
    await tx.iamUser.update({ where: { id: identity.userId! }, data: { lastActivityAt: now } });
  }
}

/** Step 1: the password. Returns a ticket, or a sealed MFA challenge. */
export async function checkPassword(input: SignInInput, request: RequestInfo): Promise<SignInStep> {
  const { identityKey, keys } = await passwordKeys(input, request);
  await transaction((tx) => assertNotThrottled(tx, keys, SIGN_IN_ATTEMPTS));

  const candidate = await transaction((tx) => findCandidate(tx, input));
  const ok = candidate ? await verifyPassword(candidate.passwordHash, input.password) : await verifyAgainstDecoy(input.password);
  if (!candidate || !ok) {
    await transaction((tx) => recordFailure(tx, keys));
    if (candidate) await auditSignIn(candidate, request, "Failure", false, "Failed authentication");
    throw new IamError("AccessDenied", WRONG_CREDENTIALS);
  }
  // Clears the password counter only: MFA failures are counted per device and stay.
  await transaction((tx) => clearFailures(tx, [identityKey]));
  if (candidate.mfaDeviceIds.length > 0) {
    const { passwordHash: _hash, ...pending } = candidate;
    return { status: "mfa", challenge: seal("mfa-challenge", { candidate: pending }, 300) };
  }
  await transaction((tx) => markSignedIn(tx, candidate.identity));
  await auditSignIn(candidate, request, "Success", false);
  return { status: "signed-in", ticket: issueTicket({ ...candidate.identity, mfa: false, signedInAt: Date.now() }) };
}

/**
 * Step 2: the MFA code, against any of the identity's enabled devices. Wrong
 * codes are counted per device and per identity (lib/iam/mfa-code.ts), so
 * neither a new address nor entering the password again buys more guesses.
 */
export async function checkMfaCode(challenge: string, code: string, request: RequestInfo): Promise<{ ticket: string }> {
  const sealed = unseal<{ candidate: Omit<Candidate, "passwordHash"> }>("mfa-challenge", challenge);
  if (!sealed) throw new IamError("ExpiredToken", "Your sign-in session has expired. Sign in again.");
  const { candidate } = sealed;
  const addressKey = throttleKeys.address(request.sourceIp);
  await transaction((tx) => assertNotThrottled(tx, [addressKey], SIGN_IN_ATTEMPTS));

  const refusal = () => new IamError("InvalidAuthenticationCode", "The MFA code is not valid. Wait for a new code, then try again.");
  try {
    await transaction((tx) => consumeMfaCode(tx, candidate.mfaDeviceIds, code, refusal));
  } catch (err) {
    // The check rolled back: the failure is counted now, with the address's.
    await transaction(async (tx) => {
      await countRefusal(tx, err);
      if (err instanceof IamError && err.code === "InvalidAuthenticationCode") await recordFailure(tx, [addressKey]);
    });
    if (err instanceof IamError && err.code === "InvalidAuthenticationCode") await auditSignIn(candidate, request, "Failure", true, "Failed MFA authentication");
    throw err;
  }
  await transaction((tx) => markSignedIn(tx, candidate.identity));
  await auditSignIn(candidate, request, "Success", true);
  const now = Date.now();
  return { ticket: issueTicket({ ...candidate.identity, mfa: true, mfaAt: now, signedInAt: now }) };
}
