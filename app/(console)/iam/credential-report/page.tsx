import { PageHeader } from "@/components/ui/page-header";
import { requireConsole } from "@/lib/auth/console-context";
import { CREDENTIAL_REPORT_COLUMNS } from "@/lib/iam/services/credential-report";

export const metadata = { title: "Credential report" };

export default async function CredentialReportPage() {
  await requireConsole();
  return (
    <>
      <PageHeader crumbs={[{ label: "IAM", href: "/iam" }, { label: "Credential report" }]} title="Credential report" />
      <div className="max-w-3xl space-y-3 text-sm text-neutral-700 dark:text-neutral-300">
        <p>
          The credential report lists every IAM user of this account and the account&apos;s root user, with the state of their passwords, access keys and
          MFA devices, as a CSV file. A report is generated at most once every 4 hours: downloading within 4 hours of the last generation returns that
          report. The same report is what <span className="font-mono">aws iam generate-credential-report</span> and{" "}
          <span className="font-mono">aws iam get-credential-report</span> return.
        </p>
        <p>
          Needs <span className="font-mono">iam:GenerateCredentialReport</span> and <span className="font-mono">iam:GetCredentialReport</span>.
        </p>
        <p>
          <a
            href="/iam/credential-report/download"
            download
            className="inline-block rounded bg-accent px-3 py-1.5 font-medium text-white hover:bg-accent-strong focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2"
          >
            Download credential report
          </a>
        </p>
        <details>
          <summary className="cursor-pointer">Columns, in order</summary>
          <ol className="mt-2 list-decimal pl-6 font-mono text-xs">
            {CREDENTIAL_REPORT_COLUMNS.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ol>
          <p className="mt-2">
            <span className="font-mono">N/A</span>: not applicable (no password, no key, a key never used); <span className="font-mono">no_information</span>: a
            password never used to sign in; <span className="font-mono">not_supported</span>: a column that does not apply to the root user. Times are UTC,
            ISO 8601.
          </p>
        </details>
      </div>
    </>
  );
}
