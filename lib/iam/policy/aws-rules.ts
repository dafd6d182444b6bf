/**
 * AWS's built-in rules: what AWS decides from the action and the resource alone, whatever the
 * policies say (README "Built-in rules"). Pure string checks on the request; cheap enough for the
 * decision path (a Set lookup on the action first).
 */

import type { BuiltInRule } from "./types";

export interface BuiltInDeny {
  rule: BuiltInRule;
  reason: string;
}

const AWS_MANAGED_POLICY_ACTIONS = new Set([
  "iam:createpolicy",
  "iam:createpolicyversion",
  "iam:deletepolicy",
  "iam:deletepolicyversion",
  "iam:setdefaultpolicyversion",
  "iam:tagpolicy",
  "iam:untagpolicy",
]);
const AWS_MANAGED_POLICY_ARN = /^arn:[^:]+:iam::aws:policy\//;

/** Changes to a role that IAM refuses on IAM Identity Center's roles (UnmodifiableEntity). */
const PROTECTED_ROLE_ACTIONS = new Set([
  "iam:attachrolepolicy",
  "iam:detachrolepolicy",
  "iam:putrolepolicy",
  "iam:deleterolepolicy",
  "iam:putrolepermissionsboundary",
  "iam:deleterolepermissionsboundary",
  "iam:updaterole",
  "iam:updateroledescription",
  "iam:updateassumerolepolicy",
  "iam:tagrole",
  "iam:untagrole",
  "iam:deleterole",
]);
/**
 * Service-linked roles: the linked service owns their permissions and trust policy, deletion goes
 * through iam:DeleteServiceLinkedRole; customers may still edit the description (and tags).
 */
const SERVICE_LINKED_ROLE_ACTIONS = new Set([
  "iam:attachrolepolicy",
  "iam:detachrolepolicy",
  "iam:putrolepolicy",
  "iam:deleterolepolicy",
  "iam:putrolepermissionsboundary",
  "iam:deleterolepermissionsboundary",
  "iam:updateassumerolepolicy",
  "iam:deleterole",
]);
const ROLE_ARN = /^arn:[^:]+:iam::\d{12}:role(\/.*)$/;
const SSO_PATH = "/aws-reserved/sso.amazonaws.com/";
const SLR_PATH = "/aws-service-role/";

const KMS_ALIAS_ACTIONS = new Set(["kms:createalias", "kms:updatealias", "kms:deletealias"]);
const RESERVED_KMS_ALIAS = /^arn:[^:]+:kms:[^:]*:[^:]*:alias\/aws\//;

/**
 * An implicit deny AWS applies whatever the policies say (explicit denies still come first), or
 * undefined. `actionLower` is the lower-cased action.
 */
export function builtInDeny(actionLower: string, resource: string): BuiltInDeny | undefined {
  if (AWS_MANAGED_POLICY_ACTIONS.has(actionLower)) {
    if (AWS_MANAGED_POLICY_ARN.test(resource))
      return { rule: "aws-managed-policy", reason: "AWS managed policies cannot be modified: they are read-only, whatever the policies allow." };
    return undefined;
  }
  if (KMS_ALIAS_ACTIONS.has(actionLower)) {
    if (RESERVED_KMS_ALIAS.test(resource))
      return { rule: "reserved-kms-alias", reason: "The alias/aws/ prefix is reserved for AWS managed keys: its aliases cannot be created, updated or deleted." };
    return undefined;
  }
  const sso = PROTECTED_ROLE_ACTIONS.has(actionLower);
  const slr = SERVICE_LINKED_ROLE_ACTIONS.has(actionLower);
  if (sso || slr) {
    const m = ROLE_ARN.exec(resource);
    if (!m) return undefined;
    if (sso && m[1].startsWith(SSO_PATH))
      return { rule: "protected-sso-role", reason: "This role is protected: IAM Identity Center owns the roles under /aws-reserved/sso.amazonaws.com/ and only it can change them (UnmodifiableEntity)." };
    if (slr && m[1].startsWith(SLR_PATH))
      return {
        rule: "service-linked-role",
        reason: "This is a service-linked role: only the linked service can change its policies or delete it (customers edit its description, and delete it through iam:DeleteServiceLinkedRole).",
      };
  }
  return undefined;
}

const BUCKET_POLICY_ACTIONS = new Set(["s3:getbucketpolicy", "s3:putbucketpolicy", "s3:deletebucketpolicy"]);

/**
 * AWS (PutBucketPolicy): "the root principal in a bucket owner's account can perform the
 * GetBucketPolicy, PutBucketPolicy, and DeleteBucketPolicy API actions, even if their bucket
 * policy explicitly denies the root principal's access"; only VPC endpoint policies and
 * Organizations policies can block it. So a bucket locked by its own policy can be unlocked
 * (sts:AssumeRoot's S3UnlockBucketPolicy task).
 */
export function rootIgnoresBucketPolicyDeny(actionLower: string): boolean {
  return BUCKET_POLICY_ACTIONS.has(actionLower);
}

/** Actions that need no permission at all (AWS answers them even under an explicit deny). */
export function needsNoPermission(actionLower: string): boolean {
  return actionLower === "sts:getcalleridentity";
}

/** The actions a role's trust policy governs. */
const TRUST_ACTIONS = new Set([
  "sts:assumerole",
  "sts:assumerolewithsaml",
  "sts:assumerolewithwebidentity",
  "sts:tagsession",
  "sts:setsourceidentity",
]);
const KMS_KEY_ARN = /^arn:[^:]+:kms:[^:]*:\d{12}:key\//;

/**
 * Which resource-based policy must allow the request, whatever the accounts: a role's trust policy
 * for sts:AssumeRole and friends on a role, a KMS key's key policy for kms: actions on a key ARN.
 */
export function requiredResourcePolicy(actionLower: string, resource: string): "trust" | "key" | undefined {
  if (TRUST_ACTIONS.has(actionLower)) return ROLE_ARN.test(resource) ? "trust" : undefined;
  if (actionLower.startsWith("kms:") && KMS_KEY_ARN.test(resource)) return "key";
  return undefined;
}
