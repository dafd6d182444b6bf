"use client";
// Create a group, then attach the chosen policies: the calls AWS's console makes
// (CreateGroup, then AttachGroupPolicy for each), each through the gate.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { PolicyPicker } from "@/components/iam/policy-picker";
import { Banner, ResultBanner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import type { ActionResult } from "@/lib/actions/action-result";
import { groupHref } from "@/components/ui/format";
import { useActionForm, type FormAction } from "@/components/ui/use-action-form";
import { attachGroupPolicyAction, createGroupAction } from "../actions";

const MAX_POLICIES = 10;

export function CreateGroupForm() {
  const router = useRouter();
  const [chosen, setChosen] = useState<{ policyName: string; arn: string }[]>([]);
  const [partial, setPartial] = useState<{ group: string; failures: { policyName: string; result: ActionResult<unknown> }[] } | null>(null);

  const create: FormAction = async (state, form) => {
    const created = await createGroupAction(state, form);
    if (!created.ok) return created;
    const groupName = created.data.groupName;
    const failures: { policyName: string; result: ActionResult<unknown> }[] = [];
    for (const p of chosen) {
      const result = await attachGroupPolicyAction({ groupName, policyArn: p.arn });
      if (!result.ok) failures.push({ policyName: p.policyName, result });
    }
    if (failures.length) setPartial({ group: groupName, failures });
    else router.push(`${groupHref(groupName)}?flash=created`);
    return created;
  };
  const { result, pending, onSubmit, errorsFor } = useActionForm(create, { refresh: false });

  if (partial)
    return (
      <div className="flex max-w-2xl flex-col gap-2">
        <Banner kind="info">Group {partial.group} was created, but some policies could not be attached:</Banner>
        {partial.failures.map((f) => (
          <div key={f.policyName}>
            <p className="font-medium">{f.policyName}</p>
            <ResultBanner result={f.result} />
          </div>
        ))}
        <Button onClick={() => router.push(groupHref(partial.group))}>Go to group {partial.group}</Button>
      </div>
    );

  return (
    <form onSubmit={onSubmit} className="flex max-w-3xl flex-col gap-4" aria-label="Create user group">
      <ResultBanner result={result && !result.ok ? result : null} />
      <Field label="User group name" name="groupName" rule="Up to 128 characters: letters, digits and +=,.@_-" maxLength={128} required autoFocus errors={errorsFor("groupName")} />
      <Field label="Path" name="path" defaultValue="/" rule='Optional. "/" or text between slashes, e.g. /division_abc/ (up to 512 printable ASCII characters).' maxLength={512} errors={errorsFor("path")} />
      <fieldset className="flex flex-col gap-2">
        <legend className="font-medium">Attach permissions policies (optional, up to {MAX_POLICIES})</legend>
        {chosen.length > 0 && (
          <ul aria-label="Policies to attach" className="flex flex-wrap gap-2">
            {chosen.map((p) => (
              <li key={p.arn} className="flex items-center gap-1 rounded border border-neutral-300 px-2 py-0.5 dark:border-neutral-700">
                {p.policyName}
                <button type="button" className="text-xs text-accent underline" aria-label={`Remove ${p.policyName}`} onClick={() => setChosen(chosen.filter((c) => c.arn !== p.arn))}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
        )}
        <PolicyPicker
          label="Search policies"
          chosenLabel="Added"
          isChosen={(arn) => chosen.some((c) => c.arn === arn)}
          full={chosen.length >= MAX_POLICIES}
          renderAction={(p) => (
            <Button variant="secondary" disabled={chosen.length >= MAX_POLICIES} aria-label={`Add ${p.policyName}`} onClick={() => setChosen([...chosen, { policyName: p.policyName, arn: p.arn }])}>
              Add
            </Button>
          )}
        />
      </fieldset>
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create user group"}
        </Button>
        <Button variant="secondary" onClick={() => router.push("/iam/groups")}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
