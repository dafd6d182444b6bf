"use client";
import { useRouter } from "next/navigation";
import { useActionState, useEffect } from "react";
import { ResultBanner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { launchInstanceAction } from "./actions";

const SELECT = "w-72 rounded border border-neutral-300 bg-white px-2 py-1.5 dark:border-neutral-700 dark:bg-neutral-900";

/** Launch an instance: a name, an image, a type, and the instance profile whose role it runs as. */
export function LaunchInstanceForm({ images, types, profiles }: { images: readonly { id: string; name: string }[]; types: readonly string[]; profiles: { name: string; role: string | null }[] | null }) {
  const router = useRouter();
  const [state, submit, pending] = useActionState(launchInstanceAction, null);
  useEffect(() => {
    if (state?.ok) router.push(`/ec2?launched=${encodeURIComponent(state.data.InstanceId)}`);
  }, [state, router]);
  return (
    <form action={submit} noValidate aria-labelledby="launch-title" className="mb-6 flex max-w-xl flex-col gap-3 rounded border border-neutral-200 p-4 dark:border-neutral-800">
      <h2 id="launch-title" className="text-lg font-semibold">
        Launch an instance
      </h2>
      {state && !state.ok && <ResultBanner result={state} />}
      <Field label="Name" name="name" autoComplete="off" placeholder="web-server" errors={state && !state.ok ? state.fieldErrors?.name : undefined} />
      <label className="flex flex-col gap-1">
        <span className="font-medium">Machine image</span>
        <select name="imageId" className={SELECT} defaultValue={images[0]?.id}>
          {images.map((i) => (
            <option key={i.id} value={i.id}>
              {i.name} ({i.id})
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1">
        <span className="font-medium">Instance type</span>
        <select name="instanceType" className={SELECT} defaultValue="t3.micro">
          {types.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </label>
      <div className="flex flex-col gap-1">
        <label htmlFor="field-instance-profile" className="font-medium">
          IAM instance profile
        </label>
        {profiles ? (
          <select id="field-instance-profile" name="instanceProfile" className={SELECT} defaultValue="">
            <option value="">None: programs on the instance get no AWS credentials</option>
            {profiles.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
                {p.role ? ` (role ${p.role})` : " (no role in it)"}
              </option>
            ))}
          </select>
        ) : (
          <input id="field-instance-profile" name="instanceProfile" autoComplete="off" spellCheck={false} className={SELECT} aria-describedby="profile-unlisted" />
        )}
        {!profiles && (
          <span id="profile-unlisted" className="text-xs text-neutral-600 dark:text-neutral-300">
            You may not list instance profiles (iam:ListInstanceProfiles): type the profile&apos;s name, or leave it empty for none.
          </span>
        )}
        <span className="text-xs text-neutral-600 dark:text-neutral-300">
          The profile&apos;s role reaches programs on the instance through its metadata service, instead of an access key stored on it. Launching with it passes the role to EC2, which needs
          iam:PassRole on the role.
        </span>
      </div>
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Launching…" : "Launch instance"}
        </Button>
        <Button variant="secondary" onClick={() => router.push("/ec2")}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
