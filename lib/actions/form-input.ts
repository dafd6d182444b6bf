// Form shapes the console's forms share (no "use server" or "use client":
// server actions and client components both import these). Tags arrive as
// repeated tagKey/tagValue fields; tag keys to remove as repeated tagKeys fields;
// a checkbox is sent only when ticked; an empty text field means "not given".
import { z } from "zod";

/** An empty (or all-blank) text field means "not given": undefined, so `.optional()` applies. Anything else passes as is. */
export const blank = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** A checkbox: sent as "on" (or its value, "true") when ticked, absent when not; a boolean from direct calls. */
export const isChecked = (v: unknown): boolean => v === true || v === "on" || v === "true";

/** A checkbox field as a boolean: absent is false. */
export const checkbox = z.preprocess(isChecked, z.boolean());

const list = (v: unknown): string[] => (v === undefined || v === null || v === "" ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/** Pairs repeated tagKey / tagValue fields into tags, keys trimmed; rows left blank are dropped. */
export function tagsFromForm(form: Record<string, unknown>): { key: string; value: string }[] {
  const keys = list(form.tagKey);
  const values = list(form.tagValue);
  return keys.map((key, i) => ({ key: key.trim(), value: values[i] ?? "" })).filter((t) => t.key !== "" || t.value !== "");
}

/** {tagKey: [...], tagValue: [...]} (or the API's tags array) to {tags: [{key, value}]}; blank rows are dropped. */
export function withTags(raw: unknown): unknown {
  if (typeof raw !== "object" || raw === null || Array.isArray((raw as { tags?: unknown }).tags)) return raw;
  const { tagKey, tagValue, ...rest } = raw as Record<string, unknown>;
  return { ...rest, tags: tagsFromForm({ tagKey, tagValue }) };
}

/** Tag keys to remove, from repeated tagKeys fields. */
export function withTagKeys(raw: unknown): unknown {
  if (typeof raw !== "object" || raw === null) return raw;
  const r = raw as Record<string, unknown>;
  return { ...r, tagKeys: list(r.tagKeys) };
}

export const TAG_RULES = {
  key: "Up to 128 characters: letters, digits, spaces and _ . : / = + - @. Keys are unique ignoring case and cannot start with aws:.",
  value: "Up to 256 characters: letters, digits, spaces and _ . : / = + - @.",
  count: 50,
};
