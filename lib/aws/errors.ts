// Errors of the AWS API door, in AWS's words: a code, an HTTP status, and who
// is at fault (Sender: the request; Receiver: the server). Domain refusals
// (IamError) keep their own code and status; everything else unexpected becomes
// InternalFailure, logged, never a stack trace in a response.
import { IamError } from "@/lib/iam/errors";

export class AwsApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly type: "Sender" | "Receiver";

  constructor(code: string, message: string, status = 400, type?: "Sender" | "Receiver") {
    super(message);
    this.name = "AwsApiError";
    this.code = code;
    this.status = status;
    this.type = type ?? (status >= 500 ? "Receiver" : "Sender");
  }
}

/** Messages AWS's Query services (IAM, STS) answer to authentication failures. */
export const MESSAGES = {
  invalidToken: "The security token included in the request is invalid.",
  signatureMismatch:
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
  missingToken: "Request is missing Authentication Token",
  s3InvalidAccessKeyId: "The AWS Access Key Id you provided does not exist in our records.",
  s3SignatureMismatch: "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
} as const;

/** Any thrown value as the error the client sees. */
export function toAwsError(err: unknown): AwsApiError {
  if (err instanceof AwsApiError) return err;
  if (err instanceof IamError) return new AwsApiError(err.code, err.message, err.status);
  return new AwsApiError("InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", 500);
}
