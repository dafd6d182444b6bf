import "server-only";
// Imports the output of `aws iam get-account-authorization-details` (users,
// groups, roles, managed policies with every version, attachments, inline
// policies, boundaries, instance profiles, tags) into an account, so a team can
// explore its real account's permissions safely. No credentials exist in that
// output and none are made: no passwords, no access keys, no MFA devices.
// The export is the same operation's output (lib/iam/services/
// authorization-details.ts), so import(export(x)) gives x again, under the new
// account's ID. Whatever cannot be imported is listed with the reason.
import { z } from "zod";
import type { Prisma, Tx } from "@/lib/db/client";
import { newUniqueId, type IdPrefix } from "@/lib/crypto/ids";
import { groupArn, instanceProfileArn, policyArn, roleArn, userArn } from "@/lib/iam/arn";

export interface SkippedItem {
  kind: "User" | "Group" | "Role" | "Policy" | "InstanceProfile" | "Attachment" | "Membership" | "File";
  name: string;
  reason: string;
}

export interface ImportReport {
  sourceAccountId?: string;
  imported: { users: number; groups: number; roles: number; policies: number; instanceProfiles: number };
  skipped: SkippedItem[];
}

const NAME = /^[\w+=,.@-]{1,64}$/;
const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;
const PATH = /^\/([\x21-\x7e]{0,510}\/)?$/;

const date = z.union([z.string(), z.date()]).optional().transform((v) => (v === undefined ? undefined : new Date(v)));
/** A document as the CLI prints it (an object), as the Query API sends it (URL-encoded text) or as text. */
const documentField = z.union([z.string(), z.record(z.string(), z.unknown())]);
const inline = z.object({ PolicyName: z.string(), PolicyDocument: documentField });
const attached = z.object({ PolicyName: z.string().optional(), PolicyArn: z.string() });
const boundary = z.object({ PermissionsBoundaryArn: z.string() }).passthrough().optional();
const tags = z.array(z.object({ Key: z.string(), Value: z.string().default("") })).default([]);

const userSchema = z.object({
  UserName: z.string(),
  UserId: z.string().optional(),
  Path: z.string().default("/"),
  Arn: z.string().optional(),
  CreateDate: date,
  UserPolicyList: z.array(inline).default([]),
  GroupList: z.array(z.string()).default([]),
  AttachedManagedPolicies: z.array(attached).default([]),
  PermissionsBoundary: boundary,
  Tags: tags,
});
const groupSchema = z.object({
  GroupName: z.string(),
  GroupId: z.string().optional(),
  Path: z.string().default("/"),
  Arn: z.string().optional(),
  CreateDate: date,
  GroupPolicyList: z.array(inline).default([]),
  AttachedManagedPolicies: z.array(attached).default([]),
});
const profileSchema = z.object({
  InstanceProfileName: z.string(),
  InstanceProfileId: z.string().optional(),
  Path: z.string().default("/"),
  CreateDate: date,
  Tags: tags,
  // AWS's RoleDetail has no Description or MaxSessionDuration of its own: they come with the role inside its instance profiles.
  Roles: z.array(z.object({ RoleName: z.string(), Description: z.string().optional(), MaxSessionDuration: z.number().int().min(3600).max(43200).optional() }).passthrough()).default([]),
});
const roleSchema = z.object({
  RoleName: z.string(),
  RoleId: z.string().optional(),
  Path: z.string().default("/"),
  Arn: z.string().optional(),
  CreateDate: date,
  AssumeRolePolicyDocument: documentField,
  Description: z.string().optional(),
  MaxSessionDuration: z.number().int().min(3600).max(43200).optional(),
  InstanceProfileList: z.array(profileSchema).default([]),
  RolePolicyList: z.array(inline).default([]),
  AttachedManagedPolicies: z.array(attached).default([]),
  PermissionsBoundary: boundary,
  Tags: tags,
});
const policySchema = z.object({
  PolicyName: z.string(),
  PolicyId: z.string().optional(),
  Arn: z.string(),
  Path: z.string().default("/"),
  DefaultVersionId: z.string(),
  IsAttachable: z.boolean().default(true),
  Description: z.string().optional(),
  CreateDate: date,
  UpdateDate: date,
  PolicyVersionList: z.array(z.object({ Document: documentField, VersionId: z.string().regex(/^v\d+$/), IsDefaultVersion: z.boolean(), CreateDate: date })).min(1),
});

