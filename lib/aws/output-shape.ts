// Does a builder's result have exactly its operation's output shape? Walks AWS's
// model beside the result and lists each difference: a member the shape does not
// have (a console field, or AWS's member under another spelling), and a required
// member that is missing. The one allowed extension is a top-level `console`
// member: console-only extras (a list's total, its page's columns) that the
// Query encoder never emits. Pure: the API scenario tests run it over every
// operation's answer (lib/aws/scenarios/iam-model-driven.int.test.ts).
import type { MemberRef, ServiceModel } from "./models";

/** The result member that carries console-only extras; never encoded. */
export const CONSOLE_EXTENSION = "console";

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof Uint8Array) && !(v instanceof Map);

function walk(model: ServiceModel, ref: MemberRef, value: unknown, path: string, issues: string[], top: boolean): void {
  if (value === undefined || value === null) return;
  const shape = model.shapes[ref.shape]!;
  if (shape.type === "structure") {
    if (!isPlainObject(value)) return void issues.push(`${path || "result"}: not a structure`);
    const members = shape.members ?? {};
    for (const key of Object.keys(value)) {
      if (top && key === CONSOLE_EXTENSION) continue;
      if (!Object.hasOwn(members, key)) issues.push(`${path ? `${path}.` : ""}${key}: not a member of ${ref.shape}`);
    }
    for (const name of shape.required ?? []) {
      if (value[name] === undefined || value[name] === null) issues.push(`${path ? `${path}.` : ""}${name}: required by ${ref.shape}, missing`);
    }
    for (const [name, member] of Object.entries(members)) {
      if (Object.hasOwn(value, name)) walk(model, member, value[name], path ? `${path}.${name}` : name, issues, false);
    }
    return;
  }
  if (shape.type === "list") {
    if (!Array.isArray(value)) return void issues.push(`${path}: not a list`);
    value.slice(0, 3).forEach((item, i) => walk(model, shape.member!, item, `${path}[${i}]`, issues, false));
    return;
  }
  if (shape.type === "map" && isPlainObject(value)) {
    for (const [k, v] of Object.entries(value).slice(0, 3)) walk(model, shape.value!, v, `${path}{${k}}`, issues, false);
  }
}

/** The differences between an operation's result and its output shape (empty when it matches). */
export function outputShapeIssues(model: ServiceModel, operation: string, result: unknown): string[] {
  const output = model.operations[operation]?.output;
  if (!output) return [];
  const issues: string[] = [];
  if (result === undefined || result === null) {
    const required = model.shapes[output.shape]!.required ?? [];
    return required.map((name) => `${name}: required by ${output.shape}, missing`);
  }
  walk(model, { shape: output.shape }, result, "", issues, true);
  return issues;
}
