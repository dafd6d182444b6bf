import "server-only";
// The S3 door of the API endpoint: one REST-XML request to one catalogue
// operation. The bucket and key come from the path or the virtual host, the
// operation from the method and subresource (./router.ts), the input from the
// URI, query, headers and payload as AWS's model binds them; object bodies
// stream through the payload layer (lib/aws/s3-payload.ts: signatures, chunks,
// checksums) into the blob store before the operation runs, and GetObject
// streams back out of it. The operation runs through runOperation like every
// other door's; errors are S3's error document with the HTTP status S3 uses.
import type http from "node:http";
import { pipeline, type Readable } from "node:stream";
import { findOperation } from "@/lib/iam/catalogue";
import { IamError } from "@/lib/iam/errors";
import { runOperation } from "@/lib/iam/operation";
import type { Principal, RequestInfo } from "@/lib/iam/principal";
import { anonymousCaller } from "@/lib/s3/anonymous";
import { adaptToSchema } from "../adapt";
import { authenticateS3, s3RequestBody, type S3Caller } from "../authenticate";
import { AwsApiError, toAwsError } from "../errors";
import { MODELS, type MemberRef } from "../models";
import { parseQueryPairs, type RawRequest } from "../sigv4";
import { releaseBlobs, writeBlob, type OpenBlob, type StagedBlob } from "@/lib/s3/blob-store";
import { s3ErrorXml } from "@/lib/s3/error-xml";
import { resolveTarget, selectOperation, type S3Target } from "./router";
import { decodeXmlPayload, encodeXmlBody, malformedXml, S3_NAMESPACE } from "./xml";

const model = MODELS.s3;

/** S3's largest single PUT. */
const MAX_OBJECT_BYTES = 5 * 1024 * 1024 * 1024;
/** Configuration bodies (policies, tag sets, 1000-key deletes) are small. */
const MAX_XML_BYTES = 2 * 1024 * 1024;

/** The root element of each response body, as S3 writes it (the model leaves most unnamed). */
const ROOTS: Record<string, string> = {
  ListBuckets: "ListAllMyBucketsResult",
  ListObjects: "ListBucketResult",
  ListObjectsV2: "ListBucketResult",
  GetBucketTagging: "Tagging",
  GetObjectTagging: "Tagging",
  GetBucketAcl: "AccessControlPolicy",
  GetObjectAcl: "AccessControlPolicy",
  GetBucketCors: "CORSConfiguration",
  GetBucketLifecycleConfiguration: "LifecycleConfiguration",
  GetBucketVersioning: "VersioningConfiguration",
  GetBucketLogging: "BucketLoggingStatus",
  CreateMultipartUpload: "InitiateMultipartUploadResult",
  CompleteMultipartUpload: "CompleteMultipartUploadResult",
  ListParts: "ListPartsResult",
  ListMultipartUploads: "ListMultipartUploadsResult",
  DeleteObjects: "DeleteResult",
  ListObjectVersions: "ListVersionsResult",
  GetObjectAttributes: "GetObjectAttributesResponse",
  GetBucketNotificationConfiguration: "NotificationConfiguration",
  GetBucketRequestPayment: "RequestPaymentConfiguration",
  GetBucketAccelerateConfiguration: "AccelerateConfiguration",
};

/** Where the model's names and the catalogue's console-era input differ. */
const INPUT_ADAPTERS: Record<string, (input: Record<string, unknown>) => Record<string, unknown>> = {
  CreateBucket: ({ CreateBucketConfiguration, ...rest }) => ({ ...rest, region: (CreateBucketConfiguration as { LocationConstraint?: string } | undefined)?.LocationConstraint }),
  PutPublicAccessBlock: ({ PublicAccessBlockConfiguration, ...rest }) => ({ ...rest, configuration: PublicAccessBlockConfiguration ?? {} }),
  PutBucketLogging: ({ BucketLoggingStatus, ...rest }) => ({ ...rest, loggingEnabled: (BucketLoggingStatus as { LoggingEnabled?: unknown } | undefined)?.LoggingEnabled ?? null }),
  DeleteObjects: ({ Delete, ...rest }) => {
    const d = (Delete ?? {}) as { Objects?: { Key?: string }[]; Quiet?: boolean };
    return { ...rest, keys: (d.Objects ?? []).map((o) => o.Key ?? ""), quiet: d.Quiet };
  },
};

