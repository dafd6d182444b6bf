/**
 * Shared types of the policy engine. Pure data: no I/O.
 */

/** Where a policy document is used; decides which elements are allowed and which size limit applies. */
export type PolicyType = "identity" | "resource" | "trust" | "boundary" | "session" | "scp";

export type PolicyVersion = "2012-10-17" | "2008-10-17";

export interface Span {
  /** Character offset of the first character (0-based, UTF-16 code units like JS strings). */
  start: number;
  /** Character offset just past the last character. */
  end: number;
}

export interface Position {
  offset: number;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

export type PrincipalBlock = "*" | Record<string, string[]>;

export type ConditionBlock = Record<string, Record<string, string[]>>;

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action?: string[];
  NotAction?: string[];
  Resource?: string[];
  NotResource?: string[];
  Principal?: PrincipalBlock;
  NotPrincipal?: PrincipalBlock;
  Condition?: ConditionBlock;
  /** Span of the statement object in the original text. */
  span: Span;
}

export interface PolicyDocument {
  /** The Version element as written; undefined when absent (2008-10-17 semantics). */
  Version?: PolicyVersion;
  Id?: string;
  Statement: PolicyStatement[];
  /** True when Statement was a single object rather than an array. */
  singleStatement: boolean;
}

export type ValidationErrorCode = "MalformedPolicyDocument" | "LimitExceeded";

export interface ValidationError {
  code: ValidationErrorCode;
  message: string;
  /** Where the problem is, when it can be located (not part of AWS's answer; for editors). */
  position?: Position;
}

export type ValidationResult =
  | { ok: true; document: PolicyDocument; size: number }
  | { ok: false; error: ValidationError };

export interface ValidateOptions {
  /**
   * For `identity` policies: true when the document is an inline policy. Inline policies have no
   * per-document size limit (the aggregate per user/group/role is checked by the caller with
   * `checkInlineAggregateSize`), and the managed-policy-only rules do not apply.
   */
  inline?: boolean;
}

// ---------------------------------------------------------------- evaluation input

export type ContextValue = string | string[];

export interface RequestResource {
  /** The resource ARN ("*" for actions without resource-level permissions). */
  resource: string;
  /** The account that owns the resource. Defaults to the account in the ARN, else the principal's. */
  accountId?: string;
}

export interface EvaluationRequest {
  /** Principal ARN, a service principal (e.g. "ec2.amazonaws.com"), or "*" / "anonymous". */
  principal: string;
  action: string;
  resource: RequestResource;
  /** Request context keys (names are case-insensitive). */
  context?: Record<string, ContextValue>;
}

export interface PolicyInput {
  /** Display name of the policy (policy name, or "bucket policy"). */
  name?: string;
  /** Policy ARN or another stable identifier. */
  id?: string;
  versionId?: string;
  /** The stored policy text (a parsed object is accepted too). */
  policy: string | object;
}

export interface ScpLevel {
  /** Root, OU or account id of this level of the organization hierarchy. */
  orgIdentifier: string;
  policies: PolicyInput[];
}

export interface EvaluationInput {
  request: EvaluationRequest;
  identityPolicies?: PolicyInput[];
  permissionBoundaries?: PolicyInput[];
  sessionPolicy?: PolicyInput;
  resourcePolicy?: PolicyInput;
  serviceControlPolicies?: ScpLevel[];
  /** The principal belongs to the organization's management account: SCPs do not apply. */
  principalIsManagementAccount?: boolean;
  /**
   * The resource policy must allow, whatever the accounts: without its allow the request is
   * implicitly denied. The engine infers this itself for a role's trust policy (sts:AssumeRole,
   * sts:TagSession, sts:SetSourceIdentity and the SAML/WebIdentity variants on a role ARN) and for
   * a KMS key policy (kms: actions on a key ARN); the flag adds it for other requests.
   */
  resourcePolicyRequired?: boolean;
  /**
   * The policy simulator leaves the resource policy out of this request: no trust or key policy is
   * required (AWS's simulator decides sts:AssumeRole from the identity-based policies alone).
   * Not part of the JSON contract: the gate never sets it.
   */
  resourcePolicyNotSimulated?: boolean;
}

export interface EvaluateOptions {
  /** Build the full per-statement explanation (slower). Default false. */
  explain?: boolean;
}

