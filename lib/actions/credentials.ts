"use server";
// Server actions for credentials, shared by a user's "Security credentials" tab
// (userName given) and "My security credentials" (userName omitted: the caller's
// own, the root user's for root). Every one goes through the gate, so policies
// such as IAMUserChangePassword or a ${aws:username} self-management policy decide.
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { IAM } from "@/lib/iam/catalogue";
import { continueInNewSession } from "@/lib/auth/renew-session";
import { deactivateMfaDevice } from "@/lib/iam/services/mfa";
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
/** Deactivating a device ends its owner's console sessions: when the owner did it, this browser goes on in a new one. */
export const deactivateMfaDeviceAction = defineAction({
  input: DeactivateMfaDeviceInput,
  run: async (i, door) => {
    const done = await door.run(deactivateMfaDevice(door.principal, i));
    const p = door.principal;
    const own = p.type === "Root" ? !i.userName : p.type === "IAMUser" && (!i.userName || i.userName.toLowerCase() === p.userName.toLowerCase());
    if (own) await continueInNewSession();
    return done;
  },
});
export const deleteMfaDeviceAction = defineAction(IAM.DeleteVirtualMFADevice);

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
