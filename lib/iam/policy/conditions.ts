/**
 * Condition operators, compiled once per policy and evaluated against a request context.
 */
import { cidrContains, parseCidr, parseIp, type Cidr } from "./ip";
import { parseTemplate, resolveTemplate, type ContextLookup, type TemplatePart } from "./variables";
import { escapeRegex } from "./wildcard";

export type OperatorFamily = "String" | "Numeric" | "Date" | "Bool" | "Binary" | "Ip" | "Arn" | "Null";

interface BaseOperator {
  family: OperatorFamily;
  negated: boolean;
}

export const BASE_OPERATORS: Record<string, BaseOperator> = {
  StringEquals: { family: "String", negated: false },
  StringNotEquals: { family: "String", negated: true },
  StringEqualsIgnoreCase: { family: "String", negated: false },
  StringNotEqualsIgnoreCase: { family: "String", negated: true },
  StringLike: { family: "String", negated: false },
  StringNotLike: { family: "String", negated: true },
  NumericEquals: { family: "Numeric", negated: false },
  NumericNotEquals: { family: "Numeric", negated: true },
  NumericLessThan: { family: "Numeric", negated: false },
  NumericLessThanEquals: { family: "Numeric", negated: false },
  NumericGreaterThan: { family: "Numeric", negated: false },
  NumericGreaterThanEquals: { family: "Numeric", negated: false },
  DateEquals: { family: "Date", negated: false },
  DateNotEquals: { family: "Date", negated: true },
  DateLessThan: { family: "Date", negated: false },
  DateLessThanEquals: { family: "Date", negated: false },
  DateGreaterThan: { family: "Date", negated: false },
  DateGreaterThanEquals: { family: "Date", negated: false },
  Bool: { family: "Bool", negated: false },
  BinaryEquals: { family: "Binary", negated: false },
  IpAddress: { family: "Ip", negated: false },
  NotIpAddress: { family: "Ip", negated: true },
  ArnEquals: { family: "Arn", negated: false },
  ArnLike: { family: "Arn", negated: false },
  ArnNotEquals: { family: "Arn", negated: true },
  ArnNotLike: { family: "Arn", negated: true },
  Null: { family: "Null", negated: false },
};

export interface ParsedOperator {
  name: string;
  base: string;
  family: OperatorFamily;
  negated: boolean;
  set: "any" | "all" | null;
  ifExists: boolean;
}

/** Parse `ForAnyValue:StringLikeIfExists` and friends; undefined for an unknown operator. */
export function parseOperator(name: string): ParsedOperator | undefined {
  let rest = name;
  let set: "any" | "all" | null = null;
  if (rest.startsWith("ForAnyValue:")) {
    set = "any";
    rest = rest.slice(12);
  } else if (rest.startsWith("ForAllValues:")) {
    set = "all";
    rest = rest.slice(13);
  }
  let ifExists = false;
  if (rest.endsWith("IfExists")) {
    ifExists = true;
    rest = rest.slice(0, -8);
  }
  const b = Object.prototype.hasOwnProperty.call(BASE_OPERATORS, rest) ? BASE_OPERATORS[rest] : undefined;
  if (!b) return undefined;
  if (b.family === "Null" && (ifExists || set)) return undefined;
  return { name, base: rest, family: b.family, negated: b.negated, set, ifExists };
}

/** Milliseconds since the epoch for an ISO 8601 date or an epoch-seconds number. */
export function parseDate(s: string): number | undefined {
  if (typeof s !== "string") return undefined;
  const t = s.trim();
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}/.test(t)) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

export function parseNumber(s: string): number | undefined {
  if (typeof s !== "string") return undefined;
  const t = s.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
  return Number(t);
}

type ValueTest = (ctx: string) => boolean;

// Request values repeat (source IPs, times): parse each once.
const ipCache = new Map<string, ReturnType<typeof parseIp> | null>();
function cachedIp(s: string): ReturnType<typeof parseIp> {
  let v = ipCache.get(s);
  if (v === undefined) {
    if (ipCache.size >= 10_000) ipCache.clear();
    v = parseIp(s) ?? null;
    ipCache.set(s, v);
  }
  return v ?? undefined;
}
const dateCache = new Map<string, number | null>();
function cachedDate(s: string): number | undefined {
  let v = dateCache.get(s);
  if (v === undefined) {
    if (dateCache.size >= 10_000) dateCache.clear();
    v = parseDate(s) ?? null;
    dateCache.set(s, v);
  }
  return v ?? undefined;
}

