import "server-only";
import { inChunks } from "@/lib/db/chunked";
// Managed policies and their versions: the list (AWS-managed catalogue and the
// account's own, with attachment counts), create/delete with AWS's conflicts,
// versions v1, v2, ... (at most 5, ids never reused, the default undeletable),
// and who a policy is attached to.
import type { OperationSpec } from "@/lib/iam/operation";
import { newUniqueId } from "@/lib/crypto/ids";
import type { Prisma, Tx } from "@/lib/db/client";
import { policyArn as customerPolicyArn } from "@/lib/iam/arn";
import { IamError, noSuchEntity } from "@/lib/iam/errors";
import type { Principal } from "@/lib/iam/principal";
import { requestTagContext } from "@/lib/iam/request-context";
import type {
  CreatePolicyInput,
  CreatePolicyVersionInput,
  ListEntitiesForPolicyInput,
  ListPoliciesInput,
  PolicyArnInput,
  PolicyVersionInput,
  Tag,
} from "@/lib/iam/validation";
import {
  applyTags,
  assertPolicyArn,
  decodeCursor,
  deleteConflict,
  encodeCursor,
  listTags,
  lockPolicy,
  requireOwnPolicy,
  requirePolicy,
  uniquely,
} from "./common";
import { validateIdentityPolicy } from "./policy-document";

export const VERSIONS_PER_POLICY = 5;

export interface PolicyView {
  policyName: string;
  policyId: string;
  arn: string;
  path: string;
  description: string;
  defaultVersionId: string;
  attachmentCount: number;
  permissionsBoundaryUsageCount: number;
  isAttachable: boolean;
  awsManaged: boolean;
  createDate: Date;
  updateDate: Date;
}

type PolicyRecord = {
  id: string;
  accountId: string | null;
  name: string;
  path: string;
  arn: string;
  description: string;
  defaultVersionId: string;
  isAttachable: boolean;
  createdAt: Date;
  updatedAt: Date;
};

const view = (p: PolicyRecord, counts: { attachments: number; boundaries: number }): PolicyView => ({
  policyName: p.name,
  policyId: p.id,
  arn: p.arn,
  path: p.path,
  description: p.description,
  defaultVersionId: p.defaultVersionId,
  attachmentCount: counts.attachments,
  permissionsBoundaryUsageCount: counts.boundaries,
  isAttachable: p.isAttachable,
  awsManaged: p.accountId === null,
  createDate: p.createdAt,
  updateDate: p.updatedAt,
});

/** A managed policy as AWS's Policy shape names it (ListPolicies, GetPolicy, CreatePolicy). */
export interface Policy {
  PolicyName: string;
  PolicyId: string;
  Arn: string;
  Path: string;
  DefaultVersionId: string;
  AttachmentCount: number;
  PermissionsBoundaryUsageCount: number;
  IsAttachable: boolean;
  Description?: string;
  CreateDate: Date;
  UpdateDate: Date;
}

export const awsPolicy = (p: PolicyView): Policy => ({
  PolicyName: p.policyName,
  PolicyId: p.policyId,
  Arn: p.arn,
  Path: p.path,
  DefaultVersionId: p.defaultVersionId,
  AttachmentCount: p.attachmentCount,
  PermissionsBoundaryUsageCount: p.permissionsBoundaryUsageCount,
  IsAttachable: p.isAttachable,
  ...(p.description ? { Description: p.description } : {}),
  CreateDate: p.createDate,
  UpdateDate: p.updateDate,
});

/** The console's view of an AWS-shaped policy (AWS managed: its ARN is in the "aws" account). */
export const consolePolicyView = (p: Policy): PolicyView => ({
  policyName: p.PolicyName,
  policyId: p.PolicyId,
  arn: p.Arn,
  path: p.Path,
  description: p.Description ?? "",
  defaultVersionId: p.DefaultVersionId,
  attachmentCount: p.AttachmentCount,
  permissionsBoundaryUsageCount: p.PermissionsBoundaryUsageCount,
  isAttachable: p.IsAttachable,
  awsManaged: p.Arn.startsWith("arn:aws:iam::aws:"),
  createDate: p.CreateDate,
  updateDate: p.UpdateDate,
});

