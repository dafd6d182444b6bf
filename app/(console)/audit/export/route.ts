// Export of the filtered event history: CloudTrail JSON ({"Records": [...]}) or
// CSV, streamed as the rows are read (lib/audit/export.ts), through the
// pipeline like the page (cloudtrail:LookupEvents, gated and audited).
import type { NextRequest } from "next/server";
import { toFailure } from "@/lib/actions/define-action";
import { exportEvents, type ExportFormat } from "@/lib/audit/export";
import { currentPrincipal } from "@/lib/auth/current";
import { consoleRequestInfo } from "@/lib/auth/request-info";
import { IamError } from "@/lib/iam/errors";
import { runOperation } from "@/lib/iam/operation";
import { historyParams, lookupInputOf } from "../history-params";

const TYPES: Record<ExportFormat, string> = { json: "application/json; charset=utf-8", csv: "text/csv; charset=utf-8" };

export async function GET(req: NextRequest) {
  const request = await consoleRequestInfo();
  const principal = await currentPrincipal();
  const format = req.nextUrl.searchParams.get("format") === "csv" ? "csv" : "json";
  try {
    if (!principal) throw new IamError("AccessDenied", "You are not signed in. Sign in to continue.");
    const input = lookupInputOf(historyParams(req.nextUrl.searchParams));
    const chunks = await runOperation({ ...exportEvents(principal, { ...input, format }), principal, request });
    const encoder = new TextEncoder();
    const iterator = chunks[Symbol.asyncIterator]();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await iterator.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
      async cancel() {
        await iterator.return?.(undefined);
      },
    });
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    return new Response(body, {
      headers: {
        "Content-Type": TYPES[format],
        "Content-Disposition": `attachment; filename="event-history-${principal.accountId}-${stamp}.${format}"`,
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
