// Import of get-account-authorization-details output: export(x) imported into a
// new account exports the same again (account ID and entity IDs aside), no
// credentials are made, and what cannot be imported is reported with why.
import { describe, expect, it } from "vitest";
import { db, type Tx } from "@/lib/db/client";
import { loadAuthorizationDetails, type AuthorizationDetails } from "@/lib/iam/services/authorization-details";
import { DEV } from "@/lib/testing/principals";
import { importAuthorizationDetails } from "./import";
import { exportAccount, normalizedExport } from "./export";
import { createEmptyAccount } from "./sandboxes";

const tx = () => db() as unknown as Tx;

async function importIntoNew(file: unknown) {
  return db().$transaction(async (t) => {
    const target = await createEmptyAccount(t);
    const report = await importAuthorizationDetails(t, target.accountId, file);
    return { ...target, report };
  });
}

describe("import and export", () => {
  it("round-trips the demo dev account: import(export(x)) exports as x", async () => {
    const x = await exportAccount(tx(), DEV);
    expect(x.UserDetailList.length).toBeGreaterThan(3);
    // Through JSON, as a file would carry it (dates become text).
    const y = await importIntoNew(JSON.parse(JSON.stringify(x)));
    expect(y.report.skipped).toEqual([]);
    expect(y.report.imported.users).toBe(x.UserDetailList.length);
    const again = await exportAccount(tx(), y.accountId);
    const [got, want] = [JSON.stringify(normalizedExport(again, y.accountId)), JSON.stringify(normalizedExport(x, DEV))];
    const at = [...want].findIndex((c, i) => got[i] !== c);
    expect(got.slice(Math.max(0, at - 200), at + 200), "the first difference").toBe(want.slice(Math.max(0, at - 200), at + 200));
    expect(got).toBe(want);
    // No credentials come with it.
    expect(await db().loginProfile.count({ where: { user: { accountId: y.accountId } } })).toBe(0);
    expect(await db().accessKey.count({ where: { accountId: y.accountId } })).toBe(0);
    expect(await db().mfaDevice.count({ where: { accountId: y.accountId } })).toBe(0);
  });

  it("reports what a bad or partial file could not import, and why, importing the rest", async () => {
    const x = (await exportAccount(tx(), DEV)) as AuthorizationDetails & Record<string, unknown>;
    const file = JSON.parse(JSON.stringify(x)) as Record<string, unknown[]> & { IsTruncated: boolean; Extra: number };
    file.UserDetailList!.push({ UserName: "bad name!", Path: "/" }, { Path: "/" });
    (file.UserDetailList![0] as { GroupList: string[] }).GroupList.push("NoSuchGroup");
    (file.GroupDetailList![0] as { AttachedManagedPolicies: unknown[] }).AttachedManagedPolicies.push({ PolicyName: "Gone", PolicyArn: `arn:aws:iam::${DEV}:policy/Gone` });
    file.Policies!.push({ PolicyName: "Broken", Arn: `arn:aws:iam::${DEV}:policy/Broken`, DefaultVersionId: "v1", PolicyVersionList: [{ VersionId: "v1", IsDefaultVersion: true, Document: "{not json" }] });
    file.Policies!.push({ PolicyName: "NotInCatalogue", Arn: "arn:aws:iam::aws:policy/NotInCatalogue", DefaultVersionId: "v1", PolicyVersionList: [{ VersionId: "v1", IsDefaultVersion: true, Document: {} }] });
    file.IsTruncated = true;
    file.Extra = 1;
    const y = await importIntoNew(file);
    const reasons = y.report.skipped.map((s) => `${s.kind} ${s.name}: ${s.reason}`);
    expect(reasons).toEqual(
      expect.arrayContaining([
        "User bad name!: the name or path breaks IAM's rules",
        expect.stringMatching(/^User \(unnamed\): UserName: /),
        expect.stringMatching(/^Membership \w+ in NoSuchGroup: the group is not in the file/),
        expect.stringMatching(/^Attachment arn:aws:iam::111122223333:policy\/Gone on group \w+: the policy is neither in the file/),
        expect.stringMatching(/^Policy Broken: /),
        "Policy NotInCatalogue: an AWS-managed policy this installation's catalogue does not have",
        expect.stringMatching(/^File IsTruncated: the file is one page/),
        "File Extra: not a member of GetAccountAuthorizationDetails' output",
      ]),
    );
    expect(y.report.imported.users).toBe(x.UserDetailList.length);
  });

  it("reads documents as the CLI prints them (objects) and as the Query API sends them (URL-encoded)", async () => {
    const doc = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] };
    const y = await importIntoNew({
      UserDetailList: [{ UserName: "cli", Path: "/", UserPolicyList: [{ PolicyName: "p", PolicyDocument: doc }] }],
      RoleDetailList: [{ RoleName: "wire", Path: "/", AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(doc)) }],
    });
    expect(y.report.skipped).toEqual([]);
    const role = await db().role.findFirstOrThrow({ where: { accountId: y.accountId, name: "wire" } });
    expect(JSON.parse(role.trustPolicy)).toEqual(doc);
    const inline = await db().inlinePolicy.findFirstOrThrow({ where: { accountId: y.accountId, name: "p" } });
    expect(JSON.parse(inline.document)).toEqual(doc);
  });
});

