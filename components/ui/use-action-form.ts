"use client";
// The one way the console's forms call a server action:
// - submitted through onSubmit (not <form action>), so React's automatic form
//   reset does not wipe what was typed when the server refuses;
// - the result is kept for the banner (`result`) and the field errors (`errorsFor`);
// - the page's server data is refreshed after a success (`refresh`, default on),
//   the form optionally reset (`resetOnSuccess`);
// - `submit` sends FormData built in code, `run` plain values (buttons outside a form).
import { useRouter } from "next/navigation";
import { useCallback, useState, useTransition, type FormEvent } from "react";
import type { ActionResult } from "@/lib/actions/action-result";

export type FormAction<T = unknown> = (state: unknown, form: FormData) => Promise<ActionResult<T>>;

export type FormValues = Record<string, string | undefined>;

/** FormData from plain values; undefined values are left out. */
export function formDataOf(values: FormValues): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(values)) if (v !== undefined) form.set(k, v);
  return form;
}

/** The errors the server reported for any of these fields, or undefined (for Field's `errors` prop). */
export function fieldErrors(result: ActionResult<unknown> | null | undefined, ...names: string[]): string[] | undefined {
  if (!result || result.ok || !result.fieldErrors) return undefined;
  const out = names.flatMap((n) => result.fieldErrors?.[n] ?? []);
  return out.length ? out : undefined;
}

export interface ActionFormOptions<T> {
  /** Refresh the page's server data after a success (default true). */
  refresh?: boolean;
  /** Clear the submitted form after a success (default false: what was typed stays). */
  resetOnSuccess?: boolean;
  onSuccess?: (data: T, form: FormData) => void;
  /** Every result, success or refusal (e.g. to report to the page's flash banner). */
  onResult?: (result: ActionResult<T>, form: FormData) => void;
}

export function useActionForm<T>(action: FormAction<T>, options: ActionFormOptions<T> = {}) {
  const router = useRouter();
  const [result, setResult] = useState<ActionResult<T> | null>(null);
  const [pending, startTransition] = useTransition();
  const { refresh = true, resetOnSuccess = false, onSuccess, onResult } = options;

  const submit = useCallback(
    (form: FormData, element?: HTMLFormElement | null) =>
      new Promise<ActionResult<T>>((resolve) =>
        startTransition(async () => {
          const r = await action(null, form);
          setResult(r);
          onResult?.(r, form);
          if (r.ok) {
            if (resetOnSuccess) element?.reset();
            onSuccess?.(r.data, form);
            if (refresh) router.refresh();
          }
          resolve(r);
        }),
      ),
    [action, onResult, onSuccess, refresh, resetOnSuccess, router],
  );

  const onSubmit = useCallback(
    (e: FormEvent<HTMLFormElement>) => {
      e.preventDefault();
      const element = e.currentTarget;
      const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLElement | null;
      void submit(new FormData(element, submitter && "form" in submitter ? submitter : null), element);
    },
    [submit],
  );

  /** Calls the action with values built in code (buttons outside a form). */
  const run = useCallback((values: FormValues) => submit(formDataOf(values)), [submit]);

  const errorsFor = (...names: string[]) => fieldErrors(result, ...names);

  return { result, pending, submit, onSubmit, run, errorsFor, clear: () => setResult(null) };
}
