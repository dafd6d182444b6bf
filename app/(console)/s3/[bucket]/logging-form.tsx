"use client";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useState } from "react";
import { putBucketLoggingAction } from "./actions";
import { ResultBanner } from "@/components/ui/banner";
import { useLatestResult } from "@/components/ui/use-latest-result";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

export function LoggingForm({ bucket, current }: { bucket: string; current: { TargetBucket: string; TargetPrefix: string } | null }) {
  const router = useRouter();
  const [state, submit, pending] = useActionState(putBucketLoggingAction, null);
  const latest = useLatestResult(state);
  const [enabled, setEnabled] = useState(current !== null);
  const [target, setTarget] = useState(current?.TargetBucket ?? "");
  const [prefix, setPrefix] = useState(current?.TargetPrefix ?? "");
  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);
  const errors = (f: string) => (state && !state.ok ? state.fieldErrors?.[f] : undefined);
  return (
    <form action={submit} noValidate aria-labelledby="logging-title" className="flex max-w-xl flex-col gap-2">
      <h2 id="logging-title" className="text-lg font-semibold">
        Server access logging
      </h2>
      {latest && <ResultBanner result={state} success={enabled ? "Server access logging saved." : "Server access logging turned off."} />}
      <input type="hidden" name="bucket" value={bucket} />
      <label className="flex items-center gap-2">
        <input type="checkbox" name="enabled" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Log requests made to this bucket
      </label>
      {enabled && (
        <>
          <Field
            label="Target bucket"
            name="targetBucket"
            value={target}
            onChange={(e) => setTarget(e.target.value)}
            rule="A bucket in the same account that receives the log objects."
            errors={errors("targetBucket")}
            autoComplete="off"
          />
          <Field
            label="Target prefix"
            name="targetPrefix"
            value={prefix}
            onChange={(e) => setPrefix(e.target.value)}
            rule='Optional, e.g. "logs/": log object keys start with it.'
            errors={errors("targetPrefix")}
            autoComplete="off"
          />
        </>
      )}
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save changes"}
        </Button>
      </div>
    </form>
  );
}
