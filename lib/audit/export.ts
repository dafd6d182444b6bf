// Export of the filtered event history, as CloudTrail delivers records
// ({"Records": [...]}) or as CSV, streamed: rows are read in keyset batches and
// written as they come, so an export of millions of events never sits in memory.
// It is cloudtrail:LookupEvents through the gate, audited like any lookup.
import type { OperationSpec } from "@/lib/iam/operation";
import type { Tx } from "@/lib/db/client";
import { auditWhere } from "./filter";
import { pageAfter, resolveFilter, resourcesOf, toCloudTrailRecord, type AuditRow, type LookupEventsInput } from "./query";

export type ExportFormat = "json" | "csv";
const BATCH = 1000;

/** CloudTrail console's CSV columns. */
export const CSV_COLUMNS = [
  "Event ID",
  "Event time",
  "User name",
  "Event name",
  "Resource type",
  "Resource name",
  "AWS access key",
  "Event source",
  "AWS region",
  "Error code",
  "Source IP address",
  "Read only",
  "Resources",
] as const;

/** One CSV cell: quoted when needed; a leading = + - @ is defused so a spreadsheet never runs it as a formula. */
export function csvCell(value: string | null | undefined): string {
  let v = value ?? "";
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

const userNameOf = (e: AuditRow) => e.identityUserName ?? e.roleSessionName ?? e.identityArn?.split("/").pop() ?? e.identityType;

export function csvLine(e: AuditRow): string {
  return [
    e.id,
    e.eventTime.toISOString().replace(/\.\d{3}Z$/, "Z"),
    userNameOf(e),
    e.eventName,
    e.resourceType,
    e.resourceName,
    e.identityAccessKeyId,
    e.eventSource,
    e.awsRegion,
    e.errorCode,
    e.sourceIPAddress,
    String(e.readOnly),
    resourcesOf(e)
      .map((r) => r.ARN)
      .join(" "),
  ]
    .map(csvCell)
    .join(",");
}

async function* rowsOf(tx: Tx, where: ReturnType<typeof auditWhere>): AsyncGenerator<AuditRow> {
  let after: { t: Date; id: string } | undefined;
  for (;;) {
    const rows = await pageAfter(tx, where, after, BATCH);
    for (const row of rows) yield row;
    if (rows.length < BATCH) return;
    const last = rows[rows.length - 1]!;
    after = { t: last.eventTime, id: last.id };
  }
}

async function* chunksOf(rows: AsyncGenerator<AuditRow>, format: ExportFormat): AsyncGenerator<string> {
  if (format === "csv") {
    yield CSV_COLUMNS.join(",") + "\r\n";
    for await (const e of rows) yield csvLine(e) + "\r\n";
    return;
  }
  yield '{"Records":[';
  let first = true;
  for await (const e of rows) {
    yield (first ? "\n" : ",\n") + JSON.stringify(toCloudTrailRecord(e));
    first = false;
  }
  yield "\n]}\n";
}

export interface ExportEventsInput extends Omit<LookupEventsInput, "cursor" | "pageSize" | "withActivity"> {
  format: ExportFormat;
}

/** The filtered events as text chunks, read lazily after the gate has allowed the lookup. */
export function exportEvents(principal: { accountId: string }, input: ExportEventsInput): OperationSpec<AsyncIterable<string>> {
  return {
    service: "cloudtrail",
    name: "LookupEvents",
    readOnly: true,
    resource: { arn: "*" },
    parameters: { lookupAttributes: input.q ?? null, includeReadOnly: input.includeReadOnly ?? false, startTime: input.from, endTime: input.to, export: input.format },
    run: async ({ tx }) => {
      const filter = await resolveFilter(input);
      return chunksOf(rowsOf(tx, auditWhere(principal.accountId, filter)), input.format);
    },
    response: () => ({ export: input.format }),
  };
}
