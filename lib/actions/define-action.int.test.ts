// The action builder's promises, against a real seeded database: no principal,
// no work; the input is validated before anything else; every variant goes
// through the gate, so a denied principal gets AccessDenied and an audit row.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { IamError } from "@/lib/iam/errors";
import type { OperationSpec } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";
import { tagUser } from "@/lib/iam/services/tags";
import { TagUserInput } from "@/lib/iam/validation";
import { asUser, DEV, testRequest } from "@/lib/testing/principals";

// The session is the test's to set: who is signed in, and who requests act as.
const session = vi.hoisted(() => ({ current: null as Principal | null, signedIn: null as Principal | null }));
vi.mock("@/lib/auth/current", () => ({
  currentPrincipal: vi.fn(async () => session.current),
  signedInPrincipal: vi.fn(async () => session.signedIn),
}));
vi.mock("@/lib/auth/request-info", () => ({ consoleRequestInfo: async () => testRequest() }));
// The pipeline, watched: "no database work" means runOperation and runSequence are never reached.
vi.mock("@/lib/iam/operation", async (original) => {
  const real = await original<typeof import("@/lib/iam/operation")>();
  return { ...real, runOperation: vi.fn(real.runOperation), runSequence: vi.fn(real.runSequence) };
});

const { currentPrincipal } = await import("@/lib/auth/current");
const { runOperation, runSequence } = await import("@/lib/iam/operation");
const { defineAction, NOT_SIGNED_IN } = await import("./define-action");

const BOB_USER = `arn:aws:iam::${DEV}:user/bob`;
const tagsOf = (key: string) => db().tag.count({ where: { resourceArn: BOB_USER, key } });
/** The audit rows of one principal's calls whose parameters name this tag key (each test uses its own key). */
const auditOf = (identityArn: string, eventName: string, key: string) =>
  db().auditEvent.findMany({ where: { identityArn, eventName, requestParameters: { contains: key } }, orderBy: { eventTime: "asc" } });

/** TagUser on bob: admin may, bob (ReadOnlyAccess) may not. */
const tagBob = (key: string) => ({ userName: "bob", tags: [{ key, value: "v" }] });

beforeEach(async () => {
  vi.clearAllMocks();
  session.current = session.signedIn = null;
});

describe("defineAction: no principal, no work", () => {
  it("answers not-signed-in without building, gating or auditing anything", async () => {
    const operation = vi.fn((i: z.output<typeof TagUserInput>, p: Principal) => tagUser(p, i));
    const run = vi.fn(async () => "ran");
    const audited = await db().auditEvent.count();

    expect(await defineAction({ input: TagUserInput, operation })(tagBob("nobody"))).toEqual(NOT_SIGNED_IN);
    expect(await defineAction({ input: TagUserInput, run })(tagBob("nobody"))).toEqual(NOT_SIGNED_IN);
    expect(await defineAction({ as: "signed-in", run })()).toEqual(NOT_SIGNED_IN);

    expect(operation).not.toHaveBeenCalled();
    expect(run).not.toHaveBeenCalled();
    expect(runOperation).not.toHaveBeenCalled();
    expect(runSequence).not.toHaveBeenCalled();
    expect(await db().auditEvent.count()).toBe(audited);
    expect(await tagsOf("nobody")).toBe(0);
  });
});

describe("defineAction: the input is validated before anything else", () => {
  it("refuses bad input with field errors before looking up the principal or running anything", async () => {
    session.current = await asUser("admin");
    const operation = vi.fn((i: z.output<typeof TagUserInput>, p: Principal) => tagUser(p, i));
    const action = defineAction({ input: TagUserInput, operation });

    const form = new FormData();
    form.set("userName", "not a valid name!");
    const result = await action(null, form);

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("ValidationError");
    expect(Object.keys(result.fieldErrors ?? {})).toContain("userName");
    // The summary is the first problem in words, without a raw field-name prefix ("userName: ...").
    const firstField = Object.values(result.fieldErrors ?? {})[0]?.[0] ?? "";
    expect(firstField.length).toBeGreaterThan(0);
    expect(result.error.message.startsWith(firstField)).toBe(true);
    expect(result.error.message).not.toMatch(/^\w+: /);
    expect(currentPrincipal).not.toHaveBeenCalled();
    expect(operation).not.toHaveBeenCalled();
    expect(runOperation).not.toHaveBeenCalled();
  });

  it("takes the input as a plain object or as (previousState, FormData)", async () => {
    session.current = await asUser("admin");
    const echo = defineAction({ input: z.object({ n: z.coerce.number() }), run: async (i) => i.n * 2 });
    const form = new FormData();
    form.set("n", "21");
    expect(await echo({ n: 4 })).toEqual({ ok: true, data: 8 });
    expect(await echo(null, form)).toEqual({ ok: true, data: 42 });
  });

  it("with no input, ignores whatever it is called with", async () => {
    session.current = await asUser("admin");
    const action = defineAction({ run: async (input) => input ?? "nothing" });
    expect(await action()).toEqual({ ok: true, data: "nothing" });
    expect(await action(null, new FormData())).toEqual({ ok: true, data: "nothing" });
  });
});

