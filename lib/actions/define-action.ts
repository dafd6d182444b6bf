import "server-only";
// The one builder for server actions. An action built here cannot skip a step:
// validate the input (zod) -> resolve the principal from the session -> name
// the IAM action and resource -> the gate -> the change and its audit record in
// one transaction -> the result shape of ARCHITECTURE.md.
import type { z } from "zod";
import { consoleRequestInfo } from "@/lib/auth/request-info";
import { currentPrincipal } from "@/lib/auth/current";
import { failure, type ActionResult } from "./action-result";
import { IamError } from "@/lib/iam/errors";
import { runOperation, type OperationSpec } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";

export const NOT_SIGNED_IN: ActionResult<never> = {
  ok: false,
  error: { code: "AccessDenied", message: "You are not signed in. Sign in to continue." },
};

/**
 * FormData to a plain object: repeated fields become arrays; file inputs stay File.
 * Browsers turn every line break of a submitted form into CRLF; the text the user
 * typed (a policy document, say) had LF, so it is restored.
 */
export function formToObject(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    if (key.startsWith("$ACTION")) continue;
    const values = form.getAll(key).map((v) => (typeof v === "string" ? v.replace(/\r\n/g, "\n") : v));
    out[key] = values.length > 1 ? values : values[0];
  }
  return out;
}

export function validationFailure(error: z.ZodError): ActionResult<never> {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const field = issue.path.join(".") || "_";
    (fieldErrors[field] ??= []).push(issue.message);
  }
  const first = error.issues[0];
  const where = first?.path.length ? `${first.path.join(".")}: ` : "";
  return { ok: false, error: { code: "ValidationError", message: `${where}${first?.message ?? "Invalid input"}` }, fieldErrors };
}

export function toFailure(err: unknown): ActionResult<never> {
  if (err instanceof IamError) return failure(err);
  console.error("unexpected error in a server action:", (err as Error)?.message);
  return { ok: false, error: { code: "InternalFailure", message: "Something went wrong on our side. Try again." } };
}

/**
 * Builds a server action. The returned function takes either the input itself
 * or (previousState, FormData) as useActionState passes them.
 */
export function defineAction<S extends z.ZodType, T>(spec: {
  input: S;
  operation: (input: z.output<S>, principal: Principal) => OperationSpec<T> | Promise<OperationSpec<T>>;
}) {
  return async function action(stateOrInput: unknown, form?: FormData): Promise<ActionResult<T>> {
    const raw = form instanceof FormData ? form : stateOrInput;
    const principal = await currentPrincipal();
    if (!principal) return NOT_SIGNED_IN;
    const parsed = spec.input.safeParse(raw instanceof FormData ? formToObject(raw) : raw);
    if (!parsed.success) return validationFailure(parsed.error);
    try {
      const op = await spec.operation(parsed.data, principal);
      const data = await runOperation({ ...op, principal, request: await consoleRequestInfo() });
      return { ok: true, data };
    } catch (err) {
      return toFailure(err);
    }
  };
}

/** For a page's data load: the same pipeline (gate + audit) as a read action. */
export async function loadAs<T>(principal: Principal, op: OperationSpec<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await runOperation({ ...op, principal, request: await consoleRequestInfo() }) };
  } catch (err) {
    return toFailure(err);
  }
}
