import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/panels";
import { FlashProvider } from "@/components/ui/flash";
import { formatDate } from "@/components/ui/format";
import { requireConsole } from "@/lib/auth/console-context";
import { consoleRequestInfo } from "@/lib/auth/request-info";
import { labs, findLab } from "@/lib/labs/catalogue";
import { classProgress, refreshProgress } from "@/lib/labs/remembered-progress";
import { canManageClasses, listOwnSandboxes, sandboxOfCaller } from "@/lib/labs/manage";
import { progressSummary, type StoredProgress } from "@/lib/labs/progress-summary";
import { SandboxActions, StartLabButton } from "./lab-buttons";
import { ProgressPanel } from "./progress-panel";

export const metadata = { title: "Training labs" };

export default async function Page() {
  const { principal } = await requireConsole();
  const caller = { principal, request: await consoleRequestInfo() };

  // A learner signed in to a sandbox: the lab and its live progress.
  const mine = await sandboxOfCaller(caller);
  const lab = mine && findLab(mine.labId);
  if (mine && lab) {
    const progress = await refreshProgress(mine, lab);
    return (
      <>
        <PageHeader crumbs={[{ label: "Training labs" }]} title={lab.title} />
        <p className="mb-1 text-xs text-neutral-500">
          {lab.level} · about {lab.estimatedMinutes} minutes · sandbox {mine.id}
        </p>
        <p className="mb-4 max-w-3xl">{lab.story}</p>
        <ProgressPanel progress={progress} />
      </>
    );
  }

  const [sandboxes, instructor] = await Promise.all([listOwnSandboxes(caller), canManageClasses(caller)]);
  // Each one's remembered progress, checked again where something happened since (imports have no lab: no checks).
  const progress = new Map<string, StoredProgress>();
  for (const labId of new Set(sandboxes.map((s) => s.labId))) {
    const ofLab = findLab(labId);
    if (ofLab) for (const [id, p] of (await classProgress(sandboxes.filter((s) => s.labId === labId), ofLab)).progress) progress.set(id, p);
  }
  return (
    <FlashProvider>
      <PageHeader
        crumbs={[{ label: "Training labs" }]}
        title="Training labs"
        actions={
          instructor ? (
            <div className="flex gap-2">
              <Link href="/labs/import" className="rounded border border-neutral-300 px-3 py-1.5 text-sm dark:border-neutral-700">
                Import an account
              </Link>
              <Link href="/instructor" className="rounded border border-neutral-300 px-3 py-1.5 text-sm dark:border-neutral-700">
                Instructor view
              </Link>
            </div>
          ) : undefined
        }
      />
      <p className="mb-4 max-w-3xl text-sm text-neutral-700 dark:text-neutral-300">
        Each lab runs in a sandbox of its own: a fresh organization built from the lab&apos;s initial state, which nobody else can see or touch. Start a lab, sign in to
        the sandbox with the details it gives you, and watch its checks turn green on this page as you work, in the console or through the API.
      </p>
      <section aria-labelledby="my-sandboxes" className="mb-6">
        <h2 id="my-sandboxes" className="mb-2 text-lg font-semibold">
          Your sandboxes
        </h2>
        {sandboxes.length === 0 ? (
          <EmptyState title="No sandboxes yet">Start one of the labs below.</EmptyState>
        ) : (
          <table className="w-full text-sm">
            <thead className="text-left text-xs text-neutral-500">
              <tr>
                <th className="py-1">Lab</th>
                <th>Sandbox</th>
                <th>Started</th>
                <th>Progress</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sandboxes.map((s) => (
                <tr key={s.id} className="border-t border-neutral-200 dark:border-neutral-800">
                  <td className="py-1">{findLab(s.labId)?.title ?? s.labId}</td>
                  <td>
                    <Link className="font-mono text-accent hover:underline" href={`/labs/${s.id}`}>
                      {s.id}
                    </Link>
                  </td>
                  <td>{formatDate(s.startedAt)}</td>
                  <td>{progressSummary(progress.get(s.id) ?? null)}</td>
                  <td>
                    <SandboxActions sandboxId={s.id} label={s.id} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="all-labs">
        <h2 id="all-labs" className="mb-2 text-lg font-semibold">
          Labs
        </h2>
        <ul className="grid gap-3 md:grid-cols-2">
          {labs().map((l) => (
            <li key={l.id} className="flex flex-col gap-2 rounded border border-neutral-200 p-3 dark:border-neutral-800">
              <h3 className="font-medium">{l.title}</h3>
              <p className="text-xs text-neutral-500">
                {l.level} · about {l.estimatedMinutes} minutes · {l.tasks.length} tasks
              </p>
              <p className="text-sm text-neutral-700 dark:text-neutral-300">{l.story}</p>
              <div>
                <StartLabButton labId={l.id} title={l.title} />
              </div>
            </li>
          ))}
        </ul>
      </section>
    </FlashProvider>
  );
}
