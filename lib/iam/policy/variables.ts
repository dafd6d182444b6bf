import { pushGlobText, pushLiteral, type GlobToken } from "./wildcard";

/**
 * Policy variables (`${aws:username}`, `${aws:PrincipalTag/team}`, `${*}`, defaults
 * `${aws:username, 'guest'}`). Only Version 2012-10-17 documents substitute them; in
 * 2008-10-17 documents the text is literal.
 */

/** A template: alternating literal text and variables. */
export type TemplatePart =
  | { lit: string; escaped?: boolean }
  | { key: string; keyLower: string; def?: string };

const VAR_RE = /\$\{([^}]*)\}/g;
const INNER_RE = /^\s*([A-Za-z0-9:_./+=@\-]+)\s*(?:,\s*'([^']*)'\s*)?$/;

/** Parse a string into template parts; returns undefined when it contains no variable. */
export function parseTemplate(s: string): TemplatePart[] | undefined {
  if (!s.includes("${")) return undefined;
  const parts: TemplatePart[] = [];
  let last = 0;
  let any = false;
  VAR_RE.lastIndex = 0;
  for (let m = VAR_RE.exec(s); m; m = VAR_RE.exec(s)) {
    const inner = m[1];
    let part: TemplatePart | undefined;
    if (inner === "*" || inner === "?" || inner === "$") part = { lit: inner, escaped: true };
    else {
      const im = INNER_RE.exec(inner);
      if (im) part = { key: im[1], keyLower: im[1].toLowerCase(), def: im[2] };
    }
    if (!part) continue; // not a variable: stays literal text
    any = true;
    if (m.index > last) parts.push({ lit: s.slice(last, m.index) });
    parts.push(part);
    last = m.index + m[0].length;
  }
  if (!any) return undefined;
  if (last < s.length) parts.push({ lit: s.slice(last) });
  return parts;
}

/** Names of the variables used in a string (for findings). */
export function variablesIn(s: string): string[] {
  const t = parseTemplate(s);
  return t ? t.flatMap((p) => ("key" in p ? [p.key] : [])) : [];
}

export type { ContextLookup } from "./wildcard";

/**
 * The glob tokens of a policy value that holds variables (undefined when it holds none): text
 * written in the policy keeps its `*` and `?` as wildcards (unless `glob` is false, for the
 * operators that compare exactly); `${*}`, `${?}` and `${$}` are literal
 * characters; a variable becomes a VarToken whose value, substituted per request, is literal.
 */
export function templateTokens(s: string, glob = true): GlobToken[] | undefined {
  const parts = parseTemplate(s);
  if (!parts) return undefined;
  const out: GlobToken[] = [];
  for (const p of parts) {
    if ("lit" in p) {
      if (p.escaped || !glob) pushLiteral(p.lit, out);
      else pushGlobText(p.lit, out);
    } else out.push({ key: p.key, keyLower: p.keyLower, def: p.def });
  }
  return out;
}
