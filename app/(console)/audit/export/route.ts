// Export of the filtered event history: CloudTrail JSON ({"Records": [...]}) or
// CSV, streamed as the rows are read (lib/audit/export.ts), through the
// pipeline like the page (cloudtrail:LookupEvents, gated and audited).
import type { NextRequest } from "next/server";
import { attachment, downloadCaller, downloadFailure } from "@/lib/actions/download";
import { exportEvents, type ExportFormat } from "@/lib/audit/export";
import { runOperation } from "@/lib/iam/operation";
import { historyParams, lookupInputOf } from "../history-params";

const TYPES: Record<ExportFormat, string> = { json: "application/json; charset=utf-8", csv: "text/csv; charset=utf-8" };

export async function GET(req: NextRequest) {
  const format = req.nextUrl.searchParams.get("format") === "csv" ? "csv" : "json";
  try {
    const { principal, request } = await downloadCaller();
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
    return attachment(body, TYPES[format], `event-history-${principal.accountId}-${stamp}.${format}`);
  } catch (err) {
    return downloadFailure(err);
  }
}
