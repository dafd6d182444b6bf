import "server-only";
// Who may do what with labs, asked of THE gate like any other request:
//   iamlab:StartSandbox   on arn:aws:iamlab:::lab/LAB_ID   start a sandbox for oneself
//   iamlab:ManageClasses  on arn:aws:iamlab:::class/*      the instructor view: classes of
//                                                         N sandboxes, everyone's progress,
//                                                         reset and delete any sandbox of
//                                                         the organization's classes
// AdministratorAccess ("*") grants both, PowerUserAccess the first; an
// installation's instructor is its demo organization's admin (README). The one
// who started a sandbox may always see, reset and delete it; a learner signed
// in to a sandbox sees its progress. Each change is audited in the caller's
// organization, in the change's own transaction.
import crypto from "node:crypto";
import { db, type Tx } from "@/lib/db/client";
import { hashPassword } from "@/lib/crypto/passwords";
import { recordAudit } from "@/lib/audit/record";
import { assertAuthorized, authorize } from "@/lib/iam/authorize";
import { IamError, noSuchEntity } from "@/lib/iam/errors";
import { principalArnKey, type Principal, type RequestInfo } from "@/lib/iam/principal";
import { findLab } from "./catalogue";
import type { Lab } from "./schema";
import type { AuthorizationDetails } from "@/lib/iam/services/authorization-details";
import { exportAccount } from "./export";
import { deleteSandbox, isImported, newLearnerPassword, resetSandbox, startSandboxIn, tearDownOrganization, type SandboxRow, type StartedSandbox } from "./sandboxes";

export const START_SANDBOX = "iamlab:StartSandbox";
export const MANAGE_CLASSES = "iamlab:ManageClasses";
export const labArn = (labId: string) => `arn:aws:iamlab:::lab/${labId}`;
export const CLASSES_ARN = "arn:aws:iamlab:::class/*";
/** The most sandboxes one class may hold. */
export const MAX_CLASS_SIZE = 200;

export interface Caller {
  principal: Principal;
  request: RequestInfo;
}

const asTx = () => db() as unknown as Tx;

export function labOrThrow(labId: string): Lab {
  const lab = findLab(labId);
  if (!lab) throw noSuchEntity(`The lab ${labId} does not exist.`);
  return lab;
}

/** Whether the caller may run the instructor view (no audit: a question, not a call). */
export async function canManageClasses(caller: Caller): Promise<boolean> {
  return (await authorize(asTx(), { ...caller, action: MANAGE_CLASSES, resource: { arn: CLASSES_ARN } })).allowed;
}

async function audit(tx: Tx, caller: Caller, eventName: string, parameters: Record<string, unknown>, resource: string) {
  await recordAudit(tx, { principal: caller.principal, request: caller.request, eventSource: "labs.iamlab.local", eventName, readOnly: false, requestParameters: parameters, resources: [{ ARN: resource }] });
}

async function hashesFor(password: string) {
  const [learnerPasswordHash, rootPasswordHash] = await Promise.all([hashPassword(password), hashPassword(crypto.randomBytes(32).toString("base64"))]);
  return { learnerPasswordHash, rootPasswordHash };
}

/** Starts a sandbox of the lab for the caller. */
export async function startOwnSandbox(caller: Caller, labId: string): Promise<StartedSandbox> {
  const lab = labOrThrow(labId);
  const password = newLearnerPassword();
  const hashes = await hashesFor(password);
  return db().$transaction(
    async (tx) => {
      await assertAuthorized(tx, { ...caller, action: START_SANDBOX, resource: { arn: labArn(lab.id) } });
      const started = await startSandboxIn(tx, lab, { ownerArn: principalArnKey(caller.principal), ownerOrganizationId: caller.principal.organizationId }, hashes, password);
      await audit(tx, caller, "StartSandbox", { labId: lab.id, sandboxId: started.sandbox.id }, labArn(lab.id));
      return started;
    },
    { maxWait: 15_000, timeout: 60_000 },
  );
}

export interface LabClassRow {
  id: string;
  labId: string;
  name: string;
  createdAt: Date;
  sandboxes: SandboxRow[];
}

