// Input schemas of the IAM operations, shared by the console (server actions)
// and the AWS-compatible API. Patterns and limits are AWS's own (the IAM API
// reference); messages follow AWS's ValidationError wording, so a person sees
// which rule failed:
//   1 validation error detected: Value 'x y' at 'userName' failed to satisfy
//   constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+
// Secret values (passwords, codes) are never echoed back in a message.
import { z } from "zod";

// ---------------------------------------------------------------------------
// Building blocks

const NAME_PATTERN = /^[\w+=,.@-]+$/;
const PATH_PATTERN = /^(\u002F|\u002F[\u0021-\u007E]+\u002F)$/;
const PATH_PREFIX_PATTERN = /^\u002F[\u0021-\u007F]*$/;
const TAG_KEY_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const TAG_VALUE_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
/** Printable ASCII, tab, LF, CR and the Basic Multilingual Plane, as IAM accepts for passwords. */
const PASSWORD_PATTERN = /^[\u0009\u000A\u000D\u0020-\u00FF]+$/;
const POLICY_DOCUMENT_PATTERN = /^[\u0009\u000A\u000D\u0020-\u00FF\u0100-\uFFFF]+$/;

/** Longest part of a refused value a message echoes: a 6 MB document is not sent back whole. */
export const ECHO_LIMIT = 128;

export function validationMessage(field: string, value: string | undefined, constraint: string): string {
  const shown =
    value === undefined
      ? "Value"
      : value.length > ECHO_LIMIT
        ? `Value '${value.slice(0, ECHO_LIMIT)}...' (${value.length} characters, cut)`
        : `Value '${value}'`;
  return `1 validation error detected: ${shown} at '${field}' failed to satisfy constraint: ${constraint}`;
}

interface StringRule {
  min?: number;
  max?: number;
  pattern?: RegExp;
  /** The pattern as AWS prints it. */
  patternText?: string;
  /** Do not echo the value (passwords, MFA codes). */
  secret?: boolean;
}

/** An AWS string parameter: length and pattern, checked in AWS's order (length first). */
export function awsString(field: string, rule: StringRule) {
  return z.string({ error: validationMessage(field, undefined, "Member must not be null") }).superRefine((value, ctx) => {
    const shown = rule.secret ? undefined : value;
    const fail = (constraint: string) => ctx.addIssue({ code: "custom", message: validationMessage(field, shown, constraint) });
    if (rule.min !== undefined && value.length < rule.min) return fail(`Member must have length greater than or equal to ${rule.min}`);
    if (rule.max !== undefined && value.length > rule.max) return fail(`Member must have length less than or equal to ${rule.max}`);
    if (rule.pattern && !rule.pattern.test(value)) {
      return fail(`Member must satisfy regular expression pattern: ${rule.patternText ?? rule.pattern.source}`);
    }
  });
}

/** Empty strings from forms mean "not given". */
const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);
const optional = <S extends z.ZodType>(schema: S) => z.preprocess(blankToUndefined, schema.optional());

/** A checkbox or "true"/"false" text from a form, or a real boolean from the API. */
export const formBoolean = z.preprocess((v) => {
  if (typeof v === "boolean") return v;
  if (v === undefined || v === null || v === "") return undefined;
  const s = String(v).toLowerCase();
  if (s === "true" || s === "on" || s === "1" || s === "yes") return true;
  if (s === "false" || s === "off" || s === "0" || s === "no") return false;
  return v;
}, z.boolean({ error: "Must be true or false" }));

/** A list from a form (one value arrives as a string) or from the API. */
export function listOf<S extends z.ZodType>(item: S) {
  return z.preprocess((v) => (v === undefined || v === null || v === "" ? [] : Array.isArray(v) ? v : [v]), z.array(item));
}

const intIn = (field: string, min: number, max: number) =>
  z.coerce
    .number({ error: validationMessage(field, undefined, "Member must be a number") })
    .int(validationMessage(field, undefined, "Member must be a whole number"))
    .min(min, { error: (i) => validationMessage(field, String(i.input), `Member must have value greater than or equal to ${min}`) })
    .max(max, { error: (i) => validationMessage(field, String(i.input), `Member must have value less than or equal to ${max}`) });

