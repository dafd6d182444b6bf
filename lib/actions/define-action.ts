import "server-only";
// The one builder for server actions. An action built here cannot skip a step:
// validate the input (zod) -> resolve the principal from the session -> name
// the IAM action and resource -> the gate -> the change and its audit record in
// one transaction -> the result shape (lib/actions/action-result.ts;
// docs/architecture.md).
import type { z } from "zod";
import { consoleRequestInfo } from "@/lib/auth/request-info";
import { unstable_rethrow } from "next/navigation";
import { currentPrincipal, signedInPrincipal } from "@/lib/auth/current";
import { failure, type ActionResult } from "./action-result";
import { IamError } from "@/lib/iam/errors";
import { runOperation, runSequence, type OperationSpec, type Sequence } from "@/lib/iam/operation";
import { principalArnKey, type Principal, type RequestInfo } from "@/lib/iam/principal";
import { authorize } from "@/lib/iam/authorize";
import { db } from "@/lib/db/client";

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
  // The summary speaks to a person: the first problem in words (each field's own errors sit under it), never a raw field name.
  const first = error.issues[0];
  const more = error.issues.length - 1;
  const summary = `${first?.message ?? "Invalid input"}${more > 0 ? ` (and ${more} more problem${more === 1 ? "" : "s"} below)` : ""}`;
  return { ok: false, error: { code: "ValidationError", message: summary }, fieldErrors };
}

export function toFailure(err: unknown): ActionResult<never> {
  if (err instanceof IamError) return failure(err);
  console.error("unexpected error in a server action:", (err as Error)?.message);
  return { ok: false, error: { code: "InternalFailure", message: "Something went wrong on our side. Try again." } };
}

/** Whom an action acts as: the principal requests act as (a switched role while one is live), or the signed-in identity itself. */
export type ActingAs = "current" | "signed-in";

/** What a custom action (`run`) gets from the door: who asks, from where, and the only ways to reach the domain. */
export interface Door {
  principal: Principal;
  request: RequestInfo;
  /** One operation: the gate, the change and its audit record, in one transaction. */
  run<T>(op: OperationSpec<T>): Promise<T>;
  /** A console composite: several operations in one transaction, each gated and audited. */
  sequence<T>(steps: Sequence<T>): Promise<T>;
}

type Body<I, T> =
  /** One operation (a catalogue entry can be passed as it is). */
  | { operation: (input: I, principal: Principal) => OperationSpec<T> | Promise<OperationSpec<T>>; sequence?: never; run?: never }
  /** A console composite (lib/iam/catalogue/console.ts): its steps in one transaction. */
  | { sequence: (input: I, principal: Principal) => Sequence<T>; operation?: never; run?: never }
  /**
   * A custom sequence around operations (cookies, a redirect, steps in separate
   * transactions): every domain call goes through `door.run` or `door.sequence`,
   * so the gate and the audit stay inside runOperation. Throw an IamError to refuse.
   */
  | { run: (input: I, door: Door) => Promise<T>; operation?: never; sequence?: never };

/** No input: the action ignores its arguments (e.g. a bare `<form action>` passes an empty FormData). */
const NO_INPUT = { safeParse: () => ({ success: true as const, data: undefined }) };

/**
 * Builds a server action. The returned function takes the input itself (a plain
 * object) or (previousState, FormData) as useActionState and <form action> pass
 * them; it always: validates the input -> resolves the principal (none: the
 * not-signed-in answer, and nothing else runs) -> runs the operation(s) through
 * the gate and the audit -> answers in the one result shape.
 * Options: `input` (omit for none); `as: "signed-in"` to act as the signed-in
 * identity, not a switched role (switching roles and elevating do); and one of
 * `operation`, `sequence` or `run`.
 */
export function defineAction<S extends z.ZodType, T>(spec: { input: S; as?: ActingAs } & Body<z.output<S>, T>): Action<T>;
export function defineAction<T>(spec: { input?: undefined; as?: ActingAs } & Body<undefined, T>): Action<T>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each overload types the input; here it is whatever the schema gave
export function defineAction<T>(spec: { input?: z.ZodType; as?: ActingAs } & Body<any, T>): Action<T> {
  const schema = spec.input ?? NO_INPUT;
  return async function action(stateOrInput?: unknown, form?: FormData): Promise<ActionResult<T>> {
    const raw = form instanceof FormData ? form : stateOrInput;
    const parsed = schema.safeParse(raw instanceof FormData ? formToObject(raw) : raw);
    if (!parsed.success) return validationFailure(parsed.error);
    const principal = await (spec.as === "signed-in" ? signedInPrincipal() : currentPrincipal());
    if (!principal) return NOT_SIGNED_IN;
    let request: RequestInfo | undefined;
    try {
      request = await consoleRequestInfo();
      const who = { principal, request };
      let data: T;
      if (spec.run) {
        data = await spec.run(parsed.data, {
          ...who,
          run: (op) => runOperation({ ...op, ...who }),
          sequence: (steps) => runSequence(who, steps),
        });
      } else if (spec.sequence) {
        data = await runSequence(who, spec.sequence(parsed.data, principal));
      } else {
        data = await runOperation({ ...(await spec.operation!(parsed.data, principal)), ...who });
      }
      return { ok: true, data };
    } catch (err) {
      unstable_rethrow(err); // Next's redirect() and notFound() travel as errors
      return withSimulatorOffer(toFailure(err), principal, request);
    }
  };
}

/**
 * A denial of the caller's own request says whether the caller may open it in
 * the policy simulator (iam:SimulatePrincipalPolicy on itself, asked of the
 * gate), so that no "Why?" ever links to a page that would refuse it.
 */
async function withSimulatorOffer<T>(result: ActionResult<T>, principal: Principal, request: RequestInfo | undefined): Promise<ActionResult<T>> {
  if (result.ok || !result.error.denied || result.error.denied.principalArn !== principal.arn || !request) return result;
  const gate = await authorize(db(), { principal, request, action: "iam:SimulatePrincipalPolicy", resource: { arn: principalArnKey(principal) } }).catch(() => null);
  return { ...result, error: { ...result.error, denied: { ...result.error.denied, canSimulate: gate?.allowed ?? false } } };
}

/** A built server action: `action(input)` or `action(previousState, formData)`. */
export type Action<T> = (stateOrInput?: unknown, form?: FormData) => Promise<ActionResult<T>>;

/** For a page's data load: the same pipeline (gate + audit) as a read action. */
export async function loadAs<T>(principal: Principal, op: OperationSpec<T>): Promise<ActionResult<T>> {
  let request: RequestInfo | undefined;
  try {
    request = await consoleRequestInfo();
    return { ok: true, data: await runOperation({ ...op, principal, request }) };
  } catch (err) {
    return withSimulatorOffer(toFailure(err), principal, request);
  }
}