/** Creates a class of `size` sandboxes of the lab, one transaction. */
export async function createClass(caller: Caller, input: { labId: string; name: string; size: number; labels?: string[] }): Promise<LabClassRow> {
  const lab = labOrThrow(input.labId);
  if (!Number.isInteger(input.size) || input.size < 1 || input.size > MAX_CLASS_SIZE) throw new IamError("ValidationError", `A class holds 1 to ${MAX_CLASS_SIZE} sandboxes.`);
  const name = input.name.trim();
  if (!name || name.length > 100) throw new IamError("ValidationError", "Give the class a name of 1 to 100 characters.");
  // Passwords are hashed before the transaction: argon2 is the slow part.
  const passwords = Array.from({ length: input.size }, () => newLearnerPassword());
  const rootPasswordHash = await hashPassword(crypto.randomBytes(32).toString("base64"));
  const learnerHashes = await Promise.all(passwords.map((p) => hashPassword(p)));
  return db().$transaction(
    async (tx) => {
      await assertAuthorized(tx, { ...caller, action: MANAGE_CLASSES, resource: { arn: CLASSES_ARN } });
      const id = `cls-${crypto.randomBytes(5).toString("hex")}`;
      const cls = await tx.labClass.create({ data: { id, labId: lab.id, name, ownerArn: principalArnKey(caller.principal), ownerOrganizationId: caller.principal.organizationId } });
      const sandboxes: SandboxRow[] = [];
      for (let i = 0; i < input.size; i++) {
        const learner = input.labels?.[i]?.trim() || `Seat ${i + 1}`;
        const started = await startSandboxIn(
          tx,
          lab,
          { ownerArn: cls.ownerArn, ownerOrganizationId: cls.ownerOrganizationId, classId: cls.id, learner },
          { learnerPasswordHash: learnerHashes[i]!, rootPasswordHash },
          passwords[i]!,
        );
        sandboxes.push(started.sandbox);
      }
      await audit(tx, caller, "CreateClass", { labId: lab.id, classId: cls.id, size: input.size }, `arn:aws:iamlab:::class/${cls.id}`);
      return { ...cls, sandboxes };
    },
    { maxWait: 15_000, timeout: 120_000 },
  );
}

export async function listClasses(caller: Caller): Promise<LabClassRow[]> {
  if (!(await canManageClasses(caller))) return [];
  return db().labClass.findMany({
    where: { ownerOrganizationId: caller.principal.organizationId },
    orderBy: { createdAt: "desc" },
    include: { sandboxes: { orderBy: { learner: "asc" } } },
  });
}

/** The caller's own sandboxes (started by them, not in a class). */
export function listOwnSandboxes(caller: Caller): Promise<SandboxRow[]> {
  return db().labSandbox.findMany({ where: { ownerArn: principalArnKey(caller.principal), ownerOrganizationId: caller.principal.organizationId, classId: null }, orderBy: { startedAt: "desc" } });
}

/** The sandbox the caller is signed in to, if any (a learner at work). */
export function sandboxOfCaller(caller: Caller): Promise<SandboxRow | null> {
  return db().labSandbox.findUnique({ where: { organizationId: caller.principal.organizationId } });
}

/**
 * A sandbox the caller may see and manage: their own, one of their
 * organization's classes (with iamlab:ManageClasses), or the one they are signed in to (see only).
 */
export async function sandboxFor(caller: Caller, sandboxId: string, purpose: "view" | "manage"): Promise<SandboxRow> {
  const s = await db().labSandbox.findUnique({ where: { id: sandboxId } });
  const missing = () => noSuchEntity(`The sandbox ${sandboxId} does not exist.`);
  if (!s) throw missing();
  if (purpose === "view" && s.organizationId === caller.principal.organizationId) return s;
  if (s.ownerOrganizationId !== caller.principal.organizationId) throw missing();
  if (!s.classId && s.ownerArn === principalArnKey(caller.principal)) return s;
  await assertAuthorized(asTx(), { ...caller, action: MANAGE_CLASSES, resource: { arn: CLASSES_ARN } });
  return s;
}

export async function resetSandboxAs(caller: Caller, sandboxId: string): Promise<SandboxRow> {
  const s = await sandboxFor(caller, sandboxId, "manage");
  if (isImported(s)) throw new IamError("ValidationError", `The sandbox ${sandboxId} was imported: it has no initial state to reset to. Delete it and import the file again.`);
  return resetSandbox(s, labOrThrow(s.labId), (tx) => audit(tx, caller, "ResetSandbox", { sandboxId }, labArn(s.labId)));
}

export async function deleteSandboxAs(caller: Caller, sandboxId: string): Promise<void> {
  const s = await sandboxFor(caller, sandboxId, "manage");
  await deleteSandbox(s, (tx) => audit(tx, caller, "DeleteSandbox", { sandboxId }, labArn(s.labId)));
}

/** The sandbox's sign-in account as GetAccountAuthorizationDetails gives it, every page (the owner, or an instructor for a class's sandbox). */
export async function exportSandboxAs(caller: Caller, sandboxId: string): Promise<{ sandbox: SandboxRow; details: AuthorizationDetails }> {
  const sandbox = await sandboxFor(caller, sandboxId, "manage");
  return { sandbox, details: await exportAccount(asTx(), sandbox.signInAccountId) };
}

/** Deletes a class with every sandbox in it, one transaction. */
export async function deleteClass(caller: Caller, classId: string): Promise<void> {
  await db().$transaction(
    async (tx) => {
      await assertAuthorized(tx, { ...caller, action: MANAGE_CLASSES, resource: { arn: CLASSES_ARN } });
      const cls = await tx.labClass.findUnique({ where: { id: classId }, include: { sandboxes: { select: { organizationId: true } } } });
      if (!cls || cls.ownerOrganizationId !== caller.principal.organizationId) throw noSuchEntity(`The class ${classId} does not exist.`);
      for (const s of cls.sandboxes) await tearDownOrganization(tx, s.organizationId);
      await tx.labSandbox.deleteMany({ where: { classId } });
      await tx.labClass.delete({ where: { id: classId } });
      await audit(tx, caller, "DeleteClass", { classId }, `arn:aws:iamlab:::class/${classId}`);
    },
    { maxWait: 15_000, timeout: 120_000 },
  );
}
