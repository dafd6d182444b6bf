// An instructor's import into a new sandbox, called directly (the server is the
// gate): iamlab:ManageClasses decides, the report says what was and was not
// imported, the sandbox's own sign-in user works, nothing importable makes no
// sandbox, and the download (as the CLI prints it) imports back to the same.
import { describe, expect, it } from "vitest";
import { db, type Tx } from "@/lib/db/client";
import { verifyPassword } from "@/lib/crypto/passwords";
import { IAM } from "@/lib/iam/catalogue";
import type { AuthorizationDetails } from "@/lib/iam/services/authorization-details";
import { asUser, DEV, testRequest } from "@/lib/testing/principals";
import { cliJson, exportAccount, normalizedExport } from "./export";
import { explorerName, importSandbox, parseImportFile } from "./import-sandbox";
import { deleteSandboxAs, exportSandboxAs, resetSandboxAs } from "./manage";
import { sandboxPassword } from "./sandboxes";
import { call } from "./test-helpers";

const tx = () => db() as unknown as Tx;
const as = async (name: string) => ({ principal: await asUser(name), request: testRequest() });
const doc = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:ListBucket", Resource: "*" }] };
const small = {
  UserDetailList: [
    { UserName: "dana", Path: "/", Arn: "arn:aws:iam::444455556666:user/dana", GroupList: ["readers"], UserPolicyList: [{ PolicyName: "list", PolicyDocument: doc }] },
    { UserName: "bad name!", Path: "/" },
  ],
  GroupDetailList: [{ GroupName: "readers", Path: "/", AttachedManagedPolicies: [{ PolicyName: "Gone", PolicyArn: "arn:aws:iam::444455556666:policy/Gone" }] }],
};

