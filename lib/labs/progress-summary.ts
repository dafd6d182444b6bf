// The progress a sandbox row remembers (refreshProgress), as a table cell says it.
export function progressSummary(stored: string): string {
  try {
    const p = JSON.parse(stored) as { passed?: number; total?: number };
    if (typeof p.passed !== "number" || typeof p.total !== "number") return "not checked yet";
    return p.passed === p.total ? `complete (${p.total} checks)` : `${p.passed} of ${p.total} checks`;
  } catch {
    return "not checked yet";
  }
}

export function taskStates(stored: string): { id: string; done: boolean }[] {
  try {
    return (JSON.parse(stored) as { tasks?: { id: string; done: boolean }[] }).tasks ?? [];
  } catch {
    return [];
  }
}
