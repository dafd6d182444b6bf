// S3's REST-XML bodies, read and written by AWS's own model (lib/aws/models
// s3.json): member names and locationNames, flattened and wrapped lists,
// integers, booleans and ISO 8601 timestamps. Request bodies that are not
// well-formed XML, or whose root is not what the operation takes, are
// MalformedXML, as S3 answers. Pure.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { AwsApiError } from "../errors";
import type { MemberRef, ServiceModel, Shape } from "../models";
import { isoSeconds, pick, xmlText } from "../query";

export const S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

export const malformedXml = () => new AwsApiError("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema", 400);

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

type Node = string | { [name: string]: Node | Node[] } | undefined;

const asArray = (v: Node | Node[]): Node[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const text = (v: Node | Node[]): string => {
  const one = Array.isArray(v) ? v[0] : v;
  if (one === undefined) return "";
  if (typeof one === "string") return one;
  const t = (one as Record<string, unknown>)["#text"];
  return typeof t === "string" ? t : "";
};

function decodeScalar(shape: Shape, raw: string): unknown {
  const s = raw.trim();
  switch (shape.type) {
    case "integer":
    case "long": {
      if (!/^-?\d+$/.test(s)) throw malformedXml();
      return Number(s);
    }
    case "boolean":
      if (s !== "true" && s !== "false") throw malformedXml();
      return s === "true";
    case "timestamp": {
      const d = new Date(s);
      if (Number.isNaN(d.getTime())) throw malformedXml();
      return d;
    }
    default:
      return raw;
  }
}

function decodeNode(model: ServiceModel, shapeName: string, node: Node | Node[], depth: number): unknown {
  if (depth > 20) throw malformedXml();
  const shape = model.shapes[shapeName];
  if (!shape) return undefined;
  if (shape.type === "structure") {
    const one = Array.isArray(node) ? node[0] : node;
    if (one === undefined || one === "") return {};
    if (typeof one !== "object") throw malformedXml();
    const out: Record<string, unknown> = {};
    for (const [name, ref] of Object.entries(shape.members ?? {})) {
      if (ref.location) continue;
      const tag = ref.locationName ?? name;
      const child = (one as Record<string, Node | Node[]>)[tag];
      if (child === undefined) continue;
      out[name] = decodeMember(model, ref, child, depth + 1, one as Record<string, Node | Node[]>);
    }
    return out;
  }
  if (shape.type === "list") {
    const one = Array.isArray(node) ? node[0] : node;
    if (one === undefined || one === "") return [];
    if (typeof one !== "object") throw malformedXml();
    const tag = shape.member!.locationName ?? "member";
    return asArray((one as Record<string, Node | Node[]>)[tag]).map((n) => decodeNode(model, shape.member!.shape, n, depth + 1));
  }
  return decodeScalar(shape, text(node));
}

function decodeMember(model: ServiceModel, ref: MemberRef, child: Node | Node[], depth: number, _parent: Record<string, Node | Node[]>): unknown {
  const shape = model.shapes[ref.shape]!;
  if (shape.type === "list" && (shape.flattened || ref.flattened)) return asArray(child).map((n) => decodeNode(model, shape.member!.shape, n, depth + 1));
  return decodeNode(model, ref.shape, child, depth);
}

/**
 * A request payload (the body of PutBucketTagging, DeleteObjects, ...) as the
 * model's structure. `root` is the element S3 expects at the top.
 */
export function decodeXmlPayload(model: ServiceModel, shapeName: string, root: string, body: string): Record<string, unknown> {
  if (body.trim() === "") throw malformedXml();
  // No document types: S3's schemas have none, and entities are a way to blow a small body up.
  if (/<!DOCTYPE/i.test(body)) throw malformedXml();
  if (XMLValidator.validate(body) !== true) throw malformedXml();
  let doc: Record<string, Node | Node[]>;
  try {
    doc = parser.parse(body) as Record<string, Node | Node[]>;
  } catch {
    throw malformedXml();
  }
  const top = Object.keys(doc).filter((k) => !k.startsWith("?"));
  // One root element: a repeated root parses as a list of them.
  if (top.length !== 1 || top[0] !== root || Array.isArray(doc[root])) throw malformedXml();
  return decodeNode(model, shapeName, doc[root]!, 0) as Record<string, unknown>;
}

// ------------------------------------------------------------------ writing

function encodeScalar(shape: Shape, value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  switch (shape.type) {
    case "timestamp":
      return value instanceof Date ? value.toISOString() : isoSeconds(value);
    case "boolean":
      return value === true || value === "true" ? "true" : value === false || value === "false" ? "false" : undefined;
    case "integer":
    case "long":
    case "double":
    case "float":
      return typeof value === "number" ? String(value) : typeof value === "string" && value !== "" ? value : undefined;
    default:
      return typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
  }
}

function encodeValue(model: ServiceModel, out: string[], tag: string, shapeName: string, value: unknown, depth: number): void {
  const shape = model.shapes[shapeName];
  if (!shape || value === undefined || value === null || depth > 20) return;
  if (shape.type === "structure") {
    if (typeof value !== "object") return;
    const attrs: string[] = [];
    const body: string[] = [];
    for (const [name, ref] of Object.entries(shape.members ?? {})) {
      if (ref.location) continue;
      const v = pick(value as Record<string, unknown>, name);
      if (ref.xmlAttribute) {
        const t = encodeScalar(model.shapes[ref.shape]!, v);
        if (t !== undefined) attrs.push(` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ${ref.locationName ?? name}="${xmlText(t)}"`);
        continue;
      }
      encodeMember(model, body, ref.locationName ?? name, ref, v, depth + 1);
    }
    out.push(`<${tag}${attrs.join("")}>`, ...body, `</${tag}>`);
    return;
  }
  if (shape.type === "list") {
    if (!Array.isArray(value)) return;
    out.push(`<${tag}>`);
    for (const item of value) encodeValue(model, out, shape.member!.locationName ?? "member", shape.member!.shape, item, depth + 1);
    out.push(`</${tag}>`);
    return;
  }
  const t = encodeScalar(shape, value);
  if (t !== undefined) out.push(`<${tag}>${xmlText(t)}</${tag}>`);
}

function encodeMember(model: ServiceModel, out: string[], tag: string, ref: MemberRef, value: unknown, depth: number): void {
  const shape = model.shapes[ref.shape];
  if (!shape) return;
  if (shape.type === "list" && (shape.flattened || ref.flattened)) {
    if (!Array.isArray(value)) return;
    for (const item of value) encodeValue(model, out, tag, shape.member!.shape, item, depth + 1);
    return;
  }
  encodeValue(model, out, tag, ref.shape, value, depth);
}

/** A response body: `value` as the model's `shapeName` under the root element `root`, in S3's namespace. */
export function encodeXmlBody(model: ServiceModel, shapeName: string, root: string, value: unknown): string {
  const out: string[] = [];
  encodeValue(model, out, root, shapeName, value ?? {}, 0);
  const first = out[0] ?? `<${root}>`;
  out[0] = first.replace(/^<([^\s>]+)/, `<$1 xmlns="${S3_NAMESPACE}"`);
  if (out.length === 0) out.push(`<${root} xmlns="${S3_NAMESPACE}"></${root}>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${out.join("")}`;
}
