import "server-only";
// The session policy of a federated or role session as STS takes it: the
// inline Policy and up to 10 managed PolicyArns. Session policies add up among
// themselves (an allow in any of them counts) and limit the identity's own
// policies, so the stored session policy is one document holding every
// statement, read when the session starts (later edits to the managed policies
// do not reach running sessions). The plain-text limit is AWS's 2,048
// characters for the inline policy; the packed size counts policy and tags.
import type { Tx } from "@/lib/db/client";
import { IamError } from "@/lib/iam/errors";
import { validatePolicyDocument } from "@/lib/iam/policy";
import { constraintError } from "./rules";

export const MAX_SESSION_POLICY_ARNS = 10;

/** A session with no session policy at all where one is required (GetFederationToken): it grants nothing. */
export const GRANTS_NOTHING = '{"Version":"2012-10-17","Statement":[]}';

export interface SessionPolicyInput {
  policy?: string;
  policyArns?: { arn?: string }[];
}

/** Checks the inline session policy as AWS does (MalformedPolicyDocument, PackedPolicyTooLarge). */
export function checkInlineSessionPolicy(policy: string | undefined): void {
  if (policy === undefined) return;
  if (policy.length < 1) throw constraintError("policy", undefined, "Member must have length greater than or equal to 1");
  if (policy.length > 2048) throw constraintError("policy", undefined, "Member must have length less than or equal to 2048");
  const v = validatePolicyDocument(policy, "session");
  if (!v.ok) throw new IamError(v.error.code === "LimitExceeded" ? "PackedPolicyTooLarge" : "MalformedPolicyDocument", v.error.message);
}

type Statement = Record<string, unknown>;

function statementsOf(text: string): Statement[] {
  const doc = JSON.parse(text) as { Statement?: Statement | Statement[] };
  const s = doc.Statement;
  return Array.isArray(s) ? s : s ? [s] : [];
}

/**
 * The one session-policy document for the session, or undefined when the
 * request passed none. Managed policies must exist and be visible to the
 * caller's account (AWS managed, or the account's own).
 */
export async function sessionPolicyDocument(tx: Tx, accountId: string, input: SessionPolicyInput): Promise<string | undefined> {
  checkInlineSessionPolicy(input.policy);
  const arns = input.policyArns ?? [];
  if (arns.length > MAX_SESSION_POLICY_ARNS) throw constraintError("policyArns", undefined, `Member must have length less than or equal to ${MAX_SESSION_POLICY_ARNS}`);
  if (input.policy === undefined && arns.length === 0) return undefined;
  const statements: Statement[] = input.policy !== undefined ? statementsOf(input.policy) : [];
  for (const { arn } of arns) {
    if (typeof arn !== "string" || arn.length < 20 || arn.length > 2048) throw constraintError("policyArns.member.arn", arn, "Member must have length greater than or equal to 20");
    const policy = await tx.managedPolicy.findUnique({ where: { arn }, select: { accountId: true, defaultVersionId: true, versions: { where: { isDefault: true }, select: { document: true } } } });
    if (!policy || (policy.accountId !== null && policy.accountId !== accountId) || !policy.versions[0])
      throw new IamError("MalformedPolicyDocument", `Policy ${arn} does not exist or is not attachable.`);
    statements.push(...statementsOf(policy.versions[0].document));
  }
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}
