// "Download credential report": as AWS's console does, GenerateCredentialReport
// (a report younger than 4 hours is kept), a wait while a new one is built, then
// GetCredentialReport, each call through the pipeline (gated and audited),
// answered as a CSV file.
import { attachment, downloadCaller, downloadFailure } from "@/lib/actions/download";
import { db, type Tx } from "@/lib/db/client";
import { runOperation } from "@/lib/iam/operation";
import { generateCredentialReport, getCredentialReport, waitForCredentialReport } from "@/lib/iam/services/credential-report";

export async function GET() {
  try {
    const { principal, request } = await downloadCaller();
    const generated = await runOperation({ ...generateCredentialReport(principal), principal, request });
    if (generated.state !== "COMPLETE") await waitForCredentialReport(db() as unknown as Tx, principal.accountId);
    const report = await runOperation({ ...getCredentialReport(principal), principal, request });
    const stamp = report.generatedTime.toISOString().replace(/[:.]/g, "-");
    return attachment(Buffer.from(report.content), "text/csv; charset=utf-8", `credential-report-${principal.accountId}-${stamp}.csv`);
  } catch (err) {
    return downloadFailure(err);
  }
}
