import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { toCloudTrailRecord, type AuditRow } from "@/lib/audit/query";
import { IAM, S3 } from "@/lib/iam/catalogue";
import type { CatalogueOperation } from "@/lib/iam/catalogue";
import { asUser, DEV, PROD, testRequest } from "@/lib/testing/principals";
import { parseGateRecords } from "./gate-record";
import { runOperation } from "./operation";
import type { Principal } from "./principal";
import { reportOnlyState, setReportOnlyMode } from "./report-only";

function call<T>(op: CatalogueOperation, principal: Principal, input: unknown): Promise<T> {
  return runOperation({ ...op.operation(op.input.parse(input), principal), principal, request: testRequest() }) as Promise<T>;
}
const setMode = (principal: Principal, enabled: boolean) => runOperation({ ...setReportOnlyMode(principal, { enabled }), principal, request: testRequest() });
const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: { code?: string }) => e?.code ?? String(e));
const lastEvent = (eventName: string, identityArn: string) =>
  db().auditEvent.findFirstOrThrow({ where: { eventName, identityArn }, orderBy: [{ eventTime: "desc" }, { id: "desc" }] });

describe("report-only: denials recorded, not enforced, inside the caller's account only", () => {
  it("denies an app's calls before, lets them through as would-be denials while on, denies again after off", async () => {
    const bob = await asUser("bob"); // ReadOnlyAccess
    const admin = await asUser("admin");
    expect(await reportOnlyState(db(), DEV)).toEqual({ enabled: false, changedAt: null });

    // Before: refused and recorded as a denial with the gate's decision.
    expect(await errorOf(call(IAM.CreateGroup, bob, { groupName: "AppGroupBefore" }))).toBe("AccessDenied");
    const refused = await lastEvent("CreateGroup", bob.arn);
    expect(refused.errorCode).toBe("AccessDenied");
    expect(refused.wouldBeDenied).toBe(false);
    expect(parseGateRecords(refused.gateDecisions)).toEqual([
      expect.objectContaining({ action: "iam:CreateGroup", resource: `arn:aws:iam::${DEV}:group/AppGroupBefore`, decision: "ImplicitlyDenied", enforced: true }),
    ]);

    // Only a principal with iamlab:SetReportOnlyMode may turn it on; the refusal is itself audited.
    expect(await errorOf(setMode(bob, true))).toBe("AccessDenied");
    expect(await reportOnlyState(db(), DEV)).toMatchObject({ enabled: false });
    await setMode(admin, true);
    expect(await reportOnlyState(db(), DEV)).toMatchObject({ enabled: true });
    const switched = await lastEvent("SetReportOnlyMode", admin.arn);
    expect(switched.eventSource).toBe("iamlab.local");
    expect(switched.errorCode).toBeNull();
    expect(JSON.parse(switched.requestParameters ?? "{}")).toEqual({ enabled: true });

    // While on: the same calls go through, each marked as a would-be denial with what would have decided.
    await call(IAM.CreateGroup, bob, { groupName: "AppGroup" });
    await call(IAM.AttachGroupPolicy, bob, { groupName: "AppGroup", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" });
    expect(await db().iamGroup.count({ where: { accountId: DEV, name: "AppGroup" } })).toBe(1);
    const let_through = await lastEvent("CreateGroup", bob.arn);
    expect(let_through.errorCode).toBeNull();
    expect(let_through.wouldBeDenied).toBe(true);
    const [decision] = parseGateRecords(let_through.gateDecisions);
    expect(decision).toMatchObject({ action: "iam:CreateGroup", resource: `arn:aws:iam::${DEV}:group/AppGroup`, decision: "ImplicitlyDenied", enforced: false, policyKind: "an identity-based policy" });
    expect(decision?.evaluated).toContain("ReadOnlyAccess");
    const json = toCloudTrailRecord(let_through as AuditRow);
    expect(json.iamLabAuthorization).toMatchObject({ wouldBeDenied: true, decisions: [{ action: "iam:CreateGroup", enforced: false }] });
    expect(json.errorCode).toBeUndefined();

    // An allowed read in the same account is recorded with the statement that allowed it, not as a would-be denial.
    await call(IAM.GetGroup, bob, { groupName: "AppGroup" });
    const read = await lastEvent("GetGroup", bob.arn);
    expect(read.wouldBeDenied).toBe(false);
    expect(parseGateRecords(read.gateDecisions)[0]).toMatchObject({ decision: "Allowed", enforced: true, policyName: "ReadOnlyAccess", policyId: "arn:aws:iam::aws:policy/ReadOnlyAccess" });

    // Never relaxed: the switch's own permission, another account's resources, an SCP's deny,
    // AWS's built-in refusals, and a password that must be changed first.
    expect(await errorOf(setMode(bob, false))).toBe("AccessDenied");
    expect(await errorOf(call(S3.GetObject, bob, { bucket: "example-prod-logs", key: "2026/11/27/app.log" }))).toBe("AccessDenied");
    expect(await errorOf(call(S3.DeleteObject, admin, { bucket: "example-dev-scratch", key: "tmp/notes.txt" }))).toBe("AccessDenied");
    expect(await db().s3Object.count({ where: { bucketName: "example-dev-scratch", key: "tmp/notes.txt" } })).toBe(1);
    expect(await errorOf(call(IAM.DeletePolicy, bob, { policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }))).not.toBeNull();
    expect(await db().managedPolicy.count({ where: { arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" } })).toBe(1);
    const newhire = { ...(await asUser("newhire")), passwordResetRequired: true };
    expect(await errorOf(call(IAM.CreateGroup, newhire, { groupName: "NewhireGroup" }))).toBe("AccessDenied");
    // Another account of the organization keeps enforcing: its switch is off.
    expect(await reportOnlyState(db(), PROD)).toMatchObject({ enabled: false });

    // Off again: denied again.
    await setMode(admin, false);
    expect(await errorOf(call(IAM.CreateGroup, bob, { groupName: "AppGroupAfter" }))).toBe("AccessDenied");
    expect(await db().iamGroup.count({ where: { accountId: DEV, name: "AppGroupAfter" } })).toBe(0);
    expect((await lastEvent("CreateGroup", bob.arn)).wouldBeDenied).toBe(false);
  });
});
