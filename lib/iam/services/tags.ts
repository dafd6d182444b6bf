import "server-only";
// Tags on users, roles, customer-managed policies, MFA devices and instance
// profiles: at most 50 per entity,
// keys unique ignoring case, no "aws:" prefix (checked again here, whatever
// door the request came through). One table row per taggable kind; every kind
// gets Tag*, Untag* and List*Tags from it. Tagging puts the tags sent in the
// request context (aws:RequestTag/*, aws:TagKeys), untagging the keys removed
// (aws:TagKeys); the gate adds the entity's current tags (aws:ResourceTag/*).
import type { Tx } from "@/lib/db/client";
import type { Operation, OperationSpec } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";
import { requestTagContext, tagKeysContext } from "@/lib/iam/request-context";
import { profileRef, requireProfile } from "@/lib/iam/roles/instance-profiles";
import type {
  PolicyArnInput,
  RoleNameInput,
  SerialNumberInput,
  Tag,
  TagMfaDeviceInput,
  TagPolicyInput,
  TagRoleInput,
  TagUserInput,
  UntagMfaDeviceInput,
  UntagPolicyInput,
  UntagRoleInput,
  UntagUserInput,
  UserNameInput,
} from "@/lib/iam/validation";
import { requireDevice } from "./mfa";
import { applyTags, listTags, lockPolicy, lockRole, lockUser, removeTags, requireOwnPolicy, requirePolicy, requireRole, requireUser, roleResource, userResource } from "./common";

type Verb = "Tag" | "Untag" | "List";

/** The tagged entity, found for one verb (its errors are the entity's own NoSuchEntity). */
interface Target {
  arn: string;
  /** Serialises concurrent taggers of the entity (the 50-tag quota). */
  lock(): Promise<unknown>;
}

export interface TaggedKind<I> {
  /** The noun in the operation names: TagUser, UntagUser, ListUserTags. */
  noun: string;
  /** The quota named in LimitExceeded. */
  quota: string;
  resource(principal: Principal, input: I): Operation<unknown>["resource"];
  find(tx: Tx, principal: Principal, input: I, verb: Verb): Promise<Target>;
}

const USER: TaggedKind<UserNameInput> = {
  noun: "User",
  quota: "TagsPerUser",
  resource: (principal, input) => userResource(principal, input.userName),
  async find(tx, principal, input) {
    const user = await requireUser(tx, principal.accountId, input.userName);
    return { arn: user.arn, lock: () => lockUser(tx, user.id) };
  },
};

const ROLE: TaggedKind<RoleNameInput> = {
  noun: "Role",
  quota: "TagsPerRole",
  resource: (principal, input) => roleResource(principal, input.roleName),
  async find(tx, principal, input) {
    const role = await requireRole(tx, principal.accountId, input.roleName);
    return { arn: role.arn, lock: () => lockRole(tx, role) };
  },
};

const POLICY: TaggedKind<PolicyArnInput> = {
  noun: "Policy",
  quota: "TagsPerPolicy",
  resource: (_principal, input) => ({ arn: input.policyArn }),
  // AWS-managed policies can be read but not tagged.
  async find(tx, principal, input, verb) {
    const policy =
      verb === "List" ? await requirePolicy(tx, principal.accountId, input.policyArn) : await requireOwnPolicy(tx, principal, input.policyArn, `iam:${verb}Policy`);
    return { arn: policy.arn, lock: () => lockPolicy(tx, policy.id) };
  },
};

const MFA_DEVICE: TaggedKind<SerialNumberInput> = {
  noun: "MFADevice",
  quota: "TagsPerMFADevice",
  // The serial number of a virtual device is its ARN.
  resource: (_principal, input) => ({ arn: input.serialNumber }),
  async find(tx, principal, input) {
    const device = await requireDevice(tx, principal.accountId, input.serialNumber);
    return { arn: device.serialNumber, lock: () => tx.mfaDevice.update({ where: { id: device.id }, data: { name: device.name } }) };
  },
};

type InstanceProfileNameInput = { instanceProfileName: string };
const INSTANCE_PROFILE: TaggedKind<InstanceProfileNameInput> = {
  noun: "InstanceProfile",
  quota: "TagsPerInstanceProfile",
  resource: (principal, input) => profileRef(principal, input.instanceProfileName),
  async find(tx, principal, input) {
    const profile = await requireProfile(tx, principal.accountId, input.instanceProfileName);
    return { arn: profile.arn, lock: () => tx.instanceProfile.update({ where: { id: profile.id }, data: { path: profile.path } }) };
  },
};