// ---------------------------------------------------------------------------
// Names, paths, identifiers

const NAME_TEXT = "[\\w+=,.@-]+";
export const userName = awsString("userName", { min: 1, max: 64, pattern: NAME_PATTERN, patternText: NAME_TEXT });
export const groupName = awsString("groupName", { min: 1, max: 128, pattern: NAME_PATTERN, patternText: NAME_TEXT });
export const roleName = awsString("roleName", { min: 1, max: 64, pattern: NAME_PATTERN, patternText: NAME_TEXT });
export const policyName = awsString("policyName", { min: 1, max: 128, pattern: NAME_PATTERN, patternText: NAME_TEXT });
export const mfaDeviceName = awsString("virtualMFADeviceName", { min: 1, max: 226, pattern: NAME_PATTERN, patternText: NAME_TEXT });
export const iamPath = (field = "path") =>
  awsString(field, { min: 1, max: 512, pattern: PATH_PATTERN, patternText: "(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)" });
export const pathPrefix = awsString("pathPrefix", { min: 1, max: 512, pattern: PATH_PREFIX_PATTERN, patternText: "\\u002F[\\u0021-\\u007F]*" });
export const accessKeyId = awsString("accessKeyId", { min: 16, max: 128, pattern: /^[\w]+$/, patternText: "[\\w]+" });
export const accessKeyStatus = z.enum(["Active", "Inactive"], {
  error: validationMessage("status", undefined, "Member must satisfy enum value set: [Active, Inactive]"),
});
/** An ARN as IAM takes it (20..2048 characters); IAM's own parse error comes from the service. */
export const arn = (field: string) => awsString(field, { min: 20, max: 2048 });
export const policyArn = arn("policyArn");
export const serialNumber = awsString("serialNumber", { min: 9, max: 256, pattern: /^[\w+=/:,.@-]+$/, patternText: "[\\w+=/:,.@-]+" });
export const mfaCode = awsString("authenticationCode", { min: 6, max: 6, pattern: /^\d+$/, patternText: "[\\d]+", secret: true });
export const policyDocument = awsString("policyDocument", { min: 1, max: 131072, pattern: POLICY_DOCUMENT_PATTERN, patternText: "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+" });
export const policyVersionId = awsString("versionId", { pattern: /^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/, patternText: "v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?" });
export const password = awsString("password", { min: 1, max: 128, pattern: PASSWORD_PATTERN, patternText: "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+", secret: true });
export const description = awsString("description", { max: 1000 });

// ---------------------------------------------------------------------------
// Tags

export const tagKey = awsString("tags.member.key", { min: 1, max: 128, pattern: TAG_KEY_PATTERN, patternText: "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+" });
export const tagValue = awsString("tags.member.value", { min: 0, max: 256, pattern: TAG_VALUE_PATTERN, patternText: "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*" });
export const tag = z.object({ key: tagKey, value: z.preprocess((v) => v ?? "", tagValue) });
export type Tag = z.output<typeof tag>;

export const DUPLICATE_TAG_KEYS = "Duplicate tag keys found. Please note that Tag keys are case insensitive.";
export const RESERVED_TAG_PREFIX = "User-specified tag keys cannot start with the reserved prefix 'aws:'.";

/** Up to 50 tags, keys unique ignoring case, none starting with "aws:". */
export const tags = listOf(tag).superRefine((list, ctx) => {
  if (list.length > 50) {
    ctx.addIssue({ code: "custom", message: validationMessage("tags", undefined, "Member must have length less than or equal to 50") });
    return;
  }
  const seen = new Set<string>();
  for (const t of list) {
    const lower = t.key.toLowerCase();
    if (lower.startsWith("aws:")) ctx.addIssue({ code: "custom", message: RESERVED_TAG_PREFIX });
    if (seen.has(lower)) {
      ctx.addIssue({ code: "custom", message: DUPLICATE_TAG_KEYS });
      return;
    }
    seen.add(lower);
  }
});
export const tagKeys = listOf(tagKey).superRefine((list, ctx) => {
  if (list.length > 50) ctx.addIssue({ code: "custom", message: validationMessage("tagKeys", undefined, "Member must have length less than or equal to 50") });
});

