import "server-only";
// A sandbox's progress as the instructor's table reads it: remembered on the
// sandbox row with a mark of what it was computed against (the sandbox's audit
// trail: its event count and newest event; the lab's checks; the moment a
// time-bound result could change), and computed again only when the mark no
// longer holds.
//
// Why that is never stale after a learner's action: every change in a sandbox
// is written in one transaction with its audit record (lib/audit/record.ts),
// and every read an activity check counts is audited too; the mark is read
// BEFORE the checks run, so a change that commits while they run moves the
// trail past the remembered mark, and the next load checks again. The count
// (not only the newest time) catches a record that commits late with an
// earlier eventTime. Read-only events are left out of the mark unless one of
// the lab's activity checks counts them: a read runs on a client that refuses
// writes (lib/iam/operation.ts), so a learner browsing the console changes
// nothing a check reads. What the audit trail does not see (the clock, and
// S3 object tags, a data event) is handled in the checks: see recheckAt.
// Reset stores no progress and moves startedAt, and a result computed before a
// reset is not written over it (the update is conditional on startedAt).
import crypto from "node:crypto";
import { db } from "@/lib/db/client";
import { sandboxProgress, type SandboxProgress } from "./checks";
import { parseStoredProgress, type ProgressMark, type StoredProgress } from "./progress-summary";
import type { SandboxRow } from "./sandboxes";
import type { Lab } from "./schema";

type TrailMark = Pick<ProgressMark, "events" | "lastEventAt">;

/** The read-only events the lab's activity checks count (other reads change nothing a check sees). */
const countedReads = (lab: Lab) => [...new Set(lab.tasks.flatMap((t) => t.checks.flatMap((c) => (c.kind === "activity" ? [c.eventName] : []))))];

/** Each organization's audit trail as it stands, as far as the lab's checks can tell: how many events and the newest one's time (one query). */
export async function trailMarks(organizationIds: string[], lab: Lab): Promise<Map<string, TrailMark>> {
  const out = new Map<string, TrailMark>(organizationIds.map((id) => [id, { events: 0, lastEventAt: null }]));
  if (organizationIds.length === 0) return out;
  const rows = await db().auditEvent.groupBy({
    by: ["organizationId"],
    where: { organizationId: { in: organizationIds }, OR: [{ readOnly: false }, { eventName: { in: countedReads(lab) } }] },
    _count: { _all: true },
    _max: { eventTime: true },
  });
  for (const r of rows) out.set(r.organizationId, { events: r._count._all, lastEventAt: r._max.eventTime?.toISOString() ?? null });
  return out;
}

const digests = new WeakMap<Lab, string>();
/** A digest of the lab's tasks and checks. */
export function labDigest(lab: Lab): string {
  let d = digests.get(lab);
  if (!d) digests.set(lab, (d = crypto.createHash("sha256").update(JSON.stringify(lab.tasks)).digest("base64url").slice(0, 16)));
  return d;
}

/** Whether the remembered progress still says what the checks would say now. */
export function stillHolds(stored: StoredProgress | null, trail: TrailMark, lab: Lab, now: Date): stored is StoredProgress {
  const mark = stored?.mark;
  if (!mark) return false;
  return mark.events === trail.events && mark.lastEventAt === trail.lastEventAt && mark.lab === labDigest(lab) && (mark.recheckAt === null || now.getTime() < Date.parse(mark.recheckAt));
}

/** The progress as remembered, with the mark it was computed against. */
const storedForm = (progress: SandboxProgress, trail: TrailMark, lab: Lab): StoredProgress => ({
  passed: progress.passed,
  total: progress.total,
  tasks: progress.tasks.map((t) => ({ id: t.id, done: t.done })),
  mark: { ...trail, lab: labDigest(lab), recheckAt: progress.recheckAt?.toISOString() ?? null },
});

/** Evaluates every check and remembers the result with its mark on the sandbox row. */
export async function refreshProgress(sandbox: SandboxRow, lab: Lab, now = new Date(), trail?: TrailMark): Promise<SandboxProgress> {
  // The trail is read before the checks run (see above).
  const before = trail ?? (await trailMarks([sandbox.organizationId], lab)).get(sandbox.organizationId)!;
  const progress = await sandboxProgress(sandbox, lab, now);
  const summary = JSON.stringify(storedForm(progress, before, lab));
  if (summary !== sandbox.progress || (progress.done && !sandbox.completedAt)) {
    await db().labSandbox.updateMany({
      where: { id: sandbox.id, startedAt: sandbox.startedAt },
      data: { progress: summary, completedAt: progress.done ? (sandbox.completedAt ?? new Date()) : null },
    });
  }
  return progress;
}

export interface ClassProgress {
  /** Each sandbox's progress, by sandbox ID. */
  progress: Map<string, StoredProgress>;
  /** How many sandboxes had to be checked again (the others' remembered progress still held). */
  checked: number;
}

/** The progress of many sandboxes of one lab: the remembered one where it still holds, checked again where not. */
export async function classProgress(sandboxes: SandboxRow[], lab: Lab, now = new Date()): Promise<ClassProgress> {
  const trails = await trailMarks(sandboxes.map((s) => s.organizationId), lab);
  const progress = new Map<string, StoredProgress>();
  let checked = 0;
  for (const s of sandboxes) {
    const trail = trails.get(s.organizationId)!;
    const stored = parseStoredProgress(s.progress);
    if (stillHolds(stored, trail, lab, now)) {
      progress.set(s.id, stored);
      continue;
    }
    const fresh = await refreshProgress(s, lab, now, trail);
    progress.set(s.id, storedForm(fresh, trail, lab));
    checked++;
  }
  return { progress, checked };
}
