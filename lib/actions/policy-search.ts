"use server";
// The policy picker's search, shared by every page that picks managed policies
// (create user/group/role, attach to a user/group/role, permissions boundary).
// ListPolicies through the gate and the audit log (defineAction).
import { defineAction } from "@/lib/actions/define-action";
import { consolePolicyView, listPolicies, type PolicyView } from "@/lib/iam/services/policies";
import { ListPoliciesInput } from "@/lib/iam/validation";

const PICKER_RESULTS = 20;

/** Exact name first, then names that start with the text, then the rest (each in name order). */
function byRelevance(text: string | undefined) {
  const q = (text ?? "").toLowerCase();
  const rank = (name: string) => (name.toLowerCase() === q ? 0 : name.toLowerCase().startsWith(q) ? 1 : 2);
  return <T extends { policyName: string }>(a: T, b: T) => rank(a.policyName) - rank(b.policyName);
}

/**
 * ListPolicies by name (one page of up to 500), the best 20 matches first, so
 * typing a whole name finds that policy even when hundreds of names contain it.
 */
export const searchPoliciesAction = defineAction({
  input: ListPoliciesInput,
  operation: (input, principal) => {
    const op = listPolicies(principal, { ...input, pageSize: 500 });
    return {
      ...op,
      async run(ctx) {
        const page = await op.run(ctx);
        const items = page.Policies.map(consolePolicyView).sort(byRelevance(input.nameContains));
        return { items: items.slice(0, PICKER_RESULTS), isTruncated: page.IsTruncated || items.length > PICKER_RESULTS };
      },
      response: (d: { items: PolicyView[]; isTruncated: boolean }) => ({ policies: d.items.length, isTruncated: d.isTruncated }),
    };
  },
});