const segRegexCache = new Map<string, RegExp>();

/** Compiled (and cached) regex for glob/literal segments. */
export function segmentsRegex(segments: { text: string; glob: boolean }[], arn: boolean): RegExp {
  let key = arn ? "a" : "s";
  for (let k = 0; k < segments.length; k++) key += (segments[k].glob ? "\u0001" : "\u0002") + segments[k].text;
  let re = segRegexCache.get(key);
  if (!re) {
    if (segRegexCache.size >= 10_000) segRegexCache.clear();
    re = new RegExp(segmentsToRegex(segments, arn));
    segRegexCache.set(key, re);
  }
  return re;
}

/** Regex source for glob/literal segments. For ARNs, wildcards do not cross the first five colons. */
export function segmentsToRegex(segments: { text: string; glob: boolean }[], arn: boolean): string {
  let out = "^";
  let colons = 0;
  for (const seg of segments) {
    for (const ch of seg.text) {
      if (seg.glob && (ch === "*" || ch === "?")) {
        const any = arn && colons < 5 ? "[^:]" : "[\\s\\S]";
        out += ch === "*" ? any + "*" : any;
      } else {
        if (ch === ":") colons++;
        out += escapeRegex(ch);
      }
    }
  }
  return out + "$";
}

function countColons(s: string): number {
  let n = 0;
  for (let k = 0; k < s.length; k++) if (s.charCodeAt(k) === 58) n++;
  return n;
}

/** A positive test of one request value against one policy value (already resolved). */
function valueTest(base: string, family: OperatorFamily, segments: { text: string; glob: boolean }[]): ValueTest | string {
  const text = segments.map((s) => s.text).join("");
  switch (family) {
    case "String":
      if (base === "StringEquals" || base === "StringNotEquals") return (c) => c === text;
      if (base === "StringEqualsIgnoreCase" || base === "StringNotEqualsIgnoreCase") {
        const l = text.toLowerCase();
        return (c) => c.toLowerCase() === l;
      }
      {
        const re = segmentsRegex(segments, false);
        return (c) => re.test(c);
      }
    case "Arn": {
      // A value that is not written as an ARN (e.g. "*") is a plain glob.
      if (!text.startsWith("arn:")) {
        const re = segmentsRegex(segments, false);
        return (c) => re.test(c);
      }
      const re = segmentsRegex(segments, true);
      return (c) => countColons(c) >= 5 && re.test(c);
    }
    case "Numeric": {
      const p = parseNumber(text);
      if (p === undefined) return `"${text}" is not a number`;
      const cmp = numericCompare(base.replace(/^Numeric/, ""));
      return (c) => {
        const v = parseNumber(c);
        return v !== undefined && cmp(v, p);
      };
    }
    case "Date": {
      const p = parseDate(text);
      if (p === undefined) return `"${text}" is not a date`;
      const cmp = numericCompare(base.replace(/^Date/, ""));
      return (c) => {
        const v = cachedDate(c);
        return v !== undefined && cmp(v, p);
      };
    }
    case "Bool": {
      const l = text.toLowerCase();
      return (c) => c.toLowerCase() === l;
    }
    case "Binary":
      return (c) => c === text;
    case "Ip": {
      const cidr: Cidr | undefined = parseCidr(text);
      if (!cidr) return `"${text}" is not an IP address or CIDR block`;
      return (c) => {
        const ip = cachedIp(c);
        return ip !== undefined && cidrContains(cidr, ip);
      };
    }
    default:
      return () => false;
  }
}

function numericCompare(rel: string): (a: number, b: number) => boolean {
  switch (rel) {
    case "Equals":
    case "NotEquals":
      return (a, b) => a === b;
    case "LessThan":
      return (a, b) => a < b;
    case "LessThanEquals":
      return (a, b) => a <= b;
    case "GreaterThan":
      return (a, b) => a > b;
    default:
      return (a, b) => a >= b;
  }
}

export interface CompiledCondition {
  operator: string;
  key: string;
  keyLower: string;
  values: string[];
  op?: ParsedOperator;
  /** Why this condition cannot be evaluated (unknown operator, value of the wrong type). */
  unevaluable?: string;
  /** Static tests (no policy variables). */
  tests?: ValueTest[];
  /** Policy values with variables, resolved per request. */
  templates?: (TemplatePart[] | undefined)[];
}