// ---------------------------------------------------------------- evaluation output

export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

export type EvaluatedPolicyType = "identity" | "boundary" | "session" | "resource" | "scp";

export interface DecisiveStatement {
  policyType: EvaluatedPolicyType;
  policyId: string;
  versionId?: string;
  statementIndex: number;
  sid?: string;
  effect: "Allow" | "Deny";
  /** For SCPs: the level of the hierarchy. */
  orgIdentifier?: string;
}

export interface ConditionExplain {
  operator: string;
  key: string;
  /** The request's value(s) for the key, or "key missing". */
  contextValues: string[] | "key missing";
  policyValues: string[];
  matched: boolean;
  /** Set when the condition could not be evaluated (unknown operator, bad value...). */
  note?: string;
}

export interface StatementExplain {
  statementIndex: number;
  sid?: string;
  effect: "Allow" | "Deny";
  span: Span;
  action: { matched: boolean; pattern?: string; not?: boolean };
  resource: { matched: boolean; pattern?: string; not?: boolean; note?: string };
  principal?: { matched: boolean; pattern?: string; not?: boolean };
  conditions: ConditionExplain[];
  /** Action, resource, principal and every condition matched. */
  applies: boolean;
}

export interface PolicyExplain {
  policyType: EvaluatedPolicyType;
  policyId: string;
  versionId?: string;
  orgIdentifier?: string;
  /** Set when the stored text could not be parsed: the policy is then ignored (see README). */
  error?: string;
  statements: StatementExplain[];
}

/**
 * A rule AWS applies from the action and resource alone (README "Built-in rules"):
 * - `aws-managed-policy`: AWS managed policies are read-only;
 * - `protected-sso-role`: IAM Identity Center's roles (/aws-reserved/sso.amazonaws.com/) cannot be changed;
 * - `service-linked-role`: only the linked service changes a service-linked role's policies or deletes it;
 * - `reserved-kms-alias`: aliases under alias/aws/ belong to AWS managed keys;
 * - `no-permission-required`: sts:GetCallerIdentity needs no permission, even under an explicit deny;
 * - `trust-policy-required`: a role's trust policy must allow sts:AssumeRole (and friends), same account too;
 * - `key-policy-required`: a KMS key's key policy must allow, same account too.
 */
export type BuiltInRule =
  | "aws-managed-policy"
  | "protected-sso-role"
  | "service-linked-role"
  | "reserved-kms-alias"
  | "no-permission-required"
  | "trust-policy-required"
  | "key-policy-required";

export interface EvaluationResult {
  decision: Decision;
  decisive: DecisiveStatement[];
  /** One sentence saying why, for people. */
  reason: string;
  /** For an implicit deny: the kind of policy that failed to allow (AWS names it in AccessDenied messages). */
  deniedBy?: EvaluatedPolicyType;
  /** Set when one of AWS's built-in rules decided (the gate can map it to AWS's error, e.g. UnmodifiableEntity). */
  builtInRule?: BuiltInRule;
  explain?: PolicyExplain[];
}

// ---------------------------------------------------------------- findings and summary

export type FindingType = "ERROR" | "SECURITY_WARNING" | "WARNING" | "SUGGESTION";

export interface Finding {
  type: FindingType;
  code: string;
  message: string;
  statementIndex?: number;
  /** Start of the offending text. */
  position: Position;
  /** Span of the offending text (for underlining). */
  span: Span;
}

export type AccessLevel = "List" | "Read" | "Write" | "Permissions management" | "Tagging";

export interface ServiceSummary {
  service: string;
  serviceName: string;
  effect: "Allow" | "Deny";
  /** "Full access", "Limited: List, Read", or "None" */
  access: string;
  levels: { level: AccessLevel; actions: string[]; total: number }[];
  /** "All resources" or the resource patterns. */
  resources: string[];
  /** Human-readable conditions, e.g. `aws:SourceIp IpAddress 10.0.0.0/8`. */
  conditions: string[];
  /** True when the grant comes from NotAction (everything except ...). */
  notAction?: boolean;
}

export interface PolicySummary {
  services: ServiceSummary[];
  /** Prefixes found in Action that match no known service. */
  unknownServices: string[];
}
