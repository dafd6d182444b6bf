// Tags arrive from forms as repeated tagKey / tagValue fields: pair them up,
// skipping rows left blank. Shared by the create-user wizard and the Tags tab.

const list = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

export function tagsFromForm(form: Record<string, unknown>): { key: string; value: string }[] {
  const keys = list(form.tagKey);
  const values = list(form.tagValue);
  return keys
    .map((key, i) => ({ key: key.trim(), value: values[i] ?? "" }))
    .filter((t) => t.key !== "" || t.value !== "");
}

export const TAG_KEY_RULE = "Key: 1-128 characters; letters, numbers, spaces and _ . : / = + - @; not starting with aws:";
export const TAG_VALUE_RULE = "Value: up to 256 of the same characters";
