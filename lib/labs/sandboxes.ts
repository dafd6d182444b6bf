import "server-only";
// Sandboxes: a lab's initial state built as a fresh organization with its own
// accounts, so none can see or touch another (the gate refuses cross-account
// requests without a resource policy, and no sandbox's policies name another's
// accounts). Start, reset (tear down and build again under the same IDs, so the
// learner's sign-in details stay valid) and delete (every row it owned).
import crypto from "node:crypto";
import type { Tx } from "@/lib/db/client";
import { db } from "@/lib/db/client";
import { hashPassword } from "@/lib/crypto/passwords";
import { releaseBlobs } from "@/lib/s3/blob-store";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secrets";
import { buildSandboxState, sandboxRootEmail, type SandboxIdentity } from "./build-state";
import type { Lab } from "./schema";
import { fill } from "./template";

export type SandboxRow = NonNullable<Awaited<ReturnType<Db["labSandbox"]["findUnique"]>>>;
type Db = ReturnType<typeof db>;

/** The labId of a sandbox made by an import (lib/labs/import-sandbox.ts): no lab file, so no tasks and no initial state to reset to. */
export const IMPORTED_LAB_ID = "imported";
export const isImported = (sandbox: Pick<SandboxRow, "labId">) => sandbox.labId === IMPORTED_LAB_ID;

const ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
function randomFrom(alphabet: string, n: number): string {
  const bytes = crypto.randomBytes(n);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}

/** A learner password that meets AWS's default and the demo's password policies. */
export function newLearnerPassword(): string {
  return `Lab-${randomFrom("ABCDEFGHJKLMNPQRSTUVWXYZ", 4)}${randomFrom("abcdefghijkmnpqrstuvwxyz", 4)}${randomFrom("23456789", 4)}!`;
}

let rootHash: Promise<string> | undefined;
/** The sandbox root users' password: random, never shown, so nobody can sign in as root. */
const unusableRootHash = () => (rootHash ??= hashPassword(crypto.randomBytes(32).toString("base64")));

/** Fresh, unused IDs for a sandbox of `lab`: the sandbox, its organization and root, and 12-digit account IDs. */
async function newIdentity(tx: Tx, lab: Lab): Promise<SandboxIdentity> {
  for (;;) {
    const sandboxId = randomFrom(ALNUM.slice(0, 26), 1) + randomFrom(ALNUM, 7);
    const accounts = Object.fromEntries(lab.initialState.accounts.map((a) => [a.key, String(100000000000 + crypto.randomInt(899999999999))]));
    const clash = await Promise.all([
      tx.labSandbox.count({ where: { id: sandboxId } }),
      tx.organization.count({ where: { id: `o-lab${sandboxId}` } }),
      tx.account.count({ where: { id: { in: Object.values(accounts) } } }),
    ]);
    if (new Set(Object.values(accounts)).size === lab.initialState.accounts.length && clash.every((n) => n === 0)) {
      return { sandboxId, organizationId: `o-lab${sandboxId}`, rootId: `r-${sandboxId}`, accounts };
    }
  }
}

export interface StartedSandbox {
  sandbox: SandboxRow;
  /** The learner's sign-in details. */
  accountId: string;
  userName: string;
  password: string;
}

export interface StartOptions {
  ownerArn: string;
  ownerOrganizationId: string;
  classId?: string;
  learner?: string;
}

/** Builds a sandbox of `lab` in the caller's transaction. */
export async function startSandboxIn(tx: Tx, lab: Lab, options: StartOptions, hashes: { learnerPasswordHash: string; rootPasswordHash: string }, password: string): Promise<StartedSandbox> {
  const ids = await newIdentity(tx, lab);
  const now = new Date();
  await buildSandboxState(tx, fill(lab.initialState, ids), ids, hashes, now);
  const sandbox = await tx.labSandbox.create({
    data: {
      id: ids.sandboxId,
      labId: lab.id,
      organizationId: ids.organizationId,
      classId: options.classId ?? null,
      ownerArn: options.ownerArn,
      ownerOrganizationId: options.ownerOrganizationId,
      learner: options.learner ?? "",
      signInAccountId: ids.accounts[lab.learner.account]!,
      signInUserName: lab.learner.user,
      passwordCiphertext: encryptSecret(password),
      startedAt: now,
    },
  });
  return { sandbox, accountId: sandbox.signInAccountId, userName: sandbox.signInUserName, password };
}

/** Starts one sandbox in its own transaction. */
export async function startSandbox(lab: Lab, options: StartOptions): Promise<StartedSandbox> {
  const password = newLearnerPassword();
  const hashes = { learnerPasswordHash: await hashPassword(password), rootPasswordHash: await unusableRootHash() };
  return db().$transaction((tx) => startSandboxIn(tx, lab, options, hashes, password), { maxWait: 15_000, timeout: 60_000 });
}

