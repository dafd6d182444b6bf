import "server-only";
// Export = GetAccountAuthorizationDetails' own output (lib/iam/services/
// authorization-details.ts), every page joined: the format the importer reads.
// Pages of AWS's largest MaxItems (1,000). As a file, it is written the way
// `aws iam get-account-authorization-details` prints it (cliJson).
import type { Tx } from "@/lib/db/client";
import { loadAuthorizationDetails, type AuthorizationDetails } from "@/lib/iam/services/authorization-details";

/** AWS's largest MaxItems for GetAccountAuthorizationDetails. */
export const EXPORT_PAGE = 1000;

/** Every page of GetAccountAuthorizationDetails joined, however a page is read (a transaction here, the gated operation in the console). */
export async function joinPages(page: (marker: string | undefined) => Promise<AuthorizationDetails>): Promise<AuthorizationDetails> {
  const all: AuthorizationDetails = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [], IsTruncated: false };
  let marker: string | undefined;
  do {
    const p = await page(marker);
    all.UserDetailList.push(...p.UserDetailList);
    all.GroupDetailList.push(...p.GroupDetailList);
    all.RoleDetailList.push(...p.RoleDetailList);
    all.Policies.push(...p.Policies);
    marker = p.IsTruncated ? p.Marker : undefined;
  } while (marker);
  return all;
}

export function exportAccount(tx: Tx, accountId: string): Promise<AuthorizationDetails> {
  return joinPages((marker) => loadAuthorizationDetails(tx, accountId, { maxItems: EXPORT_PAGE, marker }));
}

const DOCUMENTS = new Set(["PolicyDocument", "AssumeRolePolicyDocument", "Document"]);
const DATES = new Set(["CreateDate", "UpdateDate", "LastUsedDate"]);

/** ISO 8601 as the CLI prints a timestamp (Python's isoformat): `+00:00`, microseconds only when there are some. */
const cliDate = (iso: string) => iso.replace(/(\.\d{3})?Z$/, (_, ms: string | undefined) => (ms && ms !== ".000" ? `${ms}000+00:00` : "+00:00"));

/**
 * The export as the AWS CLI prints it: the four lists only (the CLI pages by
 * itself, so no IsTruncated or Marker), documents as JSON objects (botocore
 * decodes them), timestamps with +00:00, indented by 4.
 */
export function cliJson(details: AuthorizationDetails): string {
  const { UserDetailList, GroupDetailList, RoleDetailList, Policies } = details;
  return JSON.stringify(
    { UserDetailList, GroupDetailList, RoleDetailList, Policies },
    (key, value) => {
      if (typeof value !== "string") return value;
      if (DATES.has(key)) return cliDate(value);
      if (DOCUMENTS.has(key)) {
        try {
          return JSON.parse(value) as unknown;
        } catch {
          return value;
        }
      }
      return value;
    },
    4,
  );
}

const ID_MEMBERS = new Set(["UserId", "GroupId", "RoleId", "PolicyId", "InstanceProfileId"]);

/** An export as plain JSON with the account ID replaced and entity IDs left out: what must survive a round trip. */
export function normalizedExport(details: AuthorizationDetails, accountId: string): unknown {
  return JSON.parse(JSON.stringify(details, (key, value) => (ID_MEMBERS.has(key) ? undefined : value)).split(accountId).join("ACCOUNT"));
}
