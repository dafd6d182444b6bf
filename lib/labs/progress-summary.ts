// The progress a sandbox row remembers (lib/labs/remembered-progress.ts), and as a table cell says it.

/**
 * What the remembered progress was computed against: the sandbox's audit trail
 * at the time (its event count and newest event), the lab's checks, and the
 * earliest moment the result could change with nothing happening in the sandbox.
 */
export interface ProgressMark {
  events: number;
  lastEventAt: string | null;
  /** A digest of the lab's tasks and checks: a changed lab file is checked again. */
  lab: string;
  /** ISO time; null when only something happening in the sandbox can change the result. */
  recheckAt: string | null;
}

export interface StoredProgress {
  passed: number;
  total: number;
  tasks: { id: string; done: boolean }[];
  mark?: ProgressMark;
}

export function parseStoredProgress(stored: string): StoredProgress | null {
  try {
    const p = JSON.parse(stored) as Partial<StoredProgress>;
    if (typeof p.passed !== "number" || typeof p.total !== "number" || !Array.isArray(p.tasks)) return null;
    return { passed: p.passed, total: p.total, tasks: p.tasks, ...(p.mark ? { mark: p.mark } : {}) };
  } catch {
    return null;
  }
}

export function progressSummary(p: StoredProgress | null): string {
  if (!p) return "not checked yet";
  return p.passed === p.total ? `complete (${p.total} checks)` : `${p.passed} of ${p.total} checks`;
}
