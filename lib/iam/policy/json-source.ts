/**
 * A small JSON parser that keeps the source span of every value and key, so that
 * validation errors, findings and explanations can point into the original text.
 * It never throws: a syntax error is returned as a value.
 */
import type { Position, Span } from "./types";

export type JsonNode =
  | { kind: "object"; span: Span; props: JsonProp[] }
  | { kind: "array"; span: Span; items: JsonNode[] }
  | { kind: "string"; span: Span; value: string }
  | { kind: "number"; span: Span; value: number; raw: string }
  | { kind: "boolean"; span: Span; value: boolean }
  | { kind: "null"; span: Span };

export interface JsonProp {
  key: string;
  keySpan: Span;
  value: JsonNode;
}

export type JsonParseResult =
  | { ok: true; node: JsonNode; duplicateKey?: { key: string; span: Span } }
  | { ok: false; offset: number; message: string };

class JsonSyntaxError {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

const MAX_DEPTH = 64;

export function parseJsonWithSpans(text: string): JsonParseResult {
  let i = 0;
  let duplicateKey: { key: string; span: Span } | undefined;
  const n = text.length;

  const fail = (message: string): never => {
    throw new JsonSyntaxError(i, message);
  };
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const parseString = (): { value: string; span: Span } => {
    const start = i;
    i++; // opening quote
    let out = "";
    let chunk = i;
    while (true) {
      if (i >= n) fail("Unterminated string");
      const c = text.charCodeAt(i);
      if (c === 34) {
        out += text.slice(chunk, i);
        i++;
        return { value: out, span: { start, end: i } };
      }
      if (c < 0x20) fail("Control character in string");
      if (c === 92) {
        out += text.slice(chunk, i);
        const e = text[i + 1];
        switch (e) {
          case '"': out += '"'; break;
          case "\\": out += "\\"; break;
          case "/": out += "/"; break;
          case "b": out += "\b"; break;
          case "f": out += "\f"; break;
          case "n": out += "\n"; break;
          case "r": out += "\r"; break;
          case "t": out += "\t"; break;
          case "u": {
            const hex = text.slice(i + 2, i + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("Bad unicode escape");
            out += String.fromCharCode(parseInt(hex, 16));
            i += 4;
            break;
          }
          default:
            fail("Bad escape");
        }
        i += 2;
        chunk = i;
        continue;
      }
      i++;
    }
  };
  const parseValue = (depth: number): JsonNode => {
    if (depth > MAX_DEPTH) fail("Too deeply nested");
    ws();
    if (i >= n) fail("Unexpected end of input");
    const c = text[i];
    const start = i;
    if (c === "{") {
      i++;
      const props: JsonProp[] = [];
      const seen = new Set<string>();
      ws();
      if (text[i] === "}") {
        i++;
        return { kind: "object", span: { start, end: i }, props };
      }
      while (true) {
        ws();
        if (text[i] !== '"') fail("Expected a property name");
        const k = parseString();
        if (seen.has(k.value) && !duplicateKey) duplicateKey = { key: k.value, span: k.span };
        seen.add(k.value);
        ws();
        if (text[i] !== ":") fail("Expected ':'");
        i++;
        const value = parseValue(depth + 1);
        props.push({ key: k.value, keySpan: k.span, value });
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return { kind: "object", span: { start, end: i }, props };
        }
        fail("Expected ',' or '}'");
      }
    }
    if (c === "[") {
      i++;
      const items: JsonNode[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return { kind: "array", span: { start, end: i }, items };
      }
      while (true) {
        items.push(parseValue(depth + 1));
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return { kind: "array", span: { start, end: i }, items };
        }
        fail("Expected ',' or ']'");
      }
    }
    if (c === '"') {
      const s = parseString();
      return { kind: "string", span: s.span, value: s.value };
    }
    if (c === "-" || (c >= "0" && c <= "9")) {
      const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      if (!m) fail("Bad number");
      const raw = m![0];
      i += raw.length;
      return { kind: "number", span: { start, end: i }, value: Number(raw), raw };
    }
    if (text.startsWith("true", i)) {
      i += 4;
      return { kind: "boolean", span: { start, end: i }, value: true };
    }
    if (text.startsWith("false", i)) {
      i += 5;
      return { kind: "boolean", span: { start, end: i }, value: false };
    }
    if (text.startsWith("null", i)) {
      i += 4;
      return { kind: "null", span: { start, end: i } };
    }
    return fail("Unexpected character");
  };

  try {
    if (typeof text !== "string") return { ok: false, offset: 0, message: "Not a string" };
    // A leading byte order mark is tolerated, like most JSON readers.
    if (text.charCodeAt(0) === 0xfeff) i = 1;
    const node = parseValue(0);
    ws();
    if (i < n) fail("Unexpected trailing characters");
    return duplicateKey ? { ok: true, node, duplicateKey } : { ok: true, node };
  } catch (e) {
    if (e instanceof JsonSyntaxError) return { ok: false, offset: e.offset, message: e.message };
    return { ok: false, offset: i, message: "Invalid JSON" };
  }
}

/** Line and column (1-based) of a character offset. */
export function positionAt(text: string, offset: number): Position {
  const o = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < o; k++) {
    if (text.charCodeAt(k) === 10) {
      line++;
      lineStart = k + 1;
    }
  }
  return { offset: o, line, column: o - lineStart + 1 };
}

/** Number of characters that are not whitespace: how AWS measures policy size. */
export function sizeWithoutWhitespace(text: string): number {
  let size = 0;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (!(c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12)) size++;
  }
  return size;
}
