// AWS's Query protocol (IAM, STS), both ways, driven by AWS's own models:
// - decode: form parameters ("Tags.member.1.Key=team") into the operation's
//   input structure, walking the model's input shape;
// - encode: an operation's result into AWS's XML, walking the model's output
//   shape and picking each member from the result by AWS's name; extras (a
//   top-level `console` member, see output-shape.ts) are never emitted. Builders
//   not yet on AWS's names are still read by their lowerCamel or case-folded
//   spelling, and a few Create/Get answers unwrapped: iam-model-driven.int.test.ts
//   lists them, and fails when one more appears.
// Pure: no database, no HTTP.
import { AwsApiError } from "./errors";
import type { MemberRef, ServiceModel, Shape } from "./models";

// ---------------------------------------------------------------------------
// Parameters

/** At most this many parameters in one request (AWS's requests have a few dozen). */
export const MAX_PARAMETERS = 5000;
/** List indexes above this are refused (IAM's longest lists are far shorter). */
const MAX_INDEX = 10_000;

const malformed = (message = "The query string is malformed.") => new AwsApiError("MalformedQueryString", message, 400);

/** application/x-www-form-urlencoded (or a URL's query): "+" is a space, %XX a byte. */
export function parseForm(text: string, into: Map<string, string> = new Map()): Map<string, string> {
  if (!text) return into;
  for (const part of text.split("&")) {
    if (!part) continue;
    if (into.size >= MAX_PARAMETERS) throw malformed(`Too many parameters (more than ${MAX_PARAMETERS}).`);
    const eq = part.indexOf("=");
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? "" : part.slice(eq + 1);
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(rawKey.replace(/\+/g, " "));
      value = decodeURIComponent(rawValue.replace(/\+/g, " "));
    } catch {
      throw malformed(`The parameter '${rawKey.slice(0, 64)}' is not properly percent-encoded.`);
    }
    if (!into.has(key)) into.set(key, value);
  }
  return into;
}

interface Node {
  value?: string;
  children?: Map<string, Node>;
}

function tree(params: Map<string, string>): Node {
  const root: Node = {};
  for (const [key, value] of params) {
    let node = root;
    for (const part of key.split(".")) {
      node.children ??= new Map();
      let next = node.children.get(part);
      if (!next) node.children.set(part, (next = {}));
      node = next;
    }
    node.value = value;
  }
  return root;
}

const indexed = (node: Node | undefined): [number, Node][] => {
  if (!node?.children) return [];
  const out: [number, Node][] = [];
  for (const [k, child] of node.children) {
    if (!/^\d{1,6}$/.test(k)) continue;
    const i = Number(k);
    if (i < 1 || i > MAX_INDEX) throw malformed(`List index ${k} is out of range.`);
    out.push([i, child]);
  }
  return out.sort((a, b) => a[0] - b[0]);
};

function decodeValue(model: ServiceModel, ref: MemberRef, node: Node, path: string): unknown {
  const shape = model.shapes[ref.shape]!;
  switch (shape.type) {
    case "structure": {
      const out: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(shape.members ?? {})) {
        const child = node.children?.get(member.locationName ?? name);
        if (child) out[name] = decodeValue(model, member, child, name);
      }
      return out;
    }
    case "list": {
      if (!node.children && node.value !== undefined) return [];
      const items = shape.flattened ? node : node.children?.get(shape.member!.locationName ?? "member");
      return indexed(items).map(([, child]) => decodeValue(model, shape.member!, child, path));
    }
    case "map": {
      const entries = shape.flattened ? node : node.children?.get("entry");
      const out: Record<string, unknown> = {};
      for (const [, entry] of indexed(entries)) {
        const key = entry.children?.get(shape.key!.locationName ?? "key")?.value;
        const value = entry.children?.get(shape.value!.locationName ?? "value");
        if (key !== undefined && value) out[key] = decodeValue(model, shape.value!, value, path);
      }
      return out;
    }
    case "boolean":
      return node.value === "true" ? true : node.value === "false" ? false : node.value;
    case "integer":
    case "long":
      return node.value !== undefined && /^-?\d{1,15}$/.test(node.value) ? Number(node.value) : node.value;
    case "double":
    case "float":
      return node.value !== undefined && node.value !== "" && Number.isFinite(Number(node.value)) ? Number(node.value) : node.value;
    default:
      return node.value ?? "";
  }
}

