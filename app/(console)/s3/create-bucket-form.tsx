"use client";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useState } from "react";
import { createBucketAction } from "./actions";
import { ResultBanner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { BUCKET_NAME_RULE, S3_REGIONS } from "./regions";

/** Create bucket: the name's rules next to the field; the server names the rule a name breaks. */
export function CreateBucketForm() {
  const router = useRouter();
  const [state, submit, pending] = useActionState(createBucketAction, null);
  const [name, setName] = useState("");
  const [region, setRegion] = useState<string>("us-east-1");
  useEffect(() => {
    if (state?.ok) router.push(`/s3?created=${encodeURIComponent(name.trim())}`);
  }, [state, router, name]);

  // The server names the broken rule (lib/s3/rules pulls the policy engine, which cannot ship to the browser).
  const errors = state && !state.ok ? state.fieldErrors?.bucket : undefined;
  return (
    <form action={submit} noValidate aria-labelledby="create-bucket-title" className="mb-6 flex max-w-xl flex-col gap-3 rounded border border-neutral-200 p-4 dark:border-neutral-800">
      <h2 id="create-bucket-title" className="text-lg font-semibold">
        Create bucket
      </h2>
      {state && !state.ok && <ResultBanner result={state} />}
      <Field
        label="Bucket name"
        name="bucket"
        value={name}
        onChange={(e) => setName(e.target.value)}
        rule={BUCKET_NAME_RULE}
        errors={errors}
        autoComplete="off"
        spellCheck={false}
        required
      />
      <div className="flex flex-col gap-1">
        <label htmlFor="field-region" className="font-medium">
          AWS Region
        </label>
        <select
          id="field-region"
          name="region"
          value={region}
          onChange={(e) => setRegion(e.target.value)}
          className="w-64 rounded border border-neutral-300 bg-white px-2 py-1.5 dark:border-neutral-700 dark:bg-neutral-900"
        >
          {S3_REGIONS.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </div>
      <p className="text-xs text-neutral-600 dark:text-neutral-300">New buckets block all public access; you can change this on the bucket&apos;s Permissions tab.</p>
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create bucket"}
        </Button>
        <Button variant="secondary" onClick={() => router.push("/s3")}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
