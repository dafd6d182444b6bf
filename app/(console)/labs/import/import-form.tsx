"use client";
// The import form: a file or pasted JSON, then the report (what was imported,
// what was not and why) and the new sandbox's sign-in details.
import Link from "next/link";
import { Banner, ResultBanner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useActionForm } from "@/components/ui/use-action-form";
import type { ImportedSandbox } from "@/lib/labs/import-sandbox";
import { SignInDetails } from "../sign-in-details";
import { importSandboxAction } from "./actions";

const input = "rounded border border-neutral-300 bg-white px-2 py-1.5 dark:border-neutral-700 dark:bg-neutral-900";
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function Report({ result }: { result: ImportedSandbox }) {
  const { imported, skipped, sourceAccountId } = result.report;
  const counts = [plural(imported.users, "user"), plural(imported.groups, "group"), plural(imported.roles, "role"), plural(imported.policies, "managed policy", "managed policies"), plural(imported.instanceProfiles, "instance profile")];
  return (
    <section aria-labelledby="import-report" className="flex flex-col gap-3">
      <h2 id="import-report" className="text-lg font-semibold">
        Import report
      </h2>
      {result.sandbox ? (
        <Banner kind="success">
          Imported into sandbox {result.sandbox.id}
          {sourceAccountId ? ` from account ${sourceAccountId}` : ""}: {counts.join(", ")}.
        </Banner>
      ) : (
        <Banner kind="error" code="ValidationError">
          Nothing in the file could be imported, so no sandbox was made. The reasons are below.
        </Banner>
      )}
      {skipped.length === 0 ? (
        <p className="text-sm">Everything in the file was imported.</p>
      ) : (
        <table className="w-full text-sm" aria-label="Not imported">
          <caption className="mb-1 text-left font-medium">Not imported ({skipped.length})</caption>
          <thead className="text-left text-xs text-neutral-500 dark:text-neutral-400">
            <tr>
              <th className="py-1">Kind</th>
              <th>Name</th>
              <th>Why</th>
            </tr>
          </thead>
          <tbody>
            {skipped.map((s, i) => (
              <tr key={i} className="border-t border-neutral-200 align-top dark:border-neutral-800">
                <td className="py-1 pr-2">{s.kind}</td>
                <td className="break-all pr-2 font-mono">{s.name}</td>
                <td>{s.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {result.sandbox && (
        <section aria-labelledby="imported-signin" className="rounded border border-neutral-200 p-3 dark:border-neutral-800">
          <h3 id="imported-signin" className="mb-2 font-semibold">
            Sign in to the sandbox
          </h3>
          <p className="mb-2 text-sm text-neutral-600 dark:text-neutral-300">
            No credentials come with an import: the sandbox has a user of its own, {result.sandbox.userName}, with AdministratorAccess. Sign out, then sign in as an IAM user
            with these details (in another browser profile to keep this page open).
          </p>
          <SignInDetails accountId={result.sandbox.accountId} userName={result.sandbox.userName} password={result.sandbox.password} />
          <p className="mt-2 text-sm">
            <Link className="text-accent underline" href={`/labs/${result.sandbox.id}`}>
              Open sandbox {result.sandbox.id}
            </Link>
          </p>
        </section>
      )}
    </section>
  );
}

export function ImportForm() {
  const { onSubmit, pending, result, errorsFor } = useActionForm(importSandboxAction);
  return (
    <div className="flex flex-col gap-4">
      <form onSubmit={onSubmit} className="flex max-w-2xl flex-col gap-3 text-sm" aria-labelledby="import-title">
        <h2 id="import-title" className="text-lg font-semibold">
          Import into a new sandbox
        </h2>
        {result && !result.ok && <ResultBanner result={result} success={null} />}
        <Field label="JSON file" name="file" type="file" accept="application/json,.json" rule="The output of aws iam get-account-authorization-details --output json, up to 20 MB." errors={errorsFor("file")} />
        <div className="flex flex-col gap-1">
          <label htmlFor="field-json" className="font-medium">
            Or paste the JSON
          </label>
          <textarea id="field-json" name="json" rows={6} spellCheck={false} aria-describedby="field-json-rule" className={`${input} font-mono text-xs`} />
          <p id="field-json-rule" className="text-xs text-neutral-500 dark:text-neutral-400">
            Used when no file is chosen.
          </p>
        </div>
        <Field label="Label (optional)" name="label" maxLength={100} rule="Up to 100 characters, e.g. the team or the account's name; shown in your sandbox list." errors={errorsFor("label")} />
        <div>
          <Button type="submit" disabled={pending}>
            {pending ? "Importing…" : "Import"}
          </Button>
        </div>
      </form>
      {result?.ok && <Report result={result.data} />}
    </div>
  );
}