export interface S3DoorRequest {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  raw: RawRequest;
  requestId: string;
  now: Date;
  /** The caller's address and protocol (the handler resolves trusted proxies). */
  client: { ip: string | undefined; proto: string };
}

const header = (raw: RawRequest, name: string) => raw.headers[name]?.[0];

/** The request's query string, decoded. */
const queryOf = (raw: RawRequest) => new Map(parseQueryPairs(raw.query));

/** Reads a small body (XML or a policy) through the payload layer, refusing more than `max` bytes. */
async function readSmall(body: Readable, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > max) throw new AwsApiError("MaxMessageLengthExceeded", "Your request was too big.", 400);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function scalarFrom(ref: MemberRef, value: string): unknown {
  const shape = model.shapes[ref.shape]!;
  switch (shape.type) {
    case "integer":
    case "long": {
      const n = Number(value);
      if (!/^-?\d+$/.test(value.trim())) throw new AwsApiError("InvalidArgument", `Provided ${ref.locationName ?? ref.shape} not an integer or within integer range`, 400);
      return n;
    }
    case "boolean":
      return value.toLowerCase() === "true";
    case "timestamp": {
      const d = new Date(value);
      return Number.isNaN(d.getTime()) ? undefined : d;
    }
    default:
      return value;
  }
}

interface Decoded {
  input: Record<string, unknown>;
  staged?: StagedBlob;
}

/** The operation's input from the URI, query, headers and payload, as the model binds them. */
async function decodeRequest(name: string, door: S3DoorRequest, target: S3Target, query: Map<string, string>, caller: S3Caller): Promise<Decoded> {
  const op = model.operations[name]!;
  const shape = op.input ? model.shapes[op.input.shape]! : { type: "structure" as const, members: {} };
  const input: Record<string, unknown> = {};
  let staged: StagedBlob | undefined;
  for (const [member, ref] of Object.entries(shape.members ?? {})) {
    const where = ref.locationName ?? member;
    if (ref.location === "uri") {
      const v = member === "Bucket" ? target.bucket : member === "Key" ? target.key : undefined;
      if (v !== undefined) input[member] = v;
    } else if (ref.location === "querystring") {
      const v = query.get(where);
      if (v !== undefined) input[member] = scalarFrom(ref, v);
    } else if (ref.location === "header") {
      const v = header(door.raw, where.toLowerCase());
      if (v !== undefined && !(member === "ContentLength")) input[member] = scalarFrom(ref, v);
    } else if (ref.location === "headers") {
      const prefix = where.toLowerCase();
      const map: Record<string, string> = {};
      for (const [h, values] of Object.entries(door.raw.headers)) if (h.startsWith(prefix)) map[h.slice(prefix.length)] = values.join(",");
      if (Object.keys(map).length) input[member] = map;
    }
  }
  const payloadName = shape.payload;
  const payloadRef = payloadName ? shape.members![payloadName]! : undefined;
  if (payloadName && payloadRef) {
    const payloadShape = model.shapes[payloadRef.shape]!;
    const body = s3RequestBody(door.req, door.raw.headers, caller, { md5: payloadShape.type === "blob" && (payloadRef.streaming || payloadShape.streaming) });
    if (payloadShape.type === "blob" && (payloadRef.streaming || payloadShape.streaming)) {
      const declared = header(door.raw, "x-amz-decoded-content-length") ?? header(door.raw, "content-length");
      staged = await writeBlob(body, { maxBytes: MAX_OBJECT_BYTES, ...(declared !== undefined && /^\d+$/.test(declared) ? { expectedLength: Number(declared) } : {}) });
      input[payloadName] = staged;
    } else {
      const bytes = await readSmall(body, MAX_XML_BYTES);
      if (payloadShape.type === "structure") {
        if (bytes.length > 0 || shape.required?.includes(payloadName)) input[payloadName] = decodeXmlPayload(model, payloadRef.shape, payloadRef.locationName ?? payloadName, bytes.toString("utf8"));
      } else if (bytes.length > 0) input[payloadName] = bytes.toString("utf8");
    }
  } else {
    door.req.resume();
  }
  return { input, staged };
}

