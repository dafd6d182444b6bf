// The layering rule (docs/architecture.md, README "How it is built"), checked on
// the source: app/ -> components/ -> lib/, one way down. lib/ never imports app/
// or components/; components/ never imports app/; the domain never imports a
// door; every export of a "use server" module is an action built with defineAction.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * "use server" modules that are not console actions: signing in is the door
 * before there is a principal to build an action for.
 */
const NOT_BUILDER_ACTIONS = new Set(["lib/auth/session-actions.ts"]);

interface Source {
  /** Repository-relative, with "/" separators. */
  file: string;
  text: string;
}

/** Where an import specifier points, repository-relative ("@/x" is the root; relative paths from the file). */
function target(file: string, spec: string): string | null {
  if (spec.startsWith("@/")) return spec.slice(2);
  if (spec.startsWith(".")) return path.posix.join(path.posix.dirname(file), spec);
  return null; // a package
}

function importsOf(text: string): string[] {
  const specs: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["']([^"']+)["']/gm)) specs.push(m[1]!);
  return specs;
}

/** The domain, and the doors it never imports (the console's action builder, the AWS API codec). */
const DOMAIN = ["lib/iam/", "lib/s3/", "lib/sts/", "lib/audit/"];
const DOORS = ["lib/actions/", "lib/aws/"];

const isUseServer = (text: string) => /^(?:\s*(?:\/\/[^\n]*\n|\/\*[\s\S]*?\*\/))*\s*["']use server["']/.test(text);

/** Every problem with the layering in these sources, one sentence each. */
export function layeringProblems(sources: Source[]): string[] {
  const problems: string[] = [];
  for (const { file, text } of sources) {
    const layer = file.split("/")[0];
    for (const spec of importsOf(text)) {
      const to = target(file, spec);
      if (!to) continue;
      const toLayer = to.split("/")[0];
      if (layer === "lib" && (toLayer === "app" || toLayer === "components")) problems.push(`${file} imports ${spec}: lib/ never imports ${toLayer}/`);
      const inDomain = DOMAIN.some((d) => file.startsWith(d)) && !/\.test\.tsx?$/.test(file);
      if (inDomain && DOORS.some((d) => `${to}/`.startsWith(d))) problems.push(`${file} imports ${spec}: the domain never imports a door`);
      if (layer === "components" && toLayer === "app") problems.push(`${file} imports ${spec}: components/ never imports app/ (shared server actions live in lib/actions/)`);
    }
    if (isUseServer(text) && !NOT_BUILDER_ACTIONS.has(file)) {
      for (const m of text.matchAll(/^export\s+(?!type\b|interface\b)(.*)$/gm)) {
        const built = /^const\s+\w+\s*(?::[^=]+)?=\s*defineAction\s*\(/.test(m[1]!);
        if (!built) problems.push(`${file}: "export ${m[1]!.slice(0, 60)}" in a "use server" module is not an action built with defineAction`);
      }
    }
  }
  return problems;
}

function sourcesUnder(dir: string): Source[] {
  const out: Source[] = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.(ts|tsx|mts)$/.test(entry.name)) continue;
    const file = path.relative(ROOT, path.join(entry.parentPath, entry.name)).split(path.sep).join("/");
    if (file.startsWith("lib/generated/") || file === "lib/testing/layering.test.ts") continue; // generated; this file's examples
    out.push({ file, text: fs.readFileSync(path.join(ROOT, file), "utf8") });
  }
  return out;
}

describe("layering", () => {
  it("holds in app/, components/ and lib/", () => {
    const sources = ["app", "components", "lib"].flatMap(sourcesUnder);
    expect(sources.length).toBeGreaterThan(100);
    expect(sources.filter((s) => isUseServer(s.text)).length).toBeGreaterThan(10); // the action modules are seen
    expect(layeringProblems(sources)).toEqual([]);
  });

  it("finds each kind of break (the check itself can fail)", () => {
    const problems = layeringProblems([
      { file: "lib/iam/x.ts", text: 'import { A } from "@/app/(console)/iam/actions";\nimport { B } from "../../components/ui/b";' },
      { file: "components/ui/y.tsx", text: 'import { C } from "@/app/(console)/s3/actions";' },
      { file: "lib/s3/w.ts", text: 'import { loadAs } from "@/lib/actions/define-action";' },
      { file: "components/ui/ok.tsx", text: 'import { D } from "@/lib/actions/form-input";\nimport { E } from "./e";' },
      {
        file: "app/(console)/z/actions.ts",
        text: [
          '"use server";',
          "export const good = defineAction({ input, operation });",
          "export type Shape = { a: 1 };",
          "export async function bad() {}",
          "export const alsoBad = async () => 1;",
        ].join("\n"),
      },
      { file: "lib/auth/session-actions.ts", text: '"use server";\nexport async function signInAction() {}' },
    ]);
    expect(problems).toEqual([
      'lib/iam/x.ts imports @/app/(console)/iam/actions: lib/ never imports app/',
      "lib/iam/x.ts imports ../../components/ui/b: lib/ never imports components/",
      "components/ui/y.tsx imports @/app/(console)/s3/actions: components/ never imports app/ (shared server actions live in lib/actions/)",
      "lib/s3/w.ts imports @/lib/actions/define-action: the domain never imports a door",
      'app/(console)/z/actions.ts: "export async function bad() {}" in a "use server" module is not an action built with defineAction',
      'app/(console)/z/actions.ts: "export const alsoBad = async () => 1;" in a "use server" module is not an action built with defineAction',
    ]);
  });
});
