import "server-only";
// Virtual MFA devices for IAM users and the root user. The seed and its QR code
// are returned once by CreateVirtualMFADevice (never audited); enabling and
// resynchronising take two consecutive codes; a code is accepted once.
import QRCode from "qrcode";
import type { OperationSpec } from "@/lib/iam/operation";
import { encryptSecret } from "@/lib/crypto/secrets";
import { newTotpSeed, totpUri } from "@/lib/crypto/totp";
import type { Tx } from "@/lib/db/client";
import { mfaArn } from "@/lib/iam/arn";
import { consumeConsecutiveCodes } from "@/lib/iam/mfa-code";
import { endConsoleSessions } from "@/lib/auth/console-sessions";
import { IamError, noSuchEntity } from "@/lib/iam/errors";
import type { Principal } from "@/lib/iam/principal";
import { requestTagContext } from "@/lib/iam/request-context";
import type {
  CreateVirtualMfaDeviceInput,
  DeactivateMfaDeviceInput,
  EnableMfaDeviceInput,
  GetMfaDeviceInput,
  ListVirtualMfaDevicesInput,
  OptionalUserInput,
  SerialNumberInput,
} from "@/lib/iam/validation";
import { applyTags, limitExceeded, resolveOwner, selfOrNamed, selfResource, uniquely, type SelfTarget } from "./common";

export const MFA_DEVICES_PER_USER = 8;
/** Steps either side of now a resync may reach (clock drift of an authenticator), 10 minutes. */
const RESYNC_WINDOW = 20;

export interface NewVirtualMfaDevice {
  serialNumber: string;
  /** Shown once, never stored in the clear, never audited. */
  base32StringSeed: string;
  /** otpauth:// URI for authenticator apps. */
  otpauthUri: string;
  /** The URI as a QR code, a data:image/png;base64 URL. */
  qrCodePng: string;
}

export interface MfaDeviceView {
  userName?: string;
  serialNumber: string;
  enableDate: Date;
}

const invalidCode = () => new IamError("InvalidAuthenticationCode", "Authentication code for device is not valid.");
const noSuchDevice = (serial: string) => noSuchEntity(`VirtualMFADevice with serial number ${serial} doesn't exist.`);
const invalidForUser = () => noSuchEntity("MFA Device invalid for user.");

export async function requireDevice(tx: Tx, accountId: string, serialNumber: string) {
  const device = await tx.mfaDevice.findFirst({ where: { serialNumber, accountId } });
  if (!device) throw noSuchDevice(serialNumber);
  return device;
}

/** The owner the device is (to be) assigned to, and how its devices are found. */
async function ownerOf(tx: Tx, principal: Principal, target: SelfTarget, lock = false) {
  const owner = await resolveOwner(tx, principal, target, lock);
  return { ...owner, where: owner.userId ? { userId: owner.userId } : { forRoot: true } };
}

export function createVirtualMfaDevice(principal: Principal, input: CreateVirtualMfaDeviceInput): OperationSpec<NewVirtualMfaDevice> {
  const serialNumber = mfaArn(principal.accountId, input.path, input.virtualMFADeviceName);
  return {
    service: "iam",
    name: "CreateVirtualMFADevice",
    readOnly: false,
    resource: { arn: serialNumber },
    context: requestTagContext(input.tags),
    parameters: input,
    async run({ tx, authorize }) {
      if (input.tags.length) await authorize("iam:TagMFADevice", { arn: serialNumber }, requestTagContext(input.tags));
      const exists = () => new IamError("EntityAlreadyExists", "MFADevice entity at the same path and name already exists.");
      if (await tx.mfaDevice.findUnique({ where: { serialNumber }, select: { id: true } })) throw exists();
      const seed = newTotpSeed();
      await uniquely(
        tx.mfaDevice.create({
          data: { accountId: principal.accountId, serialNumber, name: input.virtualMFADeviceName, path: input.path, seedCiphertext: encryptSecret(seed) },
        }),
        exists,
      );
      await applyTags(tx, principal.accountId, serialNumber, input.tags, "TagsPerMFADevice");
      const account = await tx.account.findUniqueOrThrow({ where: { id: principal.accountId }, select: { alias: true } });
      const otpauthUri = totpUri(seed, `${input.virtualMFADeviceName}@${account.alias ?? principal.accountId}`);
      const qrCodePng = await QRCode.toDataURL(otpauthUri, { errorCorrectionLevel: "M", margin: 2, width: 240 });
      return { serialNumber, base32StringSeed: seed, otpauthUri, qrCodePng };
    },
    // Only the serial number reaches the audit record.
    response: (d) => ({ virtualMFADevice: { serialNumber: d.serialNumber } }),
  };
}