/** List*Tags' answer in AWS's output shape. */
export interface ListTagsResult {
  Tags: { Key: string; Value: string }[];
  IsTruncated: boolean;
}

export function tagOperations<I>(kind: TaggedKind<I>) {
  const tag = (principal: Principal, input: I & { tags: Tag[] }): OperationSpec<void> => ({
    service: "iam",
    name: `Tag${kind.noun}`,
    readOnly: false,
    resource: kind.resource(principal, input),
    context: requestTagContext(input.tags),
    parameters: input,
    async run({ tx }) {
      const target = await kind.find(tx, principal, input, "Tag");
      await target.lock();
      await applyTags(tx, principal.accountId, target.arn, input.tags, kind.quota);
    },
  });
  const untag = (principal: Principal, input: I & { tagKeys: string[] }): OperationSpec<void> => ({
    service: "iam",
    name: `Untag${kind.noun}`,
    readOnly: false,
    resource: kind.resource(principal, input),
    context: tagKeysContext(input.tagKeys),
    parameters: input,
    async run({ tx }) {
      const target = await kind.find(tx, principal, input, "Untag");
      await removeTags(tx, target.arn, input.tagKeys);
    },
  });
  const list = (principal: Principal, input: I): OperationSpec<ListTagsResult> => ({
    service: "iam",
    name: `List${kind.noun}Tags`,
    readOnly: true,
    resource: kind.resource(principal, input),
    parameters: input,
    async run({ tx }) {
      const target = await kind.find(tx, principal, input, "List");
      // Every tag fits one page (50 at most, AWS's MaxItems defaults to 100).
      return { Tags: (await listTags(tx, target.arn)).map((t) => ({ Key: t.key, Value: t.value })), IsTruncated: false };
    },
  });
  return { tag, untag, list };
}

const user = tagOperations(USER);
const role = tagOperations(ROLE);
const policy = tagOperations(POLICY);
const mfaDevice = tagOperations(MFA_DEVICE);
const instanceProfile = tagOperations(INSTANCE_PROFILE);

export const tagUser: (principal: Principal, input: TagUserInput) => OperationSpec<void> = user.tag;
export const untagUser: (principal: Principal, input: UntagUserInput) => OperationSpec<void> = user.untag;
export const listUserTags: (principal: Principal, input: UserNameInput) => OperationSpec<ListTagsResult> = user.list;
export const tagRole: (principal: Principal, input: TagRoleInput) => OperationSpec<void> = role.tag;
export const untagRole: (principal: Principal, input: UntagRoleInput) => OperationSpec<void> = role.untag;
export const listRoleTags: (principal: Principal, input: RoleNameInput) => OperationSpec<ListTagsResult> = role.list;
export const tagPolicy: (principal: Principal, input: TagPolicyInput) => OperationSpec<void> = policy.tag;
export const untagPolicy: (principal: Principal, input: UntagPolicyInput) => OperationSpec<void> = policy.untag;
export const listPolicyTags: (principal: Principal, input: PolicyArnInput) => OperationSpec<ListTagsResult> = policy.list;
export const tagMfaDevice: (principal: Principal, input: TagMfaDeviceInput) => OperationSpec<void> = mfaDevice.tag;
export const untagMfaDevice: (principal: Principal, input: UntagMfaDeviceInput) => OperationSpec<void> = mfaDevice.untag;
export const listMfaDeviceTags: (principal: Principal, input: SerialNumberInput) => OperationSpec<ListTagsResult> = mfaDevice.list;
export const tagInstanceProfile: (principal: Principal, input: InstanceProfileNameInput & { tags: Tag[] }) => OperationSpec<void> = instanceProfile.tag;
export const untagInstanceProfile: (principal: Principal, input: InstanceProfileNameInput & { tagKeys: string[] }) => OperationSpec<void> = instanceProfile.untag;
export const listInstanceProfileTags: (principal: Principal, input: InstanceProfileNameInput) => OperationSpec<ListTagsResult> = instanceProfile.list;
