"use client";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useState } from "react";
import { createFolderAction } from "./actions";
import { ResultBanner } from "@/components/ui/banner";
import { useLatestResult } from "@/components/ui/use-latest-result";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

export function CreateFolderForm({ bucket, prefix }: { bucket: string; prefix: string }) {
  const router = useRouter();
  const [state, submit, pending] = useActionState(createFolderAction, null);
  const latest = useLatestResult(state);
  const [name, setName] = useState("");
  useEffect(() => {
    if (state?.ok) {
      setName("");
      router.refresh();
    }
  }, [state, router]);
  return (
    <form action={submit} noValidate aria-labelledby="create-folder-title" className="flex flex-col gap-2 rounded border border-neutral-200 p-3 dark:border-neutral-800">
      <h2 id="create-folder-title" className="font-semibold">
        Create folder
      </h2>
      {latest && <ResultBanner result={state} success="Folder created." />}
      <input type="hidden" name="bucket" value={bucket} />
      <input type="hidden" name="prefix" value={prefix} />
      <div className="flex flex-wrap items-end gap-2">
        <Field
          label="Folder name"
          name="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          rule='Any characters except "/"; the folder is an empty object whose key ends in "/".'
          errors={state && !state.ok ? state.fieldErrors?.name : undefined}
          autoComplete="off"
        />
        <Button type="submit" variant="secondary" disabled={pending} className="mb-6">
          Create folder
        </Button>
      </div>
    </form>
  );
}
