// A lab names its sandbox's identifiers with placeholders: {{account:KEY}} is
// the 12-digit ID of the lab's account KEY, {{sandbox}} the sandbox's short ID.
// Filling them in walks every string of a value (policy documents included).

export interface SandboxNames {
  sandboxId: string;
  accounts: Record<string, string>;
}

const PLACEHOLDER = /\{\{(account:([a-z][a-z0-9-]*)|sandbox)\}\}/g;

export function fillString(text: string, names: SandboxNames): string {
  return text.replace(PLACEHOLDER, (whole, _inner: string, accountKey?: string) => {
    if (!accountKey) return names.sandboxId;
    const id = names.accounts[accountKey];
    if (!id) throw new Error(`${whole}: the lab has no account "${accountKey}"`);
    return id;
  });
}

export function fill<T>(value: T, names: SandboxNames): T {
  if (typeof value === "string") return fillString(value, names) as T;
  if (Array.isArray(value)) return value.map((v) => fill(v, names)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [fillString(k, names), fill(v, names)])) as T;
  }
  return value;
}