/** The sandbox's accounts, as built: the lab's keys mapped to the IDs they got. */
export async function sandboxAccounts(tx: Tx | Db, sandbox: Pick<SandboxRow, "id" | "organizationId">, lab: Lab): Promise<Record<string, string>> {
  const rows = await tx.account.findMany({ where: { organizationId: sandbox.organizationId }, select: { id: true, rootEmail: true } });
  const out: Record<string, string> = {};
  for (const a of lab.initialState.accounts) {
    const row = rows.find((r) => r.rootEmail === sandboxRootEmail(sandbox.id, a.key));
    if (row) out[a.key] = row.id;
  }
  return out;
}

/** Removes every row of the sandbox's organization (the sandbox row itself stays). */
export async function tearDownOrganization(tx: Tx, organizationId: string): Promise<void> {
  const accounts = (await tx.account.findMany({ where: { organizationId }, select: { id: true } })).map((a) => a.id);
  if (accounts.length) {
    const devices = (await tx.mfaDevice.findMany({ where: { accountId: { in: accounts } }, select: { id: true } })).map((d) => d.id);
    // Attachments and boundaries hold their policies (onDelete Restrict): they go first.
    await tx.policyAttachment.deleteMany({ where: { accountId: { in: accounts } } });
    await tx.iamUser.updateMany({ where: { accountId: { in: accounts }, permissionsBoundaryPolicyId: { not: null } }, data: { permissionsBoundaryPolicyId: null } });
    await tx.role.updateMany({ where: { accountId: { in: accounts }, permissionsBoundaryPolicyId: { not: null } }, data: { permissionsBoundaryPolicyId: null } });
    // Sign-in throttles name identities by account, ARN or device.
    await tx.signInThrottle.deleteMany({
      where: {
        OR: [
          ...accounts.flatMap((a) => [{ key: { startsWith: `id:${a}/` } }, { key: { startsWith: `mfa-owner:arn:aws:iam::${a}:` } }]),
          ...(devices.length ? [{ key: { in: devices.map((d) => `mfa-device:${d}`) } }] : []),
        ],
      },
    });
  }
  // Object bodies and multipart parts in the blob store: released once no row refers to them (after this commits).
  const buckets = { bucket: { organizationId } };
  const [objects, manifests, parts] = await Promise.all([
    tx.s3Object.findMany({ where: { ...buckets, blobId: { not: null } }, select: { blobId: true } }),
    tx.s3ObjectPart.findMany({ where: { object: buckets }, select: { blobId: true } }),
    tx.multipartPart.findMany({ where: { upload: buckets }, select: { blobId: true } }),
  ]);
  // The rest cascades from the organization: accounts and everything in them, buckets and objects, SCPs, audit events.
  await tx.organization.deleteMany({ where: { id: organizationId } });
  releaseBlobs([...objects, ...manifests, ...parts].map((o) => o.blobId));
}

/** Back to the lab's initial state, under the same organization, account IDs, user and password. */
export async function resetSandbox(sandbox: SandboxRow, lab: Lab, alsoInTransaction?: (tx: Tx) => Promise<void>): Promise<SandboxRow> {
  const password = decryptSecret(sandbox.passwordCiphertext);
  const hashes = { learnerPasswordHash: await hashPassword(password), rootPasswordHash: await unusableRootHash() };
  return db().$transaction(
    async (tx) => {
      const accounts = await sandboxAccounts(tx, sandbox, lab);
      await tearDownOrganization(tx, sandbox.organizationId);
      const ids: SandboxIdentity = { sandboxId: sandbox.id, organizationId: sandbox.organizationId, rootId: `r-${sandbox.id}`, accounts };
      const now = new Date();
      await buildSandboxState(tx, fill(lab.initialState, ids), ids, hashes, now);
      await alsoInTransaction?.(tx);
      return tx.labSandbox.update({ where: { id: sandbox.id }, data: { startedAt: now, completedAt: null, progress: "{}" } });
    },
    { maxWait: 15_000, timeout: 60_000 },
  );
}

/** Deletes the sandbox and everything it owned. */
export async function deleteSandbox(sandbox: Pick<SandboxRow, "id" | "organizationId">, alsoInTransaction?: (tx: Tx) => Promise<void>): Promise<void> {
  await db().$transaction(
    async (tx) => {
      await tearDownOrganization(tx, sandbox.organizationId);
      await alsoInTransaction?.(tx);
      await tx.labSandbox.delete({ where: { id: sandbox.id } });
    },
    { maxWait: 15_000, timeout: 60_000 },
  );
}

export const sandboxPassword = (sandbox: Pick<SandboxRow, "passwordCiphertext">) => decryptSecret(sandbox.passwordCiphertext);

/** A new organization with one empty account (no users, no credentials), for an import. Returns the account ID. */
export async function createEmptyAccount(tx: Tx, name = "imported"): Promise<{ organizationId: string; accountId: string; sandboxId: string }> {
  const lab = { initialState: { accounts: [{ key: "imported", name }] } } as unknown as Lab;
  const ids = await newIdentity(tx, lab);
  const state = { accounts: [{ key: "imported", name }], policies: [], users: [], groups: [], roles: [], buckets: [], scps: [], events: [] };
  await buildSandboxState(tx, state, ids, { learnerPasswordHash: "", rootPasswordHash: await unusableRootHash() });
  return { organizationId: ids.organizationId, accountId: ids.accounts.imported!, sandboxId: ids.sandboxId };
}
