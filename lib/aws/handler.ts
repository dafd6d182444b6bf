import "server-only";
// The AWS-compatible endpoint's HTTP handler: one endpoint for every service,
// the service taken from the SigV4 credential scope. A request is parsed,
// authenticated (SigV4 against the access key's secret), and dispatched by
// protocol: Query (IAM, STS) here; S3's REST-XML in ./s3/door.ts. Every
// answer carries AWS's request ID headers and a Date.
import crypto from "node:crypto";
import type http from "node:http";
import type { RequestInfo } from "@/lib/iam/principal";
import { parseTrustedProxies, resolveClient, type TrustedProxies } from "@/lib/server/client-address";
import { lookupCredentials, recordKeyUse } from "./authenticate";
import { dispatchQuery, errorAnswer, resolveAction, type QueryService } from "./dispatch";
import { AwsApiError, MESSAGES, toAwsError } from "./errors";
import { checkRequestTime, headersFromRaw, parseSignature, type RawRequest, verifyRequest } from "./sigv4";
import { parseForm } from "./query";
import { s3ErrorXml } from "@/lib/s3/error-xml";
import { serveS3 } from "./s3/door";
import { serveIssuerDiscovery } from "./outbound-discovery";
import { recordFailedAuthentication } from "@/lib/sts/failed-authentication";
import { unsignedStsCaller } from "@/lib/sts/federated-role-session";

export interface ApiHandlerOptions {
  /** IAMLAB_TRUSTED_PROXIES: whose X-Forwarded-For/-Proto are believed. */
  trustedProxies?: TrustedProxies | string;
  /** Largest Query request body (IAM's largest parameters are policy documents of 128 KiB). */
  maxQueryBodyBytes?: number;
  /** A body that stops arriving this long is answered RequestTimeout. */
  bodyIdleMs?: number;
  /** The server's clock (tests). */
  now?: () => Date;
}

const QUERY_SERVICES = new Set(["iam", "sts"]);
/** STS actions AWS answers without a signature (the caller proves itself with a token). */
const UNSIGNED_STS_ACTIONS = new Set(["AssumeRoleWithSAML", "AssumeRoleWithWebIdentity"]);
/** Authentication failures written to the key's account's event history (lib/sts/failed-authentication.ts). */
const FAILED_AUTHENTICATION = new Set(["InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken"]);
/** An unsigned request names no region: STS's global endpoint's. */
const DEFAULT_REGION = "us-east-1";

type Reply = { status: number; body: string; contentType: string; close?: boolean };

function send(res: http.ServerResponse, requestId: string, reply: Reply): void {
  if (res.headersSent) return void res.end();
  const headers: http.OutgoingHttpHeaders = {
    "content-type": reply.contentType,
    "content-length": Buffer.byteLength(reply.body),
    "x-amzn-requestid": requestId,
  };
  if (reply.contentType === "application/xml") headers["x-amz-request-id"] = requestId;
  if (reply.close) headers.connection = "close";
  res.writeHead(reply.status, headers);
  res.end(reply.body);
}

const queryReply = (service: QueryService, err: unknown, requestId: string, close = false): Reply => ({ ...errorAnswer(service, err, requestId), contentType: "text/xml", close });

/** Reads a whole (small) body, refusing more than `max` bytes and bodies that stall. */
function readBody(req: http.IncomingMessage, max: number, idleMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = req.headers["content-length"];
    if (declared !== undefined && Number(declared) > max) {
      reject(new AwsApiError("RequestEntityTooLarge", `Request body must be at most ${max} bytes; Content-Length says ${declared}.`, 413));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let timer = setTimeout(stalled, idleMs);
    function stalled() {
      cleanup();
      reject(new AwsApiError("RequestTimeout", "Your socket connection to the server was not read from or written to within the timeout period.", 400));
    }
    function cleanup() {
      clearTimeout(timer);
      req.off("data", onData).off("end", onEnd).off("error", onError).off("aborted", onAborted);
    }
    function onData(chunk: Buffer) {
      size += chunk.length;
      if (size > max) {
        cleanup();
        reject(new AwsApiError("RequestEntityTooLarge", `Request body must be at most ${max} bytes.`, 413));
        return;
      }
      chunks.push(chunk);
      clearTimeout(timer);
      timer = setTimeout(stalled, idleMs);
    }
    function onEnd() {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    }
    function onError(err: Error) {
      cleanup();
      reject(new AwsApiError("IncompleteBody", `The request body could not be read: ${err.message}`, 400));
    }
    function onAborted() {
      cleanup();
      reject(new AwsApiError("IncompleteBody", "The client closed the connection before sending the whole body.", 400));
    }
    req.on("data", onData).on("end", onEnd).on("error", onError).on("aborted", onAborted);
  });
}

