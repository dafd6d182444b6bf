// Where a service control policy is attached, in words (pure: also used by the console's explanations).

/** "the organization root" (r-...), "account 111122223333", or "OU ou-..." for an organization level's identifier. */
export function orgLevelName(orgIdentifier: string): string {
  if (/^r-[0-9a-z]+$/.test(orgIdentifier)) return "the organization root";
  if (/^\d{12}$/.test(orgIdentifier)) return `account ${orgIdentifier}`;
  return `OU ${orgIdentifier}`;
}