describe("defineAction: always through the gate", () => {
  it("operation: a denied principal gets AccessDenied and an audit row, and nothing changes", async () => {
    const bob = (session.current = await asUser("bob"));
    const result = await defineAction({ input: TagUserInput, operation: (i, p) => tagUser(p, i) })(tagBob("denied-op"));

    expect(result).toMatchObject({ ok: false, error: { code: "AccessDenied", denied: { action: "iam:TagUser" } } });
    expect(await tagsOf("denied-op")).toBe(0);
    expect((await auditOf(bob.arn, "TagUser", "denied-op")).map((e) => e.errorCode)).toEqual(["AccessDenied"]);
  });

  it("operation: an allowed principal changes and is audited", async () => {
    const admin = (session.current = await asUser("admin"));
    const result = await defineAction({ input: TagUserInput, operation: (i, p) => tagUser(p, i) })(tagBob("allowed-op"));

    expect(result.ok).toBe(true);
    expect(await tagsOf("allowed-op")).toBe(1);
    expect((await auditOf(admin.arn, "TagUser", "allowed-op")).map((e) => e.errorCode)).toEqual([null]);
  });

  it("run: each door.run is gated and audited; a refusal ends the action with AccessDenied", async () => {
    const bob = (session.current = await asUser("bob"));
    const after = vi.fn();
    const action = defineAction({
      input: TagUserInput,
      run: async (i, door) => {
        const data = await door.run(tagUser(door.principal, i));
        after();
        return data;
      },
    });

    expect(await action(tagBob("denied-run"))).toMatchObject({ ok: false, error: { code: "AccessDenied" } });
    expect(after).not.toHaveBeenCalled();
    expect(await tagsOf("denied-run")).toBe(0);
    expect((await auditOf(bob.arn, "TagUser", "denied-run")).map((e) => e.errorCode)).toEqual(["AccessDenied"]);
  });

  it("sequence: a refused step rolls the earlier steps (and their audit rows) back and is audited itself", async () => {
    const admin = (session.current = await asUser("admin"));
    const refused: OperationSpec<never> = {
      service: "iam",
      name: "DeleteUser",
      readOnly: false,
      resource: { arn: BOB_USER },
      run: async () => {
        throw new IamError("DeleteConflict", "Cannot delete entity, must remove tags first.");
      },
    };
    const action = defineAction({
      input: TagUserInput,
      sequence: (i, p) => async (step) => {
        await step(tagUser(p, i));
        return step(refused);
      },
    });

    expect(await action(tagBob("rolled-back"))).toMatchObject({ ok: false, error: { code: "DeleteConflict" } });
    expect(await tagsOf("rolled-back")).toBe(0);
    expect((await auditOf(admin.arn, "TagUser", "rolled-back")).map((e) => e.errorCode)).toEqual([]); // rolled back with its change
    expect((await db().auditEvent.findMany({ where: { identityArn: admin.arn, eventName: "DeleteUser" } })).map((e) => e.errorCode)).toEqual(["DeleteConflict"]);
  });

  it('as "signed-in": acts as the signed-in identity, not the role the console switched into', async () => {
    session.current = await asUser("bob"); // stands in for a switched role without the permission
    const admin = (session.signedIn = await asUser("admin"));
    const asCurrent = defineAction({ input: TagUserInput, operation: (i, p) => tagUser(p, i) });
    const asIdentity = defineAction({ input: TagUserInput, as: "signed-in", operation: (i, p) => tagUser(p, i) });

    expect(await asCurrent(tagBob("as-identity"))).toMatchObject({ ok: false, error: { code: "AccessDenied" } });
    expect((await asIdentity(tagBob("as-identity"))).ok).toBe(true);
    expect((await auditOf(admin.arn, "TagUser", "as-identity")).map((e) => e.errorCode)).toEqual([null]);
  });

  it("lets Next's redirect() through instead of reporting it as a failure", async () => {
    session.current = await asUser("admin");
    const { redirect } = await import("next/navigation");
    const action = defineAction({ run: async () => redirect("/iam") });
    await expect(action()).rejects.toMatchObject({ digest: expect.stringContaining("NEXT_REDIRECT") });
  });

  it("reports an unexpected error generically, without its message", async () => {
    session.current = await asUser("admin");
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    const result = await defineAction({ run: async () => Promise.reject(new Error("secret detail")) })();
    spy.mockRestore();
    expect(result).toMatchObject({ ok: false, error: { code: "InternalFailure" } });
    expect(JSON.stringify(result)).not.toContain("secret detail");
  });
});
