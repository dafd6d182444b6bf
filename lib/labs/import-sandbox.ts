import "server-only";
// An instructor's import: the output of `aws iam get-account-authorization-details`
// becomes a new sandbox (an organization with one account of its own), so a
// team can explore its real account's permissions safely. Gated by
// iamlab:ManageClasses like the instructor view; the report of what was and was
// not imported comes back with the sandbox's sign-in details. Nothing in the
// file signs in (no credentials are imported): the sandbox gets one user of its
// own, lab-explorer, with a console password and AdministratorAccess, added
// beside the imported users, under a name the file does not use.
import { db, type Tx } from "@/lib/db/client";
import { hashPassword } from "@/lib/crypto/passwords";
import { encryptSecret } from "@/lib/crypto/secrets";
import { newUniqueId } from "@/lib/crypto/ids";
import { recordAudit } from "@/lib/audit/record";
import { assertAuthorized } from "@/lib/iam/authorize";
import { userArn } from "@/lib/iam/arn";
import { IamError, noSuchEntity } from "@/lib/iam/errors";
import { principalArnKey } from "@/lib/iam/principal";
import { importAuthorizationDetails, type ImportReport } from "./import";
import { CLASSES_ARN, MANAGE_CLASSES, type Caller } from "./manage";
import { createEmptyAccount, IMPORTED_LAB_ID, newLearnerPassword } from "./sandboxes";

const ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess";
const LIST_KEYS = ["UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"] as const;

export interface ImportedSandbox {
  report: ImportReport;
  /** Absent when nothing in the file could be imported: no sandbox is made then. */
  sandbox?: { id: string; accountId: string; userName: string; password: string };
}

/** Nothing importable: the transaction is rolled back, the report still goes back. */
class NothingImported extends Error {
  constructor(readonly report: ImportReport) {
    super("nothing imported");
  }
}

/** The sign-in user's name: lab-explorer, or lab-explorer-2, -3, ... when the file has users of that name. */
export function explorerName(file: unknown): string {
  const users = (file as { UserDetailList?: unknown })?.UserDetailList;
  const taken = new Set(Array.isArray(users) ? users.map((u) => String((u as { UserName?: unknown })?.UserName ?? "").toLowerCase()) : []);
  let name = "lab-explorer";
  for (let i = 2; taken.has(name); i++) name = `lab-explorer-${i}`;
  return name;
}

/** Parses the uploaded or pasted text; a file that is not JSON is refused with where it broke. */
export function parseImportFile(text: string): unknown {
  if (!text.trim()) throw new IamError("ValidationError", "Choose a file or paste the JSON that aws iam get-account-authorization-details printed.");
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new IamError("ValidationError", `The file is not JSON (${(err as Error).message}). Save the output of aws iam get-account-authorization-details --output json as it is.`);
  }
}

async function addExplorer(tx: Tx, accountId: string, name: string, passwordHash: string): Promise<void> {
  const admin = await tx.managedPolicy.findUnique({ where: { arn: ADMINISTRATOR_ACCESS }, select: { id: true } });
  if (!admin) throw noSuchEntity(`Policy ${ADMINISTRATOR_ACCESS} does not exist in this installation: the sandbox's sign-in user needs it.`);
  const id = newUniqueId("AIDA");
  await tx.iamUser.create({
    data: { id, accountId, name, nameLower: name, path: "/", arn: userArn(accountId, "/", name), loginProfile: { create: { passwordHash, passwordResetRequired: false } } },
  });
  await tx.policyAttachment.create({ data: { accountId, policyId: admin.id, userId: id } });
}

/**
 * Imports `file` (parsed JSON) into a new sandbox owned by the caller. A file
 * with nothing importable makes no sandbox; its report says why.
 */
export async function importSandbox(caller: Caller, file: unknown, label = ""): Promise<ImportedSandbox> {
  if (!file || typeof file !== "object" || Array.isArray(file) || !LIST_KEYS.some((k) => k in file)) {
    throw new IamError("ValidationError", `This is not the output of aws iam get-account-authorization-details: it has none of ${LIST_KEYS.join(", ")}.`);
  }
  const password = newLearnerPassword();
  const passwordHash = await hashPassword(password); // argon2 before the transaction: it is the slow part
  const userName = explorerName(file);
  try {
    return await db().$transaction(
      async (tx) => {
        await assertAuthorized(tx, { ...caller, action: MANAGE_CLASSES, resource: { arn: CLASSES_ARN } });
        const target = await createEmptyAccount(tx, label.trim() || "Imported account");
        const report = await importAuthorizationDetails(tx, target.accountId, file);
        if (Object.values(report.imported).every((n) => n === 0)) throw new NothingImported(report);
        await addExplorer(tx, target.accountId, userName, passwordHash);
        await tx.labSandbox.create({
          data: {
            id: target.sandboxId,
            labId: IMPORTED_LAB_ID,
            organizationId: target.organizationId,
            ownerArn: principalArnKey(caller.principal),
            ownerOrganizationId: caller.principal.organizationId,
            learner: label.trim() || (report.sourceAccountId ? `Import of ${report.sourceAccountId}` : "Import"),
            signInAccountId: target.accountId,
            signInUserName: userName,
            passwordCiphertext: encryptSecret(password),
          },
        });
        await recordAudit(tx, {
          principal: caller.principal,
          request: caller.request,
          eventSource: "labs.iamlab.local",
          eventName: "ImportSandbox",
          readOnly: false,
          requestParameters: { sandboxId: target.sandboxId, sourceAccountId: report.sourceAccountId ?? null, imported: report.imported, skipped: report.skipped.length },
          resources: [{ ARN: CLASSES_ARN }],
        });
        return { report, sandbox: { id: target.sandboxId, accountId: target.accountId, userName, password } };
      },
      { maxWait: 15_000, timeout: 300_000 },
    );
  } catch (err) {
    if (err instanceof NothingImported) return { report: err.report };
    throw err;
  }
}
