// AWS's error codes, shared by the console's server actions and the API's error
// mapping. An IamError is an expected refusal: its message reaches the user word
// for word. Anything else thrown is unexpected: logged, and shown generically.

export type AwsErrorCode =
  | "AccessDenied"
  | "NoSuchEntity"
  | "EntityAlreadyExists"
  | "LimitExceeded"
  | "MalformedPolicyDocument"
  | "DeleteConflict"
  | "ValidationError"
  /** Access Analyzer's refusal of a bad request (its REST-JSON APIs: StartPolicyGeneration, GetGeneratedPolicy). */
  | "ValidationException"
  | "InvalidInput"
  | "PasswordPolicyViolation"
  | "EntityTemporarilyUnmodifiable"
  | "InvalidAuthenticationCode"
  | "ConcurrentModification"
  | "UnmodifiableEntity"
  | "ExpiredToken"
  | "InvalidClientTokenId"
  | "RegionDisabledException"
  | "PackedPolicyTooLarge"
  | "Throttling"
  | "NoSuchBucket"
  | "NoSuchKey"
  | "BucketAlreadyExists"
  | "BucketAlreadyOwnedByYou"
  | "BucketNotEmpty"
  | "InvalidBucketName"
  | "EntityTooLarge"
  | "NoSuchBucketPolicy"
  | "InvalidParameterValue"
  | "MalformedPolicy"
  | "InvalidArgument"
  | "KeyTooLongError"
  | "MetadataTooLarge"
  | "InvalidTargetBucketForLogging"
  | "MalformedXML"
  | "InvalidRange"
  | "PreconditionFailed"
  | "NotModified"
  | "NoSuchUpload"
  | "InvalidPart"
  | "InvalidPartOrder"
  | "EntityTooSmall"
  | "IncompleteBody"
  | "InvalidRequest"
  | "InvalidDigest"
  | "BadDigest"
  | "InvalidTag"
  | "NoSuchTagSet"
  | "NoSuchCORSConfiguration"
  | "NoSuchLifecycleConfiguration"
  | "NoSuchPublicAccessBlockConfiguration"
  | "OwnershipControlsNotFoundError"
  | "NoSuchWebsiteConfiguration"
  | "NotImplemented"
  | "ReportNotPresent"
  | "ReportExpired"
  | "ReportInProgress"
  | "InvalidInstanceID.NotFound"
  | "InvalidInstanceID.Malformed"
  | "TrailAlreadyExistsException"
  | "TrailNotFoundException"
  | "InvalidTrailNameException"
  | "InvalidEventSelectorsException"
  | "MaximumNumberOfTrailsExceededException"
  | "DuplicateCertificate"
  | "DuplicateSSHPublicKey"
  | "InvalidCertificate"
  | "InvalidPublicKey"
  | "KeyPairMismatch"
  | "MalformedCertificate"
  | "NotSupportedService"
  | "UnrecognizedPublicKeyEncoding"
  | "IDPRejectedClaim"
  | "InvalidIdentityToken"
  | "InvalidAuthorizationMessageException"
  | "ExpiredTokenException"
  | "UnauthorizedOperation"
  | "FeatureEnabled"
  | "FeatureDisabled"
  | "OutboundWebIdentityFederationDisabledException"
  | "SessionDurationEscalationException"
  | "JWTPayloadSizeExceededException"
  | "ExpiredTradeInTokenException"
  /** Centralized root access (IAM's organizations features). */
  | "AccountNotManagementOrDelegatedAdministratorException"
  | "CallerIsNotManagementAccountException"
  | "OrganizationNotFoundException"
  | "OrganizationNotInAllFeaturesModeException"
  | "ServiceAccessNotEnabledException"
  | "InternalFailure";

const HTTP_STATUS: Partial<Record<AwsErrorCode, number>> = {
  AccessDenied: 403,
  NoSuchEntity: 404,
  EntityAlreadyExists: 409,
  LimitExceeded: 409,
  DeleteConflict: 409,
  ConcurrentModification: 409,
  EntityTemporarilyUnmodifiable: 409,
  ExpiredToken: 400,
  InvalidClientTokenId: 403,
  NoSuchBucket: 404,
  NoSuchKey: 404,
  BucketAlreadyExists: 409,
  BucketAlreadyOwnedByYou: 409,
  BucketNotEmpty: 409,
  NoSuchBucketPolicy: 404,
  InvalidRange: 416,
  PreconditionFailed: 412,
  NotModified: 304,
  NoSuchUpload: 404,
  NoSuchTagSet: 404,
  NoSuchCORSConfiguration: 404,
  NoSuchLifecycleConfiguration: 404,
  NoSuchPublicAccessBlockConfiguration: 404,
  OwnershipControlsNotFoundError: 404,
  NoSuchWebsiteConfiguration: 404,
  NotImplemented: 501,
  Throttling: 400,
  ReportNotPresent: 410,
  ReportExpired: 410,
  ReportInProgress: 404,
  DuplicateCertificate: 409,
  NotSupportedService: 404,
  IDPRejectedClaim: 403,
  UnauthorizedOperation: 403,
  FeatureEnabled: 409,
  FeatureDisabled: 404,
  OutboundWebIdentityFederationDisabledException: 403,
  SessionDurationEscalationException: 403,
  InternalFailure: 500,
};

/** What was denied, so the console can link to the simulator prefilled. */
export interface DeniedRequest {
  principalArn: string;
  action: string;
  resource: string;
  decision?: "ExplicitlyDenied" | "ImplicitlyDenied";
  /** What decided, as AWS's enhanced AccessDenied messages tell the caller (set by the gate). */
  explanation?: DenialExplanation;
  /** Set by the console door: the caller may open this request in the policy simulator (iam:SimulatePrincipalPolicy on itself). */
  canSimulate?: boolean;
}

/** Why a request was denied, for the caller: the decisive policy's type, name or ARN and statement. */
export interface DenialExplanation {
  /** "a service control policy", "an identity-based policy", ... */
  policyKind: string;
  /** Explicit deny: the denying policy and statement (Sid, else "statement N", numbered from 1). */
  policyName?: string;
  policyId?: string;
  statement?: string;
  /** Implicit deny: the policies of the kind that failed to allow that were evaluated (names; at most 10). */
  evaluated?: string[];
  /** The engine's sentence. */
  reason: string;
}

export class IamError extends Error {
  readonly code: AwsErrorCode;
  readonly status: number;
  readonly fieldErrors?: Record<string, string[]>;
  readonly denied?: DeniedRequest;

  constructor(code: AwsErrorCode, message: string, extra: { fieldErrors?: Record<string, string[]>; denied?: DeniedRequest } = {}) {
    super(message);
    this.name = "IamError";
    this.code = code;
    this.status = HTTP_STATUS[code] ?? 400;
    this.fieldErrors = extra.fieldErrors;
    this.denied = extra.denied;
  }
}

/** AWS's AccessDenied message; `because` is the engine's reason in AWS's words. */
export function accessDenied(denied: DeniedRequest, because?: string): IamError {
  return new IamError(
    "AccessDenied",
    `User: ${denied.principalArn} is not authorized to perform: ${denied.action} on resource: ${denied.resource}${because ? ` ${because}` : ""}`,
    { denied },
  );
}

export const noSuchEntity = (message: string) => new IamError("NoSuchEntity", message);
