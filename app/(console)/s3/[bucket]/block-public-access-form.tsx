"use client";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useState } from "react";
import { putPublicAccessBlockAction } from "./actions";
import { ResultBanner } from "@/components/ui/banner";
import { useLatestResult } from "@/components/ui/use-latest-result";
import { Button } from "@/components/ui/button";
import type { PublicAccessBlock } from "@/lib/s3/rules";

const SETTINGS: { name: keyof PublicAccessBlock; label: string; help: string }[] = [
  { name: "BlockPublicAcls", label: "Block public access granted through new ACLs", help: "New public ACLs on the bucket and its objects are refused." },
  { name: "IgnorePublicAcls", label: "Block public access granted through any ACLs", help: "Public ACLs on the bucket and its objects are ignored." },
  { name: "BlockPublicPolicy", label: "Block public access granted through new bucket policies", help: "A bucket policy that grants public access is refused." },
  {
    name: "RestrictPublicBuckets",
    label: "Block public and cross-account access through any public bucket policy",
    help: "While the bucket policy is public, only AWS services and principals of this account can use it.",
  },
];

export function BlockPublicAccessForm({ bucket, current }: { bucket: string; current: PublicAccessBlock }) {
  const router = useRouter();
  const [state, submit, pending] = useActionState(putPublicAccessBlockAction, null);
  const latest = useLatestResult(state);
  const [values, setValues] = useState(current);
  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);
  return (
    <form action={submit} className="flex flex-col gap-2" aria-labelledby="bpa-title">
      <h2 id="bpa-title" className="text-lg font-semibold">
        Block public access (bucket settings)
      </h2>
      {latest && <ResultBanner result={state} success="Block Public Access settings saved." />}
      <input type="hidden" name="bucket" value={bucket} />
      <fieldset className="flex flex-col gap-2">
        <legend className="sr-only">Block public access settings</legend>
        <label className="flex items-center gap-2 font-medium">
          <input
            type="checkbox"
            checked={SETTINGS.every((s) => values[s.name])}
            onChange={(e) => setValues(Object.fromEntries(SETTINGS.map((s) => [s.name, e.target.checked])) as unknown as PublicAccessBlock)}
          />
          Block all public access
        </label>
        {SETTINGS.map((s) => (
          <div key={s.name} className="ml-6">
            <label className="flex items-center gap-2">
              <input
                type="checkbox"
                name={s.name}
                checked={values[s.name]}
                aria-describedby={`bpa-${s.name}-help`}
                onChange={(e) => setValues((v) => ({ ...v, [s.name]: e.target.checked }))}
              />
              {s.label}
            </label>
            <p id={`bpa-${s.name}-help`} className="ml-6 text-xs text-neutral-500 dark:text-neutral-400">
              {s.help}
            </p>
          </div>
        ))}
      </fieldset>
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save changes"}
        </Button>
      </div>
    </form>
  );
}
