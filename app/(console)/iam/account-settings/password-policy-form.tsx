"use client";
import { useState } from "react";
import { useFlash } from "@/components/ui/flash";
import { useActionForm } from "@/components/ui/use-action-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import type { EffectivePasswordPolicy } from "@/lib/iam/services/passwords";
import { updatePasswordPolicyAction } from "./actions";

function Check({ name, label, defaultChecked, onChange }: { name: string; label: string; defaultChecked: boolean; onChange?: (on: boolean) => void }) {
  return (
    <label className="flex items-center gap-2">
      <input type="checkbox" name={name} defaultChecked={defaultChecked} onChange={(e) => onChange?.(e.target.checked)} />
      {label}
    </label>
  );
}

export function PasswordPolicyForm({ policy }: { policy: EffectivePasswordPolicy }) {
  // The result goes to the page's flash banner: the form is rebuilt from the saved policy.
  const flash = useFlash();
  const { result, pending, onSubmit, errorsFor } = useActionForm(updatePasswordPolicyAction, { onResult: (r) => flash(r, "Password policy saved.") });
  const [expire, setExpire] = useState(policy.expirePasswords);
  const [reuse, setReuse] = useState(policy.passwordReusePrevention !== null);
  const errs = errorsFor;
  return (
    <form onSubmit={onSubmit} aria-label="Password policy" className="flex max-w-xl flex-col gap-3" noValidate>
      <input type="hidden" name="formKind" value="passwordPolicy" />
      <Field
        label="Minimum password length"
        name="minimumPasswordLength"
        type="number"
        min={6}
        max={128}
        defaultValue={policy.minimumPasswordLength}
        rule="6 to 128 characters"
        errors={errs("minimumPasswordLength")}
      />
      <fieldset className="flex flex-col gap-1">
        <legend className="font-medium">Password strength</legend>
        <Check name="requireUppercaseCharacters" label="Require at least one uppercase letter (A-Z)" defaultChecked={policy.custom && policy.requireUppercaseCharacters} />
        <Check name="requireLowercaseCharacters" label="Require at least one lowercase letter (a-z)" defaultChecked={policy.custom && policy.requireLowercaseCharacters} />
        <Check name="requireNumbers" label="Require at least one number (0-9)" defaultChecked={policy.custom && policy.requireNumbers} />
        <Check name="requireSymbols" label="Require at least one non-alphanumeric character (! @ # $ % ^ & * ( ) _ + - = [ ] { } | ')" defaultChecked={policy.custom && policy.requireSymbols} />
      </fieldset>
      <fieldset className="flex flex-col gap-2">
        <legend className="font-medium">Other requirements</legend>
        <Check name="expirePasswords" label="Turn on password expiration" defaultChecked={policy.expirePasswords} onChange={setExpire} />
        {expire && (
          <div className="ml-6 flex flex-col gap-2">
            <Field label="Expire passwords in (days)" name="maxPasswordAge" type="number" min={1} max={1095} defaultValue={policy.maxPasswordAge ?? 90} rule="1 to 1,095 days" errors={errs("maxPasswordAge")} />
            <Check name="hardExpiry" label="Password expiration requires administrator reset" defaultChecked={policy.hardExpiry} />
          </div>
        )}
        <Check name="allowUsersToChangePassword" label="Allow users to change their own password" defaultChecked={policy.allowUsersToChangePassword} />
        <Check name="preventReuse" label="Prevent password reuse" defaultChecked={reuse} onChange={setReuse} />
        {reuse && (
          <div className="ml-6">
            <Field
              label="Remember previous passwords"
              name="passwordReusePrevention"
              type="number"
              min={1}
              max={24}
              defaultValue={policy.passwordReusePrevention ?? 5}
              rule="1 to 24 passwords"
              errors={errs("passwordReusePrevention")}
            />
          </div>
        )}
      </fieldset>
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save password policy"}
        </Button>
      </div>
    </form>
  );
}
