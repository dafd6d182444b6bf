import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ChangePasswordForm } from "@/components/iam/users/change-password-form";
import { PasswordPolicyRules, passwordRules } from "@/components/iam/users/password-policy-rules";
import { loadAs } from "@/lib/actions/define-action";
import { signedInPrincipal } from "@/lib/auth/current";
import { signOutAction } from "@/lib/auth/session-actions";
import { DEFAULT_PASSWORD_POLICY, getEffectivePasswordPolicy } from "@/lib/iam/services/passwords";

export const metadata: Metadata = { title: "Change your password" };
export const dynamic = "force-dynamic";

/**
 * Where the console sends an IAM user whose password must be changed: until it
 * is, the gate allows only ChangePassword and GetAccountPasswordPolicy.
 */
export default async function ChangePasswordPage() {
  const identity = await signedInPrincipal();
  if (!identity) redirect("/signin?next=%2Fchange-password");
  if (!identity.passwordResetRequired) redirect("/iam/security-credentials");
  const policy = await loadAs(identity, getEffectivePasswordPolicy(identity));
  const effective = policy.ok ? policy.data : DEFAULT_PASSWORD_POLICY;
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col gap-4 p-6 md:pt-24">
      <p className="text-xs font-semibold uppercase tracking-wide text-accent">IAM Lab</p>
      <h1 className="text-2xl font-semibold">Change your password</h1>
      <p>
        You signed in as <strong>{identity.type === "IAMUser" ? identity.userName : "root"}</strong> in account{" "}
        <span className="font-mono">{identity.accountId}</span>. Your administrator requires a new password before you continue.
      </p>
      <PasswordPolicyRules policy={effective} />
      <ChangePasswordForm rules={passwordRules(effective)} redirectTo="/?from=password-changed" />
      <form action={signOutAction}>
        <button type="submit" className="text-sm text-accent underline">
          Sign out instead
        </button>
      </form>
    </main>
  );
}