describe("import into a new sandbox", () => {
  it("imports for an instructor: the report, the users, and a sign-in user of the sandbox's own", async () => {
    const admin = await as("admin");
    const before = await db().auditEvent.count({ where: { eventName: "ImportSandbox" } });
    const out = await importSandbox(admin, small, "Team A");
    expect(out.report.imported).toEqual({ users: 1, groups: 1, roles: 0, policies: 0, instanceProfiles: 0 });
    expect(out.report.sourceAccountId).toBe("444455556666");
    expect(out.report.skipped.map((s) => `${s.kind} ${s.name}`)).toEqual(["Attachment arn:aws:iam::444455556666:policy/Gone on group readers", "User bad name!"]);
    const sandbox = out.sandbox!;
    const row = await db().labSandbox.findUniqueOrThrow({ where: { id: sandbox.id } });
    expect(row).toMatchObject({ labId: "imported", learner: "Team A", signInAccountId: sandbox.accountId, signInUserName: "lab-explorer", classId: null, ownerArn: admin.principal.arn });
    expect(sandboxPassword(row)).toBe(sandbox.password);
    const users = await db().iamUser.findMany({ where: { accountId: sandbox.accountId }, include: { loginProfile: true, attachments: { include: { policy: true } }, memberships: { include: { group: true } } }, orderBy: { name: "asc" } });
    expect(users.map((u) => u.name)).toEqual(["dana", "lab-explorer"]);
    expect(users[0]!.loginProfile).toBeNull();
    expect(users[0]!.memberships.map((m) => m.group.name)).toEqual(["readers"]);
    expect(await verifyPassword(users[1]!.loginProfile!.passwordHash, sandbox.password)).toBe(true);
    expect(users[1]!.attachments.map((a) => a.policy.arn)).toEqual(["arn:aws:iam::aws:policy/AdministratorAccess"]);
    expect(await db().auditEvent.count({ where: { eventName: "ImportSandbox" } })).toBe(before + 1);

    // The sandbox's user sees the imported users through the same operations as the console.
    const explorer = { type: "IAMUser" as const, organizationId: row.organizationId, accountId: sandbox.accountId, arn: users[1]!.arn, principalId: users[1]!.id, userId: users[1]!.id, userName: "lab-explorer", mfaAuthenticated: false, tokenIssuedAt: new Date() };
    const listed = await call(explorer, IAM.ListUsers, {});
    expect(listed.Users.map((u) => u.UserName).sort()).toEqual(["dana", "lab-explorer"]);

    // An imported sandbox is not reset (it has no initial state); it exports, and deletes with everything in it.
    await expect(resetSandboxAs(admin, sandbox.id)).rejects.toMatchObject({ code: "ValidationError", message: expect.stringMatching(/no initial state/) });
    const exported = await exportSandboxAs(admin, sandbox.id);
    expect(exported.details.UserDetailList.map((u) => u.UserName)).toEqual(["dana", "lab-explorer"]);
    await expect(exportSandboxAs(await as("bob"), sandbox.id)).rejects.toMatchObject({ code: "AccessDenied" });
    await deleteSandboxAs(admin, sandbox.id);
    expect(await db().account.count({ where: { id: sandbox.accountId } })).toBe(0);
    expect(await db().labSandbox.count({ where: { id: sandbox.id } })).toBe(0);
  });

  it("is refused without iamlab:ManageClasses, and nothing is made", async () => {
    const [orgs, sandboxes] = [await db().organization.count(), await db().labSandbox.count()];
    for (const name of ["bob", "carol"]) await expect(importSandbox(await as(name), small)).rejects.toMatchObject({ code: "AccessDenied" });
    expect([await db().organization.count(), await db().labSandbox.count()]).toEqual([orgs, sandboxes]);
  });

  it("answers a bad file with the reason, and a file with nothing importable with its report and no sandbox", async () => {
    const admin = await as("admin");
    expect(() => parseImportFile("")).toThrow(/Choose a file or paste/);
    expect(() => parseImportFile("{\"UserDetailList\": [")).toThrow(expect.objectContaining({ code: "ValidationError", message: expect.stringMatching(/^The file is not JSON/) }));
    for (const file of [[], "text", 42, { Users: [] }]) await expect(importSandbox(admin, file)).rejects.toMatchObject({ code: "ValidationError", message: expect.stringMatching(/not the output of aws iam get-account-authorization-details/) });
    const [orgs, sandboxes] = [await db().organization.count(), await db().labSandbox.count()];
    const out = await importSandbox(admin, { UserDetailList: [{ UserName: "x y" }], Policies: "all of them" });
    expect(out.sandbox).toBeUndefined();
    expect(out.report.skipped.map((s) => `${s.kind} ${s.name}: ${s.reason}`)).toEqual(["File Policies: not a list", "User x y: the name or path breaks IAM's rules"]);
    expect([await db().organization.count(), await db().labSandbox.count()]).toEqual([orgs, sandboxes]);
  });

  it("names the sign-in user so it never takes an imported user's name", () => {
    expect(explorerName({ UserDetailList: [{ UserName: "alice" }] })).toBe("lab-explorer");
    expect(explorerName({ UserDetailList: [{ UserName: "Lab-Explorer" }, { UserName: "lab-explorer-2" }] })).toBe("lab-explorer-3");
  });

  it("downloads as the CLI prints it, and that file imports back to the same account", async () => {
    const x = await exportAccount(tx(), DEV);
    const file = JSON.parse(cliJson(x)) as Record<string, unknown> & { Policies: { PolicyVersionList: { Document: unknown; CreateDate: string }[] }[] };
    expect(Object.keys(file)).toEqual(["UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"]);
    expect(typeof file.Policies[0]!.PolicyVersionList[0]!.Document).toBe("object");
    expect(file.Policies[0]!.PolicyVersionList[0]!.CreateDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/);
    const out = await importSandbox(await as("admin"), file);
    expect(out.report.skipped).toEqual([]);
    const again = await exportAccount(tx(), out.sandbox!.accountId);
    // The sandbox's own sign-in user (and its AdministratorAccess attachment) is the one addition.
    again.UserDetailList = again.UserDetailList.filter((u) => u.UserName !== out.sandbox!.userName);
    again.Policies.find((p) => p.PolicyName === "AdministratorAccess")!.AttachmentCount -= 1;
    const cli = (d: AuthorizationDetails, account: string) => normalizedExport(JSON.parse(cliJson(d)) as AuthorizationDetails, account);
    expect(cli(again, out.sandbox!.accountId)).toEqual(cli(x, DEV));
  });
});
