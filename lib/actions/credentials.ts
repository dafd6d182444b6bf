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
  CreateVirtualMfaDeviceInput,
  DeactivateMfaDeviceInput,
} from "@/lib/iam/validation";
import { mfaArn } from "@/lib/iam/arn";
import { createVirtualMfaDevice, deleteVirtualMfaDevice, listVirtualMfaDevices } from "@/lib/iam/services/mfa";

export const createAccessKeyAction = defineAction(IAM.CreateAccessKey);
export const updateAccessKeyAction = defineAction(IAM.UpdateAccessKey);
export const deleteAccessKeyAction = defineAction(IAM.DeleteAccessKey);

/**
 * "Assign MFA device", step 1: CreateVirtualMFADevice. A setup abandoned before
 * its codes were entered leaves an unassigned device of that name behind; it is
 * replaced (DeleteVirtualMFADevice, then CreateVirtualMFADevice, one
 * transaction, each gated: a self-service policy lets users delete only their
 * own, mfa/${aws:username}) instead of answering EntityAlreadyExists.
 */
export const createMfaDeviceAction = defineAction({
  input: CreateVirtualMfaDeviceInput,
  run: async (i, door) => {
    const serialNumber = mfaArn(door.principal.accountId, i.path ?? "/", i.virtualMFADeviceName);
    const unassigned = await door.run(listVirtualMfaDevices(door.principal, { assignmentStatus: "Unassigned" })).catch(() => null);
    if (!unassigned?.virtualMFADevices.some((d) => d.serialNumber === serialNumber)) return door.run(createVirtualMfaDevice(door.principal, i));
    return door.sequence(async (step) => {
      await step(deleteVirtualMfaDevice(door.principal, { serialNumber }));
      return step(createVirtualMfaDevice(door.principal, i));
    });
  },
});
/** Deletes an unassigned virtual MFA device (an abandoned setup). */
export const deleteVirtualMfaDeviceAction = defineAction(IAM.DeleteVirtualMFADevice);
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
