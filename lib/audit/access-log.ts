import "server-only";
// S3 server access logging: every request to a bucket with logging enabled
// (Bucket.loggingTargetBucket/Prefix, set by PutBucketLogging), from the console
// or the API, becomes one line in AWS's server access log format. Lines are
// batched per target and delivered as a log object
// (TargetPrefixYYYY-mm-DD-HH-MM-SS-UNIQUE) every minute or every 100 lines,
// written with lib/s3's own PutObject (as the log delivery service: no caller's
// permissions apply), best effort like S3's own delivery.
import crypto from "node:crypto";
import { db, transaction } from "@/lib/db/client";
import { IamError } from "@/lib/iam/errors";
import type { Operation } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";
import { putObject } from "@/lib/s3/objects";
import { s3TargetOf } from "./data-events";

export const LINES_PER_LOG_OBJECT = 100;
export const FLUSH_EVERY_MS = 60_000;

/** S3's operation field: REST.<HTTP method>.<resource kind>. */
const OPERATIONS: Record<string, string> = {
  GetObject: "REST.GET.OBJECT",
  HeadObject: "REST.HEAD.OBJECT",
  PutObject: "REST.PUT.OBJECT",
  CopyObject: "REST.COPY.OBJECT",
  DeleteObject: "REST.DELETE.OBJECT",
  DeleteObjects: "REST.POST.MULTI_OBJECT_DELETE",
  ListObjectsV2: "REST.GET.BUCKET",
  ListObjects: "REST.GET.BUCKET",
  CreateBucket: "REST.PUT.BUCKET",
  DeleteBucket: "REST.DELETE.BUCKET",
  HeadBucket: "REST.HEAD.BUCKET",
  GetBucketLocation: "REST.GET.LOCATION",
  GetBucketPolicy: "REST.GET.BUCKETPOLICY",
  PutBucketPolicy: "REST.PUT.BUCKETPOLICY",
  DeleteBucketPolicy: "REST.DELETE.BUCKETPOLICY",
  GetBucketLogging: "REST.GET.LOGGING_STATUS",
  PutBucketLogging: "REST.PUT.LOGGING_STATUS",
  GetPublicAccessBlock: "REST.GET.PUBLIC_ACCESS_BLOCK",
  PutPublicAccessBlock: "REST.PUT.PUBLIC_ACCESS_BLOCK",
  CreateMultipartUpload: "REST.POST.UPLOADS",
  UploadPart: "REST.PUT.PART",
  CompleteMultipartUpload: "REST.POST.UPLOAD",
  AbortMultipartUpload: "REST.DELETE.UPLOAD",
};

