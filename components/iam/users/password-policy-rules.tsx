import type { EffectivePasswordPolicy } from "@/lib/iam/services/passwords";

/** The account password policy in words, shown next to every password field. */
export function passwordRules(policy: EffectivePasswordPolicy): string[] {
  const rules = [`At least ${policy.minimumPasswordLength} characters (at most 128)`];
  if (!policy.custom) {
    rules.push("At least three of: uppercase letters, lowercase letters, numbers, symbols");
  } else {
    if (policy.requireUppercaseCharacters) rules.push("At least one uppercase letter (A-Z)");
    if (policy.requireLowercaseCharacters) rules.push("At least one lowercase letter (a-z)");
    if (policy.requireNumbers) rules.push("At least one number (0-9)");
    if (policy.requireSymbols) rules.push("At least one symbol: ! @ # $ % ^ & * ( ) _ + - = [ ] { } | '");
  }
  if (policy.passwordReusePrevention) rules.push(`Not one of your last ${policy.passwordReusePrevention} passwords`);
  if (policy.maxPasswordAge) rules.push(`Expires after ${policy.maxPasswordAge} days${policy.hardExpiry ? "; an administrator must then reset it" : ""}`);
  return rules;
}

export function PasswordPolicyRules({ policy, id = "password-policy" }: { policy: EffectivePasswordPolicy; id?: string }) {
  return (
    <section aria-labelledby={`${id}-title`} className="rounded border border-neutral-200 p-3 text-sm dark:border-neutral-800">
      <h2 id={`${id}-title`} className="mb-1 font-semibold">
        {policy.custom ? "The account's password policy" : "The default password policy (no custom policy is set)"}
      </h2>
      <ul id={id} className="list-inside list-disc">
        {passwordRules(policy).map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
    </section>
  );
}
