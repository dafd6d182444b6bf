import { describe, expect, it } from "vitest";
import { MODELS } from "./models";
import { outputShapeIssues } from "./output-shape";

const iam = MODELS.iam;

describe("output-shape check: a result against its operation's output shape", () => {
  it("passes AWS's own members and the console extension", () => {
    const result = { Users: [{ Path: "/", UserName: "a", UserId: "AIDA1", Arn: "arn:aws:iam::1:user/a", CreateDate: new Date() }], IsTruncated: false, console: { total: 1 } };
    expect(outputShapeIssues(iam, "ListUsers", result)).toEqual([]);
  });

  it("names a member the shape lacks, a required one missing, and AWS's member under another spelling", () => {
    expect(outputShapeIssues(iam, "ListUsers", { items: [], isTruncated: false, nextCursor: "c" })).toEqual([
      "items: not a member of ListUsersResponse",
      "isTruncated: not a member of ListUsersResponse",
      "nextCursor: not a member of ListUsersResponse",
      "Users: required by ListUsersResponse, missing",
    ]);
    const issues = outputShapeIssues(iam, "ListUsers", { Users: [{ userName: "a", UserId: "AIDA1", Path: "/", Arn: "x", CreateDate: new Date(), groups: [] }] });
    expect(issues).toEqual([
      "Users[0].userName: not a member of User",
      "Users[0].groups: not a member of User",
      "Users[0].UserName: required by User, missing",
    ]);
  });

  it("allows the console extension at the top only, and checks an empty answer's required members", () => {
    expect(outputShapeIssues(iam, "GetUser", { User: { Path: "/", UserName: "a", UserId: "AIDA1", Arn: "x", CreateDate: new Date(), console: {} } })).toEqual([
      "User.console: not a member of User",
    ]);
    expect(outputShapeIssues(iam, "GetUser", undefined)).toEqual(["User: required by GetUserResponse, missing"]);
    expect(outputShapeIssues(iam, "DeleteUser", undefined)).toEqual([]);
  });
});