export function compileCondition(operator: string, key: string, values: string[], substitute: boolean): CompiledCondition {
  const cc: CompiledCondition = { operator, key, keyLower: key.toLowerCase(), values };
  const op = parseOperator(operator);
  if (!op) {
    cc.unevaluable = `unknown condition operator ${operator}`;
    return cc;
  }
  cc.op = op;
  if (op.family === "Null") {
    for (const v of values)
      if (v.toLowerCase() !== "true" && v.toLowerCase() !== "false") cc.unevaluable = `Null needs "true" or "false", not "${v}"`;
    return cc;
  }
  const canSubstitute = substitute && (op.family === "String" || op.family === "Arn");
  const templates = canSubstitute ? values.map(parseTemplate) : undefined;
  if (templates && templates.some((t) => t !== undefined)) {
    cc.templates = templates;
    return cc;
  }
  const tests: ValueTest[] = [];
  for (const v of values) {
    const t = valueTest(op.base, op.family, [{ text: v, glob: true }]);
    if (typeof t === "string") {
      cc.unevaluable = t;
      return cc;
    }
    tests.push(t);
  }
  cc.tests = tests;
  return cc;
}

/**
 * The positive tests for this request (resolving policy variables), or UNRESOLVED_VALUE when a
 * policy value holds a variable the request has no value for. Such a value matches nothing; in a
 * negated operator it makes the condition unable to match (see evaluateCondition).
 */
function testsFor(cc: CompiledCondition, lookup: ContextLookup): ValueTest[] | typeof UNRESOLVED_VALUE {
  if (cc.tests) return cc.tests;
  const out: ValueTest[] = [];
  const op = cc.op!;
  let unresolved = false;
  cc.templates!.forEach((t, k) => {
    const segs = t ? resolveTemplate(t, lookup) : [{ text: cc.values[k], glob: true }];
    if (!segs) {
      unresolved = true;
      return;
    }
    const test = valueTest(op.base, op.family, segs);
    if (typeof test !== "string") out.push(test);
  });
  return unresolved && op.negated ? UNRESOLVED_VALUE : out;
}
const UNRESOLVED_VALUE = null;

/** True when a negated condition has a policy value whose variable the request cannot resolve. */
export function negatedUnresolved(cc: CompiledCondition, lookup: ContextLookup): boolean {
  return !!cc.templates && !!cc.op?.negated && testsFor(cc, lookup) === UNRESOLVED_VALUE;
}

/**
 * Evaluate one condition (operator + key + values). `lookup` returns the request's values for a
 * lower-cased key, or undefined when the key is missing.
 */
export function evaluateCondition(cc: CompiledCondition, lookup: ContextLookup): boolean {
  const op = cc.op;
  if (!op || cc.unevaluable) return false; // the caller applies the unevaluable rule
  const ctx = lookup(cc.keyLower);
  const present = ctx !== undefined && ctx.length > 0;
  if (op.family === "Null") {
    // "true": the key must be absent; "false": the key must be present. Values are ORed.
    return cc.values.some((v) => (v.toLowerCase() === "true" ? !present : present));
  }
  if (!present) {
    if (op.ifExists) return true;
    if (op.set === "all") return true;
    if (op.set === "any") return false;
    // "Not equal to a value the request cannot supply" cannot be established.
    return op.negated && !(cc.templates && testsFor(cc, lookup) === UNRESOLVED_VALUE);
  }
  const tests = testsFor(cc, lookup);
  if (tests === UNRESOLVED_VALUE) return false;
  const values = ctx!;
  if (op.set === "any") {
    for (let i = 0; i < values.length; i++) if (anyTest(tests, values[i]) !== op.negated) return true;
    return false;
  }
  if (op.set === "all") {
    for (let i = 0; i < values.length; i++) if (anyTest(tests, values[i]) === op.negated) return false;
    return true;
  }
  let anyMatch = false;
  for (let i = 0; i < values.length && !anyMatch; i++) anyMatch = anyTest(tests, values[i]);
  return op.negated ? !anyMatch : anyMatch;
}

function anyTest(tests: ValueTest[], c: string): boolean {
  for (let k = 0; k < tests.length; k++) if (tests[k](c)) return true;
  return false;
}