/** An S3 validation failure in S3's words. */
function invalidArgument(error: { issues: { path: PropertyKey[]; message: string }[] }, payload: string | undefined): AwsApiError {
  const issue = error.issues[0]!;
  // A configuration body without a member its schema requires: S3 says the XML does not validate.
  if (payload && issue.path.length > 1 && String(issue.path[0]).toLowerCase() === payload.toLowerCase()) return malformedXml();
  const field = issue.path.map(String).join(".");
  return new AwsApiError(field === "bucket" || field === "key" ? "InvalidRequest" : "InvalidArgument", `${field ? `${field}: ` : ""}${issue.message}`, 400);
}

/** Header values from the output's header-bound members. */
function responseHeaders(name: string, result: Record<string, unknown>): http.OutgoingHttpHeaders {
  const op = model.operations[name]!;
  const out: http.OutgoingHttpHeaders = {};
  if (!op.output) return out;
  for (const [member, ref] of Object.entries(model.shapes[op.output.shape]!.members ?? {})) {
    const v = result[member];
    if (v === undefined || v === null) continue;
    if (ref.location === "header") {
      const shape = model.shapes[ref.shape]!;
      out[(ref.locationName ?? member).toLowerCase()] = shape.type === "timestamp" && v instanceof Date ? v.toUTCString() : String(v);
    } else if (ref.location === "headers" && typeof v === "object") {
      for (const [k, val] of Object.entries(v as Record<string, string>)) out[`${(ref.locationName ?? member).toLowerCase()}${k.toLowerCase()}`] = String(val);
    }
  }
  return out;
}

function finish(door: S3DoorRequest, status: number, headers: http.OutgoingHttpHeaders, body?: string | Readable): void {
  const { res, req } = door;
  const common = { "x-amz-request-id": door.requestId, "x-amz-id-2": Buffer.from(door.requestId).toString("base64"), server: "IAMLab" };
  if (body === undefined || typeof body === "string" || req.method === "HEAD") {
    const text = typeof body === "string" ? body : "";
    const length = headers["content-length"] ?? Buffer.byteLength(text);
    res.writeHead(status, { ...common, ...(text ? { "content-type": "application/xml" } : {}), ...headers, "content-length": length });
    if (typeof body !== "string" && body) body.destroy();
    res.end(req.method === "HEAD" ? undefined : text);
    return;
  }
  res.writeHead(status, { ...common, ...headers });
  // pipeline, not pipe: a client that goes away mid-body also closes the blob's file, not only the socket.
  pipeline(body, res, (err) => err && res.destroy());
}

