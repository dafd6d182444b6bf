"use client";
// The one way the user and credential forms call a server action: the result
// for the flash banner, the page's data refreshed after a change, and what was
// typed kept when the server refuses (submitted through onSubmit, so React's
// automatic form reset does not wipe it).
import { useRouter } from "next/navigation";
import { startTransition, useActionState, type FormEvent } from "react";
import type { ActionResult } from "@/lib/iam/errors";

export type FormAction<T> = (state: unknown, form: FormData) => Promise<ActionResult<T>>;

export function useActionForm<T>(
  action: FormAction<T>,
  options: { resetOnSuccess?: boolean; refresh?: boolean; onResult?: (result: ActionResult<T>) => void } = {},
) {
  const router = useRouter();
  const { resetOnSuccess = false, refresh = true, onResult } = options;
  const [state, dispatch, pending] = useActionState(
    async (_prev: ActionResult<T> | null, payload: { form: FormData; element: HTMLFormElement | null }): Promise<ActionResult<T> | null> => {
      const result = await action(null, payload.form);
      onResult?.(result);
      if (result.ok) {
        if (resetOnSuccess) payload.element?.reset();
        if (refresh) router.refresh();
      }
      return result;
    },
    null,
  );
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const element = event.currentTarget;
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLElement | null;
    const form = new FormData(element, submitter && "form" in submitter ? submitter : null);
    startTransition(() => dispatch({ form, element }));
  };
  /** Calls the action with values built in code (buttons outside a form). */
  const run = (values: Record<string, string | undefined>) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(values)) if (v !== undefined) form.set(k, v);
    startTransition(() => dispatch({ form, element: null }));
  };
  return { state, pending, onSubmit, run };
}

/** The errors of one field, for Field's `errors` prop. */
export function fieldErrors(state: ActionResult<unknown> | null, ...names: string[]): string[] | undefined {
  if (!state || state.ok || !state.fieldErrors) return undefined;
  const out = names.flatMap((n) => state.fieldErrors?.[n] ?? []);
  return out.length ? out : undefined;
}
