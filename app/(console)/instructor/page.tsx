// The instructor view: classes of sandboxes, everyone's progress in one table,
// reset and delete. Gated by iamlab:ManageClasses (lib/labs/manage.ts; the
// README says how an instructor signs in).
import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/panels";
import { ConfirmActionButton, FlashProvider } from "@/components/ui/flash";
import { requireConsole } from "@/lib/auth/console-context";
import { consoleRequestInfo } from "@/lib/auth/request-info";
import { labs, findLab } from "@/lib/labs/catalogue";
import { canManageClasses, listClasses } from "@/lib/labs/manage";
import type { StoredProgress } from "@/lib/labs/progress-summary";
import { classProgress } from "@/lib/labs/remembered-progress";
import { sandboxPassword } from "@/lib/labs/sandboxes";
import { AutoRefresh } from "../labs/auto-refresh";
import { deleteClassAction } from "../labs/actions";
import { SandboxActions } from "../labs/lab-buttons";
import { InstructorsOnly } from "../labs/instructors-only";
import { ClassForm } from "./class-form";

export const metadata = { title: "Instructor view" };

export default async function InstructorPage() {
  const { principal } = await requireConsole();
  const caller = { principal, request: await consoleRequestInfo() };
  const crumbs = [{ label: "Training labs", href: "/labs" }, { label: "Instructor view" }];
  if (!(await canManageClasses(caller))) return <InstructorsOnly principalArn={principal.arn} title="Instructor view" crumbs={crumbs} what="The instructor view" />;
  const classes = await listClasses(caller);
  // Each sandbox's remembered progress, checked again only where something happened since (lib/labs/remembered-progress.ts).
  const progress = new Map<string, StoredProgress>();
  for (const c of classes) {
    const lab = findLab(c.labId);
    if (lab) for (const [id, p] of (await classProgress(c.sandboxes, lab)).progress) progress.set(id, p);
  }
  return (
    <FlashProvider>
      <AutoRefresh seconds={10} />
      <PageHeader
        crumbs={crumbs}
        title="Instructor view"
        actions={
          <Link href="/labs/import" className="rounded border border-neutral-300 px-3 py-1.5 text-sm dark:border-neutral-700">
            Import an account
          </Link>
        }
      />
      <div className="mb-6">
        <ClassForm labs={labs().map((l) => ({ id: l.id, title: l.title }))} />
      </div>
      {classes.length === 0 && <EmptyState title="No classes yet">Create a class above: each learner gets a sandbox of their own.</EmptyState>}
      {classes.map((c) => {
        const lab = findLab(c.labId);
        return (
          <section key={c.id} aria-labelledby={`class-${c.id}`} className="mb-6">
            <div className="mb-2 flex items-center justify-between">
              <h2 id={`class-${c.id}`} className="text-lg font-semibold">
                {c.name} <span className="text-sm font-normal text-neutral-500">· {lab?.title ?? c.labId} · {c.sandboxes.length} sandboxes</span>
              </h2>
              <ConfirmActionButton action={deleteClassAction} values={{ classId: c.id }} trigger="Delete class" title={`Delete class ${c.name}?`} confirmText={c.name} success={<>Class {c.name} deleted.</>}>
                <p>All {c.sandboxes.length} sandboxes of the class are deleted with everything in them.</p>
              </ConfirmActionButton>
            </div>
            <table className="w-full text-sm" aria-label={`Progress of ${c.name}`}>
              <thead className="text-left text-xs text-neutral-500">
                <tr>
                  <th className="py-1">Learner</th>
                  <th>Account ID</th>
                  <th>User</th>
                  <th>Password</th>
                  {lab?.tasks.map((t, i) => (
                    <th key={t.id} title={t.title}>
                      Task {i + 1}
                    </th>
                  ))}
                  <th>Checks</th>
                  <th>
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {c.sandboxes.map((s) => {
                  const p = progress.get(s.id);
                  return (
                    <tr key={s.id} className="border-t border-neutral-200 dark:border-neutral-800">
                      <td className="py-1">{s.learner}</td>
                      <td className="font-mono">{s.signInAccountId}</td>
                      <td className="font-mono">{s.signInUserName}</td>
                      <td>
                        <details>
                          <summary className="cursor-pointer text-accent">Show</summary>
                          <span className="font-mono">{sandboxPassword(s)}</span>
                        </details>
                      </td>
                      {lab?.tasks.map((t) => {
                        const done = p?.tasks.find((x) => x.id === t.id)?.done ?? false;
                        return (
                          <td key={t.id} aria-label={`${t.title}: ${done ? "done" : "not yet"}`} className={done ? "text-green-700" : "text-neutral-400"}>
                            {done ? "✔" : "…"}
                          </td>
                        );
                      })}
                      <td data-testid="sandbox-checks">{p ? `${p.passed}/${p.total}` : ""}</td>
                      <td>
                        <SandboxActions sandboxId={s.id} label={s.learner} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </section>
        );
      })}
    </FlashProvider>
  );
}