/** The operation's input as AWS names it, from the request's parameters. */
export function decodeInput(model: ServiceModel, inputShape: string | undefined, params: Map<string, string>): Record<string, unknown> {
  if (!inputShape) return {};
  return decodeValue(model, { shape: inputShape }, tree(params), "") as Record<string, unknown>;
}

// ---------------------------------------------------------------------------
// XML

const XML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#xD;" };

/** XML text: markup escaped, characters XML 1.0 cannot carry dropped. */
export function xmlText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[&<>\r]/g, (c) => XML_ESCAPES[c]!).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "");
}

/** AWS's timestamps in Query responses: ISO 8601, UTC, whole seconds. */
export function isoSeconds(value: unknown): string | undefined {
  const d = value instanceof Date ? value : typeof value === "string" || typeof value === "number" ? new Date(value) : null;
  if (!d || Number.isNaN(d.getTime())) return typeof value === "string" ? value : undefined;
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

const lowerFirst = (s: string) => (s ? s[0]!.toLowerCase() + s.slice(1) : s);

/** The member `name` of a result object: exact, lowerCamel, then ignoring case (S3's encoder too). */
export function pick(obj: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(obj, name)) return obj[name];
  const lc = lowerFirst(name);
  if (Object.hasOwn(obj, lc)) return obj[lc];
  const lower = name.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return obj[k];
  return undefined;
}

/** IAM URL-encodes policy documents in its responses (botocore decodes them). */
const URL_ENCODED_SHAPES = new Set(["policyDocumentType"]);

function encodeScalar(shapeName: string, shape: Shape, value: unknown): string | undefined {
  switch (shape.type) {
    case "timestamp":
      return isoSeconds(value);
    case "boolean":
      return value === true || value === "true" ? "true" : value === false || value === "false" ? "false" : undefined;
    case "integer":
    case "long":
    case "double":
    case "float":
      return typeof value === "number" || typeof value === "bigint" ? String(value) : typeof value === "string" && value !== "" ? value : undefined;
    case "blob":
      if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
      if (typeof value !== "string") return undefined;
      // A data: URL (a QR code made for the console) is already base64.
      return /^data:[\w/+.-]+;base64,/.test(value) ? value.slice(value.indexOf(",") + 1) : Buffer.from(value).toString("base64");
    default: {
      if (value === null || value === undefined) return undefined;
      const text = typeof value === "string" ? value : value instanceof Date ? isoSeconds(value)! : typeof value === "object" ? JSON.stringify(value) : String(value);
      return URL_ENCODED_SHAPES.has(shapeName) ? encodeURIComponent(text) : text;
    }
  }
}

function encodeMember(model: ServiceModel, out: string[], tag: string, ref: MemberRef, value: unknown): void {
  if (value === undefined || value === null) return;
  const shape = model.shapes[ref.shape]!;
  switch (shape.type) {
    case "structure": {
      if (typeof value !== "object") return;
      out.push(`<${tag}>`);
      encodeStructure(model, out, shape, value as Record<string, unknown>);
      out.push(`</${tag}>`);
      return;
    }
    case "list": {
      if (!Array.isArray(value)) return;
      const itemTag = shape.member!.locationName ?? "member";
      if (shape.flattened) {
        for (const item of value) encodeMember(model, out, tag, shape.member!, item);
        return;
      }
      out.push(`<${tag}>`);
      for (const item of value) encodeMember(model, out, itemTag, shape.member!, item);
      out.push(`</${tag}>`);
      return;
    }
    case "map": {
      if (typeof value !== "object") return;
      const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as Record<string, unknown>);
      if (!shape.flattened) out.push(`<${tag}>`);
      for (const [k, v] of entries) {
        out.push(shape.flattened ? `<${tag}>` : "<entry>");
        encodeMember(model, out, shape.key!.locationName ?? "key", shape.key!, k);
        encodeMember(model, out, shape.value!.locationName ?? "value", shape.value!, v);
        out.push(shape.flattened ? `</${tag}>` : "</entry>");
      }
      if (!shape.flattened) out.push(`</${tag}>`);
      return;
    }
    default: {
      const text = encodeScalar(ref.shape, shape, value);
      if (text !== undefined) out.push(`<${tag}>${xmlText(text)}</${tag}>`);
    }
  }
}

