// From AWS's parameter names to the catalogue's input schema: the decoded
// request (UserName, Tags[].Key) is renamed member by member to what the
// operation's zod schema declares (userName, tags[].key), ignoring case, by
// walking the schema itself, so the catalogue's names can follow AWS's or the
// console's without this door changing. Pure.
import type { z } from "zod";

type Def = { type: string; innerType?: z.ZodType; in?: z.ZodType; out?: z.ZodType; shape?: Record<string, z.ZodType>; element?: z.ZodType; valueType?: z.ZodType; getter?: () => z.ZodType; options?: z.ZodType[] };
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The schema under optional/default/pipe/preprocess wrappers. */
function core(schema: z.ZodType, depth = 0): z.ZodType {
  const def = defOf(schema);
  if (depth > 20) return schema;
  switch (def.type) {
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
    case "catch":
    case "nonoptional":
      return core(def.innerType!, depth + 1);
    case "pipe":
      return core(defOf(def.out!).type === "transform" ? def.in! : def.out!, depth + 1);
    case "lazy":
      return core(def.getter!(), depth + 1);
    default:
      return schema;
  }
}

/** AWS's pagination parameters under the console's names. */
const ALIASES: Record<string, string[]> = { marker: ["cursor"], maxitems: ["pageSize"] };

export function shapeKeys(schema: z.ZodType): string[] {
  const def = defOf(core(schema));
  return def.type === "object" ? Object.keys(def.shape!) : [];
}

function findKey(shape: Record<string, z.ZodType>, name: string): string | undefined {
  if (Object.hasOwn(shape, name)) return name;
  const lower = name.toLowerCase();
  for (const k of Object.keys(shape)) if (k.toLowerCase() === lower) return k;
  for (const alias of ALIASES[lower] ?? []) if (Object.hasOwn(shape, alias)) return alias;
  return undefined;
}

/** `value` with its member names renamed to the schema's. */
export function adaptToSchema(value: unknown, schema: z.ZodType): unknown {
  const s = core(schema);
  const def = defOf(s);
  if (def.type === "object" && value && typeof value === "object" && !Array.isArray(value) && !(value instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const target = findKey(def.shape!, k);
      out[target ?? k] = target ? adaptToSchema(v, def.shape![target]!) : v;
    }
    return out;
  }
  if (def.type === "array" && Array.isArray(value)) return value.map((v) => adaptToSchema(v, def.element!));
  if (def.type === "record" && value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, adaptToSchema(v, def.valueType!)]));
  }
  return value;
}
