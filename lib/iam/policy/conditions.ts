/**
 * Condition operators, compiled once per policy and evaluated against a request context.
 */
import { cidrContains, parseCidr, parseIp, type Cidr, type Ip } from "./ip";
import { templateTokens } from "./variables";
import { globTokens, matchTokens, tokensResolvable, varValue, STAR, type ContextLookup, type GlobToken } from "./wildcard";

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

const operatorCache = new Map<string, ParsedOperator | null>();

/** Parse `ForAnyValue:StringLikeIfExists` and friends; undefined for an unknown operator. */
export function parseOperator(name: string): ParsedOperator | undefined {
  let hit = operatorCache.get(name);
  if (hit === undefined) {
    if (operatorCache.size >= 1_000) operatorCache.clear();
    hit = parseOperatorUncached(name) ?? null;
    operatorCache.set(name, hit);
  }
  return hit ?? undefined;
}

function parseOperatorUncached(name: string): ParsedOperator | undefined {
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


// Request values repeat (source IPs, times, numbers): parse each once.
function cached<T>(cache: Map<string, T | null>, parse: (s: string) => T | undefined): (s: string) => T | undefined {
  return (s) => {
    let v = cache.get(s);
    if (v === undefined) {
      if (cache.size >= 10_000) cache.clear();
      v = parse(s) ?? null;
      cache.set(s, v);
    }
    return v ?? undefined;
  };
}
const cachedIp = cached(new Map<string, Ip | null>(), parseIp);
const cachedDate = cached(new Map<string, number | null>(), parseDate);
const cachedNumber = cached(new Map<string, number | null>(), parseNumber);

/** How one request value is tested against the policy values. */
const enum Match {
  Equals,
  EqualsIgnoreCase,
  Like,
  Arn,
  Numeric,
  Date,
  Bool,
  Ip,
  Null,
}

/** Numeric and date comparisons: request value (left) against policy value (right). */
const enum Cmp {
  Eq,
  Lt,
  Le,
  Gt,
  Ge,
}

function cmpOf(base: string): Cmp {
  if (base.endsWith("LessThan")) return Cmp.Lt;
  if (base.endsWith("LessThanEquals")) return Cmp.Le;
  if (base.endsWith("GreaterThan")) return Cmp.Gt;
  if (base.endsWith("GreaterThanEquals")) return Cmp.Ge;
  return Cmp.Eq; // Equals, NotEquals
}

function compare(cmp: Cmp, a: number, b: number): boolean {
  switch (cmp) {
    case Cmp.Eq:
      return a === b;
    case Cmp.Lt:
      return a < b;
    case Cmp.Le:
      return a <= b;
    case Cmp.Gt:
      return a > b;
    default:
      return a >= b;
  }
}

/**
 * An ARN pattern split at its first five colons into six glob segments (wildcards do not cross
 * those colons); `null` for a value not written as an ARN, which is then a plain glob.
 */
type ArnPattern = GlobToken[][] | null;

function arnPattern(tokens: readonly GlobToken[]): ArnPattern {
  const first = tokens[0];
  if (typeof first !== "string" || !first.startsWith("arn:")) return null;
  const segs: GlobToken[][] = [[]];
  for (const t of tokens) {
    if (typeof t !== "string" || segs.length === 6) {
      segs[segs.length - 1].push(t);
      continue;
    }
    let start = 0;
    for (let k = 0; k < t.length && segs.length < 6; k++) {
      if (t.charCodeAt(k) !== 58) continue;
      if (k > start) pushText(segs[segs.length - 1], t.slice(start, k));
      segs.push([]);
      start = k + 1;
    }
    if (start < t.length) pushText(segs[segs.length - 1], start === 0 ? t : t.slice(start));
  }
  return segs;
}

function pushText(out: GlobToken[], text: string): void {
  const last = out.length - 1;
  if (last >= 0 && typeof out[last] === "string") out[last] = (out[last] as string) + text;
  else out.push(text);
}

/** A templated ARN value resolved for this request (variables become literal text). */
function resolvedArnPattern(tokens: readonly GlobToken[], lookup: ContextLookup): ArnPattern | undefined {
  const flat: GlobToken[] = [];
  for (const t of tokens) {
    if (typeof t === "object") {
      const v = varValue(t, lookup);
      if (v === undefined) return undefined;
      if (v !== "") pushText(flat, v);
    } else if (typeof t === "string") pushText(flat, t);
    else flat.push(t);
  }
  return flat.length === 0 ? null : arnPattern(flat);
}

/** Does the request value match an ARN pattern (six segments, the last one takes the rest)? */
function matchArn(segs: GlobToken[][], c: string): boolean {
  if (segs.length < 6) return false;
  let from = 0;
  for (let k = 0; k < 5; k++) {
    const to = c.indexOf(":", from);
    if (to < 0) return false;
    if (!matchTokens(segs[k], c, undefined, from, to)) return false;
    from = to + 1;
  }
  return matchTokens(segs[5], c, undefined, from, c.length);
}

/** Exact comparison of a request value with a templated policy value (its `*` is literal). */
function equalsTemplate(tokens: readonly GlobToken[], c: string, lookup: ContextLookup): boolean {
  let pos = 0;
  for (const t of tokens) {
    const s = typeof t === "string" ? t : typeof t === "object" ? varValue(t, lookup) : t === STAR ? "*" : "?";
    if (s === undefined || !c.startsWith(s, pos)) return false;
    pos += s.length;
  }
  return pos === c.length;
}

function resolveText(tokens: readonly GlobToken[], lookup: ContextLookup): string | undefined {
  let out = "";
  for (const t of tokens) {
    const s = typeof t === "string" ? t : typeof t === "object" ? varValue(t, lookup) : t === STAR ? "*" : "?";
    if (s === undefined) return undefined;
    out += s;
  }
  return out;
}

export interface CompiledCondition {
  operator: string;
  key: string;
  keyLower: string;
  values: string[];
  op?: ParsedOperator;
  /** Why this condition cannot be evaluated (unknown operator, value of the wrong type). */
  unevaluable?: string;
  m: Match;
  /** Equals / IgnoreCase (lower-cased) / Bool (lower-cased): the static policy values. */
  strs?: string[];
  /** Like: every policy value's tokens (templated ones hold VarTokens). */
  globs?: GlobToken[][];
  /** Arn: static values' patterns. */
  arns?: ArnPattern[];
  /** Numeric and Date: the policy values; `cmp` the comparison. */
  nums?: number[];
  cmp?: Cmp;
  cidrs?: Cidr[];
  /** Policy values holding variables (String and Arn operators), resolved per request. */
  tpls?: GlobToken[][];
}

// Compile-time caches: policies repeat the same CIDR blocks, patterns and dates.
const cidrOf = cached(new Map<string, Cidr | null>(), parseCidr);
const tokenCache = new Map<string, GlobToken[]>();
function tokensOf(pattern: string): GlobToken[] {
  let t = tokenCache.get(pattern);
  if (!t) {
    if (tokenCache.size >= 10_000) tokenCache.clear();
    t = globTokens(pattern);
    tokenCache.set(pattern, t);
  }
  return t;
}

export function compileCondition(operator: string, key: string, values: string[], substitute: boolean): CompiledCondition {
  const cc: CompiledCondition = { operator, key, keyLower: key.toLowerCase(), values, m: Match.Equals };
  const op = parseOperator(operator);
  if (!op) {
    cc.unevaluable = `unknown condition operator ${operator}`;
    return cc;
  }
  cc.op = op;
  switch (op.family) {
    case "Null":
      cc.m = Match.Null;
      for (const v of values)
        if (v.toLowerCase() !== "true" && v.toLowerCase() !== "false") cc.unevaluable = `Null needs "true" or "false", not "${v}"`;
      return cc;
    case "String": {
      const like = op.base === "StringLike" || op.base === "StringNotLike";
      const ic = op.base === "StringEqualsIgnoreCase" || op.base === "StringNotEqualsIgnoreCase";
      cc.m = like ? Match.Like : ic ? Match.EqualsIgnoreCase : Match.Equals;
      if (like) cc.globs = [];
      else cc.strs = [];
      for (const v of values) {
        const t = substitute ? templateTokens(v, like) : undefined;
        if (t) (cc.tpls ??= []).push(t);
        if (like) cc.globs!.push(t ?? tokensOf(v));
        else if (!t) cc.strs!.push(ic ? v.toLowerCase() : v);
      }
      return cc;
    }
    case "Arn":
      cc.m = Match.Arn;
      cc.arns = [];
      for (const v of values) {
        const t = substitute ? templateTokens(v) : undefined;
        if (t) (cc.tpls ??= []).push(t);
        else {
          const tokens = tokensOf(v);
          cc.arns.push(v.startsWith("arn:") ? arnPattern(tokens) : null);
          // A value not written as an ARN (e.g. "*") is a plain glob.
          if (!v.startsWith("arn:")) (cc.globs ??= []).push(tokens);
        }
      }
      return cc;
    case "Numeric":
    case "Date": {
      cc.m = op.family === "Numeric" ? Match.Numeric : Match.Date;
      cc.cmp = cmpOf(op.base);
      cc.nums = [];
      for (const v of values) {
        const n = op.family === "Numeric" ? cachedNumber(v) : cachedDate(v);
        if (n === undefined) {
          cc.unevaluable = `"${v}" is not a ${op.family === "Numeric" ? "number" : "date"}`;
          return cc;
        }
        cc.nums.push(n);
      }
      return cc;
    }
    case "Bool":
      cc.m = Match.Bool;
      cc.strs = values.map((v) => v.toLowerCase());
      return cc;
    case "Binary":
      cc.m = Match.Equals;
      cc.strs = values;
      return cc;
    case "Ip":
      cc.m = Match.Ip;
      cc.cidrs = [];
      for (const v of values) {
        const c = cidrOf(v);
        if (!c) {
          cc.unevaluable = `"${v}" is not an IP address or CIDR block`;
          return cc;
        }
        cc.cidrs.push(c);
      }
      return cc;
  }
  return cc;
}

/** Does one request value match any of the policy values (the positive test of the operator)? */
function positive(cc: CompiledCondition, c: string, lookup: ContextLookup): boolean {
  switch (cc.m) {
    case Match.Equals: {
      const strs = cc.strs!;
      for (let k = 0; k < strs.length; k++) if (strs[k] === c) return true;
      const tpls = cc.tpls;
      if (tpls) for (let k = 0; k < tpls.length; k++) if (equalsTemplate(tpls[k], c, lookup)) return true;
      return false;
    }
    case Match.EqualsIgnoreCase: {
      const l = c.toLowerCase();
      const strs = cc.strs!;
      for (let k = 0; k < strs.length; k++) if (strs[k] === l) return true;
      const tpls = cc.tpls;
      if (tpls)
        for (let k = 0; k < tpls.length; k++) {
          const r = resolveText(tpls[k], lookup);
          if (r !== undefined && r.toLowerCase() === l) return true;
        }
      return false;
    }
    case Match.Like: {
      const globs = cc.globs!;
      for (let k = 0; k < globs.length; k++) if (matchTokens(globs[k], c, lookup)) return true;
      return false;
    }
    case Match.Arn: {
      const arns = cc.arns!;
      const isArn = countColons(c) >= 5;
      if (isArn) for (let k = 0; k < arns.length; k++) if (arns[k] && matchArn(arns[k]!, c)) return true;
      const globs = cc.globs;
      if (globs) for (let k = 0; k < globs.length; k++) if (matchTokens(globs[k], c)) return true;
      const tpls = cc.tpls;
      if (tpls)
        for (let k = 0; k < tpls.length; k++) {
          const p = resolvedArnPattern(tpls[k], lookup);
          if (p === undefined) continue; // a variable without a value: matches nothing
          if (p === null ? matchTokens(tpls[k], c, lookup) : isArn && matchArn(p, c)) return true;
        }
      return false;
    }
    case Match.Numeric:
    case Match.Date: {
      const v = cc.m === Match.Numeric ? cachedNumber(c) : cachedDate(c);
      if (v === undefined) return false;
      const nums = cc.nums!;
      for (let k = 0; k < nums.length; k++) if (compare(cc.cmp!, v, nums[k])) return true;
      return false;
    }
    case Match.Bool: {
      const l = c.toLowerCase();
      const strs = cc.strs!;
      for (let k = 0; k < strs.length; k++) if (strs[k] === l) return true;
      return false;
    }
    case Match.Ip: {
      const ip = cachedIp(c);
      if (ip === undefined) return false;
      const cidrs = cc.cidrs!;
      for (let k = 0; k < cidrs.length; k++) if (cidrContains(cidrs[k], ip)) return true;
      return false;
    }
    default:
      return false;
  }
}

function countColons(s: string): number {
  let n = 0;
  for (let k = s.indexOf(":"); k >= 0 && n < 5; k = s.indexOf(":", k + 1)) n++;
  return n;
}

/**
 * True when a negated condition has a policy value whose variable the request cannot resolve:
 * "not equal to a value the request cannot supply" cannot be established, so it does not match.
 */
export function negatedUnresolved(cc: CompiledCondition, lookup: ContextLookup): boolean {
  const tpls = cc.tpls;
  if (!tpls || !cc.op?.negated) return false;
  for (let k = 0; k < tpls.length; k++) if (!tokensResolvable(tpls[k], lookup)) return true;
  return false;
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
  if (cc.m === Match.Null) {
    // "true": the key must be absent; "false": the key must be present. Values are ORed.
    const values = cc.values;
    for (let k = 0; k < values.length; k++) if ((values[k].toLowerCase() === "true") !== present) return true;
    return false;
  }
  if (!present) {
    if (op.ifExists) return true;
    if (op.set === "all") return true;
    if (op.set === "any") return false;
    return op.negated && !negatedUnresolved(cc, lookup);
  }
  if (op.negated && cc.tpls && negatedUnresolved(cc, lookup)) return false;
  const values = ctx!;
  if (op.set === "any") {
    for (let i = 0; i < values.length; i++) if (positive(cc, values[i], lookup) !== op.negated) return true;
    return false;
  }
  if (op.set === "all") {
    for (let i = 0; i < values.length; i++) if (positive(cc, values[i], lookup) === op.negated) return false;
    return true;
  }
  let anyMatch = false;
  for (let i = 0; i < values.length && !anyMatch; i++) anyMatch = positive(cc, values[i], lookup);
  return op.negated ? !anyMatch : anyMatch;
}