function encodeStructure(model: ServiceModel, out: string[], shape: Shape, obj: Record<string, unknown>, top = false): void {
  const members = Object.entries(shape.members ?? {});
  for (const [name, ref] of members) {
    let value = pick(obj, name);
    if (value === undefined && top) value = topLevelFallback(model, members, name, ref, obj);
    encodeMember(model, out, ref.locationName ?? name, ref, value);
  }
}

/**
 * Results shaped before AWS's output shapes: the one entity of a Create/Get
 * answer unwrapped (CreateRole's Role), or the one map of an answer as the flat
 * result (GetAccountSummary's SummaryMap).
 */
function topLevelFallback(model: ServiceModel, members: [string, MemberRef][], name: string, ref: MemberRef, obj: Record<string, unknown>): unknown {
  const type = model.shapes[ref.shape]!.type;
  // An output whose only member is a map (GetAccountSummary's SummaryMap): the flat result is that map.
  if (type === "map" && members.length === 1) return obj;
  if (type === "structure" && members.filter(([, r]) => model.shapes[r.shape]!.type === "structure").length === 1) {
    const inner = model.shapes[ref.shape]!;
    const names = Object.keys(inner.members ?? {});
    const required = names.filter((m) => inner.required?.includes(m));
    const present = names.filter((m) => pick(obj, m) !== undefined);
    if (required.length ? required.every((m) => pick(obj, m) !== undefined) : present.length >= 2) return obj;
  }
  return undefined;
}

type ResultObserver = (model: ServiceModel, operation: string, result: unknown) => void;
let resultObserver: ResultObserver | undefined;

/** For tests: sees each result as it is encoded (the output-shape check); returns the way to stop. */
export function observeEncodedResults(observer: ResultObserver): () => void {
  resultObserver = observer;
  return () => {
    if (resultObserver === observer) resultObserver = undefined;
  };
}

/** A successful Query response: <OpResponse><OpResult>...</OpResult><ResponseMetadata/></OpResponse>. */
export function encodeResponse(model: ServiceModel, operation: string, result: unknown, requestId: string): string {
  const op = model.operations[operation]!;
  resultObserver?.(model, operation, result);
  const ns = model.metadata.xmlNamespace ?? "";
  const out: string[] = [`<${operation}Response xmlns="${ns}">`];
  if (op.output) {
    const wrapper = op.output.resultWrapper ?? `${operation}Result`;
    out.push(`<${wrapper}>`);
    if (result && typeof result === "object") encodeStructure(model, out, model.shapes[op.output.shape]!, result as Record<string, unknown>, true);
    out.push(`</${wrapper}>`);
  }
  out.push(`<ResponseMetadata><RequestId>${xmlText(requestId)}</RequestId></ResponseMetadata></${operation}Response>`);
  return out.join("");
}

/** AWS's Query error document. */
export function encodeError(namespace: string, err: AwsApiError, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${namespace}"><Error><Type>${err.type}</Type><Code>${xmlText(err.code)}</Code>` +
    `<Message>${xmlText(err.message)}</Message></Error><RequestId>${xmlText(requestId)}</RequestId></ErrorResponse>`
  );
}
