"use server";
// The elevation flow's server side: what can be offered, assuming the account's
// elevation role with an MFA code, and dropping it again.
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { currentPrincipal } from "@/lib/auth/current";
import { listMfaDevices } from "@/lib/iam/services/mfa";
import { couldElevate, ELEVATION_ROLE, ELEVATION_SECONDS, elevate, elevationRoleFor, whoCanElevate } from "@/lib/sts/console-session";
import { endRoleSession, keepRoleSession } from "@/lib/auth/role-session";

export interface ElevationOffer {
  /** The account's elevation role exists and the console is not already acting as it. */
  available: boolean;
  alreadyElevated: boolean;
  roleName: string;
  accountId: string;
  minutes: number;
  /** false: the identity has no MFA device (tell them how to assign one); null: could not be told. */
  hasMfa: boolean | null;
  /** The gate's answer: could the signed-in identity assume the role if it gave a valid MFA code? */
  canElevate: boolean;
  /** When it could not: AWS's wording of why (e.g. "because no identity-based policy allows the sts:AssumeRole action"). */
  whyNot?: string;
  /** When it could not: who could (users of the account, asked of the gate), or null when the caller may not list users. */
  whoCan?: { userNames: string[]; more: boolean } | null;
}

/** What the "Assume elevated role" step can offer in `account` (default: the account the console acts in). */
export const elevationOfferAction = defineAction({
  input: z.object({ account: z.string().optional() }).optional(),
  as: "signed-in",
  run: async (input, { principal: identity, request, run }): Promise<ElevationOffer> => {
    const principal = (await currentPrincipal()) ?? identity;
    const account = input?.account;
    const accountId = account && /^\d{12}$/.test(account) ? account : principal.accountId;
    const role = await elevationRoleFor(accountId);
    const alreadyElevated = principal.type === "AssumedRole" && role !== null && principal.roleArn === role.arn;
    const devices = await run(listMfaDevices(identity, {})).catch(() => null);
    const check = role && !alreadyElevated ? await couldElevate(identity, request, role) : null;
    const whoCan = check && !check.allowed ? await whoCanElevate(identity, request, role!) : undefined;
    return {
      available: role !== null && !alreadyElevated,
      alreadyElevated,
      roleName: role?.name ?? ELEVATION_ROLE,
      accountId,
      minutes: ELEVATION_SECONDS / 60,
      hasMfa: devices ? devices.mfaDevices.length > 0 : null,
      canElevate: check?.allowed ?? false,
      ...(check && !check.allowed ? { whyNot: check.reason, whoCan: whoCan && { userNames: whoCan.userNames, more: whoCan.more } } : {}),
    };
  },
});

/** Assumes the elevation role with an MFA code; the console then acts as it (elevated banner, countdown). */
export const elevateAction = defineAction({
  input: z.object({
    account: z.string().regex(/^\d{12}$/).optional(),
    tokenCode: z.string().trim().regex(/^\d{6}$/, "Enter the 6-digit code from your MFA device."),
  }),
  as: "signed-in",
  run: async (input, door) => {
    const session = await door.run(elevate(door.principal, input));
    await keepRoleSession(session);
    return { roleName: session.roleName, expiresAt: session.expiresAt.toISOString() };
  },
});

/** "Drop elevation": ends the elevated session in place (no navigation). */
export const dropElevationAction = defineAction({ as: "signed-in", run: () => endRoleSession() });
