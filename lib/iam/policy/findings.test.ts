import { describe, expect, it } from "vitest";
import { analyzePolicy, summarizePolicy } from "./index";

const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement }, null, 2);
const codes = async (text: string, type: Parameters<typeof analyzePolicy>[1] = "identity") => (await analyzePolicy(text, type)).map((f) => f.code);

describe("findings", () => {
  it("a clean policy has no findings", async () => {
    expect(await analyzePolicy(doc({ Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*" }), "identity")).toEqual([]);
  });

  it("reports unknown services and actions with their position", async () => {
    const text = doc({ Effect: "Allow", Action: ["s3:GetObjekt", "nosuch:Thing", "s3:Zap*"], Resource: "*" });
    const f = await analyzePolicy(text, "identity");
    const byCode = Object.fromEntries(f.map((x) => [x.code + ":" + text.slice(x.span.start, x.span.end), x]));
    expect(byCode['UNKNOWN_ACTION:"s3:GetObjekt"'].message).toMatch(/Did you mean s3:GetObject/);
    expect(byCode['UNKNOWN_SERVICE:"nosuch:Thing"'].type).toBe("ERROR");
    expect(byCode['UNKNOWN_ACTION:"s3:Zap*"']).toBeTruthy();
    const a = byCode['UNKNOWN_ACTION:"s3:GetObjekt"'];
    expect(text.split("\n")[a.position.line - 1].slice(a.position.column - 1)).toMatch(/^"s3:GetObjekt"/);
    expect(a.statementIndex).toBe(0);
  });

  it("reports an action that matches no resource type of the resource", async () => {
    expect(await codes(doc({ Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::b/*" }))).toContain("ACTION_RESOURCE_MISMATCH");
    expect(await codes(doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b" }))).toContain("ACTION_RESOURCE_MISMATCH");
    expect(await codes(doc({ Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "arn:aws:s3:::b" }))).toContain("ACTION_RESOURCE_MISMATCH");
    expect(await codes(doc({ Effect: "Allow", Action: ["s3:GetObject", "s3:ListBucket"], Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"] }))).not.toContain("ACTION_RESOURCE_MISMATCH");
    expect(await codes(doc({ Effect: "Allow", Action: "iam:GetUser", Resource: "arn:aws:iam::111122223333:user/*" }))).toEqual([]);
  });

  it("reports unknown and mistyped condition keys and operator mismatches", async () => {
    const f = await analyzePolicy(doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*", Condition: { IpAddress: { "aws:SourceIpp": "10.0.0.0/8" } } }), "identity");
    expect(f[0]).toMatchObject({ code: "UNKNOWN_CONDITION_KEY", type: "ERROR" });
    expect(f[0].message).toMatch(/Did you mean aws:SourceIp/);
    expect(await codes(doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*", Condition: { StringEquals: { "aws:SourceIp": "10.0.0.1" } } }))).toContain("CONDITION_TYPE_MISMATCH");
    expect(await codes(doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*", Condition: { NumericLessThan: { "aws:MultiFactorAuthAge": "3600" } } }))).toEqual([]);
    expect(await codes(doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*", Condition: { "ForAllValues:StringEquals": { "aws:TagKeys": ["a"] } } }))).toContain("FOR_ALL_VALUES_WITH_ALLOW");
    expect(await codes(doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*", Condition: { "ForAnyValue:StringEquals": { "aws:username": ["a"] } } }))).toContain("SET_OPERATOR_ON_SINGLE_VALUED_KEY");
  });

  it("warns about Allow with NotAction/NotResource and PassRole on *", async () => {
    expect(await codes(doc({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }))).toContain("ALLOW_WITH_NOT_ACTION");
    expect(await codes(doc({ Effect: "Allow", Action: "s3:GetObject", NotResource: "arn:aws:s3:::secret/*" }))).toContain("ALLOW_WITH_NOT_RESOURCE");
    expect(await codes(doc({ Effect: "Deny", NotAction: "iam:*", Resource: "*" }))).not.toContain("ALLOW_WITH_NOT_ACTION");
    expect(await codes(doc({ Effect: "Allow", Action: "iam:PassRole", Resource: "*" }))).toContain("PASS_ROLE_WITH_STAR_IN_RESOURCE");
    expect(await codes(doc({ Effect: "Allow", Action: "iam:*", Resource: "*" }))).toContain("PASS_ROLE_WITH_STAR_IN_RESOURCE");
    expect(await codes(doc({ Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::111122223333:role/app" }))).not.toContain("PASS_ROLE_WITH_STAR_IN_RESOURCE");
  });

  it("suggests removing duplicate and redundant statements, actions and resources", async () => {
    const st = { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" };
    expect(await codes(doc(st, { Sid: "Again", ...st }))).toContain("DUPLICATE_STATEMENT");
    expect(await codes(doc({ Effect: "Allow", Action: ["s3:*", "s3:GetObject"], Resource: ["*", "arn:aws:s3:::b/*"] }))).toEqual(
      expect.arrayContaining(["REDUNDANT_ACTION", "REDUNDANT_RESOURCE"]),
    );
    expect(await codes(doc({ Effect: "Allow", Action: "s3:*", Resource: "*" }, st))).toContain("REDUNDANT_STATEMENT");
  });

  it("turns a validation error into an ERROR finding", async () => {
    const f = await analyzePolicy('{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "GetObject", "Resource": "*"}}', "identity");
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ type: "ERROR", code: "MALFORMED_POLICY", message: "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc." });
    expect(f[0].position).toEqual({ offset: 69, line: 1, column: 70 });
  });

  it("warns about a missing Version and variables in a 2008 document", async () => {
    const c = await codes(JSON.stringify({ Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/${aws:username}/*" }] }));
    expect(c).toEqual(expect.arrayContaining(["MISSING_VERSION", "POLICY_VARIABLE_WITHOUT_VERSION"]));
  });
});

describe("policy summary", () => {
  it("groups by service with access levels, resources and conditions", async () => {
    const s = await summarizePolicy(
      doc(
        { Effect: "Allow", Action: ["s3:GetObject", "s3:ListBucket"], Resource: "arn:aws:s3:::b/*", Condition: { Bool: { "aws:SecureTransport": "true" } } },
        { Effect: "Allow", Action: "ec2:*", Resource: "*" },
        { Effect: "Allow", Action: ["iam:PutUserPolicy", "iam:TagUser"], Resource: "*" },
        { Effect: "Deny", Action: "s3:DeleteObject", Resource: "*" },
        { Effect: "Allow", Action: "nosuch:Thing", Resource: "*" },
      ),
    );
    const byKey = Object.fromEntries(s.services.map((x) => [`${x.effect}:${x.service}`, x]));
    expect(byKey["Allow:ec2"].access).toBe("Full access");
    expect(byKey["Allow:s3"].access).toBe("Limited: List, Read");
    expect(byKey["Allow:s3"].resources).toEqual(["arn:aws:s3:::b/*"]);
    expect(byKey["Allow:s3"].conditions).toEqual(["aws:SecureTransport Bool true"]);
    expect(byKey["Allow:iam"].levels.map((l) => l.level)).toEqual(expect.arrayContaining(["Permissions management", "Tagging"]));
    expect(byKey["Deny:s3"].levels).toEqual([{ level: "Write", actions: ["DeleteObject"], total: expect.any(Number) }]);
    expect(s.unknownServices).toEqual(["nosuch"]);
  });
});
