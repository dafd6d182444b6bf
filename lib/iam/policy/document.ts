/**
 * Reading a policy document: JSON text -> normalized PolicyDocument (+ where each part is in the
 * text). This is the grammar only; the per-policy-type rules are in validate.ts.
 */
import { parseJsonWithSpans, type JsonNode } from "./json-source";
import type { ConditionBlock, PolicyDocument, PolicyStatement, PolicyVersion, PrincipalBlock, Span } from "./types";

export const MSG_INVALID_JSON = "This policy contains invalid Json";
export const MSG_SYNTAX = "Syntax errors in policy.";

export interface StringAt {
  value: string;
  span: Span;
}

export interface ConditionAt {
  operator: string;
  operatorSpan: Span;
  key: string;
  keySpan: Span;
  values: StringAt[];
}

/** Source locations of one statement's parts. */
export interface StatementSource {
  span: Span;
  sid?: StringAt;
  effect?: StringAt;
  effectKeySpan?: Span;
  actions?: StringAt[];
  actionKey?: "Action" | "NotAction";
  actionKeySpan?: Span;
  resources?: StringAt[];
  resourceKey?: "Resource" | "NotResource";
  resourceKeySpan?: Span;
  principals?: { type: string; value: StringAt }[];
  principalKey?: "Principal" | "NotPrincipal";
  principalKeySpan?: Span;
  conditions: ConditionAt[];
  /** Keys present in the statement object. */
  keys: Set<string>;
}

export interface ReadDocument {
  document: PolicyDocument;
  sources: StatementSource[];
  /** Raw Version value when it is not one of the two known versions. */
  badVersion?: StringAt;
  versionSpan?: Span;
}

export type ReadResult =
  | { ok: true; read: ReadDocument }
  /** `message` is AWS's wording; `detail` says what exactly is wrong, for people (not AWS's). */
  | { ok: false; message: string; offset: number; detail?: string };

const TOP_KEYS = new Set(["Version", "Id", "Statement"]);
const STATEMENT_KEYS = new Set([
  "Sid",
  "Effect",
  "Action",
  "NotAction",
  "Resource",
  "NotResource",
  "Principal",
  "NotPrincipal",
  "Condition",
]);
const PRINCIPAL_TYPES = new Set(["AWS", "Service", "Federated", "CanonicalUser"]);

class Syntax {
  constructor(
    readonly offset: number,
    readonly message: string = MSG_SYNTAX,
    readonly detail?: string,
  ) {}
}

function strings(node: JsonNode, allowEmpty: boolean): StringAt[] {
  if (node.kind === "string") return [{ value: node.value, span: node.span }];
  if (node.kind === "array") {
    if (!allowEmpty && node.items.length === 0) throw new Syntax(node.span.start);
    return node.items.map((it) => {
      if (it.kind !== "string") throw new Syntax(it.span.start);
      return { value: it.value, span: it.span };
    });
  }
  throw new Syntax(node.span.start);
}

/** Condition values: strings, numbers and booleans (kept as their JSON text), or arrays of them. */
function conditionValues(node: JsonNode): StringAt[] {
  const one = (n: JsonNode): StringAt => {
    if (n.kind === "string") return { value: n.value, span: n.span };
    if (n.kind === "number") return { value: n.raw, span: n.span };
    if (n.kind === "boolean") return { value: String(n.value), span: n.span };
    throw new Syntax(n.span.start);
  };
  if (node.kind === "array") return node.items.map(one);
  return [one(node)];
}

