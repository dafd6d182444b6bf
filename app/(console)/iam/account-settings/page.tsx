import { FlashProvider } from "@/components/ui/flash";
import { PasswordPolicyRules } from "@/components/iam/users/password-policy-rules";
import { PageHeader } from "@/components/ui/page-header";
import { ErrorPanel } from "@/components/ui/panels";
import { loadAs } from "@/lib/actions/define-action";
import { requireConsole } from "@/lib/auth/console-context";
import { getEffectivePasswordPolicy } from "@/lib/iam/services/passwords";
import { PasswordPolicyForm } from "./password-policy-form";
import { ResetPolicyButton } from "./reset-policy-button";

export const metadata = { title: "Account settings" };

export default async function AccountSettingsPage() {
  const { principal, account } = await requireConsole();
  const policy = await loadAs(principal, getEffectivePasswordPolicy(principal));
  return (
    <FlashProvider>
      <PageHeader crumbs={[{ label: "IAM", href: "/iam" }, { label: "Account settings" }]} title="Account settings" />
      <section aria-labelledby="account-title" className="mb-6">
        <h2 id="account-title" className="mb-1 text-lg font-semibold">
          Account
        </h2>
        <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-neutral-500">Account ID</dt>
          <dd className="font-mono">{account.id}</dd>
          <dt className="text-neutral-500">Account alias</dt>
          <dd className="font-mono" data-testid="account-alias">
            {account.alias ?? "None"}
          </dd>
          <dt className="text-neutral-500">Sign-in with</dt>
          <dd className="font-mono">{account.alias ?? account.id}</dd>
        </dl>
      </section>
      <section aria-labelledby="policy-title" className="flex flex-col gap-3">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="policy-title" className="text-lg font-semibold">
            Password policy
          </h2>
          {policy.ok && policy.data.custom && <ResetPolicyButton />}
        </div>
        {!policy.ok ? (
          <ErrorPanel result={policy} />
        ) : (
          <>
            <PasswordPolicyRules policy={policy.data} id="current-policy" />
            <PasswordPolicyForm key={JSON.stringify(policy.data)} policy={policy.data} />
          </>
        )}
      </section>
    </FlashProvider>
  );
}
