/**
 * Compiling a stored policy document once into matchers, cached by its text (bounded LRU).
 */
import { compileCondition, segmentsRegex, type CompiledCondition } from "./conditions";
import { readPolicyDocument } from "./document";
import { positionAt } from "./json-source";
import { compilePrincipal, type CompiledPrincipal } from "./principal";
import type { Span } from "./types";
import { parseTemplate, resolveTemplate, type ContextLookup, type TemplatePart } from "./variables";
import { compileGlob, type Matcher } from "./wildcard";

export interface ResourceEntry {
  raw: string;
  matcher?: Matcher;
  template?: TemplatePart[];
}

export interface CompiledStatement {
  index: number;
  sid?: string;
  /** "Deny" also for an unknown Effect (fail closed, see README). */
  effect: "Allow" | "Deny";
  effectUnknown?: string;
  span: Span;
  actionNot: boolean;
  actionPatterns: string[];
  actionMatchers: Matcher[];
  /** null when the statement has neither Resource nor NotResource (trust policies): matches any resource. */
  resource: { not: boolean; entries: ResourceEntry[] } | null;
  principal: CompiledPrincipal | null;
  conditions: CompiledCondition[];
  /** True when some condition cannot be evaluated. */
  hasUnevaluable: boolean;
}

export interface CompiledPolicy {
  text: string;
  /** Set when the stored text cannot be read as a policy: the policy then denies (see README). */
  error?: string;
  substitute: boolean;
  statements: CompiledStatement[];
  /** Lower-cased action -> statements whose Action/NotAction matches it. */
  actionMemo: Map<string, CompiledStatement[]>;
  /** Cache bookkeeping: last time (tick) this entry was refreshed in the LRU order. */
  stamp: number;
}

const MAX_ACTION_MEMO = 2048;

function compileStatements(text: string): CompiledPolicy {
  // An empty Statement array is a policy without statements: it allows nothing (and denies nothing).
  const r = readPolicyDocument(text, { allowNoStatements: true });
  if (!r.ok) {
    const at = positionAt(text, r.offset);
    const error = `${r.message}${r.detail ? ` ${r.detail}` : ""} (line ${at.line}, column ${at.column})`;
    return { text, error, substitute: false, statements: [], actionMemo: new Map(), stamp: 0 };
  }
  const doc = r.read.document;
  const substitute = doc.Version === "2012-10-17";
  const statements = doc.Statement.map((st, index): CompiledStatement => {
    const actionNot = st.NotAction !== undefined;
    const actionPatterns = st.Action ?? st.NotAction ?? [];
    const resList = st.Resource ?? st.NotResource;
    const resource = resList
      ? {
          not: st.NotResource !== undefined,
          entries: resList.map((raw): ResourceEntry => {
            const template = substitute ? parseTemplate(raw) : undefined;
            return template ? { raw, template } : { raw, matcher: compileGlob(raw) };
          }),
        }
      : null;
    const conditions: CompiledCondition[] = [];
    for (const [op, keys] of Object.entries(st.Condition ?? {}))
      for (const [key, values] of Object.entries(keys)) conditions.push(compileCondition(op, key, values, substitute));
    const pBlock = st.Principal ?? st.NotPrincipal;
    const known = st.Effect === "Allow" || st.Effect === "Deny";
    return {
      index,
      sid: st.Sid,
      effect: known ? st.Effect : "Deny",
      ...(known ? {} : { effectUnknown: String(st.Effect) }),
      span: st.span,
      actionNot,
      actionPatterns,
      actionMatchers: actionPatterns.map((a) => compileGlob(a, true)),
      resource,
      principal: pBlock ? compilePrincipal(pBlock, st.NotPrincipal !== undefined) : null,
      conditions,
      hasUnevaluable: conditions.some((c) => c.unevaluable !== undefined) || !known,
    };
  });
  return { text, substitute, statements, actionMemo: new Map(), stamp: 0 };
}

const cache = new Map<string, CompiledPolicy>();
let cacheLimit = 2000;
let tick = 0;

/** Compile (or fetch from the cache) a policy text. Never throws. */
export function compilePolicy(text: string): CompiledPolicy {
  const hit = cache.get(text);
  tick++;
  if (hit) {
    // Refresh recency (re-insert at the young end) only when the entry is getting old: the
    // map's insertion order then approximates LRU order without a delete/set on every hit.
    if (tick - hit.stamp > cacheLimit >> 1) {
      cache.delete(text);
      cache.set(text, hit);
      hit.stamp = tick;
    }
    return hit;
  }
  let compiled: CompiledPolicy;
  try {
    compiled = compileStatements(text);
  } catch (e) {
    compiled = { text, error: `cannot compile: ${(e as Error)?.message ?? e}`, substitute: false, statements: [], actionMemo: new Map(), stamp: 0 };
  }
  compiled.stamp = tick;
  cache.set(text, compiled);
  if (cache.size > cacheLimit) cache.delete(cache.keys().next().value as string);
  return compiled;
}

/** Bumped by clearPolicyCache so that derived caches (loaded policies) are dropped too. */
export let cacheEpoch = 0;

export function clearPolicyCache(limit?: number): void {
  cache.clear();
  cacheEpoch++;
  if (limit !== undefined) cacheLimit = limit;
}

export function policyCacheSize(): number {
  return cache.size;
}

/** Statements whose Action/NotAction matches the (lower-cased) action. */
export function statementsForAction(p: CompiledPolicy, actionLower: string): CompiledStatement[] {
  let hit = p.actionMemo.get(actionLower);
  if (hit) return hit;
  hit = [];
  for (const st of p.statements) if (actionMatches(st, actionLower) !== st.actionNot) hit.push(st);
  if (p.actionMemo.size >= MAX_ACTION_MEMO) p.actionMemo.clear();
  p.actionMemo.set(actionLower, hit);
  return hit;
}

/** Index of the first Action/NotAction pattern matching, or -1. */
export function actionMatchIndex(st: CompiledStatement, actionLower: string): number {
  for (let k = 0; k < st.actionMatchers.length; k++) if (st.actionMatchers[k](actionLower)) return k;
  return -1;
}

function actionMatches(st: CompiledStatement, actionLower: string): boolean {
  return actionMatchIndex(st, actionLower) >= 0;
}

/** resourceMatchIndex: no entry matches, and some entry has a variable without a value. */
export const UNRESOLVED = -2;

/**
 * Index of the first Resource/NotResource entry matching the resource; -1 when none matches;
 * UNRESOLVED when none matches and some entry has a policy variable the request has no value
 * for. Such an entry matches nothing, and a NotResource element holding one cannot apply: the
 * statement "cannot match" (AWS: an unresolvable variable may make the whole statement invalid).
 */
export function resourceMatchIndex(entries: ResourceEntry[], resource: string, lookup: ContextLookup): number {
  let result = -1;
  for (let k = 0; k < entries.length; k++) {
    const e = entries[k];
    if (e.matcher) {
      if (e.matcher(resource)) return k;
      continue;
    }
    const segs = resolveTemplate(e.template!, lookup);
    if (!segs) {
      result = UNRESOLVED;
      continue;
    }
    if (segmentsRegex(segs, false).test(resource)) return k;
  }
  return result;
}

/** Does the Resource / NotResource element let the statement apply to this resource? */
export function resourceApplies(res: { not: boolean; entries: ResourceEntry[] }, resource: string, lookup: ContextLookup): boolean {
  const idx = resourceMatchIndex(res.entries, resource, lookup);
  return res.not ? idx === -1 : idx >= 0;
}

