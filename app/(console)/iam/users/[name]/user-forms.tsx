"use client";
// The interactive parts of a user's detail page; each reports to the page's flash banner.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ActionButton, ConfirmActionButton } from "@/components/ui/flash";
import { PolicyPicker } from "@/components/iam/policy-picker";
import { TAG_RULES } from "@/lib/actions/form-input";
import { TagRows } from "@/components/iam/tags-editor";
import { useActionForm } from "@/components/ui/use-action-form";
import { PolicyEditor } from "@/components/iam/policy-editor";
import { Banner, ResultBanner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { SecretOnce } from "@/components/ui/secret-once";
import {
  attachPolicyAction,
  deleteUserAction,
  disableConsoleAccessAction,
  enableConsoleAccessAction,
  putBoundaryAction,
  putInlinePolicyAction,
  requireResetAction,
  resetPasswordAction,
  tagUserAction,
} from "./actions";

export function DeleteUserButton({ userName }: { userName: string }) {
  const router = useRouter();
  return (
    <ConfirmActionButton
      action={deleteUserAction}
      values={{ userName }}
      trigger="Delete user"
      title={`Delete user ${userName}?`}
      confirmText={userName}
      success={`User ${userName} deleted.`}
      after={() => router.push(`/iam/users?deleted=${encodeURIComponent(userName)}`)}
    >
      <p className="mb-2">
        This deletes <strong>{userName}</strong> and, first, everything that belongs to it: console password, access keys, MFA devices,
        inline policies, attached policies and group memberships. Programs using its access keys stop working. This cannot be undone.
      </p>
    </ConfirmActionButton>
  );
}

export function AttachPolicies({ userName, attached }: { userName: string; attached: string[] }) {
  return (
    <PolicyPicker
      label="Find a policy to attach"
      isChosen={(arn) => attached.includes(arn)}
      renderAction={(p) => (
        <ActionButton action={attachPolicyAction} values={{ userName, policyArn: p.arn }} label="Attach" ariaLabel={`Attach ${p.policyName}`} success={`Policy ${p.policyName} attached.`} />
      )}
    />
  );
}

const POLICY_NAME_RULE = "Up to 128 characters: letters, digits and +=,.@_-";

export function InlinePolicyForm({ userName, policyName, document }: { userName: string; policyName?: string; document?: string }) {
  const { result, pending, onSubmit, errorsFor } = useActionForm(putInlinePolicyAction);
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-3" noValidate>
      <ResultBanner result={result} success={policyName ? `Inline policy ${policyName} saved.` : "Inline policy created."} />
      <input type="hidden" name="userName" value={userName} />
      {policyName ? (
        <input type="hidden" name="policyName" value={policyName} />
      ) : (
        <Field label="Policy name" name="policyName" required rule={POLICY_NAME_RULE} errors={errorsFor("policyName")} />
      )}
      <PolicyEditor name="policyDocument" label={policyName ? `Policy document of ${policyName}` : "Policy document"} policyType="identity" inline defaultValue={document} />
      {errorsFor("policyDocument") && <p className="text-xs text-red-700">{errorsFor("policyDocument")!.join(" ")}</p>}
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : policyName ? "Save changes" : "Create inline policy"}
        </Button>
      </div>
    </form>
  );
}

export function BoundaryForm({ userName }: { userName: string }) {
  const { result, pending, onSubmit, errorsFor } = useActionForm(putBoundaryAction);
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-2" noValidate>
      <ResultBanner result={result} success="Permissions boundary set." />
      <input type="hidden" name="userName" value={userName} />
      <Field
        label="Boundary policy ARN"
        name="permissionsBoundary"
        placeholder="arn:aws:iam::aws:policy/PowerUserAccess"
        rule="A managed policy: the user can never do more than it allows."
        errors={errorsFor("permissionsBoundary")}
      />
      <div>
        <Button type="submit" disabled={pending}>
          Set boundary
        </Button>
      </div>
    </form>
  );
}