// ---------------------------------------------------------------------------
// Paging

export const pageSize = intIn("maxItems", 1, 1000);
/** An opaque cursor returned by a previous page (AWS's Marker). */
export const cursor = awsString("marker", { min: 1, max: 320, pattern: /^[\u0020-\u00FF]+$/ });
export const sortOrder = z.enum(["asc", "desc"]);

// ---------------------------------------------------------------------------
// Users

export const ListUsersInput = z.object({
  pathPrefix: optional(pathPrefix),
  nameContains: optional(z.string().max(64)),
  sortBy: z.preprocess(blankToUndefined, z.enum(["name", "created", "lastActivity"]).default("name")),
  order: z.preprocess(blankToUndefined, sortOrder.default("asc")),
  cursor: optional(cursor),
  pageSize: z.preprocess(blankToUndefined, pageSize.default(50)),
  withTotal: optional(formBoolean),
});
export type ListUsersInput = z.output<typeof ListUsersInput>;

export const UserNameInput = z.object({ userName });
export type UserNameInput = z.output<typeof UserNameInput>;

export const CreateUserInput = z.object({
  userName,
  path: z.preprocess(blankToUndefined, iamPath().default("/")),
  permissionsBoundary: optional(arn("permissionsBoundary")),
  tags: z.preprocess(blankToUndefined, tags.default([])),
});
export type CreateUserInput = z.output<typeof CreateUserInput>;

export const ConsolePasswordInput = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("none") }),
  z.object({ mode: z.literal("autogenerated"), requireReset: z.preprocess(blankToUndefined, formBoolean.default(true)) }),
  z.object({ mode: z.literal("custom"), password, requireReset: z.preprocess(blankToUndefined, formBoolean.default(true)) }),
]);
export type ConsolePasswordInput = z.output<typeof ConsolePasswordInput>;

/** The console's "Create user" wizard: the API's CreateUser plus its extra steps. */
export const CreateUserConsoleInput = CreateUserInput.extend({
  consolePassword: z.preprocess(blankToUndefined, ConsolePasswordInput.default({ mode: "none" })),
  groups: listOf(groupName).pipe(z.array(groupName).max(10, validationMessage("groups", undefined, "Member must have length less than or equal to 10"))),
  attachPolicyArns: listOf(policyArn).pipe(z.array(policyArn).max(10, validationMessage("attachPolicyArns", undefined, "Member must have length less than or equal to 10"))),
  copyFromUser: optional(userName),
});
export type CreateUserConsoleInput = z.output<typeof CreateUserConsoleInput>;

export const UpdateUserInput = z
  .object({ userName, newUserName: optional(userName), newPath: optional(iamPath("newPath")) })
  .refine((v) => v.newUserName !== undefined || v.newPath !== undefined, { message: "Give a new user name, a new path, or both." });
export type UpdateUserInput = z.output<typeof UpdateUserInput>;

// ---------------------------------------------------------------------------
// Access keys

/** userName omitted: the calling identity's own keys (the root user's for root). */
export const OptionalUserInput = z.object({ userName: optional(userName) });
export type OptionalUserInput = z.output<typeof OptionalUserInput>;
export const AccessKeyInput = z.object({ userName: optional(userName), accessKeyId });
export type AccessKeyInput = z.output<typeof AccessKeyInput>;
export const UpdateAccessKeyInput = AccessKeyInput.extend({ status: accessKeyStatus });
export type UpdateAccessKeyInput = z.output<typeof UpdateAccessKeyInput>;
export const AccessKeyIdInput = z.object({ accessKeyId });
export type AccessKeyIdInput = z.output<typeof AccessKeyIdInput>;

// ---------------------------------------------------------------------------
// Passwords

