// Event names as AWS spells them, so the filter box may be typed in any case
// (deleteobject finds DeleteObject) while the query stays an indexed equality.

/** Events recorded outside the operation catalogue. */
const OTHER_EVENTS = ["ConsoleLogin", "SwitchRole", "ExitRole", "GetSigninToken"];

let known: Map<string, string> | undefined;

async function knownNames(): Promise<Map<string, string>> {
  if (!known) {
    // Loaded when first asked: the catalogue itself declares the event history's operations.
    const { allOperations } = await import("@/lib/iam/catalogue");
    known = new Map([...allOperations().map((o) => o.name), ...OTHER_EVENTS].map((n) => [n.toLowerCase(), n]));
  }
  return known;
}

/** AWS's spelling of an event name typed in any case; an unknown name is kept as typed. */
export async function canonicalEventName(name: string): Promise<string> {
  return (await knownNames()).get(name.toLowerCase()) ?? name;
}
