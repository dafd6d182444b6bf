import "server-only";
// Helpers for the services' integration tests: run an operation builder the way
// both doors do, snapshot the IAM tables, and check a denial left no trace but
// its audit record.
import { expect } from "vitest";
import type { OperationSpec } from "@/lib/iam/operation";
import { db } from "@/lib/db/client";
import { IamError } from "@/lib/iam/errors";
import { runOperation, runSequence, type Sequence } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";
import { asUser, testRequest } from "@/lib/testing/principals";

export function run<T>(principal: Principal, spec: OperationSpec<T>): Promise<T> {
  return runOperation({ ...spec, principal, request: testRequest() });
}

/** Runs a console composite (lib/iam/catalogue/console.ts) the way the console does. */
export function runSteps<T>(principal: Principal, sequence: Sequence<T>): Promise<T> {
  return runSequence({ principal, request: testRequest() }, sequence);
}

/** Runs a composite and returns the IamError it must fail with. */
export async function stepsFailure(principal: Principal, sequence: Sequence<unknown>): Promise<IamError> {
  const outcome = await runSteps(principal, sequence).then(
    () => null,
    (e: unknown) => e,
  );
  expect(outcome, "the composite should have failed").toBeInstanceOf(IamError);
  return outcome as IamError;
}

/** A composite is refused with AccessDenied at one of its steps, nothing changes, and that refusal is audited. */
export async function expectStepsDenied(principal: Principal, sequence: Sequence<unknown>): Promise<void> {
  const before = await snapshot();
  const denials = () => db().auditEvent.count({ where: { identityArn: principal.arn, errorCode: "AccessDenied" } });
  const auditBefore = await denials();
  const error = await stepsFailure(principal, sequence);
  expect(error.code, error.message).toBe("AccessDenied");
  expect(await snapshot(), "a denied composite changed the database").toBe(before);
  expect(await denials()).toBe(auditBefore + 1);
}

/** Runs and returns the IamError it must fail with. */
export async function failure(principal: Principal, spec: OperationSpec<unknown>): Promise<IamError> {
  const outcome = await run(principal, spec).then(
    () => null,
    (e: unknown) => e,
  );
  expect(outcome, `${spec.name} should have failed`).toBeInstanceOf(IamError);
  return outcome as IamError;
}

/**
 * Every row a denied call could change, for "nothing changed" checks. The
 * ~1,600 AWS-managed policies and their ~6,000 versions are read-only
 * catalogue data: they count by number and newest update, not row by row
 * (reading their documents twice per call made each check take seconds).
 */
export async function snapshot(): Promise<string> {
  const c = db();
  const customer = { accountId: { not: null } };
  const parts = await Promise.all([
    c.iamUser.findMany({ orderBy: { id: "asc" } }),
    c.iamGroup.findMany({ orderBy: { id: "asc" } }),
    c.groupMembership.findMany({ orderBy: [{ groupId: "asc" }, { userId: "asc" }] }),
    c.role.findMany({ orderBy: { id: "asc" } }),
    c.managedPolicy.findMany({ where: customer, orderBy: { id: "asc" } }),
    c.managedPolicy.aggregate({ _count: true, _max: { updatedAt: true } }),
    c.policyVersion.findMany({ where: { policy: customer }, orderBy: { id: "asc" } }),
    c.policyVersion.count(),
    c.policyAttachment.findMany({ orderBy: { id: "asc" } }),
    c.inlinePolicy.findMany({ orderBy: { id: "asc" } }),
    c.tag.findMany({ orderBy: { id: "asc" } }),
    c.accessKey.findMany({ orderBy: { id: "asc" } }),
    c.loginProfile.findMany({ orderBy: { userId: "asc" } }),
    c.passwordHistory.findMany({ orderBy: { id: "asc" } }),
    c.passwordPolicy.findMany({ orderBy: { accountId: "asc" } }),
    c.mfaDevice.findMany({ orderBy: { id: "asc" } }),
    c.account.findMany({ orderBy: { id: "asc" } }),
  ]);
  return JSON.stringify(parts);
}

/**
 * The principal is refused with AccessDenied, nothing changes, and the denial
 * is audited under the operation's name.
 */
export async function expectDenied(principal: Principal, spec: OperationSpec<unknown>): Promise<void> {
  const before = await snapshot();
  const auditBefore = await db().auditEvent.count({ where: { eventName: spec.name, identityArn: principal.arn, errorCode: "AccessDenied" } });
  const error = await failure(principal, spec);
  expect(error.code, `${spec.name}: ${error.message}`).toBe("AccessDenied");
  expect(error.message).toContain(`User: ${principal.arn} is not authorized to perform: iam:${spec.name}`);
  expect(await snapshot(), `${spec.name} changed the database although denied`).toBe(before);
  const auditAfter = await db().auditEvent.count({ where: { eventName: spec.name, identityArn: principal.arn, errorCode: "AccessDenied" } });
  expect(auditAfter).toBe(auditBefore + 1);
}

/** A user with no policies at all: denied everything, whatever the engine decides later. */
export async function nobody(admin: Principal, name = "nobody"): Promise<Principal> {
  const existing = await db().iamUser.findFirst({ where: { accountId: admin.accountId, nameLower: name.toLowerCase() } });
  if (!existing) {
    const { createUser } = await import("./users");
    await run(admin, createUser(admin, { userName: name, path: "/", tags: [] }));
  }
  return asUser(name, admin.accountId);
}

/** All audit rows as text, to look for leaked secrets. */
export async function auditText(): Promise<string> {
  const rows = await db().auditEvent.findMany();
  return JSON.stringify(rows);
}
