"use server";
// The role pages' actions: each names its IAM operation (lib/iam/roles,
// lib/iam/services) and goes through the gate and the audit (defineAction).
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { IAM } from "@/lib/iam/catalogue";
import { CONSOLE } from "@/lib/iam/catalogue/console";
import { addRoleToInstanceProfile, createInstanceProfile } from "@/lib/iam/roles/instance-profiles";
import { trustPolicyFor, type TrustedEntity } from "@/lib/iam/roles/validation";
import { revokeRoleSessions, updateRole } from "@/lib/iam/roles/roles";
import { description, policyDocument, policyName, roleName, TagRoleInput, UntagRoleInput } from "@/lib/iam/validation";
import { blank, withTagKeys, withTags } from "@/lib/actions/form-input";
import { CreateRoleForm } from "./create-role-input";

const RoleName = z.object({ roleName });

/**
 * The create wizard. Like AWS's console, a role for EC2 also gets an instance
 * profile of the same name holding it: one transaction, each call authorized
 * and audited (the console composite CreateRole).
 */
export const createRoleAction = defineAction({ input: CreateRoleForm, sequence: CONSOLE.CreateRole });

/** "Create instance profile" on an EC2 role's page: a profile named after the role, holding it. */
export const createInstanceProfileForRoleAction = defineAction({
  input: RoleName,
  sequence: ({ roleName }, p) => async (step) => {
    await step(createInstanceProfile(p, { instanceProfileName: roleName }));
    await step(addRoleToInstanceProfile(p, { instanceProfileName: roleName, roleName }));
  },
});

export const removeRoleFromInstanceProfileAction = defineAction({ input: z.object({ roleName, instanceProfileName: z.string().min(1) }), operation: IAM.RemoveRoleFromInstanceProfile.operation });

export const deleteRoleAction = defineAction({ input: RoleName, sequence: CONSOLE.DeleteRole });

export const updateRoleAction = defineAction({
  input: z.object({
    roleName,
    description: z.preprocess((v) => (v ?? ""), description),
    maxSessionHours: z.coerce.number().int().min(1, "Between 1 and 12 hours.").max(12, "Between 1 and 12 hours."),
  }),
  operation: (input, p) => updateRole(p, { roleName: input.roleName, description: input.description, maxSessionDuration: input.maxSessionHours * 3600 }),
});

export const updateTrustPolicyAction = defineAction({ input: z.object({ roleName, policyDocument }), operation: IAM.UpdateAssumeRolePolicy.operation });

export const revokeSessionsAction = defineAction({ input: RoleName, operation: (input, p) => revokeRoleSessions(p, input) });

export const attachRolePolicyAction = defineAction({ input: z.object({ roleName, policyArn: z.string({ error: "Choose a policy." }).trim().min(1, "Choose a policy.") }), operation: IAM.AttachRolePolicy.operation });

export const detachRolePolicyAction = defineAction({ input: z.object({ roleName, policyArn: z.string().min(1) }), operation: IAM.DetachRolePolicy.operation });

export const putRolePolicyAction = defineAction({ input: z.object({ roleName, policyName, policyDocument }), operation: IAM.PutRolePolicy.operation });

export const deleteRolePolicyAction = defineAction({ input: z.object({ roleName, policyName }), operation: IAM.DeleteRolePolicy.operation });

export const putRoleBoundaryAction = defineAction({ input: z.object({ roleName, permissionsBoundary: z.preprocess(blank, z.string({ error: "Choose a policy to use as the boundary." }).trim()) }), operation: IAM.PutRolePermissionsBoundary.operation });

export const deleteRoleBoundaryAction = defineAction({ input: RoleName, operation: IAM.DeleteRolePermissionsBoundary.operation });

/** TagsEditor's fields: repeated tagKey/tagValue to add, tagKeys to remove. */
export const tagRoleAction = defineAction({ input: z.preprocess(withTags, TagRoleInput), operation: IAM.TagRole.operation });
export const untagRoleAction = defineAction({ input: z.preprocess(withTagKeys, UntagRoleInput), operation: IAM.UntagRole.operation });


/**
 * The wizard's preview of the trust policy a trusted-entity choice writes: no
 * AWS call and nothing read (the same pure builder CreateRole uses), so no gate;
 * null while the choice is incomplete.
 */
export const trustPolicyPreviewAction = defineAction({
  input: z.object({ entity: z.custom<TrustedEntity>((v) => typeof v === "object" && v !== null), accountId: z.string() }),
  run: async ({ entity, accountId }) => {
    try {
      return trustPolicyFor(entity, accountId);
    } catch {
      return null;
    }
  },
});
