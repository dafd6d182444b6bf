/**
 * Compiling a stored policy document once into matchers, cached by its text.
 *
 * The cache is bounded by an estimate of the memory its entries hold (64 MiB by default), not by
 * a count: an organization's hard policies and its one-line policies differ a hundredfold in size.
 * Eviction is least-recently-used. Lookups by text do not hash the whole text: a request whose
 * policies come fresh from a database hands over new string objects every time, and hashing a
 * 6,000-character string costs tens of microseconds; a hash of sampled characters plus the length
 * picks the bucket, and `===` (a memory compare) confirms the entry (see sampledHash).
 */
import { compileCondition, type CompiledCondition } from "./conditions";
import { readPolicyDocument, readPolicyDocumentFast } from "./document";
import { positionAt } from "./json-source";
import { compilePrincipal, type CompiledPrincipal } from "./principal";
import type { PolicyStatement, Span } from "./types";
import { templateTokens } from "./variables";
import { globTokens, matchTokens, tokensResolvable, type ContextLookup, type GlobToken } from "./wildcard";

/**
 * A compiled pattern: the literal string itself when it has no wildcard and no variable (an exact
 * comparison), else its glob tokens (a pattern with policy variables holds VarTokens, resolved
 * per request).
 */
export type CompiledGlob = string | GlobToken[];

export function matchGlob(g: CompiledGlob, v: string, lookup?: ContextLookup): boolean {
  return typeof g === "string" ? g === v : matchTokens(g, v, lookup);
}

export interface CompiledResources {
  not: boolean;
  /** The patterns as written (for explanations). */
  raw: string[];
  globs: CompiledGlob[];
  /** True when some pattern holds a policy variable. */
  template: boolean;
}

/**
 * A statement of a compiled policy. Its head (effect, actions, the services its resources name) is
 * compiled with the policy; its body (resource patterns, principal, conditions) when a request
 * first looks past the action: most statements of a policy never match a given service's actions,
 * and a policy seen once pays only for what that request reads. Call statementBody first.
 */
export interface CompiledStatement {
  index: number;
  sid?: string;
  /** "Deny" also for an unknown Effect (fail closed, see README). */
  effect: "Allow" | "Deny";
  effectUnknown?: string;
  actionNot: boolean;
  actionPatterns: string[];
  /** null when the statement has neither Resource nor NotResource (trust policies): matches any resource. */
  resource: CompiledResources | null;
  /**
   * The services the Resource patterns name literally (ids from serviceId), or null when some
   * pattern does not ("*", a wildcard in the service, NotResource, no Resource): a statement none
   * of whose services is the request resource's cannot match it.
   */
  services: number[] | null;
  principal: CompiledPrincipal | null;
  /** The conditions in policy order (explanations) ... */
  conditions: CompiledCondition[];
  /** ... and in evaluation order: cheapest first (they are ANDed, the order changes nothing else). */
  conditionsByCost: CompiledCondition[];
  /** True when some condition cannot be evaluated. */
  hasUnevaluable: boolean;
  /** The statement as read while its body is not compiled yet (then resource, principal and conditions are placeholders). */
  pending: PolicyStatement | null;
  /** The policy holding it (its memory estimate grows when the body is compiled). */
  owner: CompiledPolicy | null;
}

/** Candidate statements split by effect: denies are looked at first (a deny ends the evaluation). */
export interface ServiceCandidates {
  deny: CompiledStatement[];
  allow: CompiledStatement[];
}

export interface CompiledPolicy {
  text: string;
  /** Set when the stored text cannot be read as a policy: the policy then denies (see README). */
  error?: string;
  substitute: boolean;
  statements: CompiledStatement[];
  /**
   * Request key (requestKey: an action and a resource service) -> the statements whose
   * Action/NotAction matches the action and whose Resource can name a resource of the service.
   */
  memo: Map<number, ServiceCandidates>;
  /** Source spans of the statements, read on demand (explanations only). */
  spans?: Span[];
  /** Estimated bytes held by this entry (text, compiled form, action memo). */
  bytes: number;
  /** The text has characters beyond Latin-1 (its substrings may be two-byte strings: memory estimate). */
  wide: boolean;
  /** Cache bookkeeping: sampled hash, bucket chain, LRU neighbours (toward newer / older). */
  hash: number;
  chain: CompiledPolicy | undefined;
  newer: CompiledPolicy | undefined;
  older: CompiledPolicy | undefined;
  cached: boolean;
}

