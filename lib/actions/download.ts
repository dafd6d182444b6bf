// The console's file downloads (route handlers): who asks, the file as an
// attachment, and a refusal as AWS's JSON error with its status.
import { currentPrincipal } from "@/lib/auth/current";
import { consoleRequestInfo } from "@/lib/auth/request-info";
import { IamError } from "@/lib/iam/errors";
import type { Principal, RequestInfo } from "@/lib/iam/principal";
import { toFailure } from "./define-action";

/** The signed-in principal and the request, or AccessDenied. */
export async function downloadCaller(): Promise<{ principal: Principal; request: RequestInfo }> {
  const [request, principal] = await Promise.all([consoleRequestInfo(), currentPrincipal()]);
  if (!principal) throw new IamError("AccessDenied", "You are not signed in. Sign in to continue.");
  return { principal, request };
}

/** `body` as a file to save, never cached or sniffed. */
export function attachment(body: BodyInit, contentType: string, filename: string): Response {
  return new Response(body, {
    headers: {
      "Content-Type": contentType,
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/** A refused or failed download, as AWS's JSON error. */
export function downloadFailure(err: unknown): Response {
  const failure = toFailure(err);
  const error = failure.ok ? { code: "InternalFailure", message: "An internal error occurred." } : failure.error;
  return Response.json({ __type: error.code, message: error.message }, { status: err instanceof IamError ? err.status : 500 });
}
