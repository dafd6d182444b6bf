"use server";
// IAM groups from the console: each action names its IAM operation and goes
// through the gate and the audit log (defineAction).
import { defineAction } from "@/lib/actions/define-action";
import { attachGroupPolicy, deleteGroupPolicy, detachGroupPolicy, putGroupPolicy } from "@/lib/iam/services/attachments";
import { addUserToGroup, createGroup, deleteGroupConsole, removeUserFromGroup, updateGroup } from "@/lib/iam/services/groups";
import { listUsers } from "@/lib/iam/services/users";
import {
  CreateGroupInput,
  GroupMembershipInput,
  GroupNameInput,
  GroupPolicyAttachmentInput,
  GroupPolicyInput,
  ListUsersInput,
  PutGroupPolicyInput,
  UpdateGroupInput,
} from "@/lib/iam/validation";

export const createGroupAction = defineAction({
  input: CreateGroupInput,
  operation: (input, principal) => createGroup(principal, input),
});

export const updateGroupAction = defineAction({
  input: UpdateGroupInput,
  operation: (input, principal) => updateGroup(principal, input),
});

/** The console's delete: removes members, inline and attached policies first (each checked), then the group. */
export const deleteGroupAction = defineAction({
  input: GroupNameInput,
  operation: (input, principal) => deleteGroupConsole(principal, input),
});

export const addUserToGroupAction = defineAction({
  input: GroupMembershipInput,
  operation: (input, principal) => addUserToGroup(principal, input),
});

export const removeUserFromGroupAction = defineAction({
  input: GroupMembershipInput,
  operation: (input, principal) => removeUserFromGroup(principal, input),
});

export const attachGroupPolicyAction = defineAction({
  input: GroupPolicyAttachmentInput,
  operation: (input, principal) => attachGroupPolicy(principal, input),
});

export const detachGroupPolicyAction = defineAction({
  input: GroupPolicyAttachmentInput,
  operation: (input, principal) => detachGroupPolicy(principal, input),
});

export const putGroupPolicyAction = defineAction({
  input: PutGroupPolicyInput,
  operation: (input, principal) => putGroupPolicy(principal, input),
});

export const deleteGroupPolicyAction = defineAction({
  input: GroupPolicyInput,
  operation: (input, principal) => deleteGroupPolicy(principal, input),
});

/** The add-members picker's search: the first 20 users whose name contains the text. */
export const searchUsersAction = defineAction({
  input: ListUsersInput,
  operation: (input, principal) => listUsers(principal, { ...input, pageSize: Math.min(input.pageSize, 20) }),
});
