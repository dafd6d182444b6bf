/**
 * Property tests of the decision logic (fast-check).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluate } from "./index";
import type { EvaluationInput } from "./types";

const ACCOUNT = "111122223333";
const actions = ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "ec2:RunInstances", "iam:PassRole"];
const actionPatterns = [...actions, "s3:*", "s3:Get*", "*", "ec2:*", "iam:Pass*", "s3:?utObject"];
const resources = ["arn:aws:s3:::b/k", "arn:aws:s3:::b", "arn:aws:s3:::other/k", "*"];
const resourcePatterns = ["*", "arn:aws:s3:::b/*", "arn:aws:s3:::b", "arn:aws:s3:::*", "arn:aws:s3:::other/*", "arn:aws:s3:::b/${aws:username}"];
const principals = [`arn:aws:iam::${ACCOUNT}:user/alice`, `arn:aws:sts::${ACCOUNT}:assumed-role/app/s`, "arn:aws:iam::444455556666:user/bob", `arn:aws:iam::${ACCOUNT}:root`];

const condition = fc.oneof(
  fc.constant(undefined),
  fc.constant({ Bool: { "aws:MultiFactorAuthPresent": "true" } }),
  fc.constant({ IpAddress: { "aws:SourceIp": "10.0.0.0/8" } }),
  fc.constant({ StringNotEqualsIfExists: { "aws:RequestedRegion": "eu-west-1" } }),
  fc.constant({ "ForAllValues:StringEquals": { "aws:TagKeys": ["a"] } }),
);

const statement = (withPrincipal: boolean) =>
  fc.record({
    Effect: fc.constantFrom("Allow", "Deny"),
    Action: fc.subarray(actionPatterns, { minLength: 1, maxLength: 3 }),
    Resource: fc.subarray(resourcePatterns, { minLength: 1, maxLength: 2 }),
    Condition: condition,
    ...(withPrincipal
      ? { Principal: fc.constantFrom<unknown>("*", { AWS: principals[0] }, { AWS: ACCOUNT }, { AWS: "arn:aws:iam::111122223333:role/app" }) }
      : {}),
  }).map((s) => {
    const out: Record<string, unknown> = { ...s };
    if (out.Condition === undefined) delete out.Condition;
    return out;
  });

const doc = (stmts: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement: stmts });

const scenario = fc.record({
  principal: fc.constantFrom(...principals),
  action: fc.constantFrom(...actions),
  resource: fc.constantFrom(...resources),
  context: fc.record({
    "aws:MultiFactorAuthPresent": fc.constantFrom("true", "false"),
    "aws:SourceIp": fc.constantFrom("10.1.1.1", "192.0.2.1"),
    "aws:TagKeys": fc.constantFrom<string[]>(["a"], ["a", "b"]),
  }),
  identity: fc.array(fc.array(statement(false), { minLength: 1, maxLength: 4 }), { maxLength: 3 }),
  boundary: fc.option(fc.array(statement(false), { minLength: 1, maxLength: 3 }), { nil: undefined }),
  session: fc.option(fc.array(statement(false), { minLength: 1, maxLength: 2 }), { nil: undefined }),
  resourcePolicy: fc.option(fc.array(statement(true), { minLength: 1, maxLength: 3 }), { nil: undefined }),
  scps: fc.option(fc.array(fc.array(fc.array(statement(false), { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 2 }), { nil: undefined }),
  crossAccount: fc.boolean(),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;
type Stmt = Record<string, unknown>;

function toInput(s: Scenario): EvaluationInput {
  return {
    request: {
      principal: s.principal,
      action: s.action,
      resource: { resource: s.resource, ...(s.crossAccount ? { accountId: "999988887777" } : {}) },
      context: s.context,
    },
    identityPolicies: s.identity.map((st, i) => ({ name: `id${i}`, policy: doc(st) })),
    ...(s.boundary ? { permissionBoundaries: [{ name: "b", policy: doc(s.boundary) }] } : {}),
    ...(s.session ? { sessionPolicy: { name: "s", policy: doc(s.session) } } : {}),
    ...(s.resourcePolicy ? { resourcePolicy: { name: "r", policy: doc(s.resourcePolicy) } } : {}),
    ...(s.scps ? { serviceControlPolicies: s.scps.map((lvl, li) => ({ orgIdentifier: `l${li}`, policies: lvl.map((p, i) => ({ name: `scp${i}`, policy: doc(p) })) })) } : {}),
  };
}

const RUNS = 300;

/** Every place a statement can live, as [get, set] over a scenario copy. */
function statementSlots(s: Scenario): { list: Stmt[]; index: number }[] {
  const slots: { list: Stmt[]; index: number }[] = [];
  const add = (list: Stmt[] | undefined) => list?.forEach((_, index) => slots.push({ list, index }));
  s.identity.forEach(add);
  add(s.boundary);
  add(s.session);
  add(s.resourcePolicy);
  s.scps?.forEach((lvl) => lvl.forEach(add));
  return slots;
}