export const CreateLoginProfileInput = z.object({
  userName,
  password,
  passwordResetRequired: z.preprocess(blankToUndefined, formBoolean.default(false)),
});
export type CreateLoginProfileInput = z.output<typeof CreateLoginProfileInput>;
export const UpdateLoginProfileInput = z.object({
  userName,
  password: optional(password),
  passwordResetRequired: optional(formBoolean),
});
export type UpdateLoginProfileInput = z.output<typeof UpdateLoginProfileInput>;
export const ChangePasswordInput = z.object({
  oldPassword: awsString("oldPassword", { min: 1, max: 128, pattern: PASSWORD_PATTERN, secret: true, patternText: "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+" }),
  newPassword: awsString("newPassword", { min: 1, max: 128, pattern: PASSWORD_PATTERN, secret: true, patternText: "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+" }),
});
export type ChangePasswordInput = z.output<typeof ChangePasswordInput>;

/** UpdateAccountPasswordPolicy: omitted options take AWS's API defaults. */
export const PasswordPolicyInput = z.object({
  minimumPasswordLength: z.preprocess(blankToUndefined, intIn("minimumPasswordLength", 6, 128).default(6)),
  requireSymbols: z.preprocess(blankToUndefined, formBoolean.default(false)),
  requireNumbers: z.preprocess(blankToUndefined, formBoolean.default(false)),
  requireUppercaseCharacters: z.preprocess(blankToUndefined, formBoolean.default(false)),
  requireLowercaseCharacters: z.preprocess(blankToUndefined, formBoolean.default(false)),
  allowUsersToChangePassword: z.preprocess(blankToUndefined, formBoolean.default(false)),
  maxPasswordAge: optional(intIn("maxPasswordAge", 1, 1095)),
  passwordReusePrevention: optional(intIn("passwordReusePrevention", 1, 24)),
  hardExpiry: z.preprocess(blankToUndefined, formBoolean.default(false)),
});
export type PasswordPolicyInput = z.output<typeof PasswordPolicyInput>;

// ---------------------------------------------------------------------------
// MFA

export const CreateVirtualMfaDeviceInput = z.object({
  virtualMFADeviceName: mfaDeviceName,
  path: z.preprocess(blankToUndefined, iamPath().default("/")),
  tags: z.preprocess(blankToUndefined, tags.default([])),
});
export type CreateVirtualMfaDeviceInput = z.output<typeof CreateVirtualMfaDeviceInput>;
/** userName omitted: the calling identity (the root user for root). */
export const EnableMfaDeviceInput = z.object({
  userName: optional(userName),
  serialNumber,
  authenticationCode1: mfaCode,
  authenticationCode2: mfaCode,
});
export type EnableMfaDeviceInput = z.output<typeof EnableMfaDeviceInput>;
export const DeactivateMfaDeviceInput = z.object({ userName: optional(userName), serialNumber });
export type DeactivateMfaDeviceInput = z.output<typeof DeactivateMfaDeviceInput>;
export const SerialNumberInput = z.object({ serialNumber });
const actionName = awsString("actionNames.member", { min: 3, max: 128 });
const simulationResourceArn = awsString("resourceArns.member", { min: 1, max: 2048 });
const contextEntry = z.object({
  contextKeyName: awsString("contextEntries.member.contextKeyName", { min: 5, max: 256 }),
  contextKeyValues: listOf(z.string()),
  contextKeyType: optional(
    z.enum(["string", "stringList", "numeric", "numericList", "boolean", "booleanList", "ip", "ipList", "binary", "binaryList", "date", "dateList"], {
      error: validationMessage("contextEntries.member.contextKeyType", undefined, "Member must satisfy enum value set"),
    }),
  ),
});
const simulationCommon = {
  permissionsBoundaryPolicyInputList: optional(listOf(policyDocument)),
  actionNames: listOf(actionName).refine((l) => l.length > 0, { error: validationMessage("actionNames", undefined, "Member must not be null") }),
  resourceArns: optional(listOf(simulationResourceArn)),
  resourcePolicy: optional(policyDocument),
  resourceOwner: optional(arn("resourceOwner")),
  callerArn: optional(arn("callerArn")),
  contextEntries: optional(listOf(contextEntry)),
  resourceHandlingOption: optional(awsString("resourceHandlingOption", { min: 1, max: 64 })),
  maxItems: optional(pageSize),
  marker: optional(cursor),
};
export const SimulateCustomPolicyInput = z.object({ policyInputList: listOf(policyDocument), ...simulationCommon });
export const SimulatePrincipalPolicyInput = z.object({ policySourceArn: arn("policySourceArn"), policyInputList: optional(listOf(policyDocument)), ...simulationCommon });
export const accountAlias = awsString("accountAlias", { min: 3, max: 63, pattern: /^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$/, patternText: "^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$" });
export const AccountAliasInput = z.object({ accountAlias });
export type AccountAliasInput = z.output<typeof AccountAliasInput>;
export const ListAccountAliasesInput = z.object({ marker: optional(cursor), maxItems: optional(pageSize) });
export type ListAccountAliasesInput = z.output<typeof ListAccountAliasesInput>;
export const GetMfaDeviceInput = z.object({ serialNumber, userName: optional(userName) });
export type GetMfaDeviceInput = z.output<typeof GetMfaDeviceInput>;
export const TagMfaDeviceInput = z.object({ serialNumber, tags });
export type TagMfaDeviceInput = z.output<typeof TagMfaDeviceInput>;
export const UntagMfaDeviceInput = z.object({ serialNumber, tagKeys });
export type UntagMfaDeviceInput = z.output<typeof UntagMfaDeviceInput>;
export type SerialNumberInput = z.output<typeof SerialNumberInput>;
export const ListVirtualMfaDevicesInput = z.object({
  assignmentStatus: z.preprocess(blankToUndefined, z.enum(["Assigned", "Unassigned", "Any"]).default("Any")),
});
export type ListVirtualMfaDevicesInput = z.output<typeof ListVirtualMfaDevicesInput>;

