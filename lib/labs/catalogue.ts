// The labs: every labs/*.json file, validated against lib/labs/schema.ts. The
// server loads them once at start (instrumentation.ts), so a malformed lab stops
// the start with its path and the rule that failed.
import fs from "node:fs";
import path from "node:path";
import { describeIssues, labSchema, type Lab } from "./schema";

export class LabFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: malformed lab:\n  ${problems.join("\n  ")}`);
  }
}

export const LABS_DIR = path.join(process.cwd(), "labs");
const ID = /^[a-z0-9][a-z0-9-]{1,62}$/;

/** Parses one lab file's text; `file` names it in errors. */
export function parseLab(file: string, text: string): Lab {
  const id = path.basename(file, ".json");
  if (!ID.test(id)) throw new LabFileError(file, [`(file name): "${id}" must be lower-case letters, digits and hyphens (it is the lab's ID)`]);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new LabFileError(file, [`(file): not valid JSON: ${(err as Error).message}`]);
  }
  const parsed = labSchema.safeParse(json);
  if (!parsed.success) throw new LabFileError(file, describeIssues(parsed.error));
  return { id, ...parsed.data };
}

/** Reads and validates every lab in a directory, ordered by file name. */
export function loadLabsFrom(dir: string): Lab[] {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
  return files.map((f) => parseLab(path.join(path.basename(dir), f), fs.readFileSync(path.join(dir, f), "utf8")));
}

let cached: Lab[] | undefined;

/** The repository's labs, loaded and validated once per process. */
export function labs(): Lab[] {
  cached ??= loadLabsFrom(LABS_DIR);
  return cached;
}

export function findLab(id: string): Lab | undefined {
  return labs().find((l) => l.id === id);
}
