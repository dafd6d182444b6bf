// The instructor's table reads each sandbox's remembered progress and checks a
// sandbox again only when something happened in it since: these tests hold it
// to never showing a stale result (after a learner's change, a change that
// commits while the checks run, a reset, a key growing old, a policy that reads
// the clock, a changed lab file), and to not checking again for nothing (a
// learner browsing).
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { IAM, STS } from "@/lib/iam/catalogue";
import { findLab } from "./catalogue";
import { sandboxProgress } from "./checks";
import { classProgress, refreshProgress, trailMarks } from "./remembered-progress";
import { resetSandbox } from "./sandboxes";
import { call, startTestSandbox, type TestSandbox } from "./test-helpers";

const leastPrivilege = findLab("01-least-privilege-groups")!;
const keyRotation = findLab("02-access-key-rotation")!;

/** What the instructor's table shows for the sandbox, and how many sandboxes the load checked again. */
async function table(s: TestSandbox, lab = leastPrivilege, now = new Date()) {
  const row = await s.reload();
  const { progress, checked } = await classProgress([row], lab, now);
  return { ...progress.get(row.id)!, checked };
}

/** What the checks say now, in the table's terms. */
async function fresh(s: TestSandbox, lab = leastPrivilege, now = new Date()) {
  const p = await sandboxProgress(await s.reload(), lab, now);
  return { passed: p.passed, total: p.total, tasks: p.tasks.map((t) => ({ id: t.id, done: t.done })) };
}

const shown = ({ passed, total, tasks }: { passed: number; total: number; tasks: unknown }) => ({ passed, total, tasks });

describe("remembered progress (the instructor's table)", () => {
  it("checks a sandbox again after the learner changes something, and not after the learner only looks", async () => {
    const s = await startTestSandbox("01-least-privilege-groups");
    const first = await table(s);
    expect(first.checked).toBe(1);
    expect(shown(first)).toEqual(await fresh(s));
    expect((await table(s)).checked).toBe(0);

    // Browsing (audited reads) changes nothing a check reads.
    const learner = await s.user("learner");
    await call(learner, IAM.ListUsers, {});
    await call(learner, STS.GetCallerIdentity, {});
    expect((await table(s)).checked).toBe(0);

    // A change: the next load shows it.
    await call(learner, IAM.DeleteUserPolicy, { userName: "bob", policyName: "reports-everything" });
    const after = await table(s);
    expect(after.checked).toBe(1);
    expect(after.passed).toBeGreaterThan(first.passed);
    expect(shown(after)).toEqual(await fresh(s));
    expect((await table(s)).checked).toBe(0);
  });

  it("checks again when a change commits while the checks run (the trail is read before them)", async () => {
    const s = await startTestSandbox("01-least-privilege-groups");
    const row = await s.reload();
    const trail = (await trailMarks([row.organizationId], leastPrivilege)).get(row.organizationId)!;
    await call(await s.user("learner"), IAM.CreateGroup, { groupName: "Analysts" });
    // Progress computed after the change but remembered against the trail read before it.
    await refreshProgress(row, leastPrivilege, new Date(), trail);
    const next = await table(s);
    expect(next.checked).toBe(1);
    expect(shown(next)).toEqual(await fresh(s));
  });

  it("shows the initial state again after a reset", async () => {
    const s = await startTestSandbox("01-least-privilege-groups");
    const initial = await table(s);
    const learner = await s.user("learner");
    await call(learner, IAM.DeleteUserPolicy, { userName: "bob", policyName: "reports-everything" });
    expect((await table(s)).passed).toBeGreaterThan(initial.passed);
    await resetSandbox(await s.reload(), leastPrivilege);
    const again = await table(s);
    expect(shown(again)).toEqual(shown(initial));
    expect(shown(again)).toEqual(await fresh(s));
  });

  it("turns 'no active key older than a day' red when the new key turns a day old, with nothing in the trail", async () => {
    const s = await startTestSandbox("02-access-key-rotation");
    const learner = await s.user("learner");
    const old = await db().accessKey.findFirstOrThrow({ where: { accountId: s.accounts.dev, user: { name: "deploy-bot" } } });
    await call(learner, IAM.CreateAccessKey, { userName: "deploy-bot" });
    await call(learner, IAM.UpdateAccessKey, { userName: "deploy-bot", accessKeyId: old.id, status: "Inactive" });
    await call(learner, IAM.DeleteAccessKey, { userName: "deploy-bot", accessKeyId: old.id });
    const today = await table(s, keyRotation);
    expect(today.checked).toBe(1);
    expect(shown(today)).toEqual(await fresh(s, keyRotation));
    expect((await table(s, keyRotation)).checked).toBe(0);

    const tomorrow = new Date(Date.now() + 24 * 60 * 60_000 + 60_000);
    const later = await table(s, keyRotation, tomorrow);
    expect(later.checked).toBe(1);
    expect(later.passed).toBe(today.passed - 1);
    expect(shown(later)).toEqual(await fresh(s, keyRotation, tomorrow));
  });

  it("checks on every load while a policy of the sandbox has a condition on the clock", async () => {
    const s = await startTestSandbox("01-least-privilege-groups");
    await table(s);
    const document = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "s3:ListBucket", Resource: "*", Condition: { DateLessThan: { "aws:CurrentTime": "2099-01-01T00:00:00Z" } } }],
    });
    await call(await s.user("learner"), IAM.PutUserPolicy, { userName: "learner", policyName: "until-2099", policyDocument: document });
    expect((await table(s)).checked).toBe(1);
    expect((await table(s)).checked).toBe(1);
  });

  it("checks again when the lab file's checks change", async () => {
    const s = await startTestSandbox("01-least-privilege-groups");
    await table(s);
    const edited = { ...leastPrivilege, tasks: leastPrivilege.tasks.slice(0, 1) };
    const next = await table(s, edited);
    expect(next.checked).toBe(1);
    expect(next.total).toBe(leastPrivilege.tasks[0]!.checks.length);
  });
});
