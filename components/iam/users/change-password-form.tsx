"use client";
// Changing one's own password: old + new + confirm, the policy's rules beside the
// new password, the violated rule named by the server.
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { ResultBanner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { changePasswordAction } from "@/lib/actions/credentials";
import { useActionForm } from "@/components/ui/use-action-form";

export function ChangePasswordForm({ rules, redirectTo }: { rules: string[]; redirectTo?: string }) {
  const router = useRouter();
  const { result, pending, onSubmit, errorsFor } = useActionForm(changePasswordAction, { resetOnSuccess: true, refresh: !redirectTo });
  const [mismatch, setMismatch] = useState(false);
  useEffect(() => {
    if (result?.ok && redirectTo) router.replace(redirectTo);
  }, [result, redirectTo, router]);
  return (
    <form
      onSubmit={(e) => {
        const f = new FormData(e.currentTarget);
        if (f.get("newPassword") !== f.get("confirmPassword")) {
          e.preventDefault();
          setMismatch(true);
          return;
        }
        setMismatch(false);
        onSubmit(e);
      }}
      className="flex max-w-md flex-col gap-3"
      noValidate
    >
      <ResultBanner result={result} success="Your password has been changed." />
      <Field label="Current password" name="oldPassword" type="password" autoComplete="current-password" required errors={errorsFor("oldPassword")} />
      <Field
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        required
        rule={rules.join(" · ")}
        errors={errorsFor("newPassword") ?? (result && !result.ok && result.error.code === "PasswordPolicyViolation" ? [result.error.message] : undefined)}
      />
      <Field
        label="Confirm new password"
        name="confirmPassword"
        type="password"
        autoComplete="new-password"
        required
        errors={mismatch ? ["The new password and its confirmation do not match."] : errorsFor("confirmPassword")}
      />
      <Button type="submit" disabled={pending}>
        {pending ? "Changing…" : "Change password"}
      </Button>
    </form>
  );
}