/** Writes the operation's result as S3 answers it. */
function answer(door: S3DoorRequest, name: string, result: unknown): void {
  const op = model.operations[name]!;
  const r = (result ?? {}) as Record<string, unknown>;
  const headers = responseHeaders(name, r);
  const status = op.http.responseCode ?? 200;
  if (name === "GetBucketLocation") {
    const lc = r.LocationConstraint as string | null | undefined;
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="${S3_NAMESPACE}">${lc ?? ""}</LocationConstraint>`;
    return finish(door, 200, headers, body);
  }
  if (name === "GetObject" || name === "HeadObject") {
    headers["accept-ranges"] = "bytes";
    headers["content-type"] = String(r.ContentType ?? "binary/octet-stream");
    headers["content-length"] = String(r.ContentLength ?? 0);
    if (typeof r.TagCount === "number" && r.TagCount > 0) headers["x-amz-tagging-count"] = String(r.TagCount);
    else delete headers["x-amz-tagging-count"];
    const ranged = typeof r.ContentRange === "string";
    if (name === "HeadObject") return finish(door, ranged ? 206 : 200, headers);
    const blob = r.Body as OpenBlob;
    const range = r.Range as { start: number; end: number } | undefined;
    return finish(door, range ? 206 : 200, headers, blob.stream(range?.start, range?.end));
  }
  if (!op.output) return finish(door, status, headers);
  const out = model.shapes[op.output.shape]!;
  if (out.payload) {
    const ref = out.members![out.payload]!;
    const value = r[out.payload];
    if (model.shapes[ref.shape]!.type !== "structure") return finish(door, status, headers, value === undefined ? "" : String(value));
    return finish(door, status, headers, encodeXmlBody(model, ref.shape, ref.locationName ?? out.payload, value));
  }
  const hasBody = Object.values(out.members ?? {}).some((ref) => !ref.location);
  if (!hasBody) return finish(door, status, headers);
  return finish(door, status, headers, encodeXmlBody(model, op.output.shape, ROOTS[name] ?? `${name}Result`, r));
}

/** The resource an error names: /bucket/key as the client asked. */
const resourceOf = (target: S3Target) => (target.bucket ? `/${target.bucket}${target.key !== undefined ? `/${target.key}` : ""}` : "/");

/** Serves one S3 request; never throws. */
export async function serveS3(door: S3DoorRequest): Promise<void> {
  const target = resolveTarget(door.raw.path, header(door.raw, "host"));
  let staged: StagedBlob | undefined;
  try {
    const query = queryOf(door.raw);
    const name = selectOperation(door.raw.method, target, query, door.raw.headers);
    if (!name) throw new AwsApiError("MethodNotAllowed", "The specified method is not allowed against this resource.", 405);
    const caller = await authenticateS3(door.raw, door.now);
    const entry = findOperation("s3", name);
    if (!entry) {
      door.req.resume();
      throw new AwsApiError("NotImplemented", `A header or query you provided implies functionality that is not implemented: IAM Lab does not implement s3:${name}.`, 501);
    }
    const decoded = await decodeRequest(name, door, target, query, caller);
    staged = decoded.staged;
    const adapted = (INPUT_ADAPTERS[name] ?? ((x) => x))(decoded.input);
    const parsed = entry.input.safeParse(adaptToSchema(adapted, entry.input));
    if (!parsed.success) throw invalidArgument(parsed.error, model.operations[name]!.input ? model.shapes[model.operations[name]!.input!.shape]!.payload : undefined);
    // Unsigned: the anonymous principal, which only a public bucket policy can let through.
    const principal = caller.auth ? caller.auth.principal : await anonymousCaller(target.bucket);
    const request: RequestInfo = {
      via: "api",
      sourceIp: door.client.ip,
      userAgent: header(door.raw, "user-agent"),
      secureTransport: door.client.proto === "https",
      region: caller.signature?.region ?? "us-east-1",
      requestId: door.requestId,
    };
    // S3's builders read only what every caller has (account, organization, ARN), so the anonymous caller passes through them.
    const spec = entry.operation(parsed.data, principal as Principal);
    const sig = caller.signature;
    const context = {
      ...spec.context,
      ...(sig ? { "s3:authType": sig.kind === "query" ? "REST-QUERY-STRING" : "REST-HEADER", "s3:signatureversion": "AWS4-HMAC-SHA256" } : {}),
      ...(header(door.raw, "x-amz-content-sha256") ? { "s3:x-amz-content-sha256": header(door.raw, "x-amz-content-sha256")! } : {}),
    };
    const result = await runOperation({ ...spec, context, principal, request });
    staged = undefined;
    answer(door, name, result);
  } catch (err) {
    if (staged) releaseBlobs([staged.blobId]);
    const e = toAwsError(err);
    if (e.code === "InternalFailure" && !(err instanceof AwsApiError) && !(err instanceof IamError)) console.error(`IAM Lab API: s3 request ${door.requestId} failed:`, (err as Error)?.stack ?? err);
    const close = ["RequestTimeout", "IncompleteBody", "MaxMessageLengthExceeded", "EntityTooLarge"].includes(e.code) || !door.req.complete;
    if (door.res.headersSent) return void door.res.destroy();
    const noBody = e.status === 304 || door.req.method === "HEAD";
    const body = noBody ? "" : s3ErrorXml({ code: e.code, message: e.message, requestId: door.requestId, resource: resourceOf(target) });
    door.res.writeHead(e.status, {
      "x-amz-request-id": door.requestId,
      "x-amz-id-2": Buffer.from(door.requestId).toString("base64"),
      ...(body ? { "content-type": "application/xml" } : {}),
      "content-length": Buffer.byteLength(body),
      ...(close ? { connection: "close" } : {}),
    });
    door.res.end(body);
    if (close) door.req.unpipe?.();
  }
}