// ---------------------------------------------------------------------------
// Groups

export const GroupNameInput = z.object({ groupName });
export type GroupNameInput = z.output<typeof GroupNameInput>;
export const CreateGroupInput = z.object({ groupName, path: z.preprocess(blankToUndefined, iamPath().default("/")) });
export type CreateGroupInput = z.output<typeof CreateGroupInput>;
export const UpdateGroupInput = z
  .object({ groupName, newGroupName: optional(groupName), newPath: optional(iamPath("newPath")) })
  .refine((v) => v.newGroupName !== undefined || v.newPath !== undefined, { message: "Give a new group name, a new path, or both." });
export type UpdateGroupInput = z.output<typeof UpdateGroupInput>;
export const GroupMembershipInput = z.object({ groupName, userName });
export type GroupMembershipInput = z.output<typeof GroupMembershipInput>;
export const ListGroupsInput = z.object({
  pathPrefix: optional(pathPrefix),
  nameContains: optional(z.string().max(128)),
  cursor: optional(cursor),
  pageSize: z.preprocess(blankToUndefined, pageSize.default(50)),
  order: optional(sortOrder),
  withTotal: optional(formBoolean),
});
export type ListGroupsInput = z.output<typeof ListGroupsInput>;

// ---------------------------------------------------------------------------
// Managed policies