function readStatement(node: JsonNode): { st: PolicyStatement; src: StatementSource } {
  if (node.kind !== "object") throw new Syntax(node.span.start);
  const st: PolicyStatement = { Effect: undefined as unknown as "Allow", span: node.span };
  const src: StatementSource = { span: node.span, conditions: [], keys: new Set() };
  for (const prop of node.props) {
    const { key, value } = prop;
    if (!STATEMENT_KEYS.has(key)) throw new Syntax(prop.keySpan.start);
    src.keys.add(key);
    switch (key) {
      case "Sid":
        if (value.kind !== "string") throw new Syntax(value.span.start);
        st.Sid = value.value;
        src.sid = { value: value.value, span: value.span };
        break;
      case "Effect":
        if (value.kind !== "string") throw new Syntax(value.span.start);
        st.Effect = value.value as "Allow";
        src.effect = { value: value.value, span: value.span };
        src.effectKeySpan = prop.keySpan;
        break;
      case "Action":
      case "NotAction": {
        if (src.actionKey) throw new Syntax(prop.keySpan.start);
        const list = strings(value, true);
        st[key] = list.map((s) => s.value);
        src.actions = list;
        src.actionKey = key;
        src.actionKeySpan = prop.keySpan;
        break;
      }
      case "Resource":
      case "NotResource": {
        if (src.resourceKey) throw new Syntax(prop.keySpan.start);
        const list = strings(value, true);
        st[key] = list.map((s) => s.value);
        src.resources = list;
        src.resourceKey = key;
        src.resourceKeySpan = prop.keySpan;
        break;
      }
      case "Principal":
      case "NotPrincipal": {
        if (src.principalKey) throw new Syntax(prop.keySpan.start);
        src.principalKey = key;
        src.principalKeySpan = prop.keySpan;
        src.principals = [];
        let block: PrincipalBlock;
        if (value.kind === "string") {
          if (value.value !== "*")
            throw new Syntax(value.span.start, MSG_SYNTAX, `${key} must be "*" or an object such as {"AWS": "arn:..."}: a bare string "${value.value}" is not policy grammar`);
          block = "*";
          src.principals.push({ type: "*", value: { value: "*", span: value.span } });
        } else if (value.kind === "object") {
          const rec: Record<string, string[]> = {};
          for (const p of value.props) {
            if (!PRINCIPAL_TYPES.has(p.key)) throw new Syntax(p.keySpan.start, MSG_SYNTAX, `${key} keys are AWS, Service, Federated or CanonicalUser, not "${p.key}"`);
            const list = strings(p.value, false);
            rec[p.key] = list.map((s) => s.value);
            for (const s of list) src.principals.push({ type: p.key, value: s });
          }
          block = rec;
        } else throw new Syntax(value.span.start);
        st[key] = block;
        break;
      }
      case "Condition": {
        if (value.kind !== "object") throw new Syntax(value.span.start);
        const cond: ConditionBlock = {};
        for (const opProp of value.props) {
          if (opProp.value.kind !== "object") throw new Syntax(opProp.value.span.start);
          const keys: Record<string, string[]> = {};
          for (const kp of opProp.value.props) {
            const vals = conditionValues(kp.value);
            keys[kp.key] = vals.map((v) => v.value);
            src.conditions.push({
              operator: opProp.key,
              operatorSpan: opProp.keySpan,
              key: kp.key,
              keySpan: kp.keySpan,
              values: vals,
            });
          }
          cond[opProp.key] = keys;
        }
        st.Condition = cond;
        break;
      }
    }
  }
  return { st, src };
}

export interface ReadOptions {
  /**
   * Read `"Statement": []` as a policy without statements (evaluation: it allows nothing). Write-time
   * validation leaves this off: IAM refuses such a document.
   */
  allowNoStatements?: boolean;
}

