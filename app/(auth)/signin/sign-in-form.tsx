"use client";
import { useActionState, useState, useTransition, type FormEvent } from "react";
import { Banner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { mfaAction, signInAction, type SignInState } from "@/lib/auth/session-actions";

function fieldErrors(state: SignInState, name: string): string[] | undefined {
  return state && !state.ok ? state.fieldErrors?.[name] : undefined;
}

/**
 * With JavaScript, submitted through onSubmit: React resets a form after its
 * action, which would wipe the account and user name a refused sign-in keeps.
 * Only the password is cleared, as AWS's sign-in page does. The form keeps its
 * server action too, so it still works without JavaScript (progressive
 * enhancement: the page carries the action's fields).
 */
function useKeepingSubmit(submit: (form: FormData) => void) {
  const [, startTransition] = useTransition();
  return (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const password = e.currentTarget.elements.namedItem("password");
    if (password instanceof HTMLInputElement) password.value = "";
    startTransition(() => submit(form));
  };
}

export function SignInForm({ next, account }: { next?: string; account?: string }) {
  const [kind, setKind] = useState<"user" | "root">("user");
  const [state, submit, pending] = useActionState(signInAction, null);
  const onSubmit = useKeepingSubmit(submit);
  const challenge = state?.ok ? state.data.mfaChallenge : undefined;
  if (challenge) return <MfaStep challenge={challenge} next={next} />;

  return (
    <form action={submit} onSubmit={onSubmit} className="flex flex-col gap-3" noValidate>
      {state && !state.ok && (
        <Banner kind="error">
          {state.error.message}
        </Banner>
      )}
      <fieldset className="flex gap-4">
        <legend className="sr-only">Sign in as</legend>
        <label className="flex items-center gap-1">
          <input type="radio" name="kind" value="user" checked={kind === "user"} onChange={() => setKind("user")} /> IAM user
        </label>
        <label className="flex items-center gap-1">
          <input type="radio" name="kind" value="root" checked={kind === "root"} onChange={() => setKind("root")} /> Root user
        </label>
      </fieldset>
      {kind === "user" ? (
        <>
          <Field label="Account ID or alias" name="account" defaultValue={account} autoComplete="organization" required errors={fieldErrors(state, "account")} />
          <Field label="IAM user name" name="userName" autoComplete="username" required errors={fieldErrors(state, "userName")} />
        </>
      ) : (
        <Field label="Root user email address" name="email" type="email" autoComplete="email" required errors={fieldErrors(state, "email")} />
      )}
      <Field label="Password" name="password" type="password" autoComplete="current-password" required errors={fieldErrors(state, "password")} />
      {next && <input type="hidden" name="next" value={next} />}
      <Button type="submit" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}

function MfaStep({ challenge, next }: { challenge: string; next?: string }) {
  const [state, submit, pending] = useActionState(mfaAction, null);
  const [, startTransition] = useTransition();
  return (
    <form
      action={submit}
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        startTransition(() => submit(form));
      }}
      className="flex flex-col gap-3"
      noValidate
    >
      <h2 className="text-lg font-semibold">Multi-factor authentication</h2>
      <p>Enter the code shown by the authenticator app of your MFA device.</p>
      {state && !state.ok && <Banner kind="error">{state.error.message}</Banner>}
      <input type="hidden" name="challenge" value={challenge} />
      {next && <input type="hidden" name="next" value={next} />}
      <Field
        label="MFA code"
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="\d{6}"
        maxLength={6}
        rule="6 digits"
        autoFocus
        errors={state && !state.ok ? state.fieldErrors?.code : undefined}
      />
      <Button type="submit" disabled={pending}>
        {pending ? "Checking…" : "Submit"}
      </Button>
    </form>
  );
}