export function operationField(name: string): string {
  if (OPERATIONS[name]) return OPERATIONS[name];
  const m = /^(Get|Put|Delete|Head|List)(Bucket|Object)?(.*)$/.exec(name);
  const method = m ? ({ Get: "GET", List: "GET", Put: "PUT", Delete: "DELETE", Head: "HEAD" } as const)[m[1] as "Get"] : "POST";
  return `REST.${method}.${(m?.[3] || m?.[2] || name).replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase()}`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const two = (n: number) => String(n).padStart(2, "0");
/** [06/Feb/2019:00:00:38 +0000] */
export const logTime = (d: Date) =>
  `[${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000]`;

export interface AccessRecord {
  bucketOwner: string;
  bucket: string;
  time: Date;
  remoteIp: string | undefined;
  requester: string | undefined;
  requestId: string;
  operation: string;
  key: string | undefined;
  requestUri: string;
  httpStatus: number;
  errorCode: string | undefined;
  bytesSent: number | undefined;
  objectSize: number | undefined;
  totalTimeMs: number;
  userAgent: string | undefined;
  signatureVersion: string | undefined;
  authType: string | undefined;
  host: string;
}

const field = (v: string | number | undefined | null) => (v === undefined || v === null || v === "" ? "-" : String(v));
const quoted = (v: string | undefined) => (v ? `"${v.replace(/"/g, '\\"')}"` : "-");

/** One line in S3's server access log format (fields in AWS's order; unknown ones "-"). */
export function accessLogLine(r: AccessRecord): string {
  return [
    r.bucketOwner,
    r.bucket,
    logTime(r.time),
    field(r.remoteIp),
    field(r.requester),
    r.requestId,
    r.operation,
    field(r.key === undefined ? undefined : encodeURIComponent(r.key).replace(/%2F/g, "/")),
    quoted(r.requestUri),
    String(r.httpStatus),
    field(r.errorCode),
    field(r.bytesSent),
    field(r.objectSize),
    String(r.totalTimeMs),
    "-", // turn-around time
    "-", // referer
    quoted(r.userAgent),
    "-", // version id
    crypto.createHash("sha256").update(r.requestId).digest("base64").slice(0, 32), // host id
    field(r.signatureVersion),
    "-", // cipher suite
    field(r.authType),
    r.host,
    "-", // TLS version
    "-", // access point ARN
    "-", // ACL required
  ].join(" ");
}

// ---------------------------------------------------------------------------
// Batching and delivery

interface Pending {
  targetBucket: string;
  targetPrefix: string;
  lines: string[];
}

const pending = new Map<string, Pending>();
const inFlight = new Set<Promise<unknown>>();
let timer: NodeJS.Timeout | undefined;

/** The logging service writes log objects: a principal of the target bucket's account, never a caller's. */
const deliveryPrincipal = (accountId: string, organizationId: string): Principal =>
  ({ type: "Root", accountId, organizationId, arn: "arn:aws:iam::aws:logging.s3.amazonaws.com", principalId: "logging.s3.amazonaws.com", mfaAuthenticated: false }) as Principal;

async function deliver(batch: Pending): Promise<void> {
  const now = new Date();
  const stamp = `${now.getUTCFullYear()}-${two(now.getUTCMonth() + 1)}-${two(now.getUTCDate())}-${two(now.getUTCHours())}-${two(now.getUTCMinutes())}-${two(now.getUTCSeconds())}`;
  const key = `${batch.targetPrefix}${stamp}-${crypto.randomBytes(8).toString("hex").toUpperCase()}`;
  const target = await db().bucket.findUnique({ where: { name: batch.targetBucket }, select: { accountId: true, organizationId: true } });
  if (!target) return; // the target bucket is gone: S3 drops the logs too
  const spec = putObject(deliveryPrincipal(target.accountId, target.organizationId), {
    bucket: batch.targetBucket,
    key,
    body: new TextEncoder().encode(batch.lines.join("\n") + "\n"),
    contentType: "text/plain",
  });
  await transaction(async (tx) => {
    if (typeof spec.resource === "function") await spec.resource(tx);
    await spec.run({ tx, principal: deliveryPrincipal(target.accountId, target.organizationId), request: { via: "api", secureTransport: true, region: "us-east-1", requestId: crypto.randomUUID() }, authorize: async () => {} });
  });
}

function track<T>(p: Promise<T>): Promise<T> {
  inFlight.add(p);
  void p.finally(() => inFlight.delete(p));
  return p;
}

function takeBatch(key: string): void {
  const batch = pending.get(key);
  if (!batch || batch.lines.length === 0) return;
  pending.delete(key);
  void track(deliver(batch).catch((err) => console.error(`server access log delivery to ${batch.targetBucket} failed:`, (err as Error)?.message)));
}

/** Delivers every waiting batch now (tests, shutdown) and waits for the deliveries. */
export async function flushAccessLogs(): Promise<void> {
  while (inFlight.size) await Promise.allSettled([...inFlight]);
  for (const key of [...pending.keys()]) takeBatch(key);
  while (inFlight.size) await Promise.allSettled([...inFlight]);
}

function enqueue(targetBucket: string, targetPrefix: string, line: string): void {
  const key = `${targetBucket}\n${targetPrefix}`;
  const batch = pending.get(key) ?? { targetBucket, targetPrefix, lines: [] };
  batch.lines.push(line);
  pending.set(key, batch);
  if (batch.lines.length >= LINES_PER_LOG_OBJECT) takeBatch(key);
  timer ??= setInterval(() => {
    for (const k of [...pending.keys()]) takeBatch(k);
  }, FLUSH_EVERY_MS).unref();
}

const REST_METHOD = (operation: string) => operation.split(".")[1] ?? "GET";

type BucketLogging = { accountId: string; loggingTargetBucket: string | null; loggingTargetPrefix: string | null } | null;
/**
 * Each bucket's logging configuration, remembered for a second, so a busy
 * bucket costs one lookup a second instead of one a request. This server's
 * own PutBucketLogging and DeleteBucket forget it once committed; another
 * server's change is seen within a second (S3, too, applies a logging change
 * after a while).
 */
const LOGGING_TTL_MS = 1000;
const loggingCache = new Map<string, { at: number; row: BucketLogging }>();
const CHANGES_LOGGING = new Set(["PutBucketLogging", "DeleteBucket"]);

async function bucketLogging(name: string, changed: boolean): Promise<BucketLogging> {
  const cached = loggingCache.get(name);
  if (cached && !changed && Date.now() - cached.at < LOGGING_TTL_MS) return cached.row;
  const at = Date.now();
  const row = await db().bucket.findUnique({ where: { name }, select: { accountId: true, loggingTargetBucket: true, loggingTargetPrefix: true } });
  if (loggingCache.size > 10_000) loggingCache.clear();
  loggingCache.set(name, { at, row });
  return row;
}

/**
 * Called by the pipeline after every S3 operation (allowed, refused or failed):
 * when the bucket has logging on, the request becomes a log line. Never throws.
 */
export function noteS3Access(op: Operation<unknown>, outcome: { resourceArn?: string; error?: unknown; startedAt: number }): void {
  if (op.service !== "s3") return;
  const target = s3TargetOf(outcome.resourceArn) ?? bucketOfParameters(op.parameters);
  if (!target) return;
  void track(
    (async () => {
      const bucket = await bucketLogging(target.bucket, CHANGES_LOGGING.has(op.name) && !outcome.error);
      if (!bucket?.loggingTargetBucket) return;
      const operation = operationField(op.name);
      const err = outcome.error;
      const known = err instanceof IamError ? err : null;
      const key = target.key || undefined;
      const size = (op.parameters as { "Content-Length"?: number } | undefined)?.["Content-Length"];
      const line = accessLogLine({
        bucketOwner: bucket.accountId,
        bucket: target.bucket,
        time: new Date(outcome.startedAt),
        remoteIp: op.request.sourceIp,
        requester: op.principal.arn,
        requestId: op.request.requestId,
        operation,
        key,
        requestUri: `${REST_METHOD(operation)} /${target.bucket}${key ? `/${encodeURIComponent(key).replace(/%2F/g, "/")}` : ""} HTTP/1.1`,
        httpStatus: err ? (known?.status ?? 500) : op.name.startsWith("Delete") && op.name !== "DeleteObjects" ? 204 : 200,
        errorCode: err ? (known?.code ?? "InternalError") : undefined,
        bytesSent: undefined,
        objectSize: typeof size === "number" ? size : undefined,
        totalTimeMs: Math.max(0, Date.now() - outcome.startedAt),
        userAgent: op.request.userAgent,
        signatureVersion: op.principal.accessKeyId ? "SigV4" : undefined,
        authType: op.principal.accessKeyId ? "AuthHeader" : undefined,
        host: "s3.us-east-1.amazonaws.com",
      });
      enqueue(bucket.loggingTargetBucket, bucket.loggingTargetPrefix ?? "", line);
    })().catch((e) => console.error("server access log line could not be written:", (e as Error)?.message)),
  );
}

function bucketOfParameters(parameters: unknown): { bucket: string; key: string } | null {
  const p = parameters as { bucketName?: unknown; key?: unknown } | undefined;
  return typeof p?.bucketName === "string" && p.bucketName ? { bucket: p.bucketName, key: typeof p.key === "string" ? p.key : "" } : null;
}