/** Parse and read the grammar of a policy document. Never throws. */
export function readPolicyDocument(text: string, options: ReadOptions = {}): ReadResult {
  if (typeof text !== "string") return { ok: false, message: MSG_INVALID_JSON, offset: 0 };
  const parsed = parseJsonWithSpans(text);
  if (!parsed.ok) return { ok: false, message: MSG_INVALID_JSON, offset: parsed.offset };
  if (parsed.duplicateKey) return { ok: false, message: MSG_SYNTAX, offset: parsed.duplicateKey.span.start };
  const root = parsed.node;
  try {
    if (root.kind !== "object") throw new Syntax(root.span.start);
    let version: PolicyVersion | undefined;
    let badVersion: StringAt | undefined;
    let versionSpan: Span | undefined;
    let id: string | undefined;
    let stmtNode: JsonNode | undefined;
    for (const p of root.props) {
      if (!TOP_KEYS.has(p.key)) throw new Syntax(p.keySpan.start);
      if (p.key === "Version") {
        if (p.value.kind !== "string") throw new Syntax(p.value.span.start);
        versionSpan = p.value.span;
        if (p.value.value === "2012-10-17" || p.value.value === "2008-10-17") version = p.value.value;
        else badVersion = { value: p.value.value, span: p.value.span };
      } else if (p.key === "Id") {
        if (p.value.kind !== "string") throw new Syntax(p.value.span.start);
        id = p.value.value;
      } else stmtNode = p.value;
    }
    if (!stmtNode) throw new Syntax(root.span.start);
    const nodes = stmtNode.kind === "array" ? stmtNode.items : [stmtNode];
    if (nodes.length === 0 && !options.allowNoStatements) throw new Syntax(stmtNode.span.start);
    const statements: PolicyStatement[] = [];
    const sources: StatementSource[] = [];
    for (const n of nodes) {
      const { st, src } = readStatement(n);
      statements.push(st);
      sources.push(src);
    }
    const document: PolicyDocument = { Statement: statements, singleStatement: stmtNode.kind !== "array" };
    if (version) document.Version = version;
    if (id !== undefined) document.Id = id;
    return { ok: true, read: { document, sources, badVersion, versionSpan } };
  } catch (e) {
    if (e instanceof Syntax) return e.detail !== undefined ? { ok: false, message: e.message, offset: e.offset, detail: e.detail } : { ok: false, message: e.message, offset: e.offset };
    return { ok: false, message: MSG_SYNTAX, offset: 0 };
  }
}

// ---------------------------------------------------------------- fast path (evaluation)

const NO_SPAN: Span = { start: 0, end: 0 };

/**
 * An upper bound of the object keys of a valid JSON text: the quotes followed (after optional
 * whitespace) by ':'. Every key's closing quote is one; an escaped quote inside a string may add
 * more, never fewer. So when this equals the number of keys JSON.parse kept, the text had no
 * duplicate key (JSON.parse silently keeps the last). Quotes are found with indexOf: a fraction
 * of a parse.
 */
