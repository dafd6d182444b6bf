"use server";
// Server actions for credentials, shared by a user's "Security credentials" tab
// (userName given) and "My security credentials" (userName omitted: the caller's
// own, the root user's for root). Every one goes through the gate, so policies
// such as IAMUserChangePassword or a ${aws:username} self-management policy decide.
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { IAM } from "@/lib/iam/catalogue";
import { continueInNewSession } from "@/lib/auth/renew-session";
import { CONSOLE } from "@/lib/iam/catalogue/console";
import { changePassword } from "@/lib/iam/services/passwords";
import {
  ChangePasswordInput,
  DeactivateMfaDeviceInput,
} from "@/lib/iam/validation";

export const createAccessKeyAction = defineAction(IAM.CreateAccessKey);
export const updateAccessKeyAction = defineAction(IAM.UpdateAccessKey);
export const deleteAccessKeyAction = defineAction(IAM.DeleteAccessKey);

export const createMfaDeviceAction = defineAction(IAM.CreateVirtualMFADevice);
export const enableMfaDeviceAction = defineAction(IAM.EnableMFADevice);
export const resyncMfaDeviceAction = defineAction(IAM.ResyncMFADevice);
/**
 * "Remove": deactivates and deletes the device in one transaction. Deactivating
 * ends its owner's console sessions: when the owner did it, this browser goes on in a new one.
 */
export const removeMfaDeviceAction = defineAction({
  input: DeactivateMfaDeviceInput,
  run: async (i, door) => {
    await door.sequence(CONSOLE.RemoveMfaDevice(i, door.principal));
    const p = door.principal;
    const own = p.type === "Root" ? !i.userName : p.type === "IAMUser" && (!i.userName || i.userName.toLowerCase() === p.userName.toLowerCase());
    if (own) await continueInNewSession();
  },
});

const ChangeOwnPassword = ChangePasswordInput.extend({ confirmPassword: z.string() }).refine((v) => v.newPassword === v.confirmPassword, {
  path: ["confirmPassword"],
  message: "The new password and its confirmation do not match.",
});

/** A changed password ends every console session of the identity: this browser continues in a new one. */
export const changePasswordAction = defineAction({
  input: ChangeOwnPassword,
  run: async (i, door) => {
    const changed = await door.run(changePassword(door.principal, { oldPassword: i.oldPassword, newPassword: i.newPassword }));
    await continueInNewSession();
    return changed;
  },
});
