// "Download": an account's IAM as `aws iam get-account-authorization-details`
// prints it. ?sandbox=ID: that sandbox's account (its owner, or an instructor
// for a class's sandbox); without it, the caller's own account through
// GetAccountAuthorizationDetails itself (gated and audited, pages of 1,000).
import { attachment, downloadCaller, downloadFailure } from "@/lib/actions/download";
import { runOperation } from "@/lib/iam/operation";
import { getAccountAuthorizationDetails } from "@/lib/iam/services/authorization-details";
import { cliJson, EXPORT_PAGE, joinPages } from "@/lib/labs/export";
import { exportSandboxAs } from "@/lib/labs/manage";

const file = (json: string, accountId: string) => attachment(json, "application/json; charset=utf-8", `authorization-details-${accountId}.json`);

export async function GET(request: Request) {
  try {
    const caller = await downloadCaller();
    const sandboxId = new URL(request.url).searchParams.get("sandbox")?.slice(0, 128);
    if (sandboxId) {
      const { sandbox, details } = await exportSandboxAs(caller, sandboxId);
      return file(cliJson(details), sandbox.signInAccountId);
    }
    const details = await joinPages((marker) => runOperation({ ...getAccountAuthorizationDetails(caller.principal, { maxItems: EXPORT_PAGE, marker }), ...caller }));
    return file(cliJson(details), caller.principal.accountId);
  } catch (err) {
    return downloadFailure(err);
  }
}
