import { describe, expect, it } from "vitest";
import { draftPolicy, foldPaths, matchTemplate, WILDCARD_MIN, type ObservedCall } from "./policy-draft";

const ACCOUNT = "111122223333";
const call = (action: string, resource: string, extra: Partial<ObservedCall> = {}): ObservedCall => ({ action, resource, calls: 1, denied: 0, wouldBeDenied: 0, ...extra });
const statementFor = (d: Awaited<ReturnType<typeof draftPolicy>>, action: string) => d.document.Statement.find((s) => s.Action.includes(action));

describe("policy drafting from recorded calls", () => {
  it("grants an action without a resource type on * and nothing else on *", async () => {
    const d = await draftPolicy([call("iam:listusers", "*"), call("s3:ListAllMyBuckets", "*"), call("iam:GetUser", `arn:aws:iam::${ACCOUNT}:user/bob`)], ACCOUNT);
    expect(statementFor(d, "iam:ListUsers")?.Resource).toEqual(["*"]);
    expect(statementFor(d, "s3:ListAllMyBuckets")?.Resource).toEqual(["*"]);
    expect(statementFor(d, "iam:GetUser")?.Resource).toEqual([`arn:aws:iam::${ACCOUNT}:user/bob`]);
    // iam and s3 never share a statement, even on "*".
    expect(statementFor(d, "iam:ListUsers")).not.toBe(statementFor(d, "s3:ListAllMyBuckets"));
  });

  it("lists fewer than WILDCARD_MIN objects one by one and wildcards more under their common prefix", async () => {
    const few = await draftPolicy([call("s3:GetObject", "arn:aws:s3:::reports/2026/a.csv"), call("s3:GetObject", "arn:aws:s3:::reports/2026/b.csv")], ACCOUNT);
    expect(WILDCARD_MIN).toBe(3);
    expect(statementFor(few, "s3:GetObject")?.Resource).toEqual(["arn:aws:s3:::reports/2026/a.csv", "arn:aws:s3:::reports/2026/b.csv"]);
    const many = await draftPolicy(
      ["logs/app/1.txt", "logs/app/2.txt", "logs/app/old/3.txt"].map((k) => call("s3:GetObject", `arn:aws:s3:::data-bucket/${k}`)),
      ACCOUNT,
    );
    expect(statementFor(many, "s3:GetObject")?.Resource).toEqual(["arn:aws:s3:::data-bucket/logs/app/*"]);
    const nested = await draftPolicy(["a/1", "a/2", "a/3", "b", "c", "d"].map((k) => call("s3:GetObject", `arn:aws:s3:::nest/${k}`)), ACCOUNT);
    expect(statementFor(nested, "s3:GetObject")?.Resource).toEqual(["arn:aws:s3:::nest/*"]);
  });

  it("wildcards at a path boundary only, and never across buckets or the bucket name", async () => {
    const d = await draftPolicy(
      [
        ...["report-a", "report-b", "report-c"].map((k) => call("s3:PutObject", `arn:aws:s3:::one/${k}`)),
        call("s3:PutObject", "arn:aws:s3:::two/x"),
        ...["b1", "b2", "b3"].map((b) => call("s3:ListBucket", `arn:aws:s3:::${b}`)),
      ],
      ACCOUNT,
    );
    // "report-" is a common prefix but not a folder: the wildcard stops at "one/".
    expect(statementFor(d, "s3:PutObject")?.Resource).toEqual(["arn:aws:s3:::one/*", "arn:aws:s3:::two/x"]);
    expect(statementFor(d, "s3:ListBucket")?.Resource).toEqual(["arn:aws:s3:::b1", "arn:aws:s3:::b2", "arn:aws:s3:::b3"]);
  });

  it("counts denied and would-be-denied calls as needed actions", async () => {
    const d = await draftPolicy(
      [
        call("iam:CreateUser", `arn:aws:iam::${ACCOUNT}:user/new`, { denied: 1 }),
        call("s3:DeleteObject", "arn:aws:s3:::b/k", { wouldBeDenied: 1 }),
      ],
      ACCOUNT,
    );
    expect(statementFor(d, "iam:CreateUser")?.Resource).toEqual([`arn:aws:iam::${ACCOUNT}:user/new`]);
    expect(statementFor(d, "s3:DeleteObject")?.Resource).toEqual(["arn:aws:s3:::b/k"]);
    const ev = d.evidence.find((e) => e.sid === statementFor(d, "iam:CreateUser")?.Sid);
    expect(ev).toMatchObject({ calls: 1, denied: 1 });
  });

  it("groups actions that used the same resources into one statement per service", async () => {
    const user = `arn:aws:iam::${ACCOUNT}:user/dev/carol`;
    const d = await draftPolicy([call("iam:GetUser", user), call("iam:ListAccessKeys", user), call("iam:TagUser", `arn:aws:iam::${ACCOUNT}:user/erin`)], ACCOUNT);
    expect(d.document.Statement).toHaveLength(2);
    expect(statementFor(d, "iam:GetUser")).toMatchObject({ Effect: "Allow", Action: ["iam:GetUser", "iam:ListAccessKeys"], Resource: [user] });
    expect(new Set(d.document.Statement.map((s) => s.Sid)).size).toBe(2);
    expect(d.document.Version).toBe("2012-10-17");
  });

  it("wildcards users under one path, and scopes a call without a recorded resource to its type in this account", async () => {
    const d = await draftPolicy(
      [...["dev/a", "dev/b", "dev/c"].map((n) => call("iam:GetUser", `arn:aws:iam::${ACCOUNT}:user/${n}`)), call("iam:CreatePolicy", "*")],
      ACCOUNT,
    );
    expect(statementFor(d, "iam:GetUser")?.Resource).toEqual([`arn:aws:iam::${ACCOUNT}:user/dev/*`]);
    expect(statementFor(d, "iam:CreatePolicy")?.Resource).toEqual([`arn:aws:iam::${ACCOUNT}:policy/*`]);
  });

  it("leaves out and names actions AWS does not know", async () => {
    const d = await draftPolicy([call("iam:MadeUpThing", "*"), call("s3:GetObject", "arn:aws:s3:::b/k")], ACCOUNT);
    expect(d.unknownActions).toEqual(["iam:MadeUpThing"]);
    expect(d.document.Statement.flatMap((s) => s.Action)).toEqual(["s3:GetObject"]);
  });

  it("wildcards the deepest folders that hold enough, and keeps the rest listed", () => {
    expect(foldPaths(["reports/2026/jan.csv", "reports/2026/feb.csv", "reports/2026/mar.csv", "notes.txt"])).toEqual({ wildcards: ["reports/2026/*"], listed: ["notes.txt"] });
    // Two in 2026 and one in 2025: only their common folder holds three.
    expect(foldPaths(["reports/2026/a", "reports/2026/b", "reports/2025/c", "x"])).toEqual({ wildcards: ["reports/*"], listed: ["x"] });
    // A folder already wildcarded does not count again towards its parent.
    expect(foldPaths(["a/1", "a/2", "a/3", "b", "c"])).toEqual({ wildcards: ["a/*"], listed: ["b", "c"] });
    expect(foldPaths(["a/1", "a/2", "a/3", "b", "c", "d"])).toEqual({ wildcards: ["a/*", "*"], listed: [] });
  });

  it("splits an ARN at its format's last part", () => {
    const templates = [{ type: "object", template: "arn:${Partition}:s3:::${BucketName}/${ObjectName}" }];
    expect(matchTemplate("arn:aws:s3:::b/a/b/c.txt", templates)).toEqual({ type: "object", parent: "arn:aws:s3:::b/", last: "a/b/c.txt", pathLike: true });
    expect(matchTemplate("arn:aws:s3:::b", templates)).toBeNull();
    expect(matchTemplate("arn:aws:s3:::b", [{ type: "bucket", template: "arn:${Partition}:s3:::${BucketName}" }])).toMatchObject({ pathLike: false });
  });
});
