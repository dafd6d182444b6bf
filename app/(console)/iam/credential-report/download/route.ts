// "Download credential report": as AWS's console does, GenerateCredentialReport
// (a report younger than 4 hours is kept) then GetCredentialReport, each through
// the pipeline (gated and audited), answered as a CSV file.
import { toFailure } from "@/lib/actions/define-action";
import { currentPrincipal } from "@/lib/auth/current";
import { consoleRequestInfo } from "@/lib/auth/request-info";
import { IamError } from "@/lib/iam/errors";
import { runOperation } from "@/lib/iam/operation";
import { generateCredentialReport, getCredentialReport } from "@/lib/iam/services/credential-report";

export async function GET() {
  const request = await consoleRequestInfo();
  const principal = await currentPrincipal();
  try {
    if (!principal) throw new IamError("AccessDenied", "You are not signed in. Sign in to continue.");
    await runOperation({ ...generateCredentialReport(principal), principal, request });
    const report = await runOperation({ ...getCredentialReport(principal), principal, request: await consoleRequestInfo() });
    const stamp = report.generatedTime.toISOString().replace(/[:.]/g, "-");
    return new Response(Buffer.from(report.content), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="credential-report-${principal.accountId}-${stamp}.csv"`,
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  } catch (err) {
    const failure = toFailure(err);
    const error = failure.ok ? { code: "InternalFailure", message: "An internal error occurred." } : failure.error;
    return Response.json({ __type: error.code, message: error.message }, { status: err instanceof IamError ? err.status : 500 });
  }
}