const MAX_MEMO = 512;

// ---------------------------------------------------------------- compiling

const NO_STATEMENTS: PolicyDocumentLike = { Statement: [] };
interface PolicyDocumentLike {
  Version?: string;
  Statement: PolicyStatement[];
}

function compileStatements(text: string): CompiledPolicy {
  // An empty Statement array is a policy without statements: it allows nothing (and denies nothing).
  let doc: PolicyDocumentLike | undefined = readPolicyDocumentFast(text, { allowNoStatements: true });
  let spans: Span[] | undefined;
  if (!doc) {
    const r = readPolicyDocument(text, { allowNoStatements: true });
    if (!r.ok) {
      const at = positionAt(text, r.offset);
      return emptyPolicy(text, `${r.message}${r.detail ? ` ${r.detail}` : ""} (line ${at.line}, column ${at.column})`);
    }
    doc = r.read.document;
    spans = r.read.document.Statement.map((st) => st.span);
  }
  doc ??= NO_STATEMENTS;
  const substitute = doc.Version === "2012-10-17";
  const statements: CompiledStatement[] = new Array(doc.Statement.length);
  const p = newPolicy(text, substitute, statements);
  for (let index = 0; index < statements.length; index++) {
    const st = doc.Statement[index];
    const resList = st.Resource;
    const known = st.Effect === "Allow" || st.Effect === "Deny";
    const out: CompiledStatement = {
      index,
      sid: st.Sid,
      effect: known ? st.Effect : "Deny",
      actionNot: st.NotAction !== undefined,
      actionPatterns: st.Action ?? st.NotAction ?? EMPTY_STRINGS,
      resource: null,
      services: resList ? servicesOfRaw(resList) : null,
      principal: null,
      conditions: EMPTY_CONDITIONS,
      conditionsByCost: EMPTY_CONDITIONS,
      hasUnevaluable: !known,
      pending: st,
      owner: p,
    };
    if (!known) out.effectUnknown = String(st.Effect);
    statements[index] = out;
  }
  if (spans) p.spans = spans;
  p.wide = WIDE.test(text);
  p.bytes = estimateBytes(p);
  return p;
}

const WIDE = /[^\u0000-\u00ff]/;
const EMPTY_CONDITIONS: CompiledCondition[] = [];

/**
 * Compile a statement's body (resource patterns, principal, conditions) if it is not yet: on the
 * first request that reaches it, or an explanation. The owner's memory estimate (and the cache's,
 * while it is cached) grows by the difference.
 */
export function statementBody(st: CompiledStatement): CompiledStatement {
  const src = st.pending;
  if (src === null) return st;
  const p = st.owner!;
  const before = pendingBytes(src, p.wide);
  const substitute = p.substitute;
  const resList = src.Resource ?? src.NotResource;
  if (resList) {
    const globs: CompiledGlob[] = new Array(resList.length);
    let template = false;
    for (let k = 0; k < resList.length; k++) {
      const raw = resList[k];
      const t = substitute && raw.includes("${") ? templateTokens(raw) : undefined;
      if (t) template = true;
      globs[k] = t ?? compiledGlob(raw);
    }
    st.resource = { not: src.NotResource !== undefined, raw: resList, globs, template };
  }
  const block = src.Condition;
  if (block) {
    const conditions: CompiledCondition[] = [];
    for (const op in block) {
      const keys = block[op];
      for (const key in keys) conditions.push(internedCondition(op, key, keys[key], substitute));
    }
    for (const c of conditions) if (c.unevaluable !== undefined) st.hasUnevaluable = true;
    st.conditions = conditions;
    st.conditionsByCost = conditions.length > 1 ? byCost(conditions) : conditions;
  }
  const pBlock = src.Principal ?? src.NotPrincipal;
  if (pBlock) st.principal = compilePrincipal(pBlock, src.NotPrincipal !== undefined);
  st.pending = null;
  const wasWide = wide;
  wide = p.wide;
  const delta = bodyBytes(st) - before;
  wide = wasWide;
  if (p.cached) refStatement(st, 1);
  dropUnusedFresh();
  account(p, delta);
  return st;
}

