import "server-only";
// One Query request (IAM, STS) to one catalogue operation: the model says what
// the action takes and returns, the catalogue runs it through the same gate,
// change and audit as the console (runOperation), and the answer is AWS's XML.
// Operations AWS has that the catalogue does not serve answer NotImplemented in
// AWS's error shape; actions AWS does not have, InvalidAction.
import type { z } from "zod";
import { findOperation } from "@/lib/iam/catalogue";
import { runOperation } from "@/lib/iam/operation";
import type { Caller, Principal, RequestInfo } from "@/lib/iam/principal";
import { adaptToSchema, shapeKeys } from "./adapt";
import { AwsApiError, toAwsError } from "./errors";
import { MODELS, operationModel, type ApiService } from "./models";
import { decodeInput, encodeError, encodeResponse } from "./query";

export type QueryService = Extract<ApiService, "iam" | "sts">;

export interface QueryAnswer {
  status: number;
  body: string;
  /** The error code, for logs and the handler's metrics. */
  code?: string;
}

/** The model operation named by Action (and Version), or AWS's refusal. */
export function resolveAction(service: QueryService, params: Map<string, string>): string {
  const action = params.get("Action");
  const version = MODELS[service].metadata.apiVersion;
  if (!action) throw new AwsApiError("MissingAction", "Missing Action", 400);
  const given = params.get("Version");
  if (!operationModel(service, action) || (given !== undefined && given !== version)) {
    throw new AwsApiError("InvalidAction", `Could not find operation ${action.slice(0, 128)} for version ${(given ?? version).slice(0, 32)}`, 400);
  }
  return action;
}

const PREFIX = "1 validation error detected: ";

/** zod's refusal in AWS's ValidationError words ("2 validation errors detected: ...; ..."). */
export function validationError(error: z.ZodError): AwsApiError {
  const parts = error.issues.map((issue) => {
    const field = issue.path.map(String).join(".") || "input";
    if (issue.message.startsWith(PREFIX)) return issue.message.slice(PREFIX.length);
    if (issue.code === "invalid_type" && (issue as { input?: unknown }).input === undefined) return `Value null at '${field}' failed to satisfy constraint: Member must not be null`;
    return null;
  });
  if (parts.every((p) => p !== null)) {
    const unique = [...new Set(parts)];
    const n = unique.length;
    return new AwsApiError("ValidationError", `${n} validation error${n === 1 ? "" : "s"} detected: ${unique.join("; ")}`, 400);
  }
  return new AwsApiError("ValidationError", error.issues[0]!.message, 400);
}

/** The catalogue's input for a Query request: AWS's names decoded, then renamed to the schema's. */
export function catalogueInput(service: QueryService, action: string, params: Map<string, string>, schema: z.ZodType): unknown {
  const model = MODELS[service];
  const decoded = decodeInput(model, model.operations[action]!.input?.shape, params);
  const input = adaptToSchema(decoded, schema) as Record<string, unknown>;
  // The console pages by 50; AWS's MaxItems defaults to 100.
  if (decoded.MaxItems === undefined && shapeKeys(schema).includes("pageSize")) input.pageSize = 100;
  return input;
}

/** Operations an unsigned (anonymous) caller may reach: their builders take any caller. */
const UNSIGNED_OPERATIONS = new Set(["sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"]);

/** Runs one Query request for an authenticated principal (or an unsigned STS federation call); never throws. */
export async function dispatchQuery(service: QueryService, params: Map<string, string>, principal: Caller, request: RequestInfo): Promise<QueryAnswer> {
  const model = MODELS[service];
  try {
    const action = resolveAction(service, params);
    if (principal.type === "Anonymous" && !UNSIGNED_OPERATIONS.has(`${service}:${action}`)) throw new AwsApiError("MissingAuthenticationToken", "Request is missing Authentication Token", 403);
    const entry = findOperation(service, action);
    if (!entry) throw notImplemented(service, action);
    const parsed = entry.input.safeParse(catalogueInput(service, action, params, entry.input));
    if (!parsed.success) throw validationError(parsed.error);
    const result = await runOperation({ ...entry.operation(parsed.data, principal as Principal), principal, request });
    return { status: 200, body: encodeResponse(model, action, result, request.requestId) };
  } catch (err) {
    return errorAnswer(service, err, request.requestId);
  }
}

export function notImplemented(service: string, action: string): AwsApiError {
  return new AwsApiError("NotImplemented", `IAM Lab does not implement ${service}:${action} yet.`, 501);
}

export function errorAnswer(service: QueryService, err: unknown, requestId: string): QueryAnswer {
  const e = toAwsError(err);
  if (e.code === "InternalFailure" && !(err instanceof AwsApiError)) console.error(`IAM Lab API: ${service} request ${requestId} failed:`, (err as Error)?.stack ?? err);
  return { status: e.status, body: encodeError(MODELS[service].metadata.xmlNamespace ?? "", e, requestId), code: e.code };
}
