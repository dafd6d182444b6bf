// The one result shape of every server action (docs/architecture.md): the
// console door's answer, built from the domain's IamError.
import type { AwsErrorCode, DeniedRequest, IamError } from "@/lib/iam/errors";

export type ActionResult<T> =
  | { ok: true; data: T }
  | {
      ok: false;
      error: { code: AwsErrorCode; message: string; denied?: DeniedRequest };
      fieldErrors?: Record<string, string[]>;
    };

export function failure(err: IamError): ActionResult<never> {
  return {
    ok: false,
    error: { code: err.code, message: err.message, ...(err.denied ? { denied: err.denied } : {}) },
    ...(err.fieldErrors ? { fieldErrors: err.fieldErrors } : {}),
  };
}
