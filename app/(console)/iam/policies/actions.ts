"use server";
// Managed policies from the console: each action names its IAM operation and
// goes through the gate and the audit log (defineAction).
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
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
import { createPolicy, createPolicyVersion, deletePolicy, deletePolicyVersion, listPolicies, setDefaultPolicyVersion } from "@/lib/iam/services/policies";
import { tagPolicy, untagPolicy } from "@/lib/iam/services/tags";
import {
  CreatePolicyInput,
  CreatePolicyVersionInput,
  GroupPolicyAttachmentInput,
  ListPoliciesInput,
  PolicyArnInput,
  PolicyVersionInput,
  RoleNameInput,
  RolePolicyAttachmentInput,
  TagPolicyInput,
  UntagPolicyInput,
  UserNameInput,
  UserPolicyAttachmentInput,
} from "@/lib/iam/validation";
import { withTagKeys, withTags } from "./form-input";

const PICKER_RESULTS = 20;

/** Exact name first, then names that start with the text, then the rest (each in name order). */
function byRelevance(text: string | undefined) {
  const q = (text ?? "").toLowerCase();
  const rank = (name: string) => (name.toLowerCase() === q ? 0 : name.toLowerCase().startsWith(q) ? 1 : 2);
  return <T extends { policyName: string }>(a: T, b: T) => rank(a.policyName) - rank(b.policyName);
}

/**
 * The attach-policy picker's search: ListPolicies by name (one page of up to
 * 500), the best 20 matches first, so typing a whole name finds that policy
 * even when hundreds of names contain it.
 */
export const searchPoliciesAction = defineAction({
  input: ListPoliciesInput,
  operation: (input, principal) => {
    const op = listPolicies(principal, { ...input, pageSize: 500 });
    return {
      ...op,
      async run(ctx) {
        const page = await op.run(ctx);
        const items = [...page.items].sort(byRelevance(input.nameContains));
        return { items: items.slice(0, PICKER_RESULTS), isTruncated: page.isTruncated || items.length > PICKER_RESULTS };
      },
    };
  },
});

export const createPolicyAction = defineAction({
  input: z.preprocess(withTags, CreatePolicyInput),
  operation: (input, principal) => createPolicy(principal, input),
});

export const deletePolicyAction = defineAction({
  input: PolicyArnInput,
  operation: (input, principal) => deletePolicy(principal, input),
});

export const createPolicyVersionAction = defineAction({
  input: CreatePolicyVersionInput,
  operation: (input, principal) => createPolicyVersion(principal, input),
});

export const setDefaultPolicyVersionAction = defineAction({
  input: PolicyVersionInput,
  operation: (input, principal) => setDefaultPolicyVersion(principal, input),
});

export const deletePolicyVersionAction = defineAction({
  input: PolicyVersionInput,
  operation: (input, principal) => deletePolicyVersion(principal, input),
});

export const tagPolicyAction = defineAction({
  input: z.preprocess(withTags, TagPolicyInput),
  operation: (input, principal) => tagPolicy(principal, input),
});

export const untagPolicyAction = defineAction({
  input: z.preprocess(withTagKeys, UntagPolicyInput),
  operation: (input, principal) => untagPolicy(principal, input),
});

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
