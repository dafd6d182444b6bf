"use client";
// The create-role wizard: 1. trusted entity, 2. permissions, 3. name and
// details. Every step stays in the one form (hidden, not unmounted), so what
// was typed survives moving between steps and a refusal from the server.
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { ResultBanner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { PolicyEditor } from "@/components/iam/policy-editor";
import { createRoleAction, trustPolicyPreviewAction } from "../actions";
import type { TrustedEntity } from "@/lib/iam/roles/validation";
import { MAX_SESSION_HOURS, servicePrincipal } from "../create-role-input";
import { PolicyPicker } from "@/components/iam/policy-picker";
import { useActionForm } from "@/components/ui/use-action-form";

type Kind = "this-account" | "other-account" | "service" | "custom";
const STEPS = ["Select trusted entity", "Add permissions", "Name, review, and create"] as const;
const STEP_OF_FIELD: Record<string, number> = { trustKind: 0, accountId: 0, externalId: 0, requireMfa: 0, service: 0, trustPolicy: 0, policyArns: 1, permissionsBoundary: 1 };
const SERVICES = ["ec2", "lambda", "ecs-tasks", "glue", "states", "events", "s3"];
const NAME_RULE = "Up to 64 characters: letters, digits and +=,.@_-";

export function CreateRoleForm({ accountId }: { accountId: string }) {
  const router = useRouter();
  const { result, pending, onSubmit, errorsFor } = useActionForm(createRoleAction, { refresh: false });
  const [step, setStep] = useState(0);
  const [kind, setKind] = useState<Kind>("this-account");
  const [otherAccount, setOtherAccount] = useState("");
  const [externalId, setExternalId] = useState("");
  const [requireMfa, setRequireMfa] = useState(false);
  const [service, setService] = useState("ec2");
  const [tagRows, setTagRows] = useState(1);

  useEffect(() => {
    if (result?.ok) router.push(`/iam/roles/${encodeURIComponent(result.data.RoleName)}?created=1`);
    else if (result && !result.ok && result.fieldErrors) {
      const first = Object.keys(result.fieldErrors)[0] ?? "";
      setStep(STEP_OF_FIELD[first.split(".")[0]!] ?? 2);
    }
  }, [result, router]);

  const [preview, setPreview] = useState<string | null>(null);
  useEffect(() => {
    const entity: TrustedEntity | null =
      kind === "service"
        ? { kind, services: [servicePrincipal(service.trim() || "ec2")] }
        : kind === "other-account"
          ? { kind, accountId: otherAccount.trim(), externalId: externalId || undefined, requireMfa }
          : kind === "this-account"
            ? { kind, externalId: externalId || undefined, requireMfa }
            : null;
    if (!entity) return setPreview(null);
    let live = true;
    const t = setTimeout(() => trustPolicyPreviewAction({ entity, accountId }).then((r) => live && setPreview(r.ok ? r.data : null)), 200);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [kind, service, otherAccount, externalId, requireMfa, accountId]);

  return (
    <form onSubmit={onSubmit} noValidate className="flex max-w-3xl flex-col gap-4">
      <ol aria-label="Steps" className="flex flex-wrap gap-4 text-sm">
        {STEPS.map((s, i) => (
          <li key={s} aria-current={i === step ? "step" : undefined} className={i === step ? "font-semibold text-accent" : "text-neutral-500"}>
            Step {i + 1}: {s}
          </li>
        ))}
      </ol>
      <ResultBanner result={result} />

      <fieldset hidden={step !== 0} className="flex flex-col gap-3">
        <legend className="mb-2 text-lg font-semibold">Select trusted entity</legend>
        <div role="radiogroup" aria-label="Trusted entity type" className="grid gap-2 md:grid-cols-2">
          {(
            [
              ["this-account", "This account", `Users and roles in this account (${accountId}) whose policies allow sts:AssumeRole on the role.`],
              ["other-account", "Another AWS account", "Users and roles in another account; optionally require an external ID or MFA."],
              ["service", "AWS service", "An AWS service such as EC2 or Lambda acts with the role."],
              ["custom", "Custom trust policy", "Write the trust policy yourself."],
            ] as const
          ).map(([value, title, help]) => (
            <label key={value} className={`flex gap-2 rounded border p-3 ${kind === value ? "border-accent" : "border-neutral-300 dark:border-neutral-700"}`}>
              <input type="radio" name="trustKind" value={value} checked={kind === value} onChange={() => setKind(value)} />
              <span>
                <span className="block font-medium">{title}</span>
                <span className="block text-xs text-neutral-600 dark:text-neutral-300">{help}</span>
              </span>
            </label>
          ))}
        </div>
        {kind === "other-account" && (
          <Field label="Account ID" name="accountId" value={otherAccount} onChange={(e) => setOtherAccount(e.target.value)} inputMode="numeric" maxLength={12} rule="The 12-digit ID of the account whose principals may assume the role" errors={errorsFor("accountId")} />
        )}
        {(kind === "this-account" || kind === "other-account") && (
          <>
            <Field label="External ID (optional)" name="externalId" value={externalId} onChange={(e) => setExternalId(e.target.value)} rule="2 to 1,224 characters: letters, digits and +=,.@:/_-. Third parties must pass it to AssumeRole." errors={errorsFor("externalId")} />
            <label className="flex items-center gap-2">
              <input type="checkbox" name="requireMfa" value="true" checked={requireMfa} onChange={(e) => setRequireMfa(e.target.checked)} />
              Require MFA
            </label>
          </>
        )}
        {kind === "service" && (
          <>
            <Field label="Service" name="service" value={service} onChange={(e) => setService(e.target.value)} list="role-services" rule="Short name (ec2, lambda) or the full service principal (ec2.amazonaws.com)" errors={errorsFor("service")} />
            <datalist id="role-services">
              {SERVICES.map((s) => (
                <option key={s} value={s} />
              ))}
            </datalist>
          </>
        )}
        {kind === "custom" ? (
          <>
            <PolicyEditor
              name="trustPolicy"
              label="Trust policy"
              policyType="trust"
              defaultValue={JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: "sts:AssumeRole" }] }, null, 4)}
            />
            {errorsFor("trustPolicy") && <p className="text-xs text-red-700 dark:text-red-400">{errorsFor("trustPolicy")!.join(" ")}</p>}
          </>
        ) : (
          preview && (
            <details>
              <summary className="cursor-pointer">Trust policy that will be written</summary>
              <pre data-testid="trust-preview" className="mt-2 overflow-x-auto rounded bg-neutral-100 p-2 font-mono text-xs dark:bg-neutral-900">
                {preview}
              </pre>
            </details>
          )
        )}
      </fieldset>

      <fieldset hidden={step !== 1} className="flex flex-col gap-4">
        <legend className="mb-2 text-lg font-semibold">Add permissions</legend>
        <PolicyPicker name="policyArns" label="Search permissions policies" describedBy="policy-rule" typeInCheckboxName />
        <p id="policy-rule" className="text-xs text-neutral-500">
          Up to 10 managed policies. You can add inline policies after the role is created.
        </p>
        {errorsFor("policyArns") && <p className="text-xs text-red-700 dark:text-red-400">{errorsFor("policyArns")!.join(" ")}</p>}
        <details>
          <summary className="cursor-pointer">Set permissions boundary (optional)</summary>
          <div className="mt-2">
            <PolicyPicker name="permissionsBoundary" label="Search permissions boundary" multiple={false} typeInCheckboxName />
            {errorsFor("permissionsBoundary") && <p className="text-xs text-red-700 dark:text-red-400">{errorsFor("permissionsBoundary")!.join(" ")}</p>}
          </div>
        </details>
      </fieldset>

      <fieldset hidden={step !== 2} className="flex flex-col gap-3">
        <legend className="mb-2 text-lg font-semibold">Name, review, and create</legend>
        <Field label="Role name" name="roleName" required maxLength={64} rule={NAME_RULE} errors={errorsFor("roleName")} />
        <Field label="Description" name="description" maxLength={1000} rule="Optional, up to 1,000 characters" errors={errorsFor("description")} />
        <Field label="Path" name="path" placeholder="/" rule="Optional: / or /text/ (e.g. /teams/data/), up to 512 characters" errors={errorsFor("path")} />
        <div className="flex flex-col gap-1">
          <label htmlFor="field-maxSessionHours" className="font-medium">
            Maximum session duration
          </label>
          <select id="field-maxSessionHours" name="maxSessionHours" defaultValue="1" aria-describedby="field-maxSessionHours-rule" className="w-40 rounded border border-neutral-300 bg-white px-2 py-1.5 dark:border-neutral-700 dark:bg-neutral-900">
            {MAX_SESSION_HOURS.map((h) => (
              <option key={h} value={h}>
                {h} hour{h === 1 ? "" : "s"}
              </option>
            ))}
          </select>
          <p id="field-maxSessionHours-rule" className="text-xs text-neutral-500">
            1 to 12 hours: the longest session AssumeRole may ask for
          </p>
        </div>
        <fieldset className="flex flex-col gap-2">
          <legend className="font-medium">Tags (optional)</legend>
          {Array.from({ length: tagRows }, (_, i) => (
            <div key={i} className="flex gap-2">
              <Field label={`Tag ${i + 1} key`} name="tagKey" id={`tag-key-${i}`} maxLength={128} />
              <Field label={`Tag ${i + 1} value`} name="tagValue" id={`tag-value-${i}`} maxLength={256} />
            </div>
          ))}
          <p className="text-xs text-neutral-500">Up to 50 tags; keys up to 128 characters, values up to 256; keys are unique ignoring case and cannot start with aws:</p>
          {errorsFor("tags") && <p className="text-xs text-red-700 dark:text-red-400">{errorsFor("tags")!.join(" ")}</p>}
          <div>
            <Button variant="secondary" onClick={() => setTagRows((n) => Math.min(50, n + 1))}>
              Add tag
            </Button>
          </div>
        </fieldset>
      </fieldset>

      <div className="flex gap-2">
        {step > 0 && (
          <Button variant="secondary" onClick={() => setStep(step - 1)}>
            Previous
          </Button>
        )}
        {step < STEPS.length - 1 ? (
          <Button onClick={() => setStep(step + 1)}>Next</Button>
        ) : (
          <Button type="submit" disabled={pending}>
            {pending ? "Creating…" : "Create role"}
          </Button>
        )}
      </div>
    </form>
  );
}
