import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { ErrorPanel } from "@/components/ui/panels";
import { loadAs } from "@/lib/actions/define-action";
import { describeTrails } from "@/lib/audit/trails";
import { requireConsole } from "@/lib/auth/console-context";
import { CreateTrailForm, SelectorsForm, TrailButtons, type SelectorRow } from "./trail-forms";

export const metadata = { title: "Trails" };

export default async function TrailsPage() {
  const { principal, account } = await requireConsole();
  const result = await loadAs(principal, describeTrails(principal, {}));
  const crumbs = [{ label: "Audit", href: "/audit" }, { label: "Trails" }];
  if (!result.ok) {
    return (
      <>
        <PageHeader crumbs={crumbs} title="Trails" />
        <ErrorPanel result={result} />
      </>
    );
  }
  const trails = result.data.trailList;
  return (
    <>
      <PageHeader crumbs={crumbs} title="Trails">
        <p className="text-neutral-600 dark:text-neutral-300">
          Management events of account {account.alias ?? account.id} are always in the{" "}
          <Link href="/audit" className="text-accent underline">
            event history
          </Link>
          . S3 object reads and writes (data events) are recorded only where a logging trail&apos;s data-event selector covers the bucket and prefix, as in
          CloudTrail.
        </p>
      </PageHeader>
      <div className="flex flex-col gap-6">
        {trails.length === 0 && <p className="rounded border border-dashed border-neutral-300 p-6 text-center dark:border-neutral-700">No trails yet: data events are not recorded.</p>}
        {trails.map((t) => {
          const management = t.EventSelectors.find((s) => s.IncludeManagementEvents);
          const rows: SelectorRow[] = t.EventSelectors.flatMap((s) =>
            s.DataResources.flatMap((d) =>
              d.Values.map((v) => {
                if (v === "arn:aws:s3") return { bucket: "*", prefix: "", readWriteType: s.ReadWriteType };
                const rest = v.slice("arn:aws:s3:::".length);
                const slash = rest.indexOf("/");
                return { bucket: slash === -1 ? rest : rest.slice(0, slash), prefix: slash === -1 ? "" : rest.slice(slash + 1), readWriteType: s.ReadWriteType };
              }),
            ),
          );
          return (
            <section key={t.Name} aria-labelledby={`trail-${t.Name}`} className="flex flex-col gap-3 rounded border border-neutral-200 p-4 dark:border-neutral-800">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <h2 id={`trail-${t.Name}`} className="text-lg font-semibold">
                  {t.Name}
                </h2>
                <span data-testid="trail-status" className={t.IsLogging ? "text-green-800 dark:text-green-300" : "text-neutral-600 dark:text-neutral-300"}>
                  {t.IsLogging ? "Logging" : "Not logging"}
                </span>
              </div>
              <p className="font-mono text-xs text-neutral-600 dark:text-neutral-300">{t.TrailARN}</p>
              <SelectorsForm trailName={t.Name} management={management !== undefined} managementReadWriteType={management?.ReadWriteType ?? "All"} rows={rows} />
              <TrailButtons name={t.Name} isLogging={t.IsLogging} />
            </section>
          );
        })}
        <CreateTrailForm />
      </div>
    </>
  );
}