export const ListPoliciesInput = z.object({
  scope: z.preprocess(blankToUndefined, z.enum(["All", "AWS", "Local"]).default("All")),
  onlyAttached: z.preprocess(blankToUndefined, formBoolean.default(false)),
  policyUsageFilter: optional(z.enum(["PermissionsPolicy", "PermissionsBoundary"])),
  pathPrefix: optional(pathPrefix),
  nameContains: optional(z.string().max(128)),
  cursor: optional(cursor),
  pageSize: z.preprocess(blankToUndefined, pageSize.default(50)),
  order: optional(sortOrder),
  withTotal: optional(formBoolean),
});
export type ListPoliciesInput = z.output<typeof ListPoliciesInput>;
export const PolicyArnInput = z.object({ policyArn });
export type PolicyArnInput = z.output<typeof PolicyArnInput>;
export const CreatePolicyInput = z.object({
  policyName,
  path: z.preprocess(blankToUndefined, iamPath().default("/")),
  description: z.preprocess(blankToUndefined, description.default("")),
  policyDocument,
  tags: z.preprocess(blankToUndefined, tags.default([])),
});
export type CreatePolicyInput = z.output<typeof CreatePolicyInput>;
export const CreatePolicyVersionInput = z.object({
  policyArn,
  policyDocument,
  setAsDefault: z.preprocess(blankToUndefined, formBoolean.default(false)),
});
export type CreatePolicyVersionInput = z.output<typeof CreatePolicyVersionInput>;
export const PolicyVersionInput = z.object({ policyArn, versionId: policyVersionId });
export type PolicyVersionInput = z.output<typeof PolicyVersionInput>;
export const ListEntitiesForPolicyInput = z.object({
  policyArn,
  entityFilter: optional(z.enum(["User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy"])),
  policyUsageFilter: optional(z.enum(["PermissionsPolicy", "PermissionsBoundary"])),
});
export type ListEntitiesForPolicyInput = z.output<typeof ListEntitiesForPolicyInput>;

export const UserPolicyAttachmentInput = z.object({ userName, policyArn });
export type UserPolicyAttachmentInput = z.output<typeof UserPolicyAttachmentInput>;
export const GroupPolicyAttachmentInput = z.object({ groupName, policyArn });
export type GroupPolicyAttachmentInput = z.output<typeof GroupPolicyAttachmentInput>;
export const RolePolicyAttachmentInput = z.object({ roleName, policyArn });
export type RolePolicyAttachmentInput = z.output<typeof RolePolicyAttachmentInput>;

// ---------------------------------------------------------------------------
// Inline policies

export const PutUserPolicyInput = z.object({ userName, policyName, policyDocument });
export type PutUserPolicyInput = z.output<typeof PutUserPolicyInput>;
export const PutGroupPolicyInput = z.object({ groupName, policyName, policyDocument });
export type PutGroupPolicyInput = z.output<typeof PutGroupPolicyInput>;
export const PutRolePolicyInput = z.object({ roleName, policyName, policyDocument });
export type PutRolePolicyInput = z.output<typeof PutRolePolicyInput>;
export const UserPolicyInput = z.object({ userName, policyName });
export type UserPolicyInput = z.output<typeof UserPolicyInput>;
export const GroupPolicyInput = z.object({ groupName, policyName });
export type GroupPolicyInput = z.output<typeof GroupPolicyInput>;
export const RolePolicyInput = z.object({ roleName, policyName });
export type RolePolicyInput = z.output<typeof RolePolicyInput>;
export const RoleNameInput = z.object({ roleName });
export type RoleNameInput = z.output<typeof RoleNameInput>;

// ---------------------------------------------------------------------------
// Permissions boundaries and tags

export const PutUserBoundaryInput = z.object({ userName, permissionsBoundary: arn("permissionsBoundary") });
export type PutUserBoundaryInput = z.output<typeof PutUserBoundaryInput>;
export const PutRoleBoundaryInput = z.object({ roleName, permissionsBoundary: arn("permissionsBoundary") });
export type PutRoleBoundaryInput = z.output<typeof PutRoleBoundaryInput>;

export const TagUserInput = z.object({ userName, tags });
export type TagUserInput = z.output<typeof TagUserInput>;
export const UntagUserInput = z.object({ userName, tagKeys });
export type UntagUserInput = z.output<typeof UntagUserInput>;
export const TagRoleInput = z.object({ roleName, tags });
export type TagRoleInput = z.output<typeof TagRoleInput>;
export const UntagRoleInput = z.object({ roleName, tagKeys });
export type UntagRoleInput = z.output<typeof UntagRoleInput>;
export const TagPolicyInput = z.object({ policyArn, tags });
export type TagPolicyInput = z.output<typeof TagPolicyInput>;
export const UntagPolicyInput = z.object({ policyArn, tagKeys });
export type UntagPolicyInput = z.output<typeof UntagPolicyInput>;
