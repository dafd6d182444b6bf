import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { ErrorPanel } from "@/components/ui/panels";
import { loadAs } from "@/lib/actions/define-action";
import { requireConsole } from "@/lib/auth/console-context";
import { getAccountSummary } from "@/lib/iam/account-summary";

export const metadata = { title: "IAM dashboard" };

export default async function IamDashboard() {
  const { principal, account } = await requireConsole();
  const summary = await loadAs(principal, getAccountSummary(principal));
  return (
    <>
      <PageHeader crumbs={[{ label: "IAM" }]} title="IAM dashboard" />
      <p className="mb-4 text-neutral-600 dark:text-neutral-300">
        Account <span className="font-mono">{account.id}</span>
        {account.alias && (
          <>
            {" "}
            · sign-in alias <span className="font-mono">{account.alias}</span>
          </>
        )}
      </p>
      {summary.ok ? (
        <dl className="grid max-w-2xl grid-cols-2 gap-3 md:grid-cols-4">
          {(
            [
              ["Users", summary.data.Users, "/iam/users"],
              ["User groups", summary.data.Groups, "/iam/groups"],
              ["Roles", summary.data.Roles, "/iam/roles"],
              ["Customer managed policies", summary.data.Policies, "/iam/policies"],
            ] as const
          ).map(([label, value, href]) => (
            <div key={label} className="rounded border border-neutral-200 p-3 dark:border-neutral-800">
              <dt className="text-xs text-neutral-500">{label}</dt>
              <dd className="text-2xl font-semibold">
                <Link href={href} className="text-accent hover:underline">
                  {value}
                </Link>
              </dd>
            </div>
          ))}
        </dl>
      ) : (
        <ErrorPanel result={summary} />
      )}
    </>
  );
}