const EMPTY_STRINGS: string[] = [];

/**
 * Compiled conditions are immutable, and policies repeat the same ones: they are shared through a
 * table keyed by operator, key, values and substitution, with a count of the cached policies that
 * use each. A policy's estimate counts a pointer per condition; the table counts each condition
 * once while some cached policy uses it, and drops it when none does.
 */
interface SharedCondition {
  condition: CompiledCondition;
  /** The table slot holding it: its map and key there, and the operator and condition key above it. */
  home: Map<string, SharedCondition>;
  key: string;
  opKey: string;
  condKey: string;
  refs: number;
  bytes: number;
}
/**
 * substitute ("1"/"0") + operator -> condition key -> the values: one value by itself, several
 * joined by NUL in a second map. Nested maps hash the policy's own strings instead of a
 * concatenation of them (a new string per condition, flattened and hashed whole).
 */
interface KeySlots {
  single: Map<string, SharedCondition>;
  multi: Map<string, SharedCondition>;
}
const conditionTable = new Map<string, Map<string, KeySlots>>();
let sharedConditions = 0;
const sharedOf = new WeakMap<CompiledCondition, SharedCondition>();
/** Conditions created by the compile in progress: dropped again if no cached policy takes them. */
const fresh: SharedCondition[] = [];

function internedCondition(op: string, key: string, values: string[], substitute: boolean): CompiledCondition {
  const opKey = substitute ? op : "\u0000" + op;
  let byKey = conditionTable.get(opKey);
  if (byKey === undefined) conditionTable.set(opKey, (byKey = new Map()));
  let slots = byKey.get(key);
  if (slots === undefined) byKey.set(key, (slots = { single: new Map(), multi: new Map() }));
  const home = values.length === 1 ? slots.single : slots.multi;
  const k = values.length === 1 ? values[0] : values.join("\u0000");
  let sc = home.get(k);
  if (sc === undefined) {
    const condition = compileCondition(op, key, values, substitute);
    // The key string, the slot and (amortized) the operator and key maps.
    sc = { condition, home, key: k, opKey, condKey: key, refs: 0, bytes: conditionBytes(condition) + stringBytes(k) + OBJ + 5 * FIELD + 48 + 64 };
    home.set(k, sc);
    sharedConditions++;
    sharedOf.set(condition, sc);
    fresh.push(sc);
  }
  return sc.condition;
}

function dropShared(sc: SharedCondition): void {
  if (sc.home.get(sc.key) !== sc) return;
  sc.home.delete(sc.key);
  sharedConditions--;
  if (sc.home.size > 0) return;
  // No condition left under this operator and key: drop the empty maps too.
  const byKey = conditionTable.get(sc.opKey);
  const slots = byKey?.get(sc.condKey);
  if (!byKey || !slots || slots.single.size + slots.multi.size > 0) return;
  byKey.delete(sc.condKey);
  if (byKey.size === 0) conditionTable.delete(sc.opKey);
}

/** Count (or stop counting) the shared conditions of a policy's compiled statements as used by a cached policy. */
function refConditions(p: CompiledPolicy, delta: 1 | -1): void {
  for (const st of p.statements) refStatement(st, delta);
}

function refStatement(st: CompiledStatement, delta: 1 | -1): void {
  for (const c of st.conditions) {
    const sc = sharedOf.get(c);
    if (!sc) continue;
    if (delta > 0) {
      if (sc.refs++ === 0) totalBytes += sc.bytes;
    } else if (--sc.refs === 0) {
      totalBytes -= sc.bytes;
      dropShared(sc);
    }
  }
}

function dropUnusedFresh(): void {
  for (const sc of fresh) if (sc.refs === 0) dropShared(sc);
  fresh.length = 0;
}

/** A pattern without variables: the string itself when it has no wildcard, else tokens (shared). */
function compiledGlob(raw: string): CompiledGlob {
  if (raw.indexOf("*") < 0 && raw.indexOf("?") < 0) return raw;
  return sharedTokens(raw);
}