/** ListPolicies' answer: AWS's output shape; `console.total` (asked with withTotal) is never encoded. */
export interface ListPoliciesResult {
  Policies: Policy[];
  IsTruncated: boolean;
  Marker?: string;
  console?: { total: number };
}

/** Attachment and boundary-use counts within the caller's account, for a set of policies (3 queries). */
async function usageCounts(tx: Tx, accountId: string, ids: string[]) {
  const [attachments, userBoundaries, roleBoundaries] = await Promise.all([
    inChunks(ids, (chunk) => tx.policyAttachment.groupBy({ by: ["policyId"], where: { accountId, policyId: { in: chunk } }, _count: { _all: true } })),
    inChunks(ids, (chunk) => tx.iamUser.groupBy({ by: ["permissionsBoundaryPolicyId"], where: { accountId, permissionsBoundaryPolicyId: { in: chunk } }, _count: { _all: true } })),
    inChunks(ids, (chunk) => tx.role.groupBy({ by: ["permissionsBoundaryPolicyId"], where: { accountId, permissionsBoundaryPolicyId: { in: chunk } }, _count: { _all: true } })),
  ]);
  return (id: string) => ({
    attachments: attachments.find((a) => a.policyId === id)?._count._all ?? 0,
    boundaries:
      (userBoundaries.find((b) => b.permissionsBoundaryPolicyId === id)?._count._all ?? 0) +
      (roleBoundaries.find((b) => b.permissionsBoundaryPolicyId === id)?._count._all ?? 0),
  });
}

const versionNumber = (versionId: string) => Number.parseInt(versionId.slice(1), 10);
const noSuchVersion = (arn: string, versionId: string) => noSuchEntity(`Policy ${arn} version ${versionId} does not exist or is not attachable.`);

// ---------------------------------------------------------------------------
// ListPolicies / GetPolicy

const isPolicyCursor = (v: unknown): v is { n: string; id: string } =>
  typeof v === "object" && v !== null && typeof (v as { n?: unknown }).n === "string" && typeof (v as { id?: unknown }).id === "string";

export function listPolicies(principal: Principal, input: ListPoliciesInput): OperationSpec<ListPoliciesResult> {
  return {
    service: "iam",
    name: "ListPolicies",
    readOnly: true,
    resource: { arn: "*" },
    parameters: input,
    async run({ tx }) {
      const acct = principal.accountId;
      const after = decodeCursor(input.cursor, isPolicyCursor);
      const scope: Prisma.ManagedPolicyWhereInput =
        input.scope === "AWS" ? { accountId: null } : input.scope === "Local" ? { accountId: acct } : { OR: [{ accountId: null }, { accountId: acct }] };
      const asPolicy: Prisma.ManagedPolicyWhereInput = { attachments: { some: { accountId: acct } } };
      const asBoundary: Prisma.ManagedPolicyWhereInput = {
        OR: [{ userBoundaries: { some: { accountId: acct } } }, { roleBoundaries: { some: { accountId: acct } } }],
      };
      const usage: Prisma.ManagedPolicyWhereInput =
        input.policyUsageFilter === "PermissionsPolicy"
          ? asPolicy
          : input.policyUsageFilter === "PermissionsBoundary"
            ? asBoundary
            : input.onlyAttached
              ? { OR: [asPolicy, asBoundary] }
              : {};
      const where: Prisma.ManagedPolicyWhereInput = {
        AND: [
          scope,
          usage,
          input.pathPrefix ? { path: { startsWith: input.pathPrefix } } : {},
          input.nameContains ? { nameLower: { contains: input.nameContains.toLowerCase() } } : {},
        ],
      };
      const order = input.order ?? "asc";
      const past = order === "desc" ? "lt" : "gt";
      const [rows, total] = await Promise.all([
        tx.managedPolicy.findMany({
          where: after ? { AND: [where, { OR: [{ nameLower: { [past]: after.n } }, { nameLower: after.n, id: { [past]: after.id } }] }] } : where,
          orderBy: [{ nameLower: order }, { id: order }],
          take: input.pageSize + 1,
        }),
        input.withTotal ? tx.managedPolicy.count({ where }) : Promise.resolve(undefined),
      ]);
      const page = rows.slice(0, input.pageSize);
      const counts = await usageCounts(tx, acct, page.map((p) => p.id));
      const last = page[page.length - 1];
      const truncated = rows.length > input.pageSize;
      return {
        Policies: page.map((p) => awsPolicy(view(p, counts(p.id)))),
        IsTruncated: truncated,
        ...(truncated && last ? { Marker: encodeCursor({ n: last.nameLower, id: last.id }) } : {}),
        ...(total !== undefined ? { console: { total } } : {}),
      };
    },
    response: (d) => ({ policies: d.Policies.length, isTruncated: d.IsTruncated }),
  };
}

