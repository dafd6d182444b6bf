import "server-only";
// The credential report (GenerateCredentialReport / GetCredentialReport): one CSV
// line per IAM user plus the `<root_account>` line, with AWS's columns in AWS's
// order and AWS's value conventions (`N/A`, `no_information`, `not_supported`,
// times as 2026-01-02T03:04:05+00:00). Users are read in pages of REPORT_PAGE by
// keyset, so an account of 100,000 users is never loaded at once; the report
// itself is kept in CredentialReport until the next generation.
//
// Generation is a job, as in AWS: GenerateCredentialReport writes a pending row
// (no content yet) and answers STARTED; once that call has committed, the report
// is built in the background (REPORT_BUILD_DELAY_MS later) in its own
// transaction. Until then Generate answers INPROGRESS and GetCredentialReport
// ReportInProgress; afterwards COMPLETE and the CSV. A pending row older than
// REPORT_BUILD_TIMEOUT_MS (a server stopped mid-build) counts as no report.
import { transaction, type Tx } from "@/lib/db/client";
import { IamError } from "@/lib/iam/errors";
import type { OperationSpec } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";

export const CREDENTIAL_REPORT_COLUMNS = [
  "user",
  "arn",
  "user_creation_time",
  "password_enabled",
  "password_last_used",
  "password_last_changed",
  "password_next_rotation",
  "mfa_active",
  "access_key_1_active",
  "access_key_1_last_rotated",
  "access_key_1_last_used_date",
  "access_key_1_last_used_region",
  "access_key_1_last_used_service",
  "access_key_2_active",
  "access_key_2_last_rotated",
  "access_key_2_last_used_date",
  "access_key_2_last_used_region",
  "access_key_2_last_used_service",
  "cert_1_active",
  "cert_1_last_rotated",
  "cert_2_active",
  "cert_2_last_rotated",
] as const;

/** A report is served, and a new generation refused (the existing one returned), for 4 hours. */
export const REPORT_LIFETIME_MS = 4 * 60 * 60 * 1000;
const REPORT_PAGE = 500;
const DAY_MS = 24 * 60 * 60 * 1000;

/** AWS's credential-report time: ISO 8601 to the second, `+00:00`. */
export const reportTime = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "+00:00");

interface KeyFacts {
  status: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  lastUsedRegion: string | null;
  lastUsedService: string | null;
}

/** The five columns of one access key slot (the older key is key 1). */
function keyColumns(key: KeyFacts | undefined): string[] {
  if (!key) return ["false", "N/A", "N/A", "N/A", "N/A"];
  const used = key.lastUsedAt;
  return [
    key.status === "Active" ? "true" : "false",
    reportTime(key.createdAt),
    used ? reportTime(used) : "N/A",
    used && key.lastUsedRegion ? key.lastUsedRegion : "N/A",
    used && key.lastUsedService ? key.lastUsedService : "N/A",
  ];
}

/** IAM Lab has no signing certificates: both slots are always empty. */
const CERT_COLUMNS = ["false", "N/A", "false", "N/A"];

/** A CSV field: user names cannot hold commas or quotes, but a field that did would be quoted. */
const field = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const line = (cells: string[]) => cells.map(field).join(",") + "\n";

export interface UserFacts {
  name: string;
  arn: string;
  createdAt: Date;
  password: { lastUsed: Date | null; lastChanged: Date } | null;
  mfaActive: boolean;
  keys: KeyFacts[];
}

/** One user's line; maxPasswordAge (days) is the account's password policy rotation, if any. */
export function userLine(u: UserFacts, maxPasswordAge: number | null): string {
  const pw = u.password;
  const nextRotation = pw && maxPasswordAge ? reportTime(new Date(pw.lastChanged.getTime() + maxPasswordAge * DAY_MS)) : "N/A";
  const keys = [...u.keys].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  return line([
    u.name,
    u.arn,
    reportTime(u.createdAt),
    pw ? "true" : "false",
    pw ? (pw.lastUsed ? reportTime(pw.lastUsed) : "no_information") : "N/A",
    pw ? reportTime(pw.lastChanged) : "N/A",
    nextRotation,
    u.mfaActive ? "true" : "false",
    ...keyColumns(keys[0]),
    ...keyColumns(keys[1]),
    ...CERT_COLUMNS,
  ]);
}

