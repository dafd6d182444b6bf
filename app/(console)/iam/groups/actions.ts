"use server";
// IAM groups from the console: each action names its IAM operation and goes
// through the gate and the audit log (defineAction).
import { defineAction } from "@/lib/actions/define-action";
import { CONSOLE } from "@/lib/iam/catalogue/console";
import { IAM } from "@/lib/iam/catalogue";
import { listUsers } from "@/lib/iam/services/users";
import {
  GroupNameInput,
  ListUsersInput,
} from "@/lib/iam/validation";

export const createGroupAction = defineAction(IAM.CreateGroup);

export const updateGroupAction = defineAction(IAM.UpdateGroup);

/** The console's delete: removes members, inline and attached policies first (each checked), then the group. */
export const deleteGroupAction = defineAction({ input: GroupNameInput, sequence: CONSOLE.DeleteGroup });

export const addUserToGroupAction = defineAction(IAM.AddUserToGroup);

export const removeUserFromGroupAction = defineAction(IAM.RemoveUserFromGroup);

export const attachGroupPolicyAction = defineAction(IAM.AttachGroupPolicy);

export const detachGroupPolicyAction = defineAction(IAM.DetachGroupPolicy);

export const putGroupPolicyAction = defineAction(IAM.PutGroupPolicy);

export const deleteGroupPolicyAction = defineAction(IAM.DeleteGroupPolicy);

/** The add-members picker's search: the first 20 users whose name contains the text. */
export const searchUsersAction = defineAction({
  input: ListUsersInput,
  operation: (input, principal) => listUsers(principal, { ...input, pageSize: Math.min(input.pageSize, 20) }),
});