export interface PolicyDetail extends PolicyView {
  tags: Tag[];
  /** The default version's document, as written. */
  document: string;
}

export function getPolicy(principal: Principal, input: PolicyArnInput): OperationSpec<PolicyDetail> {
  return {
    service: "iam",
    name: "GetPolicy",
    readOnly: true,
    resource: { arn: input.policyArn },
    parameters: input,
    async run({ tx }) {
      const policy = await requirePolicy(tx, principal.accountId, input.policyArn);
      const [counts, tags, version] = await Promise.all([
        usageCounts(tx, principal.accountId, [policy.id]),
        listTags(tx, policy.arn),
        tx.policyVersion.findUnique({ where: { policyId_versionId: { policyId: policy.id, versionId: policy.defaultVersionId } }, select: { document: true } }),
      ]);
      return { ...view(policy, counts(policy.id)), tags, document: version?.document ?? "" };
    },
    response: ({ document: _document, ...policy }) => ({ policy }),
  };
}

// ---------------------------------------------------------------------------
// CreatePolicy / DeletePolicy

const policyExists = (name: string) => new IamError("EntityAlreadyExists", `A policy called ${name} already exists. Duplicate names are not allowed.`);

export function createPolicy(principal: Principal, input: CreatePolicyInput): OperationSpec<PolicyView> {
  const arn = customerPolicyArn(principal.accountId, input.path, input.policyName);
  return {
    service: "iam",
    name: "CreatePolicy",
    readOnly: false,
    resource: { arn },
    context: requestTagContext(input.tags),
    parameters: input,
    async run({ tx, authorize }) {
      if (input.tags.length) await authorize("iam:TagPolicy", { arn }, requestTagContext(input.tags));
      validateIdentityPolicy(input.policyDocument);
      const existing = await tx.managedPolicy.findUnique({
        where: { accountId_nameLower: { accountId: principal.accountId, nameLower: input.policyName.toLowerCase() } },
        select: { id: true },
      });
      if (existing) throw policyExists(input.policyName);
      const now = new Date();
      const policy = await uniquely(
        tx.managedPolicy.create({
          data: {
            id: newUniqueId("ANPA"),
            accountId: principal.accountId,
            name: input.policyName,
            nameLower: input.policyName.toLowerCase(),
            path: input.path,
            arn,
            description: input.description,
            defaultVersionId: "v1",
            nextVersionNumber: 2,
            createdAt: now,
            updatedAt: now,
            versions: { create: { id: newUniqueId("ANVA"), versionId: "v1", document: input.policyDocument, isDefault: true, createdAt: now } },
          },
        }),
        () => policyExists(input.policyName),
      );
      await applyTags(tx, principal.accountId, arn, input.tags, "TagsPerPolicy");
      return view(policy, { attachments: 0, boundaries: 0 });
    },
    response: (policy) => ({ policy }),
  };
}

export function deletePolicy(principal: Principal, input: PolicyArnInput): OperationSpec<void> {
  return {
    service: "iam",
    name: "DeletePolicy",
    readOnly: false,
    resource: { arn: input.policyArn },
    parameters: input,
    async run({ tx }) {
      const policy = await requireOwnPolicy(tx, principal, input.policyArn, "iam:DeletePolicy");
      await lockPolicy(tx, policy.id);
      const [attached, userBoundaries, roleBoundaries, versions] = await Promise.all([
        tx.policyAttachment.count({ where: { policyId: policy.id } }),
        tx.iamUser.count({ where: { permissionsBoundaryPolicyId: policy.id } }),
        tx.role.count({ where: { permissionsBoundaryPolicyId: policy.id } }),
        tx.policyVersion.count({ where: { policyId: policy.id } }),
      ]);
      if (attached + userBoundaries + roleBoundaries > 0) throw deleteConflict("Cannot delete a policy attached to entities.");
      if (versions > 1) {
        throw deleteConflict(
          "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
        );
      }
      await tx.tag.deleteMany({ where: { resourceArn: policy.arn } });
      await tx.managedPolicy.delete({ where: { id: policy.id } });
    },
  };
}