/** Parses a document field to its text: URL-decoded when it came off the wire, pretty JSON when it was an object. */
function documentText(value: string | Record<string, unknown>): string {
  if (typeof value !== "string") return JSON.stringify(value, null, 4);
  const text = value.trimStart().startsWith("%7B") ? decodeURIComponent(value) : value;
  JSON.parse(text); // throws on a broken document
  return text;
}

const accountOfArn = (arn: string | undefined) => /^arn:aws:iam::(\d{12}):/.exec(arn ?? "")?.[1];
const describe = (err: unknown) => (err instanceof z.ZodError ? err.issues.map((i) => `${i.path.join(".") || "(entry)"}: ${i.message}`).join("; ") : (err as Error).message);

/** Imports `file` (parsed JSON) into the account; the caller's transaction holds it all. */
export async function importAuthorizationDetails(tx: Tx, accountId: string, file: unknown): Promise<ImportReport> {
  const report: ImportReport = { imported: { users: 0, groups: 0, roles: 0, policies: 0, instanceProfiles: 0 }, skipped: [] };
  const skip = (kind: SkippedItem["kind"], name: string, reason: string) => report.skipped.push({ kind, name, reason });
  if (!file || typeof file !== "object") {
    skip("File", "(file)", "not the JSON object that get-account-authorization-details prints");
    return report;
  }
  const f = file as Record<string, unknown>;
  const lists = new Map<string, unknown[]>();
  for (const key of ["UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"]) {
    if (Array.isArray(f[key])) lists.set(key, f[key] as unknown[]);
    else if (f[key] !== undefined) skip("File", key, "not a list");
  }
  const list = (key: string) => lists.get(key) ?? [];
  for (const key of Object.keys(f)) if (!["UserDetailList", "GroupDetailList", "RoleDetailList", "Policies", "IsTruncated", "Marker"].includes(key)) skip("File", key, "not a member of GetAccountAuthorizationDetails' output");
  if (f.IsTruncated === true) skip("File", "IsTruncated", "the file is one page of a longer answer: entities on later pages are missing (the CLI pages by itself unless --max-items is given)");

  // The source account: taken from the first ARN that names one; its ID is replaced by the new account's everywhere.
  const entries = [...list("UserDetailList"), ...list("GroupDetailList"), ...list("RoleDetailList"), ...list("Policies")] as { Arn?: string }[];
  const source = entries.map((e) => accountOfArn(e?.Arn)).find(Boolean);
  report.sourceAccountId = source;
  const rebase = (text: string) => (source ? text.split(`:${source}:`).join(`:${accountId}:`) : text);

  // Entity IDs from the file are kept unless malformed or already in use (in this installation or earlier in the file).
  const fileIds = (key: string, pick: (e: Record<string, unknown>) => unknown[]) =>
    list(key).flatMap((e) => (e && typeof e === "object" ? pick(e as Record<string, unknown>) : [])).filter((x): x is string => typeof x === "string");
  const own = (field: string) => (e: Record<string, unknown>) => [e[field]];
  const profileIdsOf = (e: Record<string, unknown>) => (Array.isArray(e.InstanceProfileList) ? (e.InstanceProfileList as { InstanceProfileId?: unknown }[]).map((p) => p?.InstanceProfileId) : []);
  const select = { id: true } as const;
  const inUse = new Set(
    (
      await Promise.all([
        tx.managedPolicy.findMany({ where: { id: { in: fileIds("Policies", own("PolicyId")) } }, select }),
        tx.iamGroup.findMany({ where: { id: { in: fileIds("GroupDetailList", own("GroupId")) } }, select }),
        tx.iamUser.findMany({ where: { id: { in: fileIds("UserDetailList", own("UserId")) } }, select }),
        tx.role.findMany({ where: { id: { in: fileIds("RoleDetailList", own("RoleId")) } }, select }),
        tx.instanceProfile.findMany({ where: { id: { in: fileIds("RoleDetailList", profileIdsOf) } }, select }),
      ])
    )
      .flat()
      .map((r) => r.id),
  );
  const taken = (prefix: IdPrefix, id: string | undefined) => {
    const out = id && new RegExp(`^${prefix}[A-Z0-9]{8,}$`).test(id) && !inUse.has(id) ? id : newUniqueId(prefix);
    inUse.add(out);
    return out;
  };

  // The rows, written table by table at the end (a few statements instead of one or more per entity).
  const rows = {
    policies: [] as Prisma.ManagedPolicyCreateManyInput[],
    versions: [] as Prisma.PolicyVersionCreateManyInput[],
    groups: [] as Prisma.IamGroupCreateManyInput[],
    users: [] as Prisma.IamUserCreateManyInput[],
    roles: [] as Prisma.RoleCreateManyInput[],
    profiles: [] as Prisma.InstanceProfileCreateManyInput[],
    memberships: [] as Prisma.GroupMembershipCreateManyInput[],
    attachments: [] as Prisma.PolicyAttachmentCreateManyInput[],
    inlines: [] as Prisma.InlinePolicyCreateManyInput[],
    tags: [] as Prisma.TagCreateManyInput[],
    profileRoles: [] as Prisma.InstanceProfileRoleCreateManyInput[],
  };

  // AWS-managed policies must be in this installation: looked up once, all together.
  const awsArns = new Set<string>();
  const noteAws = (arn: unknown) => typeof arn === "string" && arn.startsWith("arn:aws:iam::aws:policy/") && awsArns.add(arn);
  for (const key of ["UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"]) {
    for (const e of list(key) as Record<string, unknown>[]) {
      if (!e || typeof e !== "object") continue;
      noteAws(e.Arn);
      noteAws((e.PermissionsBoundary as { PermissionsBoundaryArn?: unknown } | undefined)?.PermissionsBoundaryArn);
      if (Array.isArray(e.AttachedManagedPolicies)) for (const a of e.AttachedManagedPolicies as { PolicyArn?: unknown }[]) noteAws(a?.PolicyArn);
    }
  }
  const policyIds = new Map<string, string>(); // ARN in the new account (or AWS's) -> id
  for (const p of await tx.managedPolicy.findMany({ where: { arn: { in: [...awsArns] } }, select: { id: true, arn: true } })) policyIds.set(p.arn, p.id);

  // Managed policies: customer-managed ones are created with every version; AWS-managed ones must be in this installation.
  const policyNames = new Set<string>();
  for (const raw of list("Policies")) {
    const parsed = policySchema.safeParse(raw);
    const label = (raw as { PolicyName?: string })?.PolicyName ?? "(unnamed)";
    if (!parsed.success) {
      skip("Policy", label, describe(parsed.error));
      continue;
    }
    const p = parsed.data;
    if (p.Arn.startsWith("arn:aws:iam::aws:policy/")) {
      if (!policyIds.has(p.Arn)) skip("Policy", p.PolicyName, "an AWS-managed policy this installation's catalogue does not have");
      continue;
    }
    if (!POLICY_NAME.test(p.PolicyName) || !PATH.test(p.Path)) {
      skip("Policy", p.PolicyName, "the name or path breaks IAM's rules");
      continue;
    }
    if (policyNames.has(p.PolicyName.toLowerCase())) {
      skip("Policy", p.PolicyName, "listed twice");
      continue;
    }
    try {
      const versions = p.PolicyVersionList.map((v) => ({ ...v, text: rebase(documentText(v.Document)) }));
      if (!versions.some((v) => v.VersionId === p.DefaultVersionId)) throw new Error(`the default version ${p.DefaultVersionId} is not among the versions`);
      if (new Set(versions.map((v) => v.VersionId)).size !== versions.length) throw new Error("a version is listed twice");
      const id = taken("ANPA", p.PolicyId);
      const arn = policyArn(accountId, p.Path, p.PolicyName);
      rows.policies.push({
        id,
        accountId,
        name: p.PolicyName,
        nameLower: p.PolicyName.toLowerCase(),
        path: p.Path,
        arn,
        description: p.Description ?? "",
        defaultVersionId: p.DefaultVersionId,
        nextVersionNumber: Math.max(...versions.map((v) => Number(v.VersionId.slice(1)))) + 1,
        isAttachable: p.IsAttachable,
        createdAt: p.CreateDate ?? new Date(),
        updatedAt: p.UpdateDate ?? p.CreateDate ?? new Date(),
      });
      for (const v of versions) {
        rows.versions.push({ id: newUniqueId("ANVA"), policyId: id, versionId: v.VersionId, document: v.text, isDefault: v.VersionId === p.DefaultVersionId, createdAt: v.CreateDate ?? new Date() });
      }
      policyNames.add(p.PolicyName.toLowerCase());
      policyIds.set(arn, id);
      report.imported.policies++;
    } catch (err) {
      skip("Policy", p.PolicyName, describe(err));
    }
  }

  const resolvePolicy = (arn: string): string | undefined => policyIds.get(rebase(arn));
  const attach = (holder: string, to: { userId?: string; groupId?: string; roleId?: string }, policies: z.infer<typeof attached>[]) => {
    const seen = new Set<string>();
    for (const a of policies.slice(0, 10)) {
      const policyId = resolvePolicy(a.PolicyArn);
      if (!policyId) skip("Attachment", `${a.PolicyArn} on ${holder}`, "the policy is neither in the file nor an AWS-managed policy of this installation");
      else if (seen.has(policyId)) skip("Attachment", `${a.PolicyArn} on ${holder}`, "listed twice");
      else {
        seen.add(policyId);
        rows.attachments.push({ accountId, policyId, ...to });
      }
    }
    for (const a of policies.slice(10)) skip("Attachment", `${a.PolicyArn} on ${holder}`, "more than 10 managed policies attached");
  };
  const inlines = (holder: string, to: { userId?: string; groupId?: string; roleId?: string }, policies: z.infer<typeof inline>[]) => {
    const seen = new Set<string>();
    for (const p of policies) {
      try {
        if (!POLICY_NAME.test(p.PolicyName)) throw new Error("the name breaks IAM's rules");
        if (seen.has(p.PolicyName)) throw new Error("listed twice");
        rows.inlines.push({ accountId, name: p.PolicyName, ...to, document: rebase(documentText(p.PolicyDocument)) });
        seen.add(p.PolicyName);
      } catch (err) {
        skip("Policy", `${p.PolicyName} (inline, ${holder})`, describe(err));
      }
    }
  };
  const boundaryOf = (holder: string, b: { PermissionsBoundaryArn: string } | undefined) => {
    if (!b) return null;
    const id = resolvePolicy(b.PermissionsBoundaryArn);
    if (!id) skip("Attachment", `boundary ${b.PermissionsBoundaryArn} of ${holder}`, "the boundary policy is neither in the file nor AWS-managed here");
    return id ?? null;
  };
  /** The first 50 tags, a key once (IAM's keys are case-insensitive). */
  const tagRows = (arn: string, t: { Key: string; Value: string }[]) => {
    const keys = new Set<string>();
    for (const x of t.slice(0, 50)) {
      if (keys.has(x.Key.toLowerCase())) continue;
      keys.add(x.Key.toLowerCase());
      rows.tags.push({ accountId, resourceArn: arn, key: x.Key, keyLower: x.Key.toLowerCase(), value: x.Value });
    }
  };

  // Groups.
  const groupIds = new Map<string, string>();
  for (const raw of list("GroupDetailList")) {
    const parsed = groupSchema.safeParse(raw);
    const label = (raw as { GroupName?: string })?.GroupName ?? "(unnamed)";
    if (!parsed.success || !NAME.test(parsed.data.GroupName) || !PATH.test(parsed.data.Path)) {
      skip("Group", label, parsed.success ? "the name or path breaks IAM's rules" : describe(parsed.error));
      continue;
    }
    const g = parsed.data;
    if (groupIds.has(g.GroupName.toLowerCase())) {
      skip("Group", g.GroupName, "listed twice");
      continue;
    }
    const id = taken("AGPA", g.GroupId);
    rows.groups.push({ id, accountId, name: g.GroupName, nameLower: g.GroupName.toLowerCase(), path: g.Path, arn: groupArn(accountId, g.Path, g.GroupName), createdAt: g.CreateDate ?? new Date() });
    groupIds.set(g.GroupName.toLowerCase(), id);
    attach(`group ${g.GroupName}`, { groupId: id }, g.AttachedManagedPolicies);
    inlines(`group ${g.GroupName}`, { groupId: id }, g.GroupPolicyList);
    report.imported.groups++;
  }

  // Users: no password, no access key, no MFA device.
  const userNames = new Set<string>();
  for (const raw of list("UserDetailList")) {
    const parsed = userSchema.safeParse(raw);
    const label = (raw as { UserName?: string })?.UserName ?? "(unnamed)";
    if (!parsed.success || !NAME.test(parsed.data.UserName) || !PATH.test(parsed.data.Path)) {
      skip("User", label, parsed.success ? "the name or path breaks IAM's rules" : describe(parsed.error));
      continue;
    }
    const u = parsed.data;
    if (userNames.has(u.UserName.toLowerCase())) {
      skip("User", u.UserName, "listed twice");
      continue;
    }
    userNames.add(u.UserName.toLowerCase());
    const id = taken("AIDA", u.UserId);
    const arn = userArn(accountId, u.Path, u.UserName);
    rows.users.push({ id, accountId, name: u.UserName, nameLower: u.UserName.toLowerCase(), path: u.Path, arn, createdAt: u.CreateDate ?? new Date(), permissionsBoundaryPolicyId: boundaryOf(`user ${u.UserName}`, u.PermissionsBoundary) });
    const memberOf = new Set<string>();
    for (const g of u.GroupList.slice(0, 10)) {
      const groupId = groupIds.get(g.toLowerCase());
      if (!groupId) skip("Membership", `${u.UserName} in ${g}`, "the group is not in the file (or was not imported)");
      else if (!memberOf.has(groupId)) {
        memberOf.add(groupId);
        rows.memberships.push({ groupId, userId: id });
      }
    }
    for (const g of u.GroupList.slice(10)) skip("Membership", `${u.UserName} in ${g}`, "more than 10 groups");
    attach(`user ${u.UserName}`, { userId: id }, u.AttachedManagedPolicies);
    inlines(`user ${u.UserName}`, { userId: id }, u.UserPolicyList);
    tagRows(arn, u.Tags);
    report.imported.users++;
  }

  // Roles and their instance profiles.
  const profiles = new Map<string, string>();
  const roleNames = new Set<string>();
  for (const raw of list("RoleDetailList")) {
    const parsed = roleSchema.safeParse(raw);
    const label = (raw as { RoleName?: string })?.RoleName ?? "(unnamed)";
    if (!parsed.success || !NAME.test(parsed.data.RoleName) || !PATH.test(parsed.data.Path)) {
      skip("Role", label, parsed.success ? "the name or path breaks IAM's rules" : describe(parsed.error));
      continue;
    }
    const r = parsed.data;
    if (roleNames.has(r.RoleName.toLowerCase())) {
      skip("Role", r.RoleName, "listed twice");
      continue;
    }
    let trust: string;
    try {
      trust = rebase(documentText(r.AssumeRolePolicyDocument));
    } catch (err) {
      skip("Role", r.RoleName, `its trust policy is not valid JSON: ${describe(err)}`);
      continue;
    }
    roleNames.add(r.RoleName.toLowerCase());
    const id = taken("AROA", r.RoleId);
    const arn = roleArn(accountId, r.Path, r.RoleName);
    const asProfileRole = r.InstanceProfileList.flatMap((p) => p.Roles).find((x) => x.RoleName === r.RoleName);
    rows.roles.push({
      id,
      accountId,
      name: r.RoleName,
      nameLower: r.RoleName.toLowerCase(),
      path: r.Path,
      arn,
      description: r.Description ?? asProfileRole?.Description ?? "",
      trustPolicy: trust,
      maxSessionDuration: r.MaxSessionDuration ?? asProfileRole?.MaxSessionDuration ?? 3600,
      createdAt: r.CreateDate ?? new Date(),
      permissionsBoundaryPolicyId: boundaryOf(`role ${r.RoleName}`, r.PermissionsBoundary),
    });
    attach(`role ${r.RoleName}`, { roleId: id }, r.AttachedManagedPolicies);
    inlines(`role ${r.RoleName}`, { roleId: id }, r.RolePolicyList);
    tagRows(arn, r.Tags);
    const inProfiles = new Set<string>();
    for (const p of r.InstanceProfileList) {
      if (!NAME.test(p.InstanceProfileName)) {
        skip("InstanceProfile", p.InstanceProfileName, "the name breaks IAM's rules");
        continue;
      }
      let profileId = profiles.get(p.InstanceProfileName.toLowerCase());
      if (!profileId) {
        profileId = taken("AIPA", p.InstanceProfileId);
        const profileArn = instanceProfileArn(accountId, p.Path, p.InstanceProfileName);
        rows.profiles.push({ id: profileId, accountId, name: p.InstanceProfileName, nameLower: p.InstanceProfileName.toLowerCase(), path: p.Path, arn: profileArn, createdAt: p.CreateDate ?? new Date() });
        tagRows(profileArn, p.Tags);
        profiles.set(p.InstanceProfileName.toLowerCase(), profileId);
        report.imported.instanceProfiles++;
      }
      if (inProfiles.has(profileId)) continue;
      inProfiles.add(profileId);
      rows.profileRoles.push({ instanceProfileId: profileId, roleId: id });
    }
    report.imported.roles++;
  }

  // Written in the order the references need (policies before what attaches them, entities before their links).
  await tx.managedPolicy.createMany({ data: rows.policies });
  await tx.policyVersion.createMany({ data: rows.versions });
  await tx.iamGroup.createMany({ data: rows.groups });
  await tx.iamUser.createMany({ data: rows.users });
  await tx.role.createMany({ data: rows.roles });
  await tx.instanceProfile.createMany({ data: rows.profiles });
  await tx.groupMembership.createMany({ data: rows.memberships });
  await tx.policyAttachment.createMany({ data: rows.attachments });
  await tx.inlinePolicy.createMany({ data: rows.inlines });
  await tx.tag.createMany({ data: rows.tags });
  await tx.instanceProfileRole.createMany({ data: rows.profileRoles });
  return report;
}
