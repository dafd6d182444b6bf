import "server-only";
// Long-term access keys of IAM users and of the root user. At most two per
// identity, inactive ones included. The secret is shown once: it is in the
// return value of CreateAccessKey only, stored encrypted, never audited.
import type { OperationSpec } from "@/lib/iam/operation";
import { newAccessKeyId, newSecretAccessKey } from "@/lib/crypto/ids";
import { encryptSecret } from "@/lib/crypto/secrets";
import type { Tx } from "@/lib/db/client";
import { noSuchEntity } from "@/lib/iam/errors";
import type { Principal } from "@/lib/iam/principal";
import type { AccessKeyIdInput, AccessKeyInput, OptionalUserInput, UpdateAccessKeyInput } from "@/lib/iam/validation";
import { limitExceeded, resolveOwner, selfOrNamed, selfResource, type SelfTarget } from "./common";

export const ACCESS_KEYS_PER_USER = 2;

export interface AccessKeyMetadata {
  userName?: string;
  accessKeyId: string;
  status: "Active" | "Inactive";
  createDate: Date;
}

export interface NewAccessKey extends AccessKeyMetadata {
  /** Shown once, never stored in the clear, never audited. */
  secretAccessKey: string;
}

const noSuchKey = (id: string) => noSuchEntity(`The Access Key with id ${id} cannot be found.`);

const metadata = (k: { id: string; status: string; createdAt: Date }, userName?: string): AccessKeyMetadata => ({
  ...(userName ? { userName } : {}),
  accessKeyId: k.id,
  status: k.status === "Inactive" ? "Inactive" : "Active",
  createDate: k.createdAt,
});

/** Creates a key and returns its secret; shared with the console's compound operations. */
export async function issueAccessKey(tx: Tx, accountId: string, who: { userId: string | null; userName?: string }): Promise<NewAccessKey> {
  const count = await tx.accessKey.count({ where: { accountId, userId: who.userId } });
  if (count >= ACCESS_KEYS_PER_USER) throw limitExceeded("AccessKeysPerUser", ACCESS_KEYS_PER_USER);
  const secretAccessKey = newSecretAccessKey();
  const key = await tx.accessKey.create({
    data: { id: newAccessKeyId("AKIA"), accountId, userId: who.userId, secretCiphertext: encryptSecret(secretAccessKey) },
  });
  return { ...metadata(key, who.userName), secretAccessKey };
}

export function createAccessKey(principal: Principal, input: OptionalUserInput): OperationSpec<NewAccessKey> {
  const target = selfOrNamed(principal, input.userName);
  return {
    service: "iam",
    name: "CreateAccessKey",
    readOnly: false,
    resource: selfResource(principal, target),
    parameters: { userName: input.userName },
    async run({ tx }) {
      const who = await resolveOwner(tx, principal, target, true);
      return issueAccessKey(tx, principal.accountId, who);
    },
    // The secret stays out of the audit record.
    response: ({ secretAccessKey: _secret, ...key }) => ({ accessKey: key }),
  };
}

export function listAccessKeys(principal: Principal, input: OptionalUserInput): OperationSpec<{ accessKeyMetadata: AccessKeyMetadata[] }> {
  const target = selfOrNamed(principal, input.userName);
  return {
    service: "iam",
    name: "ListAccessKeys",
    readOnly: true,
    resource: selfResource(principal, target),
    parameters: { userName: input.userName },
    async run({ tx }) {
      const who = await resolveOwner(tx, principal, target, false);
      const keys = await tx.accessKey.findMany({ where: { accountId: principal.accountId, userId: who.userId }, orderBy: { createdAt: "asc" } });
      return { accessKeyMetadata: keys.map((k) => metadata(k, who.userName)) };
    },
  };
}

async function requireKey(tx: Tx, principal: Principal, target: SelfTarget, accessKeyId: string) {
  const who = await resolveOwner(tx, principal, target, false);
  const key = await tx.accessKey.findFirst({ where: { id: accessKeyId, accountId: principal.accountId, userId: who.userId } });
  if (!key) throw noSuchKey(accessKeyId);
  return { key, who };
}

export function updateAccessKey(principal: Principal, input: UpdateAccessKeyInput): OperationSpec<AccessKeyMetadata> {
  const target = selfOrNamed(principal, input.userName);
  return {
    service: "iam",
    name: "UpdateAccessKey",
    readOnly: false,
    resource: selfResource(principal, target),
    parameters: { userName: input.userName, accessKeyId: input.accessKeyId, status: input.status },
    async run({ tx }) {
      const { key, who } = await requireKey(tx, principal, target, input.accessKeyId);
      const updated = await tx.accessKey.update({ where: { id: key.id }, data: { status: input.status } });
      return metadata(updated, who.userName);
    },
  };
}

export function deleteAccessKey(principal: Principal, input: AccessKeyInput): OperationSpec<void> {
  const target = selfOrNamed(principal, input.userName);
  return {
    service: "iam",
    name: "DeleteAccessKey",
    readOnly: false,
    resource: selfResource(principal, target),
    parameters: { userName: input.userName, accessKeyId: input.accessKeyId },
    async run({ tx }) {
      const { key } = await requireKey(tx, principal, target, input.accessKeyId);
      await tx.accessKey.delete({ where: { id: key.id } });
    },
  };
}

export interface AccessKeyLastUsed {
  userName?: string;
  accessKeyLastUsed: { lastUsedDate?: Date; serviceName: string; region: string };
}

export function getAccessKeyLastUsed(principal: Principal, input: AccessKeyIdInput): OperationSpec<AccessKeyLastUsed> {
  return {
    service: "iam",
    name: "GetAccessKeyLastUsed",
    readOnly: true,
    resource: async (tx) => {
      const key = await tx.accessKey.findFirst({ where: { id: input.accessKeyId, accountId: principal.accountId }, select: { user: { select: { arn: true } }, userId: true } });
      if (!key) return { arn: "*" };
      return { arn: key.user?.arn ?? `arn:aws:iam::${principal.accountId}:root` };
    },
    parameters: { accessKeyId: input.accessKeyId },
    async run({ tx }) {
      const key = await tx.accessKey.findFirst({ where: { id: input.accessKeyId, accountId: principal.accountId }, include: { user: { select: { name: true } } } });
      if (!key) throw noSuchKey(input.accessKeyId);
      return {
        ...(key.user ? { userName: key.user.name } : {}),
        accessKeyLastUsed: {
          ...(key.lastUsedAt ? { lastUsedDate: key.lastUsedAt } : {}),
          serviceName: key.lastUsedService ?? "N/A",
          region: key.lastUsedRegion ?? "N/A",
        },
      };
    },
  };
}
