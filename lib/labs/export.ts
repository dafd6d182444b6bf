import "server-only";
// Export = GetAccountAuthorizationDetails' own output (lib/iam/services/
// authorization-details.ts), every page joined: the format the importer reads.
// Pages of AWS's largest MaxItems (1,000).
import type { Tx } from "@/lib/db/client";
import { loadAuthorizationDetails, type AuthorizationDetails } from "@/lib/iam/services/authorization-details";

export async function exportAccount(tx: Tx, accountId: string): Promise<AuthorizationDetails> {
  const all: AuthorizationDetails = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [], IsTruncated: false };
  let marker: string | undefined;
  do {
    const page = await loadAuthorizationDetails(tx, accountId, { maxItems: 1000, marker });
    all.UserDetailList.push(...page.UserDetailList);
    all.GroupDetailList.push(...page.GroupDetailList);
    all.RoleDetailList.push(...page.RoleDetailList);
    all.Policies.push(...page.Policies);
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return all;
}

const ID_MEMBERS = new Set(["UserId", "GroupId", "RoleId", "PolicyId", "InstanceProfileId"]);

/** An export as plain JSON with the account ID replaced and entity IDs left out: what must survive a round trip. */
export function normalizedExport(details: AuthorizationDetails, accountId: string): unknown {
  return JSON.parse(JSON.stringify(details, (key, value) => (ID_MEMBERS.has(key) ? undefined : value)).split(accountId).join("ACCOUNT"));
}
