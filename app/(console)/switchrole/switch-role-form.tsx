"use client";
import { ResultBanner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { switchRoleAction } from "@/lib/actions/switch-role";
import { ROLE_COLORS } from "@/lib/sts/role-palette";
import { useActionForm } from "@/components/ui/use-action-form";

export interface SwitchRoleDefaults {
  account?: string;
  roleName?: string;
  displayName?: string;
  color?: string;
}

/** The switch-role form: account, role, display name and colour; prefilled from AWS's link format. */
export function SwitchRoleForm({ defaults }: { defaults: SwitchRoleDefaults }) {
  const { result, pending, onSubmit, errorsFor } = useActionForm(switchRoleAction, { refresh: false });
  return (
    <form onSubmit={onSubmit} noValidate className="flex max-w-lg flex-col gap-4">
      <ResultBanner result={result} />
      <Field
        label="Account ID or alias"
        name="account"
        defaultValue={defaults.account}
        required
        autoComplete="off"
        rule="12-digit account ID, or the account alias (e.g. example-prod)"
        errors={errorsFor("account")}
      />
      <Field
        label="IAM role name"
        name="roleName"
        defaultValue={defaults.roleName}
        required
        autoComplete="off"
        rule="The role's name, with its path if it has one (e.g. admin/Operator): letters, digits and +=,.@_-"
        errors={errorsFor("roleName")}
      />
      <Field
        label="Display name"
        name="displayName"
        defaultValue={defaults.displayName}
        maxLength={64}
        rule="Optional, up to 64 characters: shown in the top bar while you are in the role"
        errors={errorsFor("displayName")}
      />
      <fieldset className="flex flex-col gap-1" aria-describedby={errorsFor("color") ? "color-error" : undefined}>
        <legend className="font-medium">Display colour</legend>
        <div className="flex flex-wrap gap-3">
          {ROLE_COLORS.map((c) => (
            <label key={c.hex} className="flex items-center gap-1">
              <input type="radio" name="color" value={c.hex} defaultChecked={defaults.color === c.hex} />
              <span aria-hidden className="inline-block h-4 w-4 rounded" style={{ backgroundColor: c.hex }} />
              {c.name}
            </label>
          ))}
          <label className="flex items-center gap-1">
            <input type="radio" name="color" value="" defaultChecked={!defaults.color} /> Role&apos;s own colour
          </label>
        </div>
        {errorsFor("color") && (
          <p id="color-error" className="text-xs text-red-700 dark:text-red-400">
            {errorsFor("color")!.join(" ")}
          </p>
        )}
      </fieldset>
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Switching…" : "Switch Role"}
        </Button>
      </div>
    </form>
  );
}