describe("evaluation properties", () => {
  it("adding an explicit Deny statement never turns a deny into an allow", () => {
    fc.assert(
      fc.property(scenario, statement(false), fc.nat(), (s, extra, where) => {
        const before = evaluate(toInput(s)).decision;
        const copy = structuredClone(s);
        const deny = { ...extra, Effect: "Deny" };
        const targets = [...copy.identity, ...(copy.boundary ? [copy.boundary] : []), ...(copy.session ? [copy.session] : [])];
        if (targets.length === 0) copy.identity.push([deny]);
        else targets[where % targets.length].push(deny);
        const after = evaluate(toInput(copy)).decision;
        if (before !== "Allowed") expect(after).not.toBe("Allowed");
        if (before === "ExplicitlyDenied") expect(after).toBe("ExplicitlyDenied");
      }),
      { numRuns: RUNS },
    );
  });

  it("removing an Allow statement never turns a deny into an allow", () => {
    fc.assert(
      fc.property(scenario, fc.nat(), (s, which) => {
        const copy = structuredClone(s);
        const allows = statementSlots(copy).filter((x) => x.list[x.index].Effect === "Allow");
        fc.pre(allows.length > 0);
        const before = evaluate(toInput(s)).decision;
        const slot = allows[which % allows.length];
        slot.list.splice(slot.index, 1);
        if (slot.list.length === 0) slot.list.push({ Effect: "Deny", Action: "none:None", Resource: "*" });
        const after = evaluate(toInput(copy)).decision;
        if (before !== "Allowed") expect(after).not.toBe("Allowed");
      }),
      { numRuns: RUNS },
    );
  });

  it("is deterministic", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const a = evaluate(toInput(s), { explain: true });
        const b = evaluate(toInput(structuredClone(s)), { explain: true });
        expect(b).toEqual(a);
        expect(evaluate(toInput(s)).decision).toBe(a.decision);
      }),
      { numRuns: RUNS },
    );
  });

  it("does not depend on the order of statements and policies", () => {
    fc.assert(
      fc.property(scenario, fc.integer(), (s, seed) => {
        const before = evaluate(toInput(s)).decision;
        const copy = structuredClone(s);
        let x = seed | 0;
        const shuffle = <T>(xs: T[]) => {
          for (let i = xs.length - 1; i > 0; i--) {
            x = (Math.imul(x, 1103515245) + 12345) | 0;
            const j = Math.abs(x) % (i + 1);
            [xs[i], xs[j]] = [xs[j], xs[i]];
          }
          return xs;
        };
        copy.identity.forEach(shuffle);
        shuffle(copy.identity);
        if (copy.boundary) shuffle(copy.boundary);
        if (copy.session) shuffle(copy.session);
        if (copy.resourcePolicy) shuffle(copy.resourcePolicy);
        copy.scps?.forEach((lvl) => {
          lvl.forEach(shuffle);
          shuffle(lvl);
        });
        if (copy.scps) shuffle(copy.scps);
        expect(evaluate(toInput(copy)).decision).toBe(before);
      }),
      { numRuns: RUNS },
    );
  });
});