export interface RootFacts {
  accountId: string;
  createdAt: Date;
  passwordLastUsed: Date | null;
  mfaActive: boolean;
  keys: KeyFacts[];
}

export function rootLine(r: RootFacts): string {
  const keys = [...r.keys].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  return line([
    "<root_account>",
    `arn:aws:iam::${r.accountId}:root`,
    reportTime(r.createdAt),
    "not_supported",
    r.passwordLastUsed ? reportTime(r.passwordLastUsed) : "no_information",
    "not_supported",
    "not_supported",
    r.mfaActive ? "true" : "false",
    ...keyColumns(keys[0]),
    ...keyColumns(keys[1]),
    ...CERT_COLUMNS,
  ]);
}

const KEY_FIELDS = { status: true, createdAt: true, lastUsedAt: true, lastUsedRegion: true, lastUsedService: true } as const;

/** The whole report as CSV, read page by page (users by creation time, then ID). */
export async function buildCredentialReport(tx: Tx, accountId: string): Promise<string> {
  const account = await tx.account.findUniqueOrThrow({ where: { id: accountId }, select: { createdAt: true, rootPasswordLastUsed: true } });
  const policy = await tx.passwordPolicy.findUnique({ where: { accountId }, select: { maxPasswordAge: true } });
  const [rootKeys, rootMfa] = await Promise.all([
    tx.accessKey.findMany({ where: { accountId, userId: null }, select: KEY_FIELDS }),
    tx.mfaDevice.count({ where: { accountId, forRoot: true, enabledAt: { not: null } } }),
  ]);
  const parts: string[] = [CREDENTIAL_REPORT_COLUMNS.join(",") + "\n"];
  parts.push(rootLine({ accountId, createdAt: account.createdAt, passwordLastUsed: account.rootPasswordLastUsed, mfaActive: rootMfa > 0, keys: rootKeys }));
  let after: { createdAt: Date; id: string } | null = null;
  for (;;) {
    const page: Array<{
      id: string;
      name: string;
      arn: string;
      createdAt: Date;
      loginProfile: { passwordLastUsed: Date | null; passwordLastChanged: Date } | null;
      accessKeys: KeyFacts[];
      mfaDevices: { id: string }[];
    }> = await tx.iamUser.findMany({
      where: after ? { accountId, OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] } : { accountId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: REPORT_PAGE,
      select: {
        id: true,
        name: true,
        arn: true,
        createdAt: true,
        loginProfile: { select: { passwordLastUsed: true, passwordLastChanged: true } },
        accessKeys: { select: KEY_FIELDS },
        mfaDevices: { where: { enabledAt: { not: null } }, select: { id: true }, take: 1 },
      },
    });
    let chunk = "";
    for (const u of page) {
      const pw = u.loginProfile ? { lastUsed: u.loginProfile.passwordLastUsed, lastChanged: u.loginProfile.passwordLastChanged } : null;
      chunk += userLine({ name: u.name, arn: u.arn, createdAt: u.createdAt, password: pw, mfaActive: u.mfaDevices.length > 0, keys: u.accessKeys }, policy?.maxPasswordAge ?? null);
    }
    parts.push(chunk);
    if (page.length < REPORT_PAGE) break;
    const last = page[page.length - 1]!;
    after = { createdAt: last.createdAt, id: last.id };
  }
  return parts.join("");
}

export interface GenerateCredentialReportResult {
  state: "STARTED" | "INPROGRESS" | "COMPLETE";
  description?: string;
}

/** A report being generated: its row has no content yet (a built report always has its header line). */
const PENDING = "";
/** The build starts this long after GenerateCredentialReport commits: short, yet a client sees the job in progress as in AWS. */
const REPORT_BUILD_DELAY_MS = 500;
/** A generation not finished after this long was lost (the server stopped): the next Generate starts over. */
const REPORT_BUILD_TIMEOUT_MS = 60_000;

type ReportState = "absent" | "building" | "ready" | "expired";

/** The state of a stored report (none: absent) at `at`. */
function stateOf(row: { generatedAt: Date; pending: boolean } | null, at: Date): ReportState {
  if (!row) return "absent";
  const age = at.getTime() - row.generatedAt.getTime();
  if (row.pending) return age < REPORT_BUILD_TIMEOUT_MS ? "building" : "absent";
  return age < REPORT_LIFETIME_MS ? "ready" : "expired";
}

