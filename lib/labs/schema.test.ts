// Lab files: the repository's labs load, and a malformed lab is refused with
// its path and the rule that failed.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LabFileError, loadLabsFrom, parseLab } from "./catalogue";

const minimal = () => ({
  title: "A lab",
  level: "beginner",
  estimatedMinutes: 5,
  story: "Once upon a time.",
  learner: { account: "dev", user: "learner" },
  initialState: {
    accounts: [{ key: "dev", name: "dev" }],
    users: [{ account: "dev", name: "learner", console: true }],
  },
  tasks: [
    {
      id: "one",
      title: "Do it",
      instructions: "Do the thing.",
      checks: [{ kind: "state", title: "a group exists", target: { entity: "group", account: "dev", name: "G" } }],
    },
  ],
});

function problems(file: string, lab: unknown): string[] {
  try {
    parseLab(file, JSON.stringify(lab));
  } catch (err) {
    expect(err).toBeInstanceOf(LabFileError);
    expect((err as Error).message).toContain(file);
    return (err as LabFileError).problems;
  }
  throw new Error("the lab was accepted");
}

describe("lab files", () => {
  it("loads every lab of the repository, ordered by file name", () => {
    const labs = loadLabsFrom(path.join(process.cwd(), "labs"));
    expect(labs.length).toBeGreaterThanOrEqual(3);
    expect(labs.map((l) => l.id)).toEqual([...labs.map((l) => l.id)].sort());
    for (const lab of labs) expect(lab.tasks.flatMap((t) => t.checks).length, lab.id).toBeGreaterThan(0);
  });

  it("accepts a minimal lab and fills defaults", () => {
    const lab = parseLab("labs/minimal.json", JSON.stringify(minimal()));
    expect(lab.id).toBe("minimal");
    expect(lab.initialState.users[0]!.accessKeys).toEqual([]);
    expect(lab.tasks[0]!.hints).toEqual([]);
  });

  it("names the path and the rule for a missing or wrong field", () => {
    const lab = minimal() as Record<string, unknown>;
    delete lab.story;
    expect(problems("labs/no-story.json", lab)).toEqual([expect.stringMatching(/^story: /)]);
    expect(problems("labs/level.json", { ...minimal(), level: "expert" })[0]).toMatch(/^level: /);
    const badCheck = minimal();
    (badCheck.tasks[0]!.checks[0] as Record<string, unknown>).kind = "vibes";
    expect(problems("labs/check.json", badCheck)[0]).toMatch(/^tasks\.0\.checks\.0\.kind: /);
  });

  it("refuses references to accounts, groups and policies the lab does not declare", () => {
    const lab = minimal();
    (lab.initialState.users[0] as Record<string, unknown>).groups = ["Nope"];
    (lab.initialState.users as unknown[]).push({ account: "prod", name: "x", policies: ["Missing"] });
    const found = problems("labs/refs.json", lab);
    expect(found).toContain("initialState.users.0.groups.0: no group Nope in account dev");
    expect(found).toContain('initialState.users.1.account: no account with key "prod" in initialState.accounts');
    expect(found).toContain("initialState.users.1.policies.0: no customer policy Missing in account prod");
  });

  it("requires the learner to be a console user of the lab", () => {
    const lab = minimal();
    lab.initialState.users[0]!.console = false;
    expect(problems("labs/learner.json", lab)).toEqual(['learner: the learner learner needs "console": true to sign in']);
  });

  it("refuses invalid JSON and a bad file name", () => {
    expect(() => parseLab("labs/broken.json", "{")).toThrow(/labs\/broken\.json: malformed lab:\n {2}\(file\): not valid JSON/);
    expect(() => parseLab("labs/Bad Name.json", JSON.stringify(minimal()))).toThrow(/must be lower-case/);
  });

  it("stops loading a directory at the first malformed lab, naming it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "labs-"));
    fs.writeFileSync(path.join(dir, "a-good.json"), JSON.stringify(minimal()));
    fs.writeFileSync(path.join(dir, "b-bad.json"), JSON.stringify({ ...minimal(), estimatedMinutes: 0 }));
    expect(() => loadLabsFrom(dir)).toThrow(/b-bad\.json: malformed lab:\n {2}estimatedMinutes: /);
  });
});
