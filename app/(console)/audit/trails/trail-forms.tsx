"use client";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useState } from "react";
import { ResultBanner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { createTrailAction, deleteTrailAction, saveSelectorsAction, startLoggingAction, stopLoggingAction } from "./actions";

type Kind = "All" | "ReadOnly" | "WriteOnly";
export interface SelectorRow {
  bucket: string;
  prefix: string;
  readWriteType: Kind;
}

const SELECT = "rounded border border-neutral-300 px-2 py-1 dark:border-neutral-700 dark:bg-neutral-900";
const KINDS: { value: Kind; label: string }[] = [
  { value: "All", label: "Read and write" },
  { value: "ReadOnly", label: "Read only" },
  { value: "WriteOnly", label: "Write only" },
];

function useRefreshOnSuccess(state: { ok: boolean } | null) {
  const router = useRouter();
  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);
}

export function CreateTrailForm() {
  const [state, submit, pending] = useActionState(createTrailAction, null);
  useRefreshOnSuccess(state);
  const errors = state && !state.ok ? state.fieldErrors?.name : undefined;
  return (
    <form action={submit} noValidate aria-labelledby="create-trail-title" className="flex max-w-xl flex-col gap-2">
      <h2 id="create-trail-title" className="text-lg font-semibold">
        Create trail
      </h2>
      <ResultBanner result={state} success="Trail created. It records management events; add data-event selectors below to record S3 object activity." />
      <Field label="Trail name" name="name" rule="3-128 letters, numbers, periods, underscores and dashes; starts and ends with a letter or number." errors={errors} autoComplete="off" />
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create trail"}
        </Button>
      </div>
    </form>
  );
}

export function SelectorsForm({ trailName, management, managementReadWriteType, rows }: { trailName: string; management: boolean; managementReadWriteType: Kind; rows: SelectorRow[] }) {
  const [state, submit, pending] = useActionState(saveSelectorsAction, null);
  useRefreshOnSuccess(state);
  const [draft, setDraft] = useState<SelectorRow[]>(rows.length ? rows : [{ bucket: "", prefix: "", readWriteType: "All" }]);
  return (
    <form action={submit} noValidate aria-label={`Event selectors of ${trailName}`} className="flex flex-col gap-3">
      <ResultBanner result={state} success="Event selectors saved." />
      <input type="hidden" name="trailName" value={trailName} />
      <fieldset className="flex flex-wrap items-center gap-3">
        <legend className="mb-1 font-semibold">Management events</legend>
        <label className="flex items-center gap-2">
          <input type="checkbox" name="management" defaultChecked={management} /> Record management events
        </label>
        <label className="flex items-center gap-2">
          API activity
          <select name="managementReadWriteType" defaultValue={managementReadWriteType} className={SELECT}>
            {KINDS.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
      </fieldset>
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 font-semibold">Data events (S3 objects)</legend>
        <p className="text-xs text-neutral-600 dark:text-neutral-300">
          One row per bucket (or * for every bucket), with an optional key prefix. Object reads and writes there are recorded in the event history.
        </p>
        {draft.map((r, n) => (
          <div key={n} className="flex flex-wrap items-center gap-2" data-testid="selector-row">
            <label className="flex items-center gap-1">
              Bucket
              <input name="bucket" value={r.bucket} onChange={(e) => setDraft(draft.map((d, i) => (i === n ? { ...d, bucket: e.target.value } : d)))} className={SELECT} autoComplete="off" />
            </label>
            <label className="flex items-center gap-1">
              Prefix
              <input name="prefix" value={r.prefix} onChange={(e) => setDraft(draft.map((d, i) => (i === n ? { ...d, prefix: e.target.value } : d)))} className={SELECT} autoComplete="off" />
            </label>
            <label className="flex items-center gap-1">
              Events
              <select name="readWriteType" value={r.readWriteType} onChange={(e) => setDraft(draft.map((d, i) => (i === n ? { ...d, readWriteType: e.target.value as Kind } : d)))} className={SELECT}>
                {KINDS.map((k) => (
                  <option key={k.value} value={k.value}>
                    {k.label}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" className="text-accent underline" onClick={() => setDraft(draft.filter((_, i) => i !== n))}>
              Remove
            </button>
          </div>
        ))}
        <div>
          <button type="button" className="text-accent underline" onClick={() => setDraft([...draft, { bucket: "", prefix: "", readWriteType: "All" }])}>
            Add data-event selector
          </button>
        </div>
      </fieldset>
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save event selectors"}
        </Button>
      </div>
    </form>
  );
}

export function TrailButtons({ name, isLogging }: { name: string; isLogging: boolean }) {
  const [deleted, remove, deleting] = useActionState(deleteTrailAction, null);
  const [toggled, toggle, toggling] = useActionState(isLogging ? stopLoggingAction : startLoggingAction, null);
  const [confirming, setConfirming] = useState(false);
  useRefreshOnSuccess(deleted);
  useRefreshOnSuccess(toggled);
  return (
    <div className="flex flex-col gap-2">
      <ResultBanner result={deleted?.ok ? null : deleted} />
      <ResultBanner result={toggled?.ok ? null : toggled} />
      <div className="flex flex-wrap gap-2">
        <form action={toggle}>
          <input type="hidden" name="name" value={name} />
          <Button type="submit" variant="secondary" disabled={toggling}>
            {isLogging ? "Stop logging" : "Start logging"}
          </Button>
        </form>
        {confirming ? (
          <form action={remove} className="flex items-center gap-2">
            <input type="hidden" name="name" value={name} />
            <span>Delete trail {name}?</span>
            <Button type="submit" variant="danger" disabled={deleting}>
              Delete
            </Button>
            <Button type="button" variant="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
          </form>
        ) : (
          <Button type="button" variant="danger" onClick={() => setConfirming(true)}>
            Delete trail
          </Button>
        )}
      </div>
    </div>
  );
}
