"use client";
// Key/value rows for tags (submitted as repeated tagKey / tagValue fields).
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { TAG_KEY_RULE, TAG_VALUE_RULE } from "./form-tags";

export const MAX_TAGS = 50;

export function TagRows({ initial = 1, errors, room = MAX_TAGS }: { initial?: number; errors?: string[]; room?: number }) {
  const [rows, setRows] = useState(() => Array.from({ length: initial }, (_, i) => i));
  const [next, setNext] = useState(initial);
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="font-medium">Tags</legend>
      <p id="tag-rules" className="text-xs text-neutral-500 dark:text-neutral-400">
        {TAG_KEY_RULE}. {TAG_VALUE_RULE}. Keys are unique ignoring case; at most {MAX_TAGS} tags.
      </p>
      {rows.map((r, i) => (
        <div key={r} className="flex flex-wrap items-end gap-2">
          <label className="flex flex-col gap-1 text-sm">
            <span>Tag key {i + 1}</span>
            <input name="tagKey" aria-describedby="tag-rules" maxLength={128} className="rounded border border-neutral-300 px-2 py-1.5 dark:border-neutral-700 dark:bg-neutral-900" />
          </label>
          <label className="flex flex-col gap-1 text-sm">
            <span>Tag value {i + 1}</span>
            <input name="tagValue" aria-describedby="tag-rules" maxLength={256} className="rounded border border-neutral-300 px-2 py-1.5 dark:border-neutral-700 dark:bg-neutral-900" />
          </label>
          <Button variant="secondary" onClick={() => setRows((cur) => cur.filter((x) => x !== r))} aria-label={`Remove tag row ${i + 1}`}>
            Remove
          </Button>
        </div>
      ))}
      {errors?.length ? <p className="text-xs text-red-700 dark:text-red-400">{errors.join(" ")}</p> : null}
      <div>
        <Button
          variant="secondary"
          disabled={rows.length >= room}
          onClick={() => {
            setRows((cur) => [...cur, next]);
            setNext((n) => n + 1);
          }}
        >
          Add tag
        </Button>
      </div>
    </fieldset>
  );
}

/** The field errors of the tags, whatever row they came from. */
export function tagErrors(fieldErrors: Record<string, string[]> | undefined): string[] | undefined {
  if (!fieldErrors) return undefined;
  const out = Object.entries(fieldErrors)
    .filter(([k]) => k === "tags" || k.startsWith("tags."))
    .flatMap(([, v]) => v);
  return out.length ? [...new Set(out)] : undefined;
}
