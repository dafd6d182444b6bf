"use server";
// The elevation flow's server side: what can be offered, assuming the account's
// elevation role with an MFA code, and dropping it again.
import { z } from "zod";
import { loadAs, NOT_SIGNED_IN, validationFailure } from "@/lib/actions/define-action";
import { currentPrincipal, signedInPrincipal } from "@/lib/auth/current";
import type { ActionResult } from "@/lib/actions/action-result";
import { listMfaDevices } from "@/lib/iam/services/mfa";
import { ELEVATION_ROLE, ELEVATION_SECONDS, elevate, elevationRoleFor } from "@/lib/sts/console-session";
import { endRoleSession, startRoleSession } from "@/lib/auth/role-session";

export interface ElevationOffer {
  /** The account's elevation role exists and the console is not already acting as it. */
  available: boolean;
  alreadyElevated: boolean;
  roleName: string;
  accountId: string;
  minutes: number;
  /** false: the identity has no MFA device (tell them how to assign one); null: could not be told. */
  hasMfa: boolean | null;
}

/** What the "Assume elevated role" step can offer in `account` (default: the account the console acts in). */
export async function elevationOfferAction(account?: string): Promise<ActionResult<ElevationOffer>> {
  const [principal, identity] = await Promise.all([currentPrincipal(), signedInPrincipal()]);
  if (!principal || !identity) return NOT_SIGNED_IN;
  const accountId = account && /^\d{12}$/.test(account) ? account : principal.accountId;
  const role = await elevationRoleFor(accountId);
  const alreadyElevated = principal.type === "AssumedRole" && role !== null && principal.roleArn === role.arn;
  const devices = await loadAs(identity, listMfaDevices(identity, {}));
  return {
    ok: true,
    data: {
      available: role !== null && !alreadyElevated,
      alreadyElevated,
      roleName: role?.name ?? ELEVATION_ROLE,
      accountId,
      minutes: ELEVATION_SECONDS / 60,
      hasMfa: devices.ok ? devices.data.mfaDevices.length > 0 : null,
    },
  };
}

const ElevateForm = z.object({
  account: z.string().regex(/^\d{12}$/).optional(),
  tokenCode: z.string().trim().regex(/^\d{6}$/, "Enter the 6-digit code from your MFA device."),
});

/** Assumes the elevation role with an MFA code; the console then acts as it (elevated banner, countdown). */
export async function elevateAction(input: { account?: string; tokenCode: string }): Promise<ActionResult<{ roleName: string; expiresAt: string }>> {
  const parsed = ElevateForm.safeParse(input);
  if (!parsed.success) return validationFailure(parsed.error);
  const result = await startRoleSession((identity) => elevate(identity, parsed.data));
  return result.ok ? { ok: true, data: { roleName: result.data.roleName, expiresAt: result.data.expiresAt.toISOString() } } : result;
}

/** "Drop elevation": ends the elevated session in place (no navigation). */
export async function dropElevationAction(): Promise<void> {
  await endRoleSession();
}