/** Glob tokens by pattern, shared by every policy that writes the same pattern (bounded). */
const tokenCache = new Map<string, GlobToken[]>();
function sharedTokens(pattern: string): GlobToken[] {
  let t = tokenCache.get(pattern);
  if (!t) {
    if (tokenCache.size >= 20_000) tokenCache.clear();
    t = globTokens(pattern);
    tokenCache.set(pattern, t);
  }
  return t;
}

const serviceIds = new Map<string, number>();
/** A small integer per service name ("s3", "dynamodb", ...), for the statement prefilter. */
export function serviceId(service: string): number {
  let id = serviceIds.get(service);
  if (id === undefined) {
    if (serviceIds.size >= 100_000) return -1;
    id = serviceIds.size;
    serviceIds.set(service, id);
  }
  return id;
}

/** The service field of an ARN (`arn:partition:SERVICE:...`), or undefined. */
export function arnService(arn: string): string | undefined {
  if (!arn.startsWith("arn:")) return undefined;
  const a = arn.indexOf(":", 4);
  if (a < 0) return undefined;
  const b = arn.indexOf(":", a + 1);
  return b < 0 ? undefined : arn.slice(a + 1, b);
}

/**
 * The services the Resource patterns name literally (their text before any wildcard or `$`), or
 * null. Cutting at any `$` (a variable or not) can only shorten the literal lead: a lead too short
 * to name its service gives null, which filters nothing.
 */
