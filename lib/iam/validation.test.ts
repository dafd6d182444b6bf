import { describe, expect, it } from "vitest";
import {
  accessKeyId,
  CreateUserConsoleInput,
  CreateUserInput,
  groupName,
  iamPath,
  ListUsersInput,
  mfaCode,
  password,
  PasswordPolicyInput,
  policyName,
  tags,
  UpdateUserInput,
  userName,
} from "./validation";

const messageOf = (r: { success: boolean; error?: { issues: { message: string }[] } }) => (r.success ? null : r.error!.issues[0]!.message);

describe("names", () => {
  it("accepts AWS's user name characters up to 64", () => {
    for (const ok of ["alice", "a", "Bob+ops=1,x.y@z-w_", "x".repeat(64)]) expect(userName.safeParse(ok).success).toBe(true);
  });

  it("refuses other characters with AWS's ValidationError wording", () => {
    expect(messageOf(userName.safeParse("x y"))).toBe(
      "1 validation error detected: Value 'x y' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
    );
    for (const bad of ["a/b", "a:b", "a#b", "é!"]) expect(userName.safeParse(bad).success).toBe(false);
  });

  it("checks length limits: users 64, groups and policies 128", () => {
    expect(messageOf(userName.safeParse("x".repeat(65)))).toBe(
      `1 validation error detected: Value '${"x".repeat(65)}' at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64`,
    );
    expect(messageOf(userName.safeParse(""))).toContain("Member must have length greater than or equal to 1");
    expect(groupName.safeParse("g".repeat(128)).success).toBe(true);
    expect(groupName.safeParse("g".repeat(129)).success).toBe(false);
    expect(policyName.safeParse("p".repeat(128)).success).toBe(true);
    expect(policyName.safeParse("p".repeat(129)).success).toBe(false);
  });
});

describe("paths", () => {
  const path = iamPath();
  it("accepts / and /a/b/ up to 512", () => {
    for (const ok of ["/", "/engineering/", "/a/b/c/", "/" + "x".repeat(510) + "/"]) expect(path.safeParse(ok).success).toBe(true);
  });
  it("refuses paths not starting and ending with a slash, with spaces, or too long", () => {
    for (const bad of ["", "engineering/", "/engineering", "/with space/", "/" + "x".repeat(511) + "/"]) expect(path.safeParse(bad).success).toBe(false);
    expect(messageOf(path.safeParse("/nope"))).toContain("Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)");
  });
});

describe("tags", () => {
  it("accepts letters of any script, spaces, digits and _.:/=+-@", () => {
    expect(tags.safeParse([{ key: "Kostenstelle 1_.:/=+-@", value: "Ünïcødé" }, { key: "空", value: "" }]).success).toBe(true);
  });
  it("refuses bad keys, long values, duplicates ignoring case, aws: keys and more than 50", () => {
    expect(tags.safeParse([{ key: "", value: "x" }]).success).toBe(false);
    expect(tags.safeParse([{ key: "k".repeat(129), value: "x" }]).success).toBe(false);
    expect(tags.safeParse([{ key: "bad#key", value: "x" }]).success).toBe(false);
    expect(tags.safeParse([{ key: "k", value: "v".repeat(257) }]).success).toBe(false);
    expect(tags.safeParse([{ key: "k", value: "v".repeat(256) }]).success).toBe(true);
    expect(messageOf(tags.safeParse([{ key: "Team", value: "a" }, { key: "team", value: "b" }]))).toBe(
      "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
    );
    expect(tags.safeParse([{ key: "aws:createdBy", value: "x" }]).success).toBe(false);
    expect(messageOf(tags.safeParse(Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: "" }))))).toContain(
      "Member must have length less than or equal to 50",
    );
  });
});

describe("secrets never echoed", () => {
  it("a bad password or MFA code is described without its value", () => {
    const pw = "x".repeat(129);
    const msg = messageOf(password.safeParse(pw))!;
    expect(msg).toBe("1 validation error detected: Value at 'password' failed to satisfy constraint: Member must have length less than or equal to 128");
    expect(msg).not.toContain(pw);
    expect(messageOf(mfaCode.safeParse("12345a"))).not.toContain("12345a");
    expect(mfaCode.safeParse("123456").success).toBe(true);
    expect(mfaCode.safeParse("12345").success).toBe(false);
  });
});