export function enableMfaDevice(principal: Principal, input: EnableMfaDeviceInput): OperationSpec<MfaDeviceView> {
  const target = selfOrNamed(principal, input.userName);
  return {
    service: "iam",
    name: "EnableMFADevice",
    readOnly: false,
    resource: selfResource(principal, target),
    parameters: { userName: input.userName, serialNumber: input.serialNumber },
    async run({ tx }) {
      const owner = await ownerOf(tx, principal, target, true);
      const device = await requireDevice(tx, principal.accountId, input.serialNumber);
      if (device.userId || device.forRoot || device.enabledAt) throw new IamError("EntityAlreadyExists", "MFA Device is already in use.");
      const count = await tx.mfaDevice.count({ where: { accountId: principal.accountId, ...owner.where, enabledAt: { not: null } } });
      if (count >= MFA_DEVICES_PER_USER) throw limitExceeded("MFADevicesPerUser", MFA_DEVICES_PER_USER);
      const enabledAt = new Date();
      await consumeConsecutiveCodes(
        tx,
        device.id,
        input.authenticationCode1,
        input.authenticationCode2,
        1,
        { userId: owner.userId, forRoot: owner.userId === null, enabledAt },
        invalidCode,
      );
      return { ...(owner.userName ? { userName: owner.userName } : {}), serialNumber: device.serialNumber, enableDate: enabledAt };
    },
  };
}

export function resyncMfaDevice(principal: Principal, input: EnableMfaDeviceInput): OperationSpec<void> {
  const target = selfOrNamed(principal, input.userName);
  return {
    service: "iam",
    name: "ResyncMFADevice",
    readOnly: false,
    resource: selfResource(principal, target),
    parameters: { userName: input.userName, serialNumber: input.serialNumber },
    async run({ tx }) {
      const owner = await ownerOf(tx, principal, target);
      const device = await tx.mfaDevice.findFirst({ where: { serialNumber: input.serialNumber, accountId: principal.accountId, ...owner.where, enabledAt: { not: null } } });
      if (!device) throw invalidForUser();
      await consumeConsecutiveCodes(tx, device.id, input.authenticationCode1, input.authenticationCode2, RESYNC_WINDOW, {}, invalidCode);
    },
  };
}

export function deactivateMfaDevice(principal: Principal, input: DeactivateMfaDeviceInput): OperationSpec<void> {
  const target = selfOrNamed(principal, input.userName);
  return {
    service: "iam",
    name: "DeactivateMFADevice",
    readOnly: false,
    resource: selfResource(principal, target),
    parameters: input,
    async run({ tx }) {
      const owner = await ownerOf(tx, principal, target);
      // The last accepted step stays recorded: codes used before are not accepted again.
      const { count } = await tx.mfaDevice.updateMany({
        where: { serialNumber: input.serialNumber, accountId: principal.accountId, ...owner.where },
        data: { userId: null, forRoot: false, enabledAt: null },
      });
      if (count === 0) throw invalidForUser();
      // Sessions signed in with (or able to fall back on) the device end with it.
      await endConsoleSessions(tx, owner.userId ? { userId: owner.userId } : { rootOf: principal.accountId }, "MfaDeactivated");
    },
  };
}

