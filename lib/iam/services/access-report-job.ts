import "server-only";
// Access-report jobs (GenerateServiceLastAccessedDetails,
// GenerateOrganizationsAccessReport) run as AWS's do: the Generate call checks
// its input and stores the job IN_PROGRESS; once that call has committed, the
// report is built in the background (JOB_DELAY_MS later, in its own
// transaction) and the job becomes COMPLETED, or FAILED with the error.
import { transaction, type Tx } from "@/lib/db/client";
import { IamError } from "@/lib/iam/errors";

/** A job starts this long after its Generate call commits: short, yet a client sees it IN_PROGRESS as in AWS. */
const JOB_DELAY_MS = 300;

/** Builds job `id`'s report if the job is still IN_PROGRESS: COMPLETED with it, or FAILED with the error. */
async function runAccessReportJob(id: string, build: (tx: Tx) => Promise<unknown>): Promise<void> {
  try {
    await transaction(async (tx) => {
      if (!(await tx.accessReportJob.count({ where: { id, status: "IN_PROGRESS" } }))) return;
      const report = await build(tx);
      await tx.accessReportJob.updateMany({ where: { id, status: "IN_PROGRESS" }, data: { status: "COMPLETED", report: JSON.stringify(report), completedAt: new Date() } });
    });
  } catch (err) {
    const known = err instanceof IamError ? err : null;
    if (!known) console.error(`access report job ${id} failed:`, (err as Error)?.message);
    await transaction((tx) =>
      tx.accessReportJob.updateMany({
        where: { id, status: "IN_PROGRESS" },
        data: { status: "FAILED", completedAt: new Date(), errorCode: known?.code ?? "ServiceFailure", errorMessage: known?.message ?? "The report could not be generated." },
      }),
    ).catch(() => undefined);
  }
}

/** Starts job `id` in the background: call it from an operation's afterCommit. */
export function startAccessReportJob(id: string, build: (tx: Tx) => Promise<unknown>): void {
  setTimeout(() => void runAccessReportJob(id, build), JOB_DELAY_MS);
}
