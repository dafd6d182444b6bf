import { AccessKeysPanel } from "@/components/iam/users/access-keys-panel";
import { MfaPanel } from "@/components/iam/users/mfa-panel";
import { passwordRules } from "@/components/iam/users/password-policy-rules";
import { formatDate } from "@/components/ui/format";
import { loadAs } from "@/lib/actions/define-action";
import type { Principal } from "@/lib/iam/principal";
import { DEFAULT_PASSWORD_POLICY, getEffectivePasswordPolicy } from "@/lib/iam/services/passwords";
import type { UserDetail } from "@/lib/iam/services/users";
import { Section } from "./section";
import { SignOutEverywhereButton } from "./sign-out-everywhere";
import { DisableConsoleAccessButton, PasswordForm, RequireResetButton } from "./user-forms";

/** Security credentials: console password, access keys and MFA devices. */
export async function CredentialsTab({ principal, d }: { principal: Principal; d: UserDetail }) {
  const userName = d.user.userName;
  const profile = d.credentials.loginProfile;
  const policy = await loadAs(principal, getEffectivePasswordPolicy(principal));
  const rules = passwordRules(policy.ok ? policy.data : DEFAULT_PASSWORD_POLICY);
  return (
    <div className="flex flex-col gap-8">
      <Section id="console-title" title="Console sign-in">
        {profile ? (
          <>
            <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
              <dt className="text-neutral-500">Console password</dt>
              <dd>Enabled{profile.passwordResetRequired ? " (a new password is required at next sign-in)" : ""}</dd>
              <dt className="text-neutral-500">Last changed</dt>
              <dd>{formatDate(profile.passwordLastChanged, "Never")}</dd>
              <dt className="text-neutral-500">Last used</dt>
              <dd>{formatDate(profile.passwordLastUsed, "Never")}</dd>
            </dl>
            <div className="flex flex-wrap gap-2">
              <RequireResetButton userName={userName} required={profile.passwordResetRequired} />
              <DisableConsoleAccessButton userName={userName} />
              <SignOutEverywhereButton userName={userName} />
            </div>
            <details className="rounded border border-neutral-200 p-3 dark:border-neutral-800">
              <summary className="cursor-pointer font-medium">Reset password</summary>
              <div className="mt-2">
                <PasswordForm userName={userName} mode="reset" rules={rules} />
              </div>
            </details>
          </>
        ) : (
          <>
            <p className="text-sm">Console access is disabled: the user has no console password.</p>
            <PasswordForm userName={userName} mode="enable" rules={rules} />
          </>
        )}
      </Section>
      <AccessKeysPanel userName={userName} keys={d.credentials.accessKeys} owner={userName} />
      <MfaPanel userName={userName} devices={d.credentials.mfaDevices} defaultDeviceName={userName} />
    </div>
  );
}