describe("identifiers", () => {
  it("access key IDs are 16 to 128 word characters", () => {
    expect(accessKeyId.safeParse("AKIAIOSFODNN7EXAMPLE").success).toBe(true);
    expect(accessKeyId.safeParse("AKIA-SHORT").success).toBe(false);
  });
});

describe("operation inputs", () => {
  it("CreateUser defaults the path to / and tags to none", () => {
    expect(CreateUserInput.parse({ userName: "dana" })).toEqual({ userName: "dana", path: "/", tags: [] });
  });

  it("the console wizard takes form values: single group as a string, checkboxes as 'on'", () => {
    const parsed = CreateUserConsoleInput.parse({
      userName: "w",
      consolePassword: { mode: "custom", password: "Abc-12345678", requireReset: "on" },
      groups: "Developers",
      attachPolicyArns: "",
    });
    expect(parsed.groups).toEqual(["Developers"]);
    expect(parsed.attachPolicyArns).toEqual([]);
    expect(parsed.consolePassword).toEqual({ mode: "custom", password: "Abc-12345678", requireReset: true });
    expect(CreateUserConsoleInput.safeParse({ userName: "w", groups: Array.from({ length: 11 }, (_, i) => `g${i}`) }).success).toBe(false);
  });

  it("UpdateUser needs something to change", () => {
    expect(UpdateUserInput.safeParse({ userName: "a" }).success).toBe(false);
    expect(UpdateUserInput.safeParse({ userName: "a", newPath: "/x/" }).success).toBe(true);
  });

  it("ListUsers: page size 1..1000, known sort keys", () => {
    expect(ListUsersInput.parse({})).toMatchObject({ sortBy: "name", order: "asc", pageSize: 50 });
    expect(ListUsersInput.safeParse({ pageSize: 0 }).success).toBe(false);
    expect(ListUsersInput.safeParse({ pageSize: 1001 }).success).toBe(false);
    expect(ListUsersInput.safeParse({ sortBy: "password" }).success).toBe(false);
  });

  it("password policy: AWS's ranges (length 6..128, age 1..1095, reuse 1..24)", () => {
    expect(PasswordPolicyInput.parse({}).minimumPasswordLength).toBe(6);
    for (const ok of [{ minimumPasswordLength: 6 }, { minimumPasswordLength: 128 }, { maxPasswordAge: 1095 }, { passwordReusePrevention: 24 }, { passwordReusePrevention: "1" }]) {
      expect(PasswordPolicyInput.safeParse(ok).success).toBe(true);
    }
    for (const bad of [{ minimumPasswordLength: 5 }, { minimumPasswordLength: 129 }, { maxPasswordAge: 0 }, { maxPasswordAge: 1096 }, { passwordReusePrevention: 25 }, { passwordReusePrevention: 2.5 }]) {
      expect(PasswordPolicyInput.safeParse(bad).success).toBe(false);
    }
    expect(messageOf(PasswordPolicyInput.safeParse({ maxPasswordAge: 2000 }))).toBe(
      "1 validation error detected: Value '2000' at 'maxPasswordAge' failed to satisfy constraint: Member must have value less than or equal to 1095",
    );
  });
});

describe("validation messages", () => {
  it("echo at most a prefix of a refused value: a 6 MB value in is not 6 MB out", async () => {
    const { validationMessage, ECHO_LIMIT } = await import("./validation");
    const huge = "x".repeat(6 * 1024 * 1024);
    const message = validationMessage("policyDocument", huge, "Member must have length less than or equal to 131072");
    expect(message.length).toBeLessThan(ECHO_LIMIT + 200);
    expect(message).toContain(`(${huge.length} characters, cut)`);
    expect(validationMessage("userName", "x y", "c")).toBe("1 validation error detected: Value 'x y' at 'userName' failed to satisfy constraint: c");
  });
});
