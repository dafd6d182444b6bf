"use server";
// The account password policy: set every option AWS has, or go back to AWS's default.
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { IAM } from "@/lib/iam/catalogue";
import { isChecked } from "@/lib/actions/form-input";
import { deleteAccountPasswordPolicy } from "@/lib/iam/services/passwords";
import { PasswordPolicyInput } from "@/lib/iam/validation";

/** Unchecked boxes are absent from a form: they mean false. Expiry and reuse count only when enabled. */
const PasswordPolicyForm = z.preprocess((raw) => {
  const f = (raw ?? {}) as Record<string, unknown>;
  if (!("formKind" in f)) return raw;
  const box = (k: string) => (isChecked(f[k]) ? "true" : "false");
  return {
    minimumPasswordLength: f.minimumPasswordLength,
    requireSymbols: box("requireSymbols"),
    requireNumbers: box("requireNumbers"),
    requireUppercaseCharacters: box("requireUppercaseCharacters"),
    requireLowercaseCharacters: box("requireLowercaseCharacters"),
    allowUsersToChangePassword: box("allowUsersToChangePassword"),
    maxPasswordAge: box("expirePasswords") === "true" ? f.maxPasswordAge : undefined,
    passwordReusePrevention: box("preventReuse") === "true" ? f.passwordReusePrevention : undefined,
    hardExpiry: box("expirePasswords") === "true" ? box("hardExpiry") : "false",
  };
}, PasswordPolicyInput);

export const updatePasswordPolicyAction = defineAction({ input: PasswordPolicyForm, operation: IAM.UpdateAccountPasswordPolicy.operation });
export const deletePasswordPolicyAction = defineAction({ input: z.object({}), operation: (_i, p) => deleteAccountPasswordPolicy(p) });