export function createApiHandler(options: ApiHandlerOptions = {}) {
  const trusted = typeof options.trustedProxies === "string" || options.trustedProxies === undefined ? parseTrustedProxies(options.trustedProxies) : options.trustedProxies;
  const maxBody = options.maxQueryBodyBytes ?? 1024 * 1024;
  const idleMs = options.bodyIdleMs ?? 20_000;
  const clock = options.now ?? (() => new Date());

  return async function apiHandler(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const requestId = crypto.randomUUID();
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const raw: RawRequest = {
      method: req.method ?? "GET",
      path: q < 0 ? url : url.slice(0, q),
      query: q < 0 ? "" : url.slice(q + 1),
      headers: headersFromRaw(req.rawHeaders),
    };
    // Which protocol answers: the signed service, else the request's look.
    let service = "iam";
    // What a failed authentication is recorded with (the key presented, the action asked for).
    let attempt: { accessKeyId: string; region: string; action?: string } | undefined;
    let info: ((region: string) => RequestInfo) | undefined;
    try {
      if (await serveIssuerDiscovery(req, res, raw.path, requestId)) return;
      let sig;
      try {
        sig = parseSignature(raw);
      } catch (err) {
        service = guessService(raw);
        throw err;
      }
      service = sig?.service ?? guessService(raw);
      if (service === "s3") {
        const client = resolveClient(req.socket.remoteAddress, Boolean((req.socket as { encrypted?: boolean }).encrypted), req.headers, trusted);
        await serveS3({ req, res, raw, requestId, now: clock(), client });
        return;
      }
      if (!QUERY_SERVICES.has(service)) {
        req.resume();
        throw new AwsApiError("NotImplemented", `IAM Lab serves IAM, STS and S3; '${service.slice(0, 64)}' is not one of them.`, 501);
      }
      const body = await readBody(req, maxBody, idleMs);
      const contentType = (raw.headers["content-type"]?.[0] ?? "").toLowerCase();
      const params = parseForm(raw.query);
      if (body.length && (contentType === "" || contentType.startsWith("application/x-www-form-urlencoded"))) {
        const fromBody = parseForm(body.toString("utf8"));
        for (const [k, v] of fromBody) params.set(k, v);
      }
      for (const k of [...params.keys()]) if (k.startsWith("X-Amz-")) params.delete(k);

      const now = clock();
      const client = resolveClient(req.socket.remoteAddress, Boolean((req.socket as { encrypted?: boolean }).encrypted), req.headers, trusted);
      info = (region: string): RequestInfo => ({
        via: "api",
        sourceIp: client.ip,
        userAgent: raw.headers["user-agent"]?.[0],
        secureTransport: client.proto === "https",
        region,
        requestId,
      });
      if (!sig) {
        // AssumeRoleWithWebIdentity / AssumeRoleWithSAML: the token in the request is the credential.
        const action = params.get("Action");
        if (!action || !UNSIGNED_STS_ACTIONS.has(action)) throw new AwsApiError("MissingAuthenticationToken", MESSAGES.missingToken, 403);
        service = "sts";
        resolveAction("sts", params);
        const caller = await unsignedStsCaller(params.get("RoleArn"));
        if (!caller) throw new AwsApiError("AccessDenied", `Not authorized to perform sts:${action}`, 403);
        const answer = await dispatchQuery("sts", params, caller, info(DEFAULT_REGION));
        send(res, requestId, { ...answer, contentType: "text/xml" });
        return;
      }
      checkRequestTime(sig, now);
      attempt = { accessKeyId: sig.accessKeyId, region: sig.region, action: params.get("Action") };
      const auth = await lookupCredentials(sig.accessKeyId, sig.securityToken, false, now);
      verifyRequest(raw, sig, auth.secretAccessKey, body);
      attempt = undefined;
      await recordKeyUse(auth, service, sig.region, now);
      const answer = await dispatchQuery(service as QueryService, params, auth.principal, info(sig.region));
      send(res, requestId, { ...answer, contentType: "text/xml" });
    } catch (err) {
      const e = toAwsError(err);
      if (attempt && info && FAILED_AUTHENTICATION.has(e.code) && (service === "iam" || service === "sts"))
        await recordFailedAuthentication({ ...attempt, service, request: info(attempt.region), errorCode: e.code, errorMessage: e.message }).catch((auditErr) =>
          console.error(`IAM Lab API: the failed authentication of request ${requestId} could not be recorded:`, (auditErr as Error)?.message),
        );
      const close = e.code === "RequestEntityTooLarge" || e.code === "RequestTimeout" || e.code === "IncompleteBody";
      if (service === "s3") send(res, requestId, { status: e.status, body: s3ErrorXml({ code: e.code, message: e.message, requestId }), contentType: "application/xml", close });
      else send(res, requestId, queryReply(QUERY_SERVICES.has(service) ? (service as QueryService) : "iam", e, requestId, close));
      if (close) req.resume();
    }
  };
}

/** An unsigned (or unparseable) request's service: a form with Action is IAM or STS; anything else S3. */
function guessService(raw: RawRequest): string {
  const contentType = raw.headers["content-type"]?.[0] ?? "";
  const action = /(?:^|&)Action=([^&]*)/.exec(raw.query)?.[1];
  if (action && UNSIGNED_STS_ACTIONS.has(action)) return "sts";
  if (action || (raw.method === "POST" && raw.path === "/" && contentType.startsWith("application/x-www-form-urlencoded"))) return "iam";
  return "s3";
}