// ---------------------------------------------------------------------------
// Versions

export interface PolicyVersionView {
  versionId: string;
  isDefaultVersion: boolean;
  createDate: Date;
  document?: string;
}

const versionView = (v: { versionId: string; isDefault: boolean; createdAt: Date; document: string }, withDocument: boolean): PolicyVersionView => ({
  versionId: v.versionId,
  isDefaultVersion: v.isDefault,
  createDate: v.createdAt,
  ...(withDocument ? { document: v.document } : {}),
});

async function makeDefault(tx: Tx, policyId: string, versionId: string): Promise<void> {
  await tx.policyVersion.updateMany({ where: { policyId, isDefault: true, NOT: { versionId } }, data: { isDefault: false } });
  await tx.policyVersion.update({ where: { policyId_versionId: { policyId, versionId } }, data: { isDefault: true } });
  await tx.managedPolicy.update({ where: { id: policyId }, data: { defaultVersionId: versionId, updatedAt: new Date() } });
}

export function createPolicyVersion(principal: Principal, input: CreatePolicyVersionInput): OperationSpec<PolicyVersionView> {
  return {
    service: "iam",
    name: "CreatePolicyVersion",
    readOnly: false,
    resource: { arn: input.policyArn },
    parameters: input,
    async run({ tx }) {
      validateIdentityPolicy(input.policyDocument);
      const policy = await requireOwnPolicy(tx, principal, input.policyArn, "iam:CreatePolicyVersion");
      // Taking the next number locks the policy row: concurrent creators queue here.
      const locked = await tx.managedPolicy.update({
        where: { id: policy.id },
        data: { nextVersionNumber: { increment: 1 }, updatedAt: new Date() },
        select: { nextVersionNumber: true },
      });
      const count = await tx.policyVersion.count({ where: { policyId: policy.id } });
      if (count >= VERSIONS_PER_POLICY) {
        throw new IamError(
          "LimitExceeded",
          "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.",
        );
      }
      const versionId = `v${locked.nextVersionNumber - 1}`;
      const version = await tx.policyVersion.create({
        data: { id: newUniqueId("ANVA"), policyId: policy.id, versionId, document: input.policyDocument, isDefault: false },
      });
      if (input.setAsDefault) await makeDefault(tx, policy.id, versionId);
      return versionView({ ...version, isDefault: input.setAsDefault }, false);
    },
    response: (policyVersion) => ({ policyVersion }),
  };
}

async function requireVersion(tx: Tx, policyId: string, arn: string, versionId: string) {
  const version = await tx.policyVersion.findUnique({ where: { policyId_versionId: { policyId, versionId } } });
  if (!version) throw noSuchVersion(arn, versionId);
  return version;
}

export function setDefaultPolicyVersion(principal: Principal, input: PolicyVersionInput): OperationSpec<void> {
  return {
    service: "iam",
    name: "SetDefaultPolicyVersion",
    readOnly: false,
    resource: { arn: input.policyArn },
    parameters: input,
    async run({ tx }) {
      const policy = await requireOwnPolicy(tx, principal, input.policyArn, "iam:SetDefaultPolicyVersion");
      await lockPolicy(tx, policy.id);
      await requireVersion(tx, policy.id, policy.arn, input.versionId);
      await makeDefault(tx, policy.id, input.versionId);
    },
  };
}

export function deletePolicyVersion(principal: Principal, input: PolicyVersionInput): OperationSpec<void> {
  return {
    service: "iam",
    name: "DeletePolicyVersion",
    readOnly: false,
    resource: { arn: input.policyArn },
    parameters: input,
    async run({ tx }) {
      const policy = await requireOwnPolicy(tx, principal, input.policyArn, "iam:DeletePolicyVersion");
      await lockPolicy(tx, policy.id);
      const version = await requireVersion(tx, policy.id, policy.arn, input.versionId);
      if (version.isDefault) throw deleteConflict("Cannot delete the default version of a policy.");
      await tx.policyVersion.delete({ where: { id: version.id } });
    },
  };
}

