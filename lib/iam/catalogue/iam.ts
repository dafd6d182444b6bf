// IAM's operations, declared once (see ./operation.ts). Names and inputs are
// AWS's; the builders live with their domain (lib/iam/services, lib/iam/roles).
import { z } from "zod";
import { getAccountSummary } from "@/lib/iam/account-summary";
import {
  addRoleToInstanceProfile,
  createInstanceProfile,
  deleteInstanceProfile,
  getInstanceProfile,
  listInstanceProfiles,
  listInstanceProfilesForRole,
  removeRoleFromInstanceProfile,
} from "@/lib/iam/roles/instance-profiles";
import { createRole, deleteRole, getRole, listRoles, updateAssumeRolePolicy, updateRole, updateRoleDescription } from "@/lib/iam/roles/roles";
import { instanceProfileNameSchema } from "@/lib/iam/roles/validation";
import { createAccessKey, deleteAccessKey, getAccessKeyLastUsed, listAccessKeys, updateAccessKey } from "@/lib/iam/services/access-keys";
import { createAccountAlias, deleteAccountAlias, listAccountAliases } from "@/lib/iam/services/account-aliases";
import { generateCredentialReport, getCredentialReport } from "@/lib/iam/services/credential-report";
import * as attachments from "@/lib/iam/services/attachments";
import { addUserToGroup, createGroup, deleteGroup, getGroup, listGroups, listGroupsForUser, removeUserFromGroup, updateGroup } from "@/lib/iam/services/groups";
import {
  createVirtualMfaDevice,
  deactivateMfaDevice,
  deleteVirtualMfaDevice,
  enableMfaDevice,
  getMfaDevice,
  listMfaDevices,
  listVirtualMfaDevices,
  resyncMfaDevice,
} from "@/lib/iam/services/mfa";
import {
  changePassword,
  createLoginProfile,
  deleteAccountPasswordPolicy,
  deleteLoginProfile,
  getAccountPasswordPolicy,
  getLoginProfile,
  updateAccountPasswordPolicy,
  updateLoginProfile,
} from "@/lib/iam/services/passwords";
import {
  createPolicy,
  createPolicyVersion,
  deletePolicy,
  deletePolicyVersion,
  getPolicy,
  getPolicyVersion,
  listEntitiesForPolicy,
  listPolicies,
  listPolicyVersions,
  setDefaultPolicyVersion,
} from "@/lib/iam/services/policies";
import { simulateCustomPolicy, simulatePrincipalPolicy } from "@/lib/iam/services/simulation-api";
import * as tagging from "@/lib/iam/services/tags";
import { createUser, deleteUser, getUserOrCaller, listUsers, updateUser } from "@/lib/iam/services/users";
import * as v from "@/lib/iam/validation";
import { IAM_ACCESS_REPORTS } from "./iam-access-reports";
import { IAM_ACCOUNT } from "./iam-account";
import { IAM_CREDENTIALS } from "./iam-credentials";
import { IAM_DELEGATION } from "./iam-delegation";
import { IAM_FEDERATION } from "./iam-federation";
import { IAM_OUTBOUND_FEDERATION } from "./iam-outbound-federation";
import { IAM_ORGANIZATIONS_ROOT } from "./iam-organizations-root";
import { declare, declareNoInput } from "./operation";

const NoInput = z.object({}).passthrough();
const optionalText = <S extends z.ZodType>(schema: S) => z.preprocess((x) => (x === "" || x === null ? undefined : x), schema.optional());
const maxSessionDuration = z.coerce.number().int();
const marker = optionalText(v.cursor);
const maxItems = optionalText(v.pageSize);