export function AddTagsForm({ userName, room }: { userName: string; room: number }) {
  const { result, pending, onSubmit, errorsFor } = useActionForm(tagUserAction, { resetOnSuccess: true });
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-3" noValidate>
      <ResultBanner result={result} success="Tags saved." />
      <input type="hidden" name="userName" value={userName} />
      <fieldset className="flex flex-col gap-2">
        <legend className="font-medium">Tags</legend>
        <p className="text-xs text-neutral-500 dark:text-neutral-400">
          Key: {TAG_RULES.key} Value: {TAG_RULES.value} At most {TAG_RULES.count} tags.
        </p>
        <TagRows room={room} errorsFor={errorsFor} />
      </fieldset>
      <div>
        <Button type="submit" disabled={pending || room <= 0}>
          Save tags
        </Button>
      </div>
    </form>
  );
}

/** Enable console access, or reset the password: generated (shown once) or typed, with "require reset". */
export function PasswordForm({ userName, mode, rules }: { userName: string; mode: "enable" | "reset"; rules: string[] }) {
  const { result, pending, onSubmit, errorsFor } = useActionForm(mode === "enable" ? enableConsoleAccessAction : resetPasswordAction, { resetOnSuccess: true });
  const [kind, setKind] = useState<"autogenerated" | "custom">("autogenerated");
  const generated = result?.ok ? result.data.password : undefined;
  return (
    <form onSubmit={onSubmit} aria-label={mode === "enable" ? "Enable console access" : "Reset password"} className="flex flex-col gap-2" noValidate>
      {result?.ok ? (
        <Banner kind="success">{mode === "enable" ? "Console access enabled." : "Password reset."}</Banner>
      ) : (
        <ResultBanner result={result} />
      )}
      {generated && <SecretOnce label="New console password" value={generated} warning="This is the only time you can see this password. Give it to the user through a safe channel." />}
      <input type="hidden" name="userName" value={userName} />
      <fieldset className="flex flex-wrap gap-4">
        <legend className="sr-only">Password</legend>
        <label className="flex items-center gap-2">
          <input type="radio" name="passwordMode" value="autogenerated" checked={kind === "autogenerated"} onChange={() => setKind("autogenerated")} />
          Autogenerated password
        </label>
        <label className="flex items-center gap-2">
          <input type="radio" name="passwordMode" value="custom" checked={kind === "custom"} onChange={() => setKind("custom")} />
          Custom password
        </label>
      </fieldset>
      {kind === "custom" && (
        <Field
          label={mode === "enable" ? "Console password" : "New password"}
          name="password"
          type="password"
          autoComplete="new-password"
          rule={rules.join(" · ")}
          errors={errorsFor("password") ?? (result && !result.ok && result.error.code === "PasswordPolicyViolation" ? [result.error.message] : undefined)}
        />
      )}
      <label className="flex items-center gap-2">
        <input type="checkbox" name="requireReset" value="true" defaultChecked />
        User must create a new password at next sign-in
      </label>
      <div>
        <Button type="submit" disabled={pending}>
          {mode === "enable" ? "Enable console access" : "Reset password"}
        </Button>
      </div>
    </form>
  );
}

export function RequireResetButton({ userName, required }: { userName: string; required: boolean }) {
  return (
    <ActionButton
      action={requireResetAction}
      values={{ userName, passwordResetRequired: String(!required) }}
      label={required ? "Don't require a new password" : "Require a new password at next sign-in"}
      success={required ? "A new password is no longer required." : "The user must create a new password at next sign-in."}
    />
  );
}

export function DisableConsoleAccessButton({ userName }: { userName: string }) {
  return (
    <ConfirmActionButton
      action={disableConsoleAccessAction}
      values={{ userName }}
      trigger="Disable console access"
      title="Disable console access?"
      confirmText={userName}
      confirmLabel="Disable"
      success="Console access disabled."
    >
      <p>The console password of {userName} is deleted; signed-in sessions end at their next request. Access keys keep working.</p>
    </ConfirmActionButton>
  );
}

