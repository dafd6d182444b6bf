// Import a real account's IAM (the output of `aws iam get-account-authorization-details`)
// into a new sandbox, and download an account in the same format. For
// instructors: gated by iamlab:ManageClasses (lib/labs/import-sandbox.ts decides;
// this page only says so first).
import Link from "next/link";
import { ConfirmActionButton, FlashProvider } from "@/components/ui/flash";
import { formatDate } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/panels";
import { requireConsole } from "@/lib/auth/console-context";
import { consoleRequestInfo } from "@/lib/auth/request-info";
import { canManageClasses, listOwnSandboxes } from "@/lib/labs/manage";
import { isImported } from "@/lib/labs/sandboxes";
import { deleteSandboxAction } from "../actions";
import { InstructorsOnly } from "../instructors-only";
import { ImportForm } from "./import-form";

export const metadata = { title: "Import an account" };

export default async function ImportPage() {
  const { principal } = await requireConsole();
  const caller = { principal, request: await consoleRequestInfo() };
  const crumbs = [{ label: "Training labs", href: "/labs" }, { label: "Import an account" }];
  if (!(await canManageClasses(caller))) return <InstructorsOnly principalArn={principal.arn} title="Import an account" crumbs={crumbs} what="Importing an account into a sandbox" />;
  const imported = (await listOwnSandboxes(caller)).filter(isImported);
  return (
    <FlashProvider>
      <PageHeader crumbs={crumbs} title="Import an account" />
      <div className="mb-4 max-w-3xl text-sm text-neutral-700 dark:text-neutral-300">
        <p className="mb-2">
          Explore a real account&apos;s permissions safely: its users, groups, roles, managed policies (every version), attachments, inline policies, permissions boundaries
          and instance profiles are copied into a new sandbox of their own. No credentials are imported: no passwords, access keys or MFA devices. Save the file with:
        </p>
        <pre className="overflow-x-auto rounded bg-neutral-100 px-2 py-1 font-mono text-xs dark:bg-neutral-900" tabIndex={0}>
          aws iam get-account-authorization-details --output json &gt; account.json
        </pre>
      </div>
      <div className="mb-6">
        <ImportForm />
      </div>
      <section aria-labelledby="export-title" className="mb-6">
        <h2 id="export-title" className="mb-2 text-lg font-semibold">
          Export
        </h2>
        <p className="mb-2 text-sm">
          The same format, ready to import again:{" "}
          <a className="text-accent underline" href="/labs/import/export" download>
            Download account {principal.accountId}
          </a>{" "}
          (the account you are signed in to, through GetAccountAuthorizationDetails).
        </p>
        {imported.length === 0 ? (
          <EmptyState title="No imported sandboxes yet">Import a file above: each import makes a sandbox of its own.</EmptyState>
        ) : (
          <table className="w-full text-sm" aria-label="Imported sandboxes">
            <thead className="text-left text-xs text-neutral-500 dark:text-neutral-400">
              <tr>
                <th className="py-1">Label</th>
                <th>Sandbox</th>
                <th>Account ID</th>
                <th>Imported</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {imported.map((s) => (
                <tr key={s.id} className="border-t border-neutral-200 dark:border-neutral-800">
                  <td className="py-1">{s.learner}</td>
                  <td>
                    <Link className="font-mono text-accent hover:underline" href={`/labs/${s.id}`}>
                      {s.id}
                    </Link>
                  </td>
                  <td className="font-mono">{s.signInAccountId}</td>
                  <td>{formatDate(s.startedAt)}</td>
                  <td className="flex gap-3 py-1">
                    <a className="text-accent underline" href={`/labs/import/export?sandbox=${s.id}`} download aria-label={`Download ${s.learner} (${s.id})`}>
                      Download
                    </a>
                    <ConfirmActionButton action={deleteSandboxAction} values={{ sandboxId: s.id }} trigger="Delete" title={`Delete sandbox ${s.id}?`} confirmText={s.id} success={<>Sandbox {s.learner} deleted.</>}>
                      <p>The imported account, its users, roles, policies and event history are deleted for good.</p>
                    </ConfirmActionButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </FlashProvider>
  );
}
