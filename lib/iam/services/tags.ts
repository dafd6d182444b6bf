import "server-only";
// Tags on users, roles and customer-managed policies: at most 50 per entity,
// keys unique ignoring case, no "aws:" prefix (checked again here, whatever
// door the request came through).
import type { OperationSpec } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";
import type { PolicyArnInput, RoleNameInput, Tag, TagPolicyInput, TagRoleInput, TagUserInput, UntagPolicyInput, UntagRoleInput, UntagUserInput, UserNameInput } from "@/lib/iam/validation";
import { applyTags, listTags, lockPolicy, lockRole, lockUser, removeTags, requireOwnPolicy, requirePolicy, requireRole, requireUser, roleResource, userResource } from "./common";

export function tagUser(principal: Principal, input: TagUserInput): OperationSpec<void> {
  return {
    service: "iam",
    name: "TagUser",
    readOnly: false,
    resource: userResource(principal, input.userName),
    parameters: input,
    async run({ tx }) {
      const user = await requireUser(tx, principal.accountId, input.userName);
      await lockUser(tx, user.id);
      await applyTags(tx, principal.accountId, user.arn, input.tags, "TagsPerUser");
    },
  };
}

export function untagUser(principal: Principal, input: UntagUserInput): OperationSpec<void> {
  return {
    service: "iam",
    name: "UntagUser",
    readOnly: false,
    resource: userResource(principal, input.userName),
    parameters: input,
    async run({ tx }) {
      const user = await requireUser(tx, principal.accountId, input.userName);
      await removeTags(tx, user.arn, input.tagKeys);
    },
  };
}

export function listUserTags(principal: Principal, input: UserNameInput): OperationSpec<{ tags: Tag[] }> {
  return {
    service: "iam",
    name: "ListUserTags",
    readOnly: true,
    resource: userResource(principal, input.userName),
    parameters: input,
    async run({ tx }) {
      const user = await requireUser(tx, principal.accountId, input.userName);
      return { tags: await listTags(tx, user.arn) };
    },
  };
}

export function tagRole(principal: Principal, input: TagRoleInput): OperationSpec<void> {
  return {
    service: "iam",
    name: "TagRole",
    readOnly: false,
    resource: roleResource(principal, input.roleName),
    parameters: input,
    async run({ tx }) {
      const role = await requireRole(tx, principal.accountId, input.roleName);
      await lockRole(tx, role);
      await applyTags(tx, principal.accountId, role.arn, input.tags, "TagsPerRole");
    },
  };
}

export function untagRole(principal: Principal, input: UntagRoleInput): OperationSpec<void> {
  return {
    service: "iam",
    name: "UntagRole",
    readOnly: false,
    resource: roleResource(principal, input.roleName),
    parameters: input,
    async run({ tx }) {
      const role = await requireRole(tx, principal.accountId, input.roleName);
      await removeTags(tx, role.arn, input.tagKeys);
    },
  };
}

export function listRoleTags(principal: Principal, input: RoleNameInput): OperationSpec<{ tags: Tag[] }> {
  return {
    service: "iam",
    name: "ListRoleTags",
    readOnly: true,
    resource: roleResource(principal, input.roleName),
    parameters: input,
    async run({ tx }) {
      const role = await requireRole(tx, principal.accountId, input.roleName);
      return { tags: await listTags(tx, role.arn) };
    },
  };
}

export function tagPolicy(principal: Principal, input: TagPolicyInput): OperationSpec<void> {
  return {
    service: "iam",
    name: "TagPolicy",
    readOnly: false,
    resource: { arn: input.policyArn },
    parameters: input,
    async run({ tx }) {
      const policy = await requireOwnPolicy(tx, principal, input.policyArn, "iam:TagPolicy");
      await lockPolicy(tx, policy.id);
      await applyTags(tx, principal.accountId, policy.arn, input.tags, "TagsPerPolicy");
    },
  };
}

export function untagPolicy(principal: Principal, input: UntagPolicyInput): OperationSpec<void> {
  return {
    service: "iam",
    name: "UntagPolicy",
    readOnly: false,
    resource: { arn: input.policyArn },
    parameters: input,
    async run({ tx }) {
      const policy = await requireOwnPolicy(tx, principal, input.policyArn, "iam:UntagPolicy");
      await removeTags(tx, policy.arn, input.tagKeys);
    },
  };
}

export function listPolicyTags(principal: Principal, input: PolicyArnInput): OperationSpec<{ tags: Tag[] }> {
  return {
    service: "iam",
    name: "ListPolicyTags",
    readOnly: true,
    resource: { arn: input.policyArn },
    parameters: input,
    async run({ tx }) {
      const policy = await requirePolicy(tx, principal.accountId, input.policyArn);
      return { tags: await listTags(tx, policy.arn) };
    },
  };
}