export function getPolicyVersion(principal: Principal, input: PolicyVersionInput): OperationSpec<PolicyVersionView> {
  return {
    service: "iam",
    name: "GetPolicyVersion",
    readOnly: true,
    resource: { arn: input.policyArn },
    parameters: input,
    async run({ tx }) {
      const policy = await requirePolicy(tx, principal.accountId, input.policyArn);
      return versionView(await requireVersion(tx, policy.id, policy.arn, input.versionId), true);
    },
    response: ({ document: _document, ...policyVersion }) => ({ policyVersion }),
  };
}

export function listPolicyVersions(principal: Principal, input: PolicyArnInput): OperationSpec<{ versions: PolicyVersionView[] }> {
  return {
    service: "iam",
    name: "ListPolicyVersions",
    readOnly: true,
    resource: { arn: input.policyArn },
    parameters: input,
    async run({ tx }) {
      const policy = await requirePolicy(tx, principal.accountId, input.policyArn);
      const versions = await tx.policyVersion.findMany({ where: { policyId: policy.id } });
      versions.sort((a, b) => versionNumber(b.versionId) - versionNumber(a.versionId));
      return { versions: versions.map((v) => versionView(v, false)) };
    },
  };
}

// ---------------------------------------------------------------------------
// ListEntitiesForPolicy

export interface PolicyEntities {
  policyUsers: { userName: string; userId: string }[];
  policyGroups: { groupName: string; groupId: string }[];
  policyRoles: { roleName: string; roleId: string }[];
}

export function listEntitiesForPolicy(principal: Principal, input: ListEntitiesForPolicyInput): OperationSpec<PolicyEntities> {
  return {
    service: "iam",
    name: "ListEntitiesForPolicy",
    readOnly: true,
    resource: { arn: input.policyArn },
    parameters: input,
    async run({ tx }) {
      assertPolicyArn(input.policyArn);
      const policy = await requirePolicy(tx, principal.accountId, input.policyArn);
      const acct = principal.accountId;
      const want = (kind: "User" | "Group" | "Role") => !input.entityFilter || input.entityFilter === kind;
      const asPolicy = input.policyUsageFilter !== "PermissionsBoundary";
      const asBoundary = input.policyUsageFilter !== "PermissionsPolicy";
      const byName = <T>(key: (t: T) => string) => (a: T, b: T) => key(a).toLowerCase().localeCompare(key(b).toLowerCase());
      const users = new Map<string, { userName: string; userId: string }>();
      const roles = new Map<string, { roleName: string; roleId: string }>();
      let groups: { groupName: string; groupId: string }[] = [];
      if (asPolicy) {
        const rows = await tx.policyAttachment.findMany({
          where: { policyId: policy.id, accountId: acct },
          select: { user: { select: { id: true, name: true } }, group: { select: { id: true, name: true } }, role: { select: { id: true, name: true } } },
        });
        for (const r of rows) {
          if (r.user && want("User")) users.set(r.user.id, { userName: r.user.name, userId: r.user.id });
          if (r.role && want("Role")) roles.set(r.role.id, { roleName: r.role.name, roleId: r.role.id });
          if (r.group && want("Group")) groups.push({ groupName: r.group.name, groupId: r.group.id });
        }
      }
      if (asBoundary) {
        const [bu, br] = await Promise.all([
          want("User") ? tx.iamUser.findMany({ where: { accountId: acct, permissionsBoundaryPolicyId: policy.id }, select: { id: true, name: true } }) : [],
          want("Role") ? tx.role.findMany({ where: { accountId: acct, permissionsBoundaryPolicyId: policy.id }, select: { id: true, name: true } }) : [],
        ]);
        for (const u of bu) users.set(u.id, { userName: u.name, userId: u.id });
        for (const r of br) roles.set(r.id, { roleName: r.name, roleId: r.id });
      }
      groups = groups.sort(byName((g) => g.groupName));
      return {
        policyUsers: [...users.values()].sort(byName((u) => u.userName)),
        policyGroups: groups,
        policyRoles: [...roles.values()].sort(byName((r) => r.roleName)),
      };
    },
  };
}