const RoleInputs = {
  CreateRole: z.object({
    roleName: v.roleName,
    path: optionalText(v.iamPath()),
    assumeRolePolicyDocument: v.policyDocument,
    description: optionalText(v.description),
    maxSessionDuration: optionalText(maxSessionDuration),
    permissionsBoundary: optionalText(v.arn("permissionsBoundary")),
    tags: optionalText(v.tags),
  }),
  ListRoles: z.object({ pathPrefix: optionalText(v.pathPrefix), marker, maxItems }),
  UpdateRole: z.object({ roleName: v.roleName, description: optionalText(v.description), maxSessionDuration: optionalText(maxSessionDuration) }),
  UpdateAssumeRolePolicy: z.object({ roleName: v.roleName, policyDocument: v.policyDocument }),
  InstanceProfileName: z.object({ instanceProfileName: instanceProfileNameSchema }),
  CreateInstanceProfile: z.object({ instanceProfileName: instanceProfileNameSchema, path: optionalText(v.iamPath()), tags: optionalText(v.tags) }),
  RoleInInstanceProfile: z.object({ instanceProfileName: instanceProfileNameSchema, roleName: v.roleName }),
  ListInstanceProfiles: z.object({ pathPrefix: optionalText(v.pathPrefix), marker, maxItems }),
  UpdateRoleDescription: z.object({ roleName: v.roleName, description: v.description }),
  TagInstanceProfile: z.object({ instanceProfileName: instanceProfileNameSchema, tags: v.tags }),
  UntagInstanceProfile: z.object({ instanceProfileName: instanceProfileNameSchema, tagKeys: v.tagKeys }),
};

