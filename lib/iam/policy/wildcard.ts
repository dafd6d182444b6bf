/**
 * Glob matching as IAM does it: `*` matches any run of characters (including none and
 * including "/" and ":"), `?` matches exactly one character. Everything else is literal.
 */

export type Matcher = (value: string) => boolean;

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
  if (q < 0 && star === p.length - 1) {
    const prefix = p.slice(0, -1);
    return (v) => v.startsWith(prefix);
  }
  if (q < 0 && star === 0 && p.indexOf("*", 1) < 0) {
    const suffix = p.slice(1);
    return (v) => v.endsWith(suffix);
  }
  const re = new RegExp("^" + globToRegexSource(p) + "$");
  return (v) => re.test(v);
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
