import "server-only";
// The one place the services validate identity-policy documents, through the
// policy engine. Throws AWS's MalformedPolicyDocument / LimitExceeded.
import { IamError } from "@/lib/iam/errors";
import { validatePolicyDocument } from "@/lib/iam/policy";

export interface ValidDocument {
  /** Characters without whitespace: what IAM counts against size limits. */
  size: number;
}

/**
 * Validates an identity-based policy. Managed policies (inline: false) carry
 * the 6,144-character limit; inline ones count towards their holder's aggregate.
 */
export function validateIdentityPolicy(text: string, options: { inline?: boolean } = {}): ValidDocument {
  const result = validatePolicyDocument(text, "identity", { inline: options.inline ?? false });
  if (!result.ok) throw new IamError(result.error.code, result.error.message);
  return { size: result.size };
}
