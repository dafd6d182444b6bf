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

export function buildContextLookup(
  context: Record<string, ContextValue> | undefined,
  principal: ParsedPrincipal,
  resourceAccount: string | undefined,
): ContextLookup {
  // Values are normalized to string arrays on first use (most keys of a request are never read).
  const given = new Map<string, unknown>();
  if (context && typeof context === "object")
    for (const k in context) {
      if (!Object.prototype.hasOwnProperty.call(context, k)) continue;
      const v = (context as Record<string, unknown>)[k];
      if (v !== undefined && v !== null) given.set(lowerKey(k), v);
    }
  let now: Date | undefined;
  return (keyLower: string): string[] | undefined => {
    const raw = given.get(keyLower);
    if (raw !== undefined) {
      if (typeof raw === "string") {
        const v = [raw];
        given.set(keyLower, v);
        return v;
      }
      if (Array.isArray(raw) && raw.every((x) => typeof x === "string")) return raw as string[];
      const v = normalize(raw);
      if (v !== undefined) {
        given.set(keyLower, v);
        return v;
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
