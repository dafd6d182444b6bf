"use client";
// A managed policy's versions (at most 5): view any, set one as the default
// (which is how a change is rolled back), delete one that is not the default.
import Link from "next/link";
import { useState } from "react";
import { ResultBanner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { deletePolicyVersionAction, setDefaultPolicyVersionAction } from "../../actions";
import { useActionForm, type FormAction } from "@/components/ui/use-action-form";

export function VersionsTable({
  policyArn,
  base,
  editable,
  versions,
  limit,
}: {
  policyArn: string;
  base: string;
  editable: boolean;
  versions: { versionId: string; isDefault: boolean; created: string }[];
  limit: number;
}) {
  const [done, setDone] = useState<string | null>(null);
  const run: FormAction = async (state, form) => {
    const deleting = form.get("op") === "delete";
    const r = await (deleting ? deletePolicyVersionAction : setDefaultPolicyVersionAction)(state, form);
    if (r.ok) setDone(deleting ? `Deleted version ${form.get("versionId")}.` : `Version ${form.get("versionId")} is now the default.`);
    return r;
  };
  const { result, pending, onSubmit, submit } = useActionForm(run);
  return (
    <section aria-labelledby="versions-title" className="flex flex-col gap-3">
      <div className="flex items-center justify-between">
        <h2 id="versions-title" className="text-lg font-semibold">
          Policy versions ({versions.length} of {limit})
        </h2>
        {editable && (
          <Link href={`${base}?tab=edit`} className="rounded border border-neutral-300 px-3 py-1.5 text-sm dark:border-neutral-700">
            Create version
          </Link>
        )}
      </div>
      <ResultBanner result={result} success={done} />
      <table className="w-full max-w-3xl border-collapse text-left">
        <caption className="sr-only">Policy versions</caption>
        <thead>
          <tr className="border-b border-neutral-200 dark:border-neutral-800">
            <th scope="col" className="px-2 py-1.5">Version</th>
            <th scope="col" className="px-2 py-1.5">Default</th>
            <th scope="col" className="px-2 py-1.5">Created</th>
            {editable && <th scope="col" className="px-2 py-1.5"><span className="sr-only">Actions</span></th>}
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.versionId} className="border-b border-neutral-100 dark:border-neutral-900">
              <td className="px-2 py-1.5">
                <Link href={`${base}?tab=versions&version=${v.versionId}`} className="font-mono text-accent hover:underline" aria-label={`View version ${v.versionId}`}>
                  {v.versionId}
                </Link>
              </td>
              <td className="px-2 py-1.5">{v.isDefault ? "Default" : ""}</td>
              <td className="px-2 py-1.5">{v.created}</td>
              {editable && (
                <td className="flex justify-end gap-2 px-2 py-1.5">
                  {!v.isDefault && (
                    <>
                      <form onSubmit={onSubmit}>
                        <input type="hidden" name="policyArn" value={policyArn} />
                        <input type="hidden" name="versionId" value={v.versionId} />
                        <input type="hidden" name="op" value="default" />
                        <Button type="submit" variant="secondary" disabled={pending} aria-label={`Set ${v.versionId} as default`}>
                          Set as default
                        </Button>
                      </form>
                      <ConfirmDialog
                        trigger={`Delete ${v.versionId}`}
                        title={`Delete version ${v.versionId}?`}
                        confirmText={v.versionId}
                        pending={pending}
                        onConfirm={async () => {
                          const form = new FormData();
                          form.set("policyArn", policyArn);
                          form.set("versionId", v.versionId);
                          form.set("op", "delete");
                          await submit(form);
                        }}
                      >
                        Version {v.versionId} of this policy is deleted for good; its ID is never reused.
                      </ConfirmDialog>
                    </>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