function keyBound(text: string): number {
  let keys = 0;
  const n = text.length;
  for (let q = text.indexOf('"'); q >= 0; q = text.indexOf('"', q + 1)) {
    let k = q + 1;
    let d = text.charCodeAt(k);
    while (d === 32 || d === 10 || d === 13 || d === 9) d = text.charCodeAt(++k);
    if (d === 58 && k < n) keys++;
  }
  return keys;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function stringList(v: unknown, allowEmpty: boolean): string[] | undefined {
  if (typeof v === "string") return [v];
  if (!Array.isArray(v) || (!allowEmpty && v.length === 0)) return undefined;
  for (let k = 0; k < v.length; k++) if (typeof v[k] !== "string") return undefined;
  return v as string[];
}

/** The values of a condition key: the parsed array itself when it holds only strings (no copy). */
function conditionList(v: unknown): string[] | undefined {
  if (typeof v === "string") return [v];
  if (typeof v === "boolean") return [String(v)];
  if (!Array.isArray(v)) return undefined;
  let k = 0;
  while (k < v.length && typeof v[k] === "string") k++;
  if (k === v.length) return v as string[];
  const out: string[] = new Array(v.length);
  for (k = 0; k < v.length; k++) {
    const x = v[k];
    if (typeof x === "string") out[k] = x;
    else if (typeof x === "boolean") out[k] = String(x);
    else return undefined;
  }
  return out;
}

/**
 * The same document readPolicyDocument would read, built from the native JSON.parse, or undefined
 * when the fast path is unsure (a number, whose raw text the span reader keeps; a duplicate key;
 * "__proto__"; anything off the grammar):
 * the caller then uses readPolicyDocument, which also says what is wrong. Statement spans are not
 * computed (`span` is {0, 0}): compile.ts reads them with readPolicyDocument when an explanation
 * needs them.
 */
export function readPolicyDocumentFast(text: string, options: ReadOptions = {}): PolicyDocument | undefined {
  if (typeof text !== "string") return undefined;
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isPlainObject(root)) return undefined;
  let keys = 0;
  let version: PolicyVersion | undefined;
  let id: string | undefined;
  let stmt: unknown;
  let hasStatement = false;
  for (const k in root) {
    keys++;
    const v = root[k];
    if (k === "Version") {
      if (typeof v !== "string") return undefined;
      if (v === "2012-10-17" || v === "2008-10-17") version = v;
    } else if (k === "Id") {
      if (typeof v !== "string") return undefined;
      id = v;
    } else if (k === "Statement") {
      stmt = v;
      hasStatement = true;
    } else return undefined;
  }
  if (!hasStatement) return undefined;
  const nodes: unknown[] = Array.isArray(stmt) ? stmt : [stmt];
  if (nodes.length === 0 && !options.allowNoStatements) return undefined;
  const statements: PolicyStatement[] = new Array(nodes.length);
  for (let n = 0; n < nodes.length; n++) {
    const o = nodes[n];
    if (!isPlainObject(o)) return undefined;
    const st: PolicyStatement = { Effect: undefined as unknown as "Allow", span: NO_SPAN };
    let action = false;
    let resource = false;
    let principal = false;
    for (const key in o) {
      keys++;
      const value = o[key];
      switch (key) {
        case "Sid":
          if (typeof value !== "string") return undefined;
          st.Sid = value;
          break;
        case "Effect":
          if (typeof value !== "string") return undefined;
          st.Effect = value as "Allow";
          break;
        case "Action":
        case "NotAction":
        case "Resource":
        case "NotResource": {
          const isAction = key === "Action" || key === "NotAction";
          if (isAction ? action : resource) return undefined;
          if (isAction) action = true;
          else resource = true;
          const list = stringList(value, true);
          if (!list) return undefined;
          st[key] = list;
          break;
        }
        case "Principal":
        case "NotPrincipal": {
          if (principal) return undefined;
          principal = true;
          if (value === "*") st[key] = "*";
          else if (isPlainObject(value)) {
            const rec: Record<string, string[]> = {};
            for (const pk in value) {
              keys++;
              if (!PRINCIPAL_TYPES.has(pk)) return undefined;
              const list = stringList(value[pk], false);
              if (!list) return undefined;
              rec[pk] = list;
            }
            st[key] = rec;
          } else return undefined;
          break;
        }
        case "Condition": {
          // The parsed objects are this call's own: their values are normalized in place, not copied.
          if (!isPlainObject(value)) return undefined;
          for (const op in value) {
            keys++;
            const block = value[op];
            if (!isPlainObject(block) || op === "__proto__") return undefined;
            for (const ck in block) {
              keys++;
              if (ck === "__proto__") return undefined;
              const raw = block[ck];
              const vals = conditionList(raw);
              if (!vals) return undefined;
              if (vals !== raw) block[ck] = vals;
            }
          }
          st.Condition = value as ConditionBlock;
          break;
        }
        default:
          return undefined;
      }
    }
    statements[n] = st;
  }
  // JSON.parse keeps the last of duplicate keys: equal counts mean there were none.
  if (keyBound(text) !== keys) return undefined;
  const document: PolicyDocument = { Statement: statements, singleStatement: !Array.isArray(stmt) };
  if (version) document.Version = version;
  if (id !== undefined) document.Id = id;
  return document;
}
