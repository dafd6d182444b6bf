"use client";
// Tags on a user, role or customer-managed policy: the list with Remove, and a
// form to add or overwrite up to 50, with AWS's rules shown next to the fields.
// Generic over the holder: the page passes the holder's field and its
// tag/untag server actions (fields tagKey/tagValue, repeated; tagKeys to remove).
import { useRef, useState } from "react";
import { TAG_RULES } from "@/lib/actions/form-input";
import { useActionForm, type FormAction } from "@/components/ui/use-action-form";
import { ResultBanner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/panels";

export interface TagItem {
  key: string;
  value: string;
}

export function TagsEditor({
  holderField,
  holderValue,
  tags,
  tagAction,
  untagAction,
  readOnly,
}: {
  holderField: "userName" | "roleName" | "policyArn";
  holderValue: string;
  tags: TagItem[];
  tagAction: FormAction;
  untagAction: FormAction;
  /** AWS-managed policies cannot be tagged. */
  readOnly?: boolean;
}) {
  const [generation, setGeneration] = useState(0);
  const [done, setDone] = useState<string | null>(null);
  const run: FormAction = async (state, form) => {
    const removing = form.get("op") === "untag";
    const r = await (removing ? untagAction : tagAction)(state, form);
    if (r.ok) setDone(removing ? `Removed tag ${form.get("tagKeys")}.` : "Tags saved.");
    return r;
  };
  const { result, pending, onSubmit, errorsFor } = useActionForm(run, {
    onSuccess: (_d, form) => {
      if (form.get("op") !== "untag") setGeneration((g) => g + 1);
    },
  });
  const room = TAG_RULES.count - tags.length;
  const holder = <input type="hidden" name={holderField} value={holderValue} />;

  return (
    <section aria-labelledby="tags-title" className="flex flex-col gap-3">
      <h2 id="tags-title" className="text-lg font-semibold">
        Tags ({tags.length} of {TAG_RULES.count})
      </h2>
      <ResultBanner result={result} success={done} />
      {tags.length === 0 ? (
        <EmptyState title="No tags">Tags are key-value pairs that help you find and organize resources, and that conditions in policies can test.</EmptyState>
      ) : (
        <table className="w-full max-w-2xl border-collapse text-left">
          <caption className="sr-only">Tags</caption>
          <thead>
            <tr className="border-b border-neutral-200 dark:border-neutral-800">
              <th scope="col" className="px-2 py-1.5">Key</th>
              <th scope="col" className="px-2 py-1.5">Value</th>
              {!readOnly && <th scope="col" className="px-2 py-1.5"><span className="sr-only">Actions</span></th>}
            </tr>
          </thead>
          <tbody>
            {tags.map((t) => (
              <tr key={t.key} className="border-b border-neutral-100 dark:border-neutral-900">
                <td className="px-2 py-1.5 font-mono">{t.key}</td>
                <td className="px-2 py-1.5 font-mono">{t.value || <span className="text-neutral-500">(empty)</span>}</td>
                {!readOnly && (
                  <td className="px-2 py-1.5 text-right">
                    <form onSubmit={onSubmit}>
                      {holder}
                      <input type="hidden" name="tagKeys" value={t.key} />
                      <input type="hidden" name="op" value="untag" />
                      <Button type="submit" variant="secondary" disabled={pending} aria-label={`Remove tag ${t.key}`}>
                        Remove
                      </Button>
                    </form>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!readOnly && (
        <form onSubmit={onSubmit} className="flex max-w-2xl flex-col gap-2 rounded border border-neutral-200 p-3 dark:border-neutral-800" aria-label="Add tags">
          {holder}
          <input type="hidden" name="op" value="tag" />
          <p className="font-medium">Add or change tags</p>
          <p className="text-xs text-neutral-500">
            Key: {TAG_RULES.key} Value: {TAG_RULES.value} At most {TAG_RULES.count} tags; a key that exists is overwritten.
          </p>
          <TagRows key={generation} room={room} errorsFor={errorsFor} />
          <div className="flex gap-2">
            <Button type="submit" disabled={pending || room <= 0}>
              {pending ? "Saving…" : "Save tags"}
            </Button>
          </div>
          {room <= 0 && <p className="text-xs text-amber-700 dark:text-amber-400">This resource has 50 tags, the most AWS allows: remove one first.</p>}
        </form>
      )}
    </section>
  );
}

/** Rows of tag key/value inputs (fields tagKey, tagValue), with "Add another tag" up to `room`. */
export function TagRows({ room = TAG_RULES.count, errorsFor }: { room?: number; errorsFor: (field: string) => string[] | undefined }) {
  const [rows, setRows] = useState<number[]>([0]);
  const next = useRef(1);
  return (
    <>
      {rows.map((id, i) => (
        <TagRow key={id} index={i} keyErrors={errorsFor(`tags.${i}.key`)} valueErrors={errorsFor(`tags.${i}.value`)} onRemove={rows.length > 1 ? () => setRows(rows.filter((r) => r !== id)) : undefined} />
      ))}
      {errorsFor("tags") && <p className="text-xs text-red-700 dark:text-red-400">{errorsFor("tags")!.join(" ")}</p>}
      <div>
        <Button variant="secondary" disabled={rows.length >= room} onClick={() => setRows([...rows, next.current++])}>
          Add another tag
        </Button>
      </div>
    </>
  );
}

function TagRow({ index, keyErrors, valueErrors, onRemove }: { index: number; keyErrors?: string[]; valueErrors?: string[]; onRemove?: () => void }) {
  const n = index + 1;
  const input = "rounded border border-neutral-300 bg-white px-2 py-1 dark:border-neutral-700 dark:bg-neutral-900 aria-invalid:border-red-600";
  return (
    <div className="flex flex-wrap items-start gap-2">
      <div className="flex flex-col gap-1">
        <label htmlFor={`tag-key-${n}`} className="text-sm">Tag key {n}</label>
        <input id={`tag-key-${n}`} name="tagKey" maxLength={128} className={input} aria-invalid={keyErrors ? true : undefined} aria-describedby={keyErrors ? `tag-key-${n}-error` : undefined} />
        {keyErrors && <p id={`tag-key-${n}-error`} className="max-w-xs text-xs text-red-700 dark:text-red-400">{keyErrors.join(" ")}</p>}
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={`tag-value-${n}`} className="text-sm">Tag value {n}</label>
        <input id={`tag-value-${n}`} name="tagValue" maxLength={256} className={input} aria-invalid={valueErrors ? true : undefined} aria-describedby={valueErrors ? `tag-value-${n}-error` : undefined} />
        {valueErrors && <p id={`tag-value-${n}-error`} className="max-w-xs text-xs text-red-700 dark:text-red-400">{valueErrors.join(" ")}</p>}
      </div>
      {onRemove && (
        <Button variant="link" className="mt-6" onClick={onRemove} aria-label={`Remove row ${n}`}>
          Remove row
        </Button>
      )}
    </div>
  );
}