/** The account's report state, without reading the report itself. */
async function reportState(tx: Tx, accountId: string, at: Date): Promise<ReportState> {
  const row = await tx.credentialReport.findUnique({ where: { accountId }, select: { generatedAt: true } });
  const pending = row ? (await tx.credentialReport.count({ where: { accountId, content: PENDING } })) > 0 : false;
  return stateOf(row && { generatedAt: row.generatedAt, pending }, at);
}

/** Builds the pending report started at `generatedAt`, unless a newer generation replaced it. */
async function completeCredentialReport(accountId: string, generatedAt: Date): Promise<void> {
  await transaction(async (tx) => {
    const pending = await tx.credentialReport.count({ where: { accountId, generatedAt, content: PENDING } });
    if (!pending) return;
    const content = await buildCredentialReport(tx, accountId);
    await tx.credentialReport.updateMany({ where: { accountId, generatedAt, content: PENDING }, data: { content } });
  });
}

function buildInBackground(accountId: string, generatedAt: Date): void {
  setTimeout(() => {
    completeCredentialReport(accountId, generatedAt).catch((err) => console.error(`credential report of ${accountId} could not be built:`, (err as Error)?.message));
  }, REPORT_BUILD_DELAY_MS);
}

/**
 * GenerateCredentialReport. A report younger than 4 hours is kept: COMPLETE.
 * One being built: INPROGRESS. Otherwise a new generation starts: STARTED, and
 * the report is built in the background once this call has committed.
 */
export function generateCredentialReport(principal: Principal, now: () => Date = () => new Date()): OperationSpec<GenerateCredentialReportResult> {
  const accountId = principal.accountId;
  let started: Date | undefined;
  return {
    service: "iam",
    name: "GenerateCredentialReport",
    readOnly: false,
    resource: { arn: "*" },
    async run({ tx }) {
      const at = now();
      const state = await reportState(tx, accountId, at);
      if (state === "ready") return { state: "COMPLETE" };
      if (state === "building") return { state: "INPROGRESS" };
      await tx.credentialReport.upsert({ where: { accountId }, create: { accountId, generatedAt: at, content: PENDING }, update: { generatedAt: at, content: PENDING } });
      started = at;
      return { state: "STARTED", description: "No report exists. Starting a new report generation task" };
    },
    afterCommit: () => {
      if (started) buildInBackground(accountId, started);
    },
  };
}

export interface CredentialReportResult {
  content: Uint8Array;
  reportFormat: "text/csv";
  generatedTime: Date;
}

// The three refusals in the words of AWS's API reference for GetCredentialReport.
export const reportNotPresent = () =>
  new IamError("ReportNotPresent", "The request was rejected because the credential report does not exist. To generate a credential report, use GenerateCredentialReport.");
export const reportExpired = () =>
  new IamError("ReportExpired", "The request was rejected because the most recent credential report has expired. To generate a new credential report, use GenerateCredentialReport.");
export const reportInProgress = () => new IamError("ReportInProgress", "The request was rejected because the credential report is still being generated.");

/** GetCredentialReport: the stored CSV (the Query API base64-encodes it), or AWS's refusal. */
export function getCredentialReport(principal: Principal, now: () => Date = () => new Date()): OperationSpec<CredentialReportResult> {
  const accountId = principal.accountId;
  return {
    service: "iam",
    name: "GetCredentialReport",
    readOnly: true,
    resource: { arn: "*" },
    async run({ tx }) {
      const report = await tx.credentialReport.findUnique({ where: { accountId } });
      const state = stateOf(report && { generatedAt: report.generatedAt, pending: report.content === PENDING }, now());
      if (state === "absent") throw reportNotPresent();
      if (state === "building") throw reportInProgress();
      if (state === "expired") throw reportExpired();
      return { content: Buffer.from(report!.content, "utf8"), reportFormat: "text/csv", generatedTime: report!.generatedAt };
    },
    // The report is not repeated in the audit record.
    response: (r) => ({ reportFormat: r.reportFormat, generatedTime: r.generatedTime }),
  };
}

/**
 * Waits (up to `timeoutMs`) until the account's report generation has finished:
 * the console's download does this between Generate and Get, as AWS's console
 * polls. Reads only the report's state; the report itself is read by Get.
 */
export async function waitForCredentialReport(tx: Tx, accountId: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await reportState(tx, accountId, new Date())) === "building" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}