export function deleteVirtualMfaDevice(principal: Principal, input: SerialNumberInput): OperationSpec<void> {
  return {
    service: "iam",
    name: "DeleteVirtualMFADevice",
    readOnly: false,
    resource: { arn: input.serialNumber },
    parameters: input,
    async run({ tx }) {
      const device = await requireDevice(tx, principal.accountId, input.serialNumber);
      if (device.userId || device.forRoot || device.enabledAt) throw new IamError("DeleteConflict", "MFA VirtualDevice in use. Must deactivate first.");
      await tx.tag.deleteMany({ where: { resourceArn: device.serialNumber } });
      await tx.mfaDevice.delete({ where: { id: device.id } });
    },
  };
}

export function listMfaDevices(principal: Principal, input: OptionalUserInput): OperationSpec<{ mfaDevices: MfaDeviceView[] }> {
  const target = selfOrNamed(principal, input.userName);
  return {
    service: "iam",
    name: "ListMFADevices",
    readOnly: true,
    resource: selfResource(principal, target),
    parameters: input,
    async run({ tx }) {
      const owner = await ownerOf(tx, principal, target);
      const devices = await tx.mfaDevice.findMany({
        where: { accountId: principal.accountId, ...owner.where, enabledAt: { not: null } },
        orderBy: { enabledAt: "asc" },
      });
      return {
        mfaDevices: devices.map((d) => ({ ...(owner.userName ? { userName: owner.userName } : {}), serialNumber: d.serialNumber, enableDate: d.enabledAt! })),
      };
    },
  };
}

/**
 * GetMFADevice: one device the user (or, without UserName, the caller) has
 * enabled. A device that exists but is not theirs is NoSuchEntity too.
 */
export function getMfaDevice(principal: Principal, input: GetMfaDeviceInput): OperationSpec<MfaDeviceView> {
  const target = selfOrNamed(principal, input.userName);
  return {
    service: "iam",
    name: "GetMFADevice",
    readOnly: true,
    resource: selfResource(principal, target),
    parameters: input,
    async run({ tx }) {
      const owner = await ownerOf(tx, principal, target);
      const device = await tx.mfaDevice.findFirst({ where: { serialNumber: input.serialNumber, accountId: principal.accountId, ...owner.where, enabledAt: { not: null } } });
      if (!device) throw noSuchDevice(input.serialNumber);
      return { ...(owner.userName ? { userName: owner.userName } : {}), serialNumber: device.serialNumber, enableDate: device.enabledAt! };
    },
  };
}

export interface VirtualMfaDeviceView {
  serialNumber: string;
  assigned: boolean;
  userName?: string;
  forRoot: boolean;
  enableDate?: Date;
}

export function listVirtualMfaDevices(principal: Principal, input: ListVirtualMfaDevicesInput): OperationSpec<{ virtualMFADevices: VirtualMfaDeviceView[] }> {
  return {
    service: "iam",
    name: "ListVirtualMFADevices",
    readOnly: true,
    resource: { arn: "*" },
    parameters: input,
    async run({ tx }) {
      const assigned = { enabledAt: { not: null } };
      const devices = await tx.mfaDevice.findMany({
        where: {
          accountId: principal.accountId,
          ...(input.assignmentStatus === "Assigned" ? assigned : input.assignmentStatus === "Unassigned" ? { enabledAt: null } : {}),
        },
        include: { user: { select: { name: true } } },
        orderBy: { serialNumber: "asc" },
      });
      return {
        virtualMFADevices: devices.map((d) => ({
          serialNumber: d.serialNumber,
          assigned: d.enabledAt !== null,
          forRoot: d.forRoot,
          ...(d.user ? { userName: d.user.name } : {}),
          ...(d.enabledAt ? { enableDate: d.enabledAt } : {}),
        })),
      };
    },
  };
}
