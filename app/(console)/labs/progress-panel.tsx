// A sandbox's tasks with each check green or red, and hints on request.
import type { SandboxProgress } from "@/lib/labs/checks";
import { AutoRefresh } from "./auto-refresh";

export function ProgressPanel({ progress, live = true }: { progress: SandboxProgress; live?: boolean }) {
  return (
    <section aria-labelledby="progress-title" className="flex flex-col gap-3">
      {live && <AutoRefresh />}
      <div className="flex items-center justify-between">
        <h2 id="progress-title" className="text-lg font-semibold">
          Progress
        </h2>
        <p data-testid="lab-score" aria-live="polite" className={progress.done ? "font-semibold text-green-700 dark:text-green-400" : "text-neutral-600 dark:text-neutral-300"}>
          {progress.done ? `Lab complete: all ${progress.total} checks pass` : `${progress.passed} of ${progress.total} checks pass`}
        </p>
      </div>
      <ol className="flex flex-col gap-3">
        {progress.tasks.map((task, i) => (
          <li key={task.id} data-testid={`task-${task.id}`} className="rounded border border-neutral-200 p-3 dark:border-neutral-800">
            <h3 className="font-medium">
              {i + 1}. {task.title} {task.done && <span className="ml-1 rounded bg-green-100 px-1.5 text-xs text-green-800 dark:bg-green-900 dark:text-green-100">done</span>}
            </h3>
            <p className="mt-1 text-sm text-neutral-700 dark:text-neutral-300">{task.instructions}</p>
            <ul className="mt-2 flex flex-col gap-1 text-sm" aria-label={`Checks of ${task.title}`}>
              {task.checks.map((c) => (
                <li key={c.title} data-testid="lab-check" data-passed={c.passed} className="flex gap-2">
                  <span aria-hidden className={c.passed ? "text-green-700 dark:text-green-400" : "text-red-700 dark:text-red-400"}>
                    {c.passed ? "✔" : "✘"}
                  </span>
                  <span>
                    <span className="sr-only">{c.passed ? "Passed: " : "Not yet: "}</span>
                    {c.title}
                    {!c.passed && c.detail && <span className="block text-xs text-neutral-500 dark:text-neutral-400">{c.detail}</span>}
                  </span>
                </li>
              ))}
            </ul>
            {task.hints.map((hint, h) => (
              <details key={h} className="mt-2 text-sm">
                <summary className="cursor-pointer text-accent">Hint {h + 1}</summary>
                <p className="mt-1 text-neutral-700 dark:text-neutral-300">{hint}</p>
              </details>
            ))}
          </li>
        ))}
      </ol>
    </section>
  );
}