function servicesOfRaw(patterns: string[]): number[] | null {
  let ids: number[] | null = null;
  for (let k = 0; k < patterns.length; k++) {
    const raw = patterns[k];
    let end = raw.length;
    for (let i = 0; i < end; i++) {
      const c = raw.charCodeAt(i);
      if (c === 42 || c === 63 || c === 36) end = i; // '*', '?', '$'
    }
    const lead = end === raw.length ? raw : raw.slice(0, end);
    // The literal lead must reach the colon after the service field.
    const svc = arnService(lead);
    if (svc === undefined) return null;
    const id = serviceId(svc);
    if (id < 0) return null;
    if (!ids) ids = [id];
    else if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** The conditions, cheapest first (a stable insertion sort: there are a handful). */
function byCost(conditions: CompiledCondition[]): CompiledCondition[] {
  const out = conditions.slice();
  const costs = out.map(conditionCost);
  for (let i = 1; i < out.length; i++) {
    const c = out[i];
    const k = costs[i];
    let j = i - 1;
    for (; j >= 0 && costs[j] > k; j--) {
      out[j + 1] = out[j];
      costs[j + 1] = costs[j];
    }
    out[j + 1] = c;
    costs[j + 1] = k;
  }
  return out;
}

/** Rough cost of a condition, to evaluate the cheap ones first. */
function conditionCost(c: CompiledCondition): number {
  const op = c.op;
  if (!op || c.unevaluable !== undefined) return 0;
  let cost: number;
  switch (op.family) {
    case "Null":
    case "Bool":
    case "Binary":
      cost = 1;
      break;
    case "Numeric":
    case "Date":
      cost = 2;
      break;
    case "String":
      cost = op.base.includes("Like") ? 4 : op.base.includes("IgnoreCase") ? 3 : 2;
      break;
    case "Ip":
      cost = 3;
      break;
    default:
      cost = 5; // Arn
  }
  if (c.tpls) cost += 2;
  if (op.set) cost += 2;
  return cost;
}

/** Source spans of a policy's statements (read once, on demand: explanations only). */
export function statementSpan(p: CompiledPolicy, index: number): Span {
  if (index < 0) return { start: 0, end: 0 };
  if (!p.spans) {
    const r = readPolicyDocument(p.text, { allowNoStatements: true });
    p.spans = r.ok ? r.read.document.Statement.map((st) => st.span) : [];
  }
  return p.spans[index] ?? { start: 0, end: 0 };
}

function newPolicy(text: string, substitute: boolean, statements: CompiledStatement[]): CompiledPolicy {
  return { text, substitute, statements, memo: new Map(), bytes: 0, wide: false, hash: 0, chain: undefined, newer: undefined, older: undefined, cached: false };
}

function emptyPolicy(text: string, error: string): CompiledPolicy {
  const p = newPolicy(text, false, []);
  p.error = error;
  p.bytes = 400 + stringBytes(text) + stringBytes(error);
  return p;
}

// ---------------------------------------------------------------- memory estimate
// Sizes of V8 heap objects on a 64-bit Node.js (no pointer compression), rounded up: an object
// header is 24 bytes plus 8 per field; an array 32 plus 8 per element; a string 24 plus its
// characters (one byte each for Latin-1 text, two otherwise). Measured against the heap by
// `npm run bench:policy-hard` (it prints estimate / heap).

const OBJ = 24;
const FIELD = 8;
const ARR = 32;

let wide = false;
function stringBytes(s: string | undefined): number {
  if (s === undefined) return 0;
  return (24 + (wide ? 2 : 1) * s.length + 7) & ~7;
}

function tokensBytes(tokens: GlobToken[]): number {
  let b = ARR + FIELD * tokens.length;
  for (const t of tokens) b += typeof t === "string" ? stringBytes(t) : typeof t === "object" ? OBJ + 3 * FIELD + stringBytes(t.keyLower) : 0;
  return b;
}

function globBytes(g: CompiledGlob): number {
  return typeof g === "string" ? 0 : tokensBytes(g); // a string is the pattern itself, counted with `raw`
}

function estimateBytes(p: CompiledPolicy): number {
  wide = p.wide;
  let b = OBJ + 13 * FIELD + stringBytes(p.text) + 120; // the policy, its text, an empty Map
  b += ARR + FIELD * p.statements.length;
  for (const st of p.statements) b += headBytes(st) + (st.pending !== null ? pendingBytes(st.pending, p.wide) : bodyBytes(st));
  return b;
}

/** The statement object, its Sid, actions and services. */
function headBytes(st: CompiledStatement): number {
  let b = OBJ + 16 * FIELD;
  if (st.services) b += ARR + FIELD * st.services.length;
  b += stringBytes(st.sid);
  b += ARR + FIELD * st.actionPatterns.length;
  for (const a of st.actionPatterns) b += stringBytes(a);
  return b;
}

/** A statement's body as JSON.parse left it (kept until compiled): its object, resource list, principal and condition objects. */
function pendingBytes(src: PolicyStatement, isWide: boolean): number {
  const was = wide;
  wide = isWide;
  let b = OBJ + 8 * FIELD;
  const res = src.Resource ?? src.NotResource;
  if (res) {
    b += ARR + FIELD * res.length;
    for (const r of res) b += stringBytes(r);
  }
  const pr = src.Principal ?? src.NotPrincipal;
  if (pr && typeof pr === "object")
    for (const k in pr) {
      b += FIELD + ARR + FIELD * pr[k].length;
      for (const v of pr[k]) b += stringBytes(v);
    }
  const block = src.Condition;
  if (block)
    for (const op in block) {
      const keys = block[op];
      b += FIELD + OBJ; // operator and key names are internalized strings, shared by every policy
      for (const key in keys) {
        const vals = keys[key];
        b += FIELD + ARR + FIELD * vals.length;
        for (const v of vals) b += stringBytes(v);
      }
    }
  wide = was;
  return b;
}

/** A compiled body: resource patterns, principal, a pointer per (shared) condition. */
function bodyBytes(st: CompiledStatement): number {
  let b = 0;
  if (st.resource) {
    const r = st.resource;
    b += OBJ + 4 * FIELD + 2 * (ARR + FIELD * r.raw.length);
    for (let k = 0; k < r.raw.length; k++) b += stringBytes(r.raw[k]) + globBytes(r.globs[k]);
  }
  if (st.principal) {
    b += OBJ + 2 * FIELD + ARR + FIELD * st.principal.entries.length;
    for (const e of st.principal.entries) b += OBJ + 6 * FIELD + stringBytes(e.value) + (e.account ? 40 : 0) + (e.role ? OBJ + 2 * FIELD + stringBytes(e.role.name) : 0);
  }
  b += 2 * (ARR + FIELD * st.conditions.length);
  // The conditions are shared (see internedCondition): a pointer each, counted above.
  return b;
}

function conditionBytes(c: CompiledCondition): number {
  let b = OBJ + 14 * FIELD + stringBytes(c.keyLower); // operator, key and the parsed operator are shared
  b += ARR + FIELD * c.values.length;
  for (const v of c.values) b += stringBytes(v);
  if (c.strs) b += ARR + FIELD * c.strs.length; // the strings are the values, or their lower case:
  if (c.strs && c.m !== 0) for (const v of c.strs) b += stringBytes(v);
  if (c.globs) for (const t of c.globs) b += FIELD + tokensBytes(t);
  if (c.arns) for (const a of c.arns) b += FIELD + (a ? ARR + a.reduce((n, t) => n + FIELD + tokensBytes(t), 0) : 0);
  if (c.tpls) for (const t of c.tpls) b += FIELD + tokensBytes(t);
  if (c.nums) b += ARR + 16 * c.nums.length;
  if (c.cidrs) b += ARR + (OBJ + 9 * FIELD) * c.cidrs.length;
  return b;
}

// ---------------------------------------------------------------- the cache

export const DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;

const buckets = new Map<number, CompiledPolicy>();
let newest: CompiledPolicy | undefined;
let oldest: CompiledPolicy | undefined;
let entries = 0;
let totalBytes = 0;
let maxBytes = DEFAULT_CACHE_BYTES;
let hits = 0;
let misses = 0;
let evictions = 0;

/**
 * Hash of the length, 48 evenly spaced characters and the last 32: it reads a few dozen cache
 * lines of a long text, not all of them. Texts that collide (same length, same samples) share a
 * bucket and are told apart by `===`; a bucket that grows past MAX_CHAIN entries is looked up
 * through a Map keyed by the full text instead (V8 then hashes the whole text), so near-identical
 * policies cannot make a lookup scan a long chain.
 */
function sampledHash(s: string): number {
  const n = s.length;
  let h = Math.imul(n, 0x9e3779b1) ^ 0x811c9dc5;
  const step = n > 48 ? Math.floor(n / 48) : 1;
  for (let k = 0; k < n; k += step) h = Math.imul(h ^ s.charCodeAt(k), 0x01000193);
  for (let k = n > 32 ? n - 32 : 0; k < n; k++) h = Math.imul(h ^ s.charCodeAt(k), 0x01000193);
  return h >>> 0;
}

const MAX_CHAIN = 8;
/** Buckets that overflowed: looked up by the full text (their entries are no longer chained). */
const overflow = new Map<number, Map<string, CompiledPolicy>>();

function find(text: string, hash: number): CompiledPolicy | undefined {
  for (let e = buckets.get(hash); e; e = e.chain) if (e.text === text) return e;
  return overflow.get(hash)?.get(text);
}

function insert(e: CompiledPolicy): void {
  const big = overflow.get(e.hash);
  if (big) {
    big.set(e.text, e);
    return;
  }
  e.chain = buckets.get(e.hash);
  buckets.set(e.hash, e);
  let length = 0;
  for (let p: CompiledPolicy | undefined = e; p; p = p.chain) length++;
  if (length > MAX_CHAIN) {
    const m = new Map<string, CompiledPolicy>();
    for (let p: CompiledPolicy | undefined = e; p; ) {
      const next: CompiledPolicy | undefined = p.chain;
      p.chain = undefined;
      m.set(p.text, p);
      p = next;
    }
    buckets.delete(e.hash);
    overflow.set(e.hash, m);
  }
}

function unlinkLru(e: CompiledPolicy): void {
  if (e.newer) e.newer.older = e.older;
  else newest = e.older;
  if (e.older) e.older.newer = e.newer;
  else oldest = e.newer;
  e.newer = e.older = undefined;
}

function pushNewest(e: CompiledPolicy): void {
  e.older = newest;
  e.newer = undefined;
  if (newest) newest.newer = e;
  newest = e;
  if (!oldest) oldest = e;
}

function remove(e: CompiledPolicy): void {
  unlinkLru(e);
  const big = overflow.get(e.hash);
  if (big) {
    if (big.get(e.text) === e) big.delete(e.text);
    if (big.size === 0) overflow.delete(e.hash);
  } else {
    const head = buckets.get(e.hash);
    if (head === e) {
      if (e.chain) buckets.set(e.hash, e.chain);
      else buckets.delete(e.hash);
    } else for (let p = head; p; p = p.chain) if (p.chain === e) p.chain = e.chain;
  }
  e.chain = undefined;
  e.cached = false;
  entries--;
  totalBytes -= e.bytes;
  refConditions(e, -1);
}

function evictToFit(): void {
  // Keep the newest entry even when it alone exceeds the bound.
  while (totalBytes > maxBytes && oldest && oldest !== newest) {
    remove(oldest);
    evictions++;
  }
}

/** Compile (or fetch from the cache) a policy text. Never throws. */
export function compilePolicy(text: string): CompiledPolicy {
  const hash = sampledHash(text);
  const hit = find(text, hash);
  if (hit) {
    hits++;
    if (hit !== newest) {
      unlinkLru(hit);
      pushNewest(hit);
    }
    return hit;
  }
  misses++;
  let compiled: CompiledPolicy;
  try {
    compiled = compileStatements(text);
  } catch (e) {
    compiled = emptyPolicy(text, `cannot compile: ${(e as Error)?.message ?? e}`);
    dropUnusedFresh();
  }
  compiled.hash = hash;
  insert(compiled);
  compiled.cached = true;
  pushNewest(compiled);
  entries++;
  totalBytes += compiled.bytes;
  refConditions(compiled, 1);
  dropUnusedFresh();
  evictToFit();
  return compiled;
}

/** Bumped by clearPolicyCache so that derived caches (loaded policies) are dropped too. */
export let cacheEpoch = 0;

/** Empty the cache (and reset its statistics); `maxBytes` sets its bound (default 64 MiB). */
export function clearPolicyCache(options: { maxBytes?: number } = {}): void {
  // Entries dropped here are no longer counted: mark them so that a holder does not count them again.
  for (let e = newest; e; e = e.older) e.cached = false;
  buckets.clear();
  overflow.clear();
  conditionTable.clear();
  sharedConditions = 0;
  newest = oldest = undefined;
  entries = totalBytes = hits = misses = evictions = 0;
  cacheEpoch++;
  if (options.maxBytes !== undefined) maxBytes = Math.max(0, options.maxBytes);
}

export function policyCacheSize(): number {
  return entries;
}

export interface PolicyCacheStats {
  entries: number;
  /** Estimated bytes held by the cached policies. */
  bytes: number;
  maxBytes: number;
  hits: number;
  misses: number;
  evictions: number;
  /** Compiled conditions shared between policies (their bytes are part of `bytes`). */
  sharedConditions: number;
}

export function policyCacheStats(): PolicyCacheStats {
  return { entries, bytes: totalBytes, maxBytes, hits, misses, evictions, sharedConditions };
}

// ---------------------------------------------------------------- matching

/** What a request key stands for: a request's action (as written, and lower-cased) and resource service. */
export interface RequestKey {
  key: number;
  actionLower: string;
  service: number;
}

/**
 * Request keys by service id and action as written: one Map lookup per request instead of a
 * lower-casing and two lookups per policy. Keys are never reused (a cleared table hands out new
 * ones), so a policy's memo never answers for another pair.
 */
const requestKeys = new Map<string, RequestKey>();
let nextRequestKey = 0;

export function requestKey(action: string, service: number): RequestKey {
  const id = service + " " + action;
  let k = requestKeys.get(id);
  if (k === undefined) {
    if (requestKeys.size >= 20_000) requestKeys.clear();
    if (nextRequestKey >= 0x3fffffff) {
      // Keep keys small integers: start again with no memo holding an old one.
      clearPolicyCache({});
      nextRequestKey = 0;
    }
    k = { key: nextRequestKey++, actionLower: action.toLowerCase(), service };
    requestKeys.set(id, k);
  }
  return k;
}

const NO_CANDIDATES: CompiledStatement[] = [];

/**
 * The statements of a policy that can apply to the request's action on a resource of its service
 * (an id from serviceId, -2 for a resource that names no service): those whose Action/NotAction
 * matches the action, less those whose Resource names only other services. Memoized per policy.
 */
export function candidateStatements(p: CompiledPolicy, rk: RequestKey): ServiceCandidates {
  let hit = p.memo.get(rk.key);
  if (hit !== undefined) return hit;
  let deny = NO_CANDIDATES;
  let allow = NO_CANDIDATES;
  const sts = p.statements;
  const service = rk.service;
  for (let k = 0; k < sts.length; k++) {
    const st = sts[k];
    if (actionMatchIndex(st, rk.actionLower) >= 0 === st.actionNot) continue;
    if (st.services !== null && !st.services.includes(service)) continue;
    if (st.effect === "Deny") {
      if (deny === NO_CANDIDATES) deny = [];
      deny.push(st);
    } else {
      if (allow === NO_CANDIDATES) allow = [];
      allow.push(st);
    }
  }
  hit = { deny, allow };
  let delta = serviceListBytes(hit);
  if (p.memo.size >= MAX_MEMO) {
    for (const c of p.memo.values()) delta -= serviceListBytes(c);
    p.memo.clear();
  }
  p.memo.set(rk.key, hit);
  account(p, delta);
  return hit;
}

/** Bytes a memo entry holds: the Map slot, the object, its lists (empty ones are shared). */
function serviceListBytes(c: ServiceCandidates): number {
  let b = 48 + OBJ + 2 * FIELD;
  if (c.deny.length > 0) b += ARR + FIELD * c.deny.length;
  if (c.allow.length > 0) b += ARR + FIELD * c.allow.length;
  return b;
}

/** Add to a policy's estimate (and the cache's, while it is cached). */
function account(p: CompiledPolicy, delta: number): void {
  p.bytes += delta;
  if (p.cached) {
    totalBytes += delta;
    if (delta > 0 && totalBytes > maxBytes) evictToFit();
  }
}

/** Index of the first Action/NotAction pattern matching the (lower-cased) action, or -1. */
export function actionMatchIndex(st: CompiledStatement, actionLower: string): number {
  const ps = st.actionPatterns;
  for (let k = 0; k < ps.length; k++) if (matchGlob(compiledGlob(lowerCached(ps[k])), actionLower)) return k;
  return -1;
}

const lowerCache = new Map<string, string>();
function lowerCached(s: string): string {
  let l = lowerCache.get(s);
  if (l === undefined) {
    if (lowerCache.size >= 20_000) lowerCache.clear();
    l = s.toLowerCase();
    lowerCache.set(s, l);
  }
  return l;
}

/** resourceMatchIndex: no entry matches, and some entry has a variable without a value. */
export const UNRESOLVED = -2;

/**
 * Index of the first Resource/NotResource entry matching the resource; -1 when none matches;
 * UNRESOLVED when none matches and some entry has a policy variable the request has no value
 * for. Such an entry matches nothing, and a NotResource element holding one cannot apply: the
 * statement "cannot match" (AWS: an unresolvable variable may make the whole statement invalid).
 */
export function resourceMatchIndex(res: CompiledResources, resource: string, lookup: ContextLookup): number {
  let result = -1;
  const globs = res.globs;
  for (let k = 0; k < globs.length; k++) {
    const g = globs[k];
    if (typeof g === "string") {
      if (g === resource) return k;
      continue;
    }
    if (res.template && !tokensResolvable(g, lookup)) {
      result = UNRESOLVED;
      continue;
    }
    // Most patterns start with literal text the resource does not start with: reject here.
    const lead = g[0];
    if (typeof lead === "string" && !resource.startsWith(lead)) continue;
    if (matchTokens(g, resource, lookup)) return k;
  }
  return result;
}

/** Does the Resource / NotResource element let the statement apply to this resource? */
export function resourceApplies(res: CompiledResources, resource: string, lookup: ContextLookup): boolean {
  if (!res.not) {
    // Resource: any pattern that matches (one with a variable without a value matches nothing).
    const globs = res.globs;
    for (let k = 0; k < globs.length; k++) {
      const g = globs[k];
      if (typeof g === "string") {
        if (g === resource) return true;
        continue;
      }
      // Most patterns start with literal text the resource does not start with: reject here.
      const lead = g[0];
      if (typeof lead === "string" && !resource.startsWith(lead)) continue;
      if (matchTokens(g, resource, lookup)) return true;
    }
    return false;
  }
  return resourceMatchIndex(res, resource, lookup) === -1;
}
