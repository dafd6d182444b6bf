"use server";
// Managed policies from the console: each action names its IAM operation and
// goes through the gate and the audit log (defineAction).
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { IAM } from "@/lib/iam/catalogue";
import {
  attachGroupPolicy,
  attachRolePolicy,
  attachUserPolicy,
  deleteRolePermissionsBoundary,
  deleteUserPermissionsBoundary,
  detachGroupPolicy,
  detachRolePolicy,
  detachUserPolicy,
} from "@/lib/iam/services/attachments";
import {
  CreatePolicyInput,
  GroupPolicyAttachmentInput,
  RoleNameInput,
  RolePolicyAttachmentInput,
  TagPolicyInput,
  UntagPolicyInput,
  UserNameInput,
  UserPolicyAttachmentInput,
} from "@/lib/iam/validation";
import { withTagKeys, withTags } from "@/lib/actions/form-input";

export const createPolicyAction = defineAction({ input: z.preprocess(withTags, CreatePolicyInput), operation: IAM.CreatePolicy.operation });

export const deletePolicyAction = defineAction(IAM.DeletePolicy);

export const createPolicyVersionAction = defineAction(IAM.CreatePolicyVersion);

export const setDefaultPolicyVersionAction = defineAction(IAM.SetDefaultPolicyVersion);

export const deletePolicyVersionAction = defineAction(IAM.DeletePolicyVersion);

export const tagPolicyAction = defineAction({ input: z.preprocess(withTags, TagPolicyInput), operation: IAM.TagPolicy.operation });

export const untagPolicyAction = defineAction({ input: z.preprocess(withTagKeys, UntagPolicyInput), operation: IAM.UntagPolicy.operation });

// ---------------------------------------------------------------------------
// Attach or detach from the policy's side ("Entities attached")

const EntityAttachment = z.discriminatedUnion("kind", [
  UserPolicyAttachmentInput.extend({ kind: z.literal("user") }),
  GroupPolicyAttachmentInput.extend({ kind: z.literal("group") }),
  RolePolicyAttachmentInput.extend({ kind: z.literal("role") }),
]);

/** The entity's name arrives in one field, entityName, whichever kind was chosen. */
const entityInput = z.preprocess((raw) => {
  if (typeof raw !== "object" || raw === null) return raw;
  const { entityName, ...rest } = raw as Record<string, unknown>;
  const kind = rest.kind;
  const field = kind === "user" ? "userName" : kind === "group" ? "groupName" : kind === "role" ? "roleName" : "entityName";
  return entityName === undefined ? rest : { ...rest, [field]: entityName };
}, EntityAttachment);

export const attachPolicyToEntityAction = defineAction({
  input: entityInput,
  operation: (input, principal) =>
    input.kind === "user" ? attachUserPolicy(principal, input) : input.kind === "group" ? attachGroupPolicy(principal, input) : attachRolePolicy(principal, input),
});

export const detachPolicyFromEntityAction = defineAction({
  input: entityInput,
  operation: (input, principal) =>
    input.kind === "user" ? detachUserPolicy(principal, input) : input.kind === "group" ? detachGroupPolicy(principal, input) : detachRolePolicy(principal, input),
});

const BoundaryHolder = z.discriminatedUnion("kind", [UserNameInput.extend({ kind: z.literal("user") }), RoleNameInput.extend({ kind: z.literal("role") })]);

export const removePermissionsBoundaryAction = defineAction({
  input: BoundaryHolder,
  operation: (input, principal) =>
    input.kind === "user" ? deleteUserPermissionsBoundary(principal, input) : deleteRolePermissionsBoundary(principal, input),
});
