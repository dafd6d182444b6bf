"use client";
// Inline policies of a user, group or role: list, add, edit and delete with the
// policy editor, and the holder's aggregate size limit (user 2,048, group 5,120,
// role 10,240 characters without whitespace) shown as it is used.
// Generic over the holder: the page passes the holder's field and its
// put/delete server actions (fields policyName and policyDocument).
import { useState } from "react";
import { useActionForm, type FormAction } from "@/components/ui/use-action-form";
import { PolicyEditor } from "@/components/iam/policy-editor";
import { PolicySummaryView } from "@/components/iam/policy-summary";
import { Banner, ResultBanner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { EmptyState } from "@/components/ui/panels";
import type { PolicyCheck } from "@/lib/actions/analyze-policy";
import { sizeWithoutWhitespace } from "@/lib/iam/policy/json-source";

export interface InlinePolicyItem {
  policyName: string;
  policyDocument: string;
}

const NAME_RULE = "Up to 128 characters: letters, digits and +=,.@_-";

export function InlinePolicies({
  holderField,
  holderName,
  policies,
  put,
  remove,
  aggregateLimit,
}: {
  holderField: "userName" | "groupName" | "roleName";
  holderName: string;
  policies: InlinePolicyItem[];
  put: FormAction;
  remove: FormAction;
  /** The holder's aggregate inline size limit (characters without whitespace). */
  aggregateLimit: number;
}) {
  const [editing, setEditing] = useState<InlinePolicyItem | "new" | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const del = useActionForm(remove, { onSuccess: (_d, form) => setDone(`Deleted inline policy ${form.get("policyName")}.`) });
  const used = policies.reduce((sum, p) => sum + sizeWithoutWhitespace(p.policyDocument), 0);

  return (
    <section aria-labelledby="inline-policies-title" className="flex flex-col gap-3">
      <div className="flex items-center justify-between">
        <h2 id="inline-policies-title" className="text-lg font-semibold">
          Inline policies ({policies.length})
        </h2>
        {!editing && <Button onClick={() => { setEditing("new"); setDone(null); }}>Create inline policy</Button>}
      </div>
      <p className="text-xs text-neutral-500" data-testid="inline-size">
        {used.toLocaleString("en-US")} of {aggregateLimit.toLocaleString("en-US")} characters used by inline policies (whitespace not counted).
      </p>
      {done && <Banner kind="success">{done}</Banner>}
      <ResultBanner result={del.result && !del.result.ok ? del.result : null} />
      {editing && (
        <InlinePolicyForm
          key={editing === "new" ? "new" : editing.policyName}
          holderField={holderField}
          holderName={holderName}
          existing={editing === "new" ? undefined : editing}
          usedByOthers={used - (editing === "new" ? 0 : sizeWithoutWhitespace(editing.policyDocument))}
          aggregateLimit={aggregateLimit}
          put={put}
          onDone={(name) => {
            setEditing(null);
            setDone(`Saved inline policy ${name}.`);
          }}
          onCancel={() => setEditing(null)}
        />
      )}
      {policies.length === 0 && !editing ? (
        <EmptyState title="No inline policies">An inline policy belongs to this identity alone and is deleted with it.</EmptyState>
      ) : (
        <ul className="flex flex-col gap-2">
          {policies.map((p) => (
            <li key={p.policyName} className="rounded border border-neutral-200 p-2 dark:border-neutral-800">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <span className="font-medium">{p.policyName}</span>
                <span className="flex items-center gap-2">
                  <span className="text-xs text-neutral-500">{sizeWithoutWhitespace(p.policyDocument).toLocaleString("en-US")} characters</span>
                  <Button variant="secondary" onClick={() => { setEditing(p); setDone(null); }} aria-label={`Edit ${p.policyName}`}>
                    Edit
                  </Button>
                  <ConfirmDialog
                    trigger={`Delete ${p.policyName}`}
                    title={`Delete inline policy ${p.policyName}?`}
                    confirmText={p.policyName}
                    pending={del.pending}
                    onConfirm={async () => {
                      const form = new FormData();
                      form.set(holderField, holderName);
                      form.set("policyName", p.policyName);
                      await del.submit(form);
                    }}
                  >
                    The permissions it grants to {holderName} stop at once. This cannot be undone.
                  </ConfirmDialog>
                </span>
              </div>
              <details className="mt-1">
                <summary className="cursor-pointer text-sm text-accent">Show JSON</summary>
                <pre className="mt-1 overflow-x-auto rounded bg-neutral-50 p-2 font-mono text-xs dark:bg-neutral-900">{p.policyDocument}</pre>
              </details>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function InlinePolicyForm({
  holderField,
  holderName,
  existing,
  usedByOthers,
  aggregateLimit,
  put,
  onDone,
  onCancel,
}: {
  holderField: string;
  holderName: string;
  existing?: InlinePolicyItem;
  usedByOthers: number;
  aggregateLimit: number;
  put: FormAction;
  onDone: (name: string) => void;
  onCancel: () => void;
}) {
  const [size, setSize] = useState(existing ? sizeWithoutWhitespace(existing.policyDocument) : 0);
  const [check, setCheck] = useState<PolicyCheck | null>(null);
  const { result, pending, onSubmit, errorsFor } = useActionForm(put, { onSuccess: (_d, form) => onDone(String(form.get("policyName"))) });
  const total = usedByOthers + size;
  return (
    <form onSubmit={onSubmit} aria-label={existing ? `Edit inline policy ${existing.policyName}` : "Create inline policy"} className="flex flex-col gap-3 rounded border border-neutral-300 p-3 dark:border-neutral-700">
      <ResultBanner result={result && !result.ok ? result : null} />
      <input type="hidden" name={holderField} value={holderName} />
      {existing ? (
        <>
          <input type="hidden" name="policyName" value={existing.policyName} />
          <p>
            Editing <span className="font-semibold">{existing.policyName}</span>
          </p>
        </>
      ) : (
        <Field label="Policy name" name="policyName" rule={NAME_RULE} maxLength={128} required errors={errorsFor("policyName")} />
      )}
      <div className="grid gap-3 lg:grid-cols-[3fr_2fr]">
        <PolicyEditor
          name="policyDocument"
          label="Policy document (JSON)"
          policyType="identity"
          inline
          defaultValue={existing?.policyDocument}
          onChange={(text) => setSize(sizeWithoutWhitespace(text))}
          onCheck={setCheck}
        />
        <PolicySummaryView summary={check?.summary ?? null} />
      </div>
      {errorsFor("policyDocument") && <p className="text-xs text-red-700 dark:text-red-400">{errorsFor("policyDocument")!.join(" ")}</p>}
      <p className={`text-xs ${total > aggregateLimit ? "text-red-700 dark:text-red-400" : "text-neutral-500"}`}>
        With this policy: {total.toLocaleString("en-US")} of {aggregateLimit.toLocaleString("en-US")} characters for all inline policies of {holderName}.
      </p>
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : existing ? "Save changes" : "Create policy"}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
