"use client";
// Submits a form to a server action without React's automatic form reset, so a
// form the server refused keeps what the person typed; field errors by name.
import { startTransition, useActionState, type FormEvent } from "react";
import type { ActionResult } from "@/lib/iam/errors";

export type FormAction<T> = (previous: ActionResult<T> | null, form: FormData) => Promise<ActionResult<T>>;

export function useFormAction<T>(action: FormAction<T>) {
  const [state, dispatch, pending] = useActionState(action, null);
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    startTransition(() => dispatch(form));
  };
  const errors = (name: string): string[] | undefined => (state && !state.ok ? state.fieldErrors?.[name] : undefined);
  return { state, pending, onSubmit, errors };
}
