"use client";
// Create a class: N sandboxes of one lab, one per learner.
import { ResultBanner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { useActionForm } from "@/components/ui/use-action-form";
import { createClassAction } from "../labs/actions";

export function ClassForm({ labs }: { labs: { id: string; title: string }[] }) {
  const { onSubmit, pending, result } = useActionForm(createClassAction);
  return (
    <form onSubmit={onSubmit} className="flex max-w-xl flex-col gap-3" aria-labelledby="new-class">
      <h2 id="new-class" className="text-lg font-semibold">
        New class
      </h2>
      <ResultBanner result={result} success={result?.ok ? <>Class created with {result.data.size} sandboxes.</> : null} />
      <label className="flex flex-col gap-1 text-sm">
        Lab
        <select name="labId" required className="rounded border border-neutral-300 px-2 py-1 dark:border-neutral-700 dark:bg-neutral-900">
          {labs.map((l) => (
            <option key={l.id} value={l.id}>
              {l.title}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1 text-sm">
        Class name
        <input name="name" required maxLength={100} className="rounded border border-neutral-300 px-2 py-1 dark:border-neutral-700 dark:bg-neutral-900" />
      </label>
      <label className="flex flex-col gap-1 text-sm">
        Number of sandboxes
        <input name="size" type="number" min={1} max={200} defaultValue={10} aria-describedby="size-rule" className="w-32 rounded border border-neutral-300 px-2 py-1 dark:border-neutral-700 dark:bg-neutral-900" />
        <span id="size-rule" className="text-xs text-neutral-500">
          1 to 200; ignored when learners are listed below.
        </span>
      </label>
      <label className="flex flex-col gap-1 text-sm">
        Learners (optional, one name per line)
        <textarea name="learners" rows={4} className="rounded border border-neutral-300 px-2 py-1 dark:border-neutral-700 dark:bg-neutral-900" />
      </label>
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Creating sandboxes…" : "Create class"}
        </Button>
      </div>
    </form>
  );
}
