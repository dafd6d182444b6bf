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
  Throttling: 400,
  InternalFailure: 500,
};

/** What was denied, so the console can link to the simulator prefilled. */
export interface DeniedRequest {
  principalArn: string;
  action: string;
  resource: string;
  decision?: "ExplicitlyDenied" | "ImplicitlyDenied";
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
