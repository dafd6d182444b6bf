/**
 * Glob matching as IAM does it: `*` matches any run of characters (including none and
 * including "/" and ":"), `?` matches exactly one character. Everything else is literal.
 *
 * Patterns compile to tokens (literal strings, STAR, QMARK, and policy variables resolved per
 * request) matched by a small backtracking matcher: no RegExp, so compiling is cheap and a
 * compiled pattern is a short array.
 */

export type Matcher = (value: string) => boolean;

export const STAR = 0;
export const QMARK = 1;

/** A policy variable inside a pattern: its value is literal text (its `*` is not a wildcard). */
export interface VarToken {
  key: string;
  keyLower: string;
  def: string | undefined;
}

/** Literal text (never empty), STAR, QMARK or a variable. */
export type GlobToken = string | typeof STAR | typeof QMARK | VarToken;

/** The request's values of a (lower-cased) context key, or undefined when the key is missing. */
export type ContextLookup = (keyLower: string) => string[] | undefined;

const REGEX_SPECIALS = /[.+^${}()|[\]\\*?]/g;

export function escapeRegex(s: string): string {
  return s.replace(REGEX_SPECIALS, "\\$&");
}

/** Regex source for a glob (no anchors). */
export function globToRegexSource(pattern: string): string {
  let out = "";
  let lit = "";
  for (let k = 0; k < pattern.length; k++) {
    const c = pattern[k];
    if (c === "*" || c === "?") {
      out += escapeRegex(lit);
      lit = "";
      out += c === "*" ? "[\\s\\S]*" : "[\\s\\S]";
    } else lit += c;
  }
  return out + escapeRegex(lit);
}

/** Append the tokens of literal pattern text (its `*` and `?` are wildcards) to `out`. */
export function pushGlobText(text: string, out: GlobToken[]): void {
  let start = 0;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c !== 42 && c !== 63) continue; // '*', '?'
    if (k > start) pushLiteral(text.slice(start, k), out);
    if (c === 42) {
      if (out[out.length - 1] !== STAR) out.push(STAR);
    } else out.push(QMARK);
    start = k + 1;
  }
  if (start < text.length) pushLiteral(start === 0 ? text : text.slice(start), out);
}

/** Append literal text (no wildcards), merged with a preceding literal. */
export function pushLiteral(text: string, out: GlobToken[]): void {
  if (text === "") return;
  const last = out.length - 1;
  if (last >= 0 && typeof out[last] === "string") out[last] = (out[last] as string) + text;
  else out.push(text);
}

export function globTokens(pattern: string): GlobToken[] {
  const out: GlobToken[] = [];
  pushGlobText(pattern, out);
  return out;
}

/** The value of a variable for this request: its single value, else its default, else undefined. */
export function varValue(t: VarToken, lookup: ContextLookup | undefined): string | undefined {
  const v = lookup?.(t.keyLower);
  // Multivalued keys cannot be used as variables.
  if (v !== undefined && v.length === 1) return v[0];
  return t.def;
}

/** Can every variable of the tokens be resolved for this request? */
export function tokensResolvable(tokens: readonly GlobToken[], lookup: ContextLookup | undefined): boolean {
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (typeof t === "object" && varValue(t, lookup) === undefined) return false;
  }
  return true;
}

/**
 * Does `v.slice(from, to)` match the tokens? A variable without a value matches nothing.
 * Backtracking only to the last `*` is enough for `*`/`?` globs (the classic argument: the
 * text between two stars is fixed-length, so its leftmost match is always the best one).
 */
export function matchTokens(tokens: readonly GlobToken[], v: string, lookup?: ContextLookup, from = 0, to = v.length): boolean {
  const tn = tokens.length;
  let ti = 0;
  let vi = from;
  let starTi = -1;
  let starVi = 0;
  for (;;) {
    if (ti < tn) {
      const t = tokens[ti];
      if (t === STAR) {
        ti++;
        if (ti === tn) return true; // a trailing star takes the rest
        starTi = ti - 1;
        starVi = vi;
        const next = tokens[ti];
        if (typeof next === "string") {
          // Jump to the next place the literal after the star occurs.
          const at = v.indexOf(next, vi);
          if (at < 0 || at + next.length > to) return false;
          starVi = vi = at;
        }
        continue;
      }
      if (t === QMARK) {
        if (vi < to) {
          ti++;
          vi++;
          continue;
        }
      } else {
        const s = typeof t === "string" ? t : varValue(t, lookup);
        if (s === undefined) return false;
        if (vi + s.length <= to && v.startsWith(s, vi)) {
          ti++;
          vi += s.length;
          continue;
        }
      }
    } else if (vi === to) return true;
    if (starTi < 0) return false;
    // Backtrack: the last star takes one more character.
    vi = ++starVi;
    if (vi > to) return false;
    ti = starTi + 1;
    const next = tokens[ti];
    if (typeof next === "string") {
      const at = v.indexOf(next, vi);
      if (at < 0 || at + next.length > to) return false;
      starVi = vi = at;
    }
  }
}

/**
 * Compile a glob into a fast matcher. With `ignoreCase`, the value passed to the matcher
 * must already be lower-cased (the pattern is lower-cased here): callers lower-case once.
 */
export function compileGlob(pattern: string, ignoreCase = false): Matcher {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  if (p === "*") return () => true;
  const star = p.indexOf("*");
  const q = p.indexOf("?");
  if (star < 0 && q < 0) return (v) => v === p;
  if (q < 0 && star === p.length - 1 && p.indexOf("*") === star) {
    const prefix = p.slice(0, -1);
    return (v) => v.startsWith(prefix);
  }
  if (q < 0 && star === 0 && p.indexOf("*", 1) < 0) {
    const suffix = p.slice(1);
    return (v) => v.endsWith(suffix);
  }
  const tokens = globTokens(p);
  return (v) => matchTokens(tokens, v);
}

/** One-off glob match (compiles every call: use compileGlob on hot paths). */
export function matchesWildcard(pattern: string, value: string, options?: { ignoreCase?: boolean }): boolean {
  const ic = options?.ignoreCase ?? false;
  return compileGlob(pattern, ic)(ic ? value.toLowerCase() : value);
}

/** True when the string contains a glob character. */
export function hasWildcard(s: string): boolean {
  return s.includes("*") || s.includes("?");
}
