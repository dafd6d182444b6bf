/**
 * The request context: keys given by the caller (names case-insensitive) plus the keys AWS
 * derives from the principal and the request when they are not given.
 */
import { principalArnForContext, principalTypeForContext, type ParsedPrincipal } from "./principal";
import type { ContextValue } from "./types";
import type { ContextLookup } from "./variables";

function normalize(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === "string")) return v as string[];
    return v.filter((x) => x !== undefined && x !== null).map((x) => String(x));
  }
  return [String(v)];
}

const lowerCache = new Map<string, string>();
function lowerKey(k: string): string {
  let l = lowerCache.get(k);
  if (l === undefined) {
    if (lowerCache.size >= 10_000) lowerCache.clear();
    l = k.toLowerCase();
    lowerCache.set(k, l);
  }
  return l;
}

/**
 * A context's key list with the lower-cased names indexed (the last of names equal but for case
 * wins). Contexts built by the same code have the same keys in the same order: the index is built
 * once per key list, not per request (a Map of 15 to 20 keys per request was a tenth of a warm
 * decision).
 */
interface Shape {
  keys: string[];
  index: Map<string, number>;
}
const shapes = new Map<string, Shape[]>();
let shapeCount = 0;
const MAX_SHAPES_PER_FIRST_KEY = 16;

function sameKeys(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) return false;
  return true;
}

function shapeOf(keys: string[]): Shape {
  const first = keys.length > 0 ? keys[0] : "";
  let list = shapes.get(first);
  if (list !== undefined) for (let i = 0; i < list.length; i++) if (sameKeys(list[i].keys, keys)) return list[i];
  if (shapeCount >= 2_000) {
    shapes.clear();
    shapeCount = 0;
    list = undefined;
  }
  const index = new Map<string, number>();
  for (let j = 0; j < keys.length; j++) index.set(lowerKey(keys[j]), j);
  const shape = { keys, index };
  if (list === undefined) shapes.set(first, (list = []));
  if (list.length < MAX_SHAPES_PER_FIRST_KEY) {
    list.push(shape);
    shapeCount++;
  }
  return shape;
}

export function buildContextLookup(
  context: Record<string, ContextValue> | undefined,
  principal: ParsedPrincipal,
  resourceAccount: string | undefined,
): ContextLookup {
  // Values are normalized to string arrays on first use (most keys of a request are never read).
  const ctx = context && typeof context === "object" ? (context as Record<string, unknown>) : undefined;
  const shape = ctx ? shapeOf(Object.keys(ctx)) : undefined;
  let normalized: (string[] | null | undefined)[] | undefined;
  let now: Date | undefined;
  return (keyLower: string): string[] | undefined => {
    let j = shape !== undefined ? shape.index.get(keyLower) : undefined;
    if (j !== undefined) {
      const seen = normalized?.[j];
      if (seen !== undefined) {
        if (seen !== null) return seen;
      } else {
        let raw = ctx![shape!.keys[j]];
        // A missing value under this name: an earlier key equal but for case may hold one.
        for (let i = j - 1; (raw === undefined || raw === null) && i >= 0; i--)
          if (lowerKey(shape!.keys[i]) === keyLower) {
            raw = ctx![shape!.keys[i]];
            j = i;
          }
        const v = raw === undefined || raw === null ? undefined : typeof raw === "string" ? [raw] : normalize(raw);
        (normalized ??= new Array(shape!.keys.length))[j] = v ?? null;
        if (v !== undefined) return v;
      }
    }
    switch (keyLower) {
      case "aws:principalarn": {
        const a = principalArnForContext(principal);
        return a ? [a] : undefined;
      }
      case "aws:principalaccount":
        return principal.accountId && principal.kind !== "unknown" ? [principal.accountId] : undefined;
      case "aws:principaltype": {
        const t = principalTypeForContext(principal);
        return t ? [t] : undefined;
      }
      case "aws:username":
        return principal.kind === "user" && principal.name ? [principal.name] : undefined;
      case "aws:userid":
        return principal.kind === "root" && principal.accountId ? [principal.accountId] : undefined;
      case "aws:principalisawsservice":
        return principal.kind === "service" ? ["true"] : principal.kind === "anonymous" ? undefined : ["false"];
      case "aws:principalservicename":
        return principal.kind === "service" && principal.service ? [principal.service] : undefined;
      case "aws:resourceaccount":
        return resourceAccount ? [resourceAccount] : undefined;
      case "aws:currenttime":
        now ??= new Date();
        return [now.toISOString()];
      case "aws:epochtime":
        now ??= new Date();
        return [String(Math.floor(now.getTime() / 1000))];
      default:
        return undefined;
    }
  };
}
