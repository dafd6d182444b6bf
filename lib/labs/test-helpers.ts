import "server-only";
// Helpers for the labs' integration tests: start a sandbox, act in it as one of
// its users or roles, and call catalogue operations the way both doors do.
import type { z } from "zod";
import { db } from "@/lib/db/client";
import type { CatalogueOperation } from "@/lib/iam/catalogue";
import { runOperation } from "@/lib/iam/operation";
import type { Principal, RolePrincipal, UserPrincipal } from "@/lib/iam/principal";
import { testRequest } from "@/lib/testing/principals";
import { findLab } from "./catalogue";
import { sandboxProgress } from "./checks";
import { classProgress } from "./remembered-progress";
import { sandboxAccounts, startSandbox, type SandboxRow } from "./sandboxes";

export interface TestSandbox {
  sandbox: SandboxRow;
  accounts: Record<string, string>;
  /** The sandbox as it is now (startedAt changes on reset). */
  reload(): Promise<SandboxRow>;
  user(name: string, account?: string, options?: { mfa?: boolean; accessKeyId?: string }): Promise<UserPrincipal>;
  /**
   * The progress: every check's title mapped to passed. Also asks the instructor's table (the remembered
   * progress) and throws when it says anything else: every test step is a test that it is never stale.
   */
  checks(): Promise<Record<string, boolean>>;
}

export async function startTestSandbox(labId: string): Promise<TestSandbox> {
  const lab = findLab(labId);
  if (!lab) throw new Error(`no lab ${labId}`);
  const started = await startSandbox(lab, { ownerArn: "arn:aws:iam::111122223333:user/admin", ownerOrganizationId: "o-examplecorp" });
  const sandbox = started.sandbox;
  const accounts = await sandboxAccounts(db(), sandbox, lab);
  const reload = () => db().labSandbox.findUniqueOrThrow({ where: { id: sandbox.id } });
  return {
    sandbox,
    accounts,
    reload,
    async user(name, account = lab.learner.account, options = {}) {
      const accountId = accounts[account]!;
      const u = await db().iamUser.findUniqueOrThrow({ where: { accountId_nameLower: { accountId, nameLower: name.toLowerCase() } } });
      const now = new Date();
      return {
        type: "IAMUser",
        organizationId: sandbox.organizationId,
        accountId,
        arn: u.arn,
        principalId: u.id,
        userId: u.id,
        userName: u.name,
        mfaAuthenticated: !!options.mfa,
        mfaAuthenticatedAt: options.mfa ? now : undefined,
        tokenIssuedAt: now,
        accessKeyId: options.accessKeyId,
      };
    },
    async checks() {
      const row = await reload();
      const shown = (await classProgress([row], lab)).progress.get(row.id)!;
      const progress = await sandboxProgress(row, lab);
      const fresh = { passed: progress.passed, tasks: progress.tasks.map((t) => ({ id: t.id, done: t.done })) };
      if (JSON.stringify({ passed: shown.passed, tasks: shown.tasks }) !== JSON.stringify(fresh)) {
        throw new Error(`the instructor's table shows ${JSON.stringify(shown)}, the checks say ${JSON.stringify(fresh)}`);
      }
      return Object.fromEntries(progress.tasks.flatMap((t) => t.checks.map((c) => [c.title, c.passed])));
    },
  };
}

/** Calls a catalogue operation with AWS's parameters, through the real pipeline. */
export function call<S extends z.ZodType, T>(principal: Principal, op: CatalogueOperation<S, T>, raw: z.input<S>): Promise<T> {
  return runOperation({ ...op.operation(op.input.parse(raw), principal), principal, request: testRequest() });
}

/** A role session of `roleArn`, as STS's AssumeRole gives it (the session row is real). */
export async function asRoleSession(source: Principal, credentials: { AssumedRoleUser: { Arn: string } }, roleArn: string): Promise<RolePrincipal> {
  const s = await db().roleSession.findFirstOrThrow({ where: { arn: credentials.AssumedRoleUser.Arn }, orderBy: { issuedAt: "desc" }, include: { role: true } });
  return {
    type: "AssumedRole",
    organizationId: source.organizationId,
    accountId: s.accountId,
    arn: s.arn,
    principalId: `${s.roleId}:${s.sessionName}`,
    roleId: s.roleId!,
    roleName: s.role!.name,
    roleArn,
    sessionId: s.id,
    sessionName: s.sessionName!,
    expiresAt: s.expiresAt,
    sourceArn: source.arn,
    sourceAccountId: source.accountId,
    mfaAuthenticated: s.mfaAuthenticated,
    mfaAuthenticatedAt: s.mfaAuthenticatedAt ?? undefined,
    tokenIssuedAt: s.issuedAt,
    accessKeyId: s.accessKeyId,
  };
}