describe("entries listed twice", () => {
  it("reports a policy, an attachment and an inline policy listed twice, keeps a repeated group or tag once, and imports the rest", async () => {
    const doc = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] };
    const policy = { PolicyName: "Twice", Arn: "arn:aws:iam::123456789012:policy/Twice", DefaultVersionId: "v1", PolicyVersionList: [{ VersionId: "v1", IsDefaultVersion: true, Document: doc }] };
    const y = await importIntoNew({
      Policies: [policy, { ...policy, Arn: "arn:aws:iam::123456789012:policy/other/Twice", Path: "/other/" }],
      GroupDetailList: [{ GroupName: "g", Path: "/" }],
      UserDetailList: [
        {
          UserName: "u",
          Path: "/",
          GroupList: ["g", "g"],
          AttachedManagedPolicies: [policy, policy].map((p) => ({ PolicyName: p.PolicyName, PolicyArn: p.Arn })),
          UserPolicyList: [{ PolicyName: "own", PolicyDocument: doc }, { PolicyName: "own", PolicyDocument: doc }],
          Tags: [{ Key: "team", Value: "a" }, { Key: "Team", Value: "b" }],
        },
      ],
    });
    expect(y.report.skipped.map((s) => `${s.kind} ${s.name}: ${s.reason}`)).toEqual([
      "Policy Twice: listed twice",
      "Attachment arn:aws:iam::123456789012:policy/Twice on user u: listed twice",
      "Policy own (inline, user u): listed twice",
    ]);
    expect(y.report.imported).toMatchObject({ users: 1, groups: 1, policies: 1 });
    const user = await db().iamUser.findFirstOrThrow({ where: { accountId: y.accountId, name: "u" }, include: { memberships: true, attachments: true, inlinePolicies: true } });
    expect([user.memberships.length, user.attachments.length, user.inlinePolicies.length]).toEqual([1, 1, 1]);
    expect(await db().tag.findMany({ where: { resourceArn: user.arn }, select: { key: true, value: true } })).toEqual([{ key: "team", value: "a" }]);
  });
});

describe("export at AWS's page size", () => {
  it("pages of 1,000 hold every user's tags and every policy's counts (over SQLite's bound-parameter limit)", async () => {
    const { accountId } = await db().$transaction((t) => createEmptyAccount(t));
    const n = 1_050;
    const pad = (i: number) => String(i).padStart(5, "0");
    await db().managedPolicy.createMany({
      data: Array.from({ length: n }, (_, i) => ({ id: `ANPABIGPAGE${accountId}${pad(i)}`, accountId, name: `p-${pad(i)}`, nameLower: `p-${pad(i)}`, path: "/", arn: `arn:aws:iam::${accountId}:policy/p-${pad(i)}`, defaultVersionId: "v1", nextVersionNumber: 2 })),
    });
    await db().policyVersion.createMany({ data: Array.from({ length: n }, (_, i) => ({ id: `ANVABIGPAGE${accountId}${pad(i)}`, policyId: `ANPABIGPAGE${accountId}${pad(i)}`, versionId: "v1", document: "{}", isDefault: true })) });
    await db().iamUser.createMany({
      data: Array.from({ length: n }, (_, i) => ({ id: `AIDABIGPAGE${accountId}${pad(i)}`, accountId, name: `u-${pad(i)}`, nameLower: `u-${pad(i)}`, path: "/", arn: `arn:aws:iam::${accountId}:user/u-${pad(i)}` })),
    });
    await db().tag.createMany({ data: Array.from({ length: n }, (_, i) => ({ accountId, resourceArn: `arn:aws:iam::${accountId}:user/u-${pad(i)}`, key: "seat", keyLower: "seat", value: String(i) })) });
    await db().policyAttachment.createMany({ data: Array.from({ length: n }, (_, i) => ({ accountId, policyId: `ANPABIGPAGE${accountId}${pad(i)}`, userId: `AIDABIGPAGE${accountId}${pad(i)}` })) });

    const users = await loadAuthorizationDetails(tx(), accountId, { maxItems: 1000 });
    expect(users.UserDetailList).toHaveLength(1000);
    expect(users.IsTruncated).toBe(true);
    expect(users.UserDetailList[999]!.Tags).toEqual([{ Key: "seat", Value: "999" }]);
    const policies = await loadAuthorizationDetails(tx(), accountId, { maxItems: 1000, filter: ["LocalManagedPolicy"] });
    expect(policies.Policies).toHaveLength(1000);
    expect(policies.Policies.every((p) => p.AttachmentCount === 1)).toBe(true);

    const all = await exportAccount(tx(), accountId);
    expect(all.UserDetailList).toHaveLength(n);
    expect(all.Policies).toHaveLength(n);
    expect(all.UserDetailList.map((u) => u.Tags[0]?.Value)).toEqual(Array.from({ length: n }, (_, i) => String(i)));
  });
});
