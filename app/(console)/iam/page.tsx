import Link from "next/link";
import { ServerChart } from "@/components/charts/server-chart";
import { PageHeader } from "@/components/ui/page-header";
import { ErrorPanel } from "@/components/ui/panels";
import { loadAs } from "@/lib/actions/define-action";
import { requireConsole } from "@/lib/auth/console-context";
import { getAccountSummary } from "@/lib/iam/account-summary";
import { FINDINGS, getSecurityPosture, getSharedKeys, type CredentialAges, type Finding } from "@/lib/iam/services/security-posture";

export const metadata = { title: "IAM dashboard" };

function FindingRow({ finding }: { finding: Finding }) {
  const { title, fix } = FINDINGS[finding.id];
  const ok = finding.count === 0;
  return (
    <li data-testid={`finding-${finding.id}`} data-count={finding.count} className="flex items-start gap-3 border-b border-neutral-200 py-2 last:border-0 dark:border-neutral-800">
      <span
        aria-hidden
        className={`mt-1 inline-block h-2.5 w-2.5 shrink-0 rounded-full ${ok ? "bg-green-600" : "bg-red-600"}`}
      />
      <div className="min-w-0 flex-1">
        <p className="font-medium">
          {title}: <span className={ok ? "text-green-700 dark:text-green-400" : "text-red-700 dark:text-red-400"}>{finding.count.toLocaleString("en-US")}</span>
        </p>
        {!ok && <p className="text-xs text-neutral-600 dark:text-neutral-400">{fix}</p>}
      </div>
      {!ok && (
        <Link href={`/iam/security-findings/${finding.id}`} className="shrink-0 text-sm text-accent hover:underline">
          Review and fix<span className="sr-only">: {title}</span>
        </Link>
      )}
    </li>
  );
}

function CredentialAgeChart({ ages }: { ages: CredentialAges }) {
  const labels = ages.keyAge.map((b) => b.label);
  const summary =
    `Active access keys by age: ${ages.keyAge.map((b) => `${b.label} ${b.count}`).join(", ")}. ` +
    `By last use: ${ages.keyUse.map((b) => `${b.label} ${b.count}`).join(", ")}.`;
  return (
    <ServerChart
      testId="credential-age-chart"
      summary={summary}
      height={240}
      option={{
        grid: { left: 48, right: 16, top: 36, bottom: 40 },
        legend: { top: 0, data: ["Created", "Last used"] },
        xAxis: { type: "category", data: [...labels, "never used"] },
        yAxis: { type: "value", minInterval: 1, name: "active keys" },
        series: [
          { name: "Created", type: "bar", data: [...ages.keyAge.map((b) => b.count), 0], itemStyle: { color: "#2563eb" } },
          { name: "Last used", type: "bar", data: ages.keyUse.map((b) => b.count), itemStyle: { color: "#f59e0b" } },
        ],
      }}
    />
  );
}

export default async function IamDashboard() {
  const { principal, account } = await requireConsole();
  const [summary, posture, shared] = await Promise.all([
    loadAs(principal, getAccountSummary(principal)),
    loadAs(principal, getSecurityPosture(principal)),
    loadAs(principal, getSharedKeys(principal)),
  ]);
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

      <section aria-labelledby="security-heading" className="mt-6 max-w-4xl">
        <h2 id="security-heading" className="mb-2 text-lg font-semibold">
          Security recommendations
        </h2>
        {posture.ok ? (
          <ul className="rounded border border-neutral-200 px-3 dark:border-neutral-800">
            {posture.data.findings.map((f) => (
              <FindingRow key={f.id} finding={f} />
            ))}
            {shared.ok && <FindingRow finding={{ id: "shared-keys", count: shared.data.length }} />}
          </ul>
        ) : (
          <ErrorPanel result={posture} />
        )}
        {!shared.ok && posture.ok && <p className="mt-2 text-sm text-neutral-600 dark:text-neutral-400">Shared-key detection needs cloudtrail:LookupEvents (the event history).</p>}
        <p className="mt-2 text-sm">
          <Link href="/iam/credential-report" className="text-accent underline">
            Download the credential report
          </Link>{" "}
          for every user&apos;s passwords, keys and MFA in one file.
        </p>
      </section>

      {posture.ok && (
        <section aria-labelledby="ages-heading" className="mt-6 max-w-4xl">
          <h2 id="ages-heading" className="mb-2 text-lg font-semibold">
            Access key age and use
          </h2>
          <CredentialAgeChart ages={posture.data.ages} />
        </section>
      )}
    </>
  );
}