export const IAM = {
  // Users
  ListUsers: declare("iam", "ListUsers", v.ListUsersInput, listUsers),
  GetUser: declare("iam", "GetUser", v.OptionalUserInput, getUserOrCaller),
  CreateUser: declare("iam", "CreateUser", v.CreateUserInput, createUser),
  UpdateUser: declare("iam", "UpdateUser", v.UpdateUserInput, updateUser),
  DeleteUser: declare("iam", "DeleteUser", v.UserNameInput, deleteUser),
  // Login profiles and passwords
  CreateLoginProfile: declare("iam", "CreateLoginProfile", v.CreateLoginProfileInput, createLoginProfile),
  GetLoginProfile: declare("iam", "GetLoginProfile", v.UserNameInput, getLoginProfile),
  UpdateLoginProfile: declare("iam", "UpdateLoginProfile", v.UpdateLoginProfileInput, updateLoginProfile),
  DeleteLoginProfile: declare("iam", "DeleteLoginProfile", v.UserNameInput, deleteLoginProfile),
  ChangePassword: declare("iam", "ChangePassword", v.ChangePasswordInput, changePassword),
  GetAccountPasswordPolicy: declareNoInput("iam", "GetAccountPasswordPolicy", NoInput, getAccountPasswordPolicy),
  UpdateAccountPasswordPolicy: declare("iam", "UpdateAccountPasswordPolicy", v.PasswordPolicyInput, updateAccountPasswordPolicy),
  DeleteAccountPasswordPolicy: declareNoInput("iam", "DeleteAccountPasswordPolicy", NoInput, deleteAccountPasswordPolicy),
  // Access keys
  CreateAccessKey: declare("iam", "CreateAccessKey", v.OptionalUserInput, createAccessKey),
  ListAccessKeys: declare("iam", "ListAccessKeys", v.OptionalUserInput, listAccessKeys),
  UpdateAccessKey: declare("iam", "UpdateAccessKey", v.UpdateAccessKeyInput, updateAccessKey),
  DeleteAccessKey: declare("iam", "DeleteAccessKey", v.AccessKeyInput, deleteAccessKey),
  GetAccessKeyLastUsed: declare("iam", "GetAccessKeyLastUsed", v.AccessKeyIdInput, getAccessKeyLastUsed),
  // MFA
  CreateVirtualMFADevice: declare("iam", "CreateVirtualMFADevice", v.CreateVirtualMfaDeviceInput, createVirtualMfaDevice),
  EnableMFADevice: declare("iam", "EnableMFADevice", v.EnableMfaDeviceInput, enableMfaDevice),
  ResyncMFADevice: declare("iam", "ResyncMFADevice", v.EnableMfaDeviceInput, resyncMfaDevice),
  DeactivateMFADevice: declare("iam", "DeactivateMFADevice", v.DeactivateMfaDeviceInput, deactivateMfaDevice),
  DeleteVirtualMFADevice: declare("iam", "DeleteVirtualMFADevice", v.SerialNumberInput, deleteVirtualMfaDevice),
  ListMFADevices: declare("iam", "ListMFADevices", v.OptionalUserInput, listMfaDevices),
  ListVirtualMFADevices: declare("iam", "ListVirtualMFADevices", v.ListVirtualMfaDevicesInput, listVirtualMfaDevices),
  GetMFADevice: declare("iam", "GetMFADevice", v.GetMfaDeviceInput, getMfaDevice),
  // Groups
  CreateGroup: declare("iam", "CreateGroup", v.CreateGroupInput, createGroup),
  UpdateGroup: declare("iam", "UpdateGroup", v.UpdateGroupInput, updateGroup),
  DeleteGroup: declare("iam", "DeleteGroup", v.GroupNameInput, deleteGroup),
  GetGroup: declare("iam", "GetGroup", v.GroupNameInput, getGroup),
  ListGroups: declare("iam", "ListGroups", v.ListGroupsInput, listGroups),
  ListGroupsForUser: declare("iam", "ListGroupsForUser", v.UserNameInput, listGroupsForUser),
  AddUserToGroup: declare("iam", "AddUserToGroup", v.GroupMembershipInput, addUserToGroup),
  RemoveUserFromGroup: declare("iam", "RemoveUserFromGroup", v.GroupMembershipInput, removeUserFromGroup),
  // Roles and instance profiles
  CreateRole: declare("iam", "CreateRole", RoleInputs.CreateRole, createRole),
  GetRole: declare("iam", "GetRole", v.RoleNameInput, getRole),
  ListRoles: declare("iam", "ListRoles", RoleInputs.ListRoles, listRoles),
  UpdateRole: declare("iam", "UpdateRole", RoleInputs.UpdateRole, updateRole),
  UpdateRoleDescription: declare("iam", "UpdateRoleDescription", RoleInputs.UpdateRoleDescription, updateRoleDescription),
  UpdateAssumeRolePolicy: declare("iam", "UpdateAssumeRolePolicy", RoleInputs.UpdateAssumeRolePolicy, updateAssumeRolePolicy),
  DeleteRole: declare("iam", "DeleteRole", v.RoleNameInput, deleteRole),
  CreateInstanceProfile: declare("iam", "CreateInstanceProfile", RoleInputs.CreateInstanceProfile, createInstanceProfile),
  GetInstanceProfile: declare("iam", "GetInstanceProfile", RoleInputs.InstanceProfileName, getInstanceProfile),
  DeleteInstanceProfile: declare("iam", "DeleteInstanceProfile", RoleInputs.InstanceProfileName, deleteInstanceProfile),
  AddRoleToInstanceProfile: declare("iam", "AddRoleToInstanceProfile", RoleInputs.RoleInInstanceProfile, addRoleToInstanceProfile),
  RemoveRoleFromInstanceProfile: declare("iam", "RemoveRoleFromInstanceProfile", RoleInputs.RoleInInstanceProfile, removeRoleFromInstanceProfile),
  ListInstanceProfiles: declare("iam", "ListInstanceProfiles", RoleInputs.ListInstanceProfiles, listInstanceProfiles),
  ListInstanceProfilesForRole: declare("iam", "ListInstanceProfilesForRole", v.RoleNameInput, listInstanceProfilesForRole),
  // Managed policies and versions
  ListPolicies: declare("iam", "ListPolicies", v.ListPoliciesInput, listPolicies),
  GetPolicy: declare("iam", "GetPolicy", v.PolicyArnInput, getPolicy),
  CreatePolicy: declare("iam", "CreatePolicy", v.CreatePolicyInput, createPolicy),
  DeletePolicy: declare("iam", "DeletePolicy", v.PolicyArnInput, deletePolicy),
  CreatePolicyVersion: declare("iam", "CreatePolicyVersion", v.CreatePolicyVersionInput, createPolicyVersion),
  SetDefaultPolicyVersion: declare("iam", "SetDefaultPolicyVersion", v.PolicyVersionInput, setDefaultPolicyVersion),
  DeletePolicyVersion: declare("iam", "DeletePolicyVersion", v.PolicyVersionInput, deletePolicyVersion),
  GetPolicyVersion: declare("iam", "GetPolicyVersion", v.PolicyVersionInput, getPolicyVersion),
  ListPolicyVersions: declare("iam", "ListPolicyVersions", v.PolicyArnInput, listPolicyVersions),
  ListEntitiesForPolicy: declare("iam", "ListEntitiesForPolicy", v.ListEntitiesForPolicyInput, listEntitiesForPolicy),
  // Attached and inline policies, permissions boundaries
  AttachUserPolicy: declare("iam", "AttachUserPolicy", v.UserPolicyAttachmentInput, attachments.attachUserPolicy),
  DetachUserPolicy: declare("iam", "DetachUserPolicy", v.UserPolicyAttachmentInput, attachments.detachUserPolicy),
  AttachGroupPolicy: declare("iam", "AttachGroupPolicy", v.GroupPolicyAttachmentInput, attachments.attachGroupPolicy),
  DetachGroupPolicy: declare("iam", "DetachGroupPolicy", v.GroupPolicyAttachmentInput, attachments.detachGroupPolicy),
  AttachRolePolicy: declare("iam", "AttachRolePolicy", v.RolePolicyAttachmentInput, attachments.attachRolePolicy),
  DetachRolePolicy: declare("iam", "DetachRolePolicy", v.RolePolicyAttachmentInput, attachments.detachRolePolicy),
  ListAttachedUserPolicies: declare("iam", "ListAttachedUserPolicies", v.UserNameInput, attachments.listAttachedUserPolicies),
  ListAttachedGroupPolicies: declare("iam", "ListAttachedGroupPolicies", v.GroupNameInput, attachments.listAttachedGroupPolicies),
  ListAttachedRolePolicies: declare("iam", "ListAttachedRolePolicies", v.RoleNameInput, attachments.listAttachedRolePolicies),
  PutUserPolicy: declare("iam", "PutUserPolicy", v.PutUserPolicyInput, attachments.putUserPolicy),
  GetUserPolicy: declare("iam", "GetUserPolicy", v.UserPolicyInput, attachments.getUserPolicy),
  DeleteUserPolicy: declare("iam", "DeleteUserPolicy", v.UserPolicyInput, attachments.deleteUserPolicy),
  ListUserPolicies: declare("iam", "ListUserPolicies", v.UserNameInput, attachments.listUserPolicies),
  PutGroupPolicy: declare("iam", "PutGroupPolicy", v.PutGroupPolicyInput, attachments.putGroupPolicy),
  GetGroupPolicy: declare("iam", "GetGroupPolicy", v.GroupPolicyInput, attachments.getGroupPolicy),
  DeleteGroupPolicy: declare("iam", "DeleteGroupPolicy", v.GroupPolicyInput, attachments.deleteGroupPolicy),
  ListGroupPolicies: declare("iam", "ListGroupPolicies", v.GroupNameInput, attachments.listGroupPolicies),
  PutRolePolicy: declare("iam", "PutRolePolicy", v.PutRolePolicyInput, attachments.putRolePolicy),
  GetRolePolicy: declare("iam", "GetRolePolicy", v.RolePolicyInput, attachments.getRolePolicy),
  DeleteRolePolicy: declare("iam", "DeleteRolePolicy", v.RolePolicyInput, attachments.deleteRolePolicy),
  ListRolePolicies: declare("iam", "ListRolePolicies", v.RoleNameInput, attachments.listRolePolicies),
  PutUserPermissionsBoundary: declare("iam", "PutUserPermissionsBoundary", v.PutUserBoundaryInput, attachments.putUserPermissionsBoundary),
  DeleteUserPermissionsBoundary: declare("iam", "DeleteUserPermissionsBoundary", v.UserNameInput, attachments.deleteUserPermissionsBoundary),
  PutRolePermissionsBoundary: declare("iam", "PutRolePermissionsBoundary", v.PutRoleBoundaryInput, attachments.putRolePermissionsBoundary),
  DeleteRolePermissionsBoundary: declare("iam", "DeleteRolePermissionsBoundary", v.RoleNameInput, attachments.deleteRolePermissionsBoundary),
  // The policy simulator
  SimulatePrincipalPolicy: declare("iam", "SimulatePrincipalPolicy", v.SimulatePrincipalPolicyInput, simulatePrincipalPolicy),
  SimulateCustomPolicy: declare("iam", "SimulateCustomPolicy", v.SimulateCustomPolicyInput, simulateCustomPolicy),
  // Tags
  TagUser: declare("iam", "TagUser", v.TagUserInput, tagging.tagUser),
  UntagUser: declare("iam", "UntagUser", v.UntagUserInput, tagging.untagUser),
  ListUserTags: declare("iam", "ListUserTags", v.UserNameInput, tagging.listUserTags),
  TagRole: declare("iam", "TagRole", v.TagRoleInput, tagging.tagRole),
  UntagRole: declare("iam", "UntagRole", v.UntagRoleInput, tagging.untagRole),
  ListRoleTags: declare("iam", "ListRoleTags", v.RoleNameInput, tagging.listRoleTags),
  TagPolicy: declare("iam", "TagPolicy", v.TagPolicyInput, tagging.tagPolicy),
  UntagPolicy: declare("iam", "UntagPolicy", v.UntagPolicyInput, tagging.untagPolicy),
  ListPolicyTags: declare("iam", "ListPolicyTags", v.PolicyArnInput, tagging.listPolicyTags),
  TagMFADevice: declare("iam", "TagMFADevice", v.TagMfaDeviceInput, tagging.tagMfaDevice),
  UntagMFADevice: declare("iam", "UntagMFADevice", v.UntagMfaDeviceInput, tagging.untagMfaDevice),
  ListMFADeviceTags: declare("iam", "ListMFADeviceTags", v.SerialNumberInput, tagging.listMfaDeviceTags),
  TagInstanceProfile: declare("iam", "TagInstanceProfile", RoleInputs.TagInstanceProfile, tagging.tagInstanceProfile),
  UntagInstanceProfile: declare("iam", "UntagInstanceProfile", RoleInputs.UntagInstanceProfile, tagging.untagInstanceProfile),
  ListInstanceProfileTags: declare("iam", "ListInstanceProfileTags", RoleInputs.InstanceProfileName, tagging.listInstanceProfileTags),
  // Account
  GetAccountSummary: declareNoInput("iam", "GetAccountSummary", NoInput, getAccountSummary),
  CreateAccountAlias: declare("iam", "CreateAccountAlias", v.AccountAliasInput, createAccountAlias),
  DeleteAccountAlias: declare("iam", "DeleteAccountAlias", v.AccountAliasInput, deleteAccountAlias),
  ListAccountAliases: declare("iam", "ListAccountAliases", v.ListAccountAliasesInput, listAccountAliases),
  // Reports
  GenerateCredentialReport: declareNoInput("iam", "GenerateCredentialReport", NoInput, (p) => generateCredentialReport(p)),
  GetCredentialReport: declareNoInput("iam", "GetCredentialReport", NoInput, (p) => getCredentialReport(p)),
  ...IAM_ACCOUNT,
  ...IAM_CREDENTIALS,
  ...IAM_FEDERATION,
  ...IAM_OUTBOUND_FEDERATION,
  ...IAM_DELEGATION,
  ...IAM_ORGANIZATIONS_ROOT,
  ...IAM_ACCESS_REPORTS,
};
