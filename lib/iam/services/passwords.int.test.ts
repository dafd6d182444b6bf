import { beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "@/lib/crypto/passwords";
import { db } from "@/lib/db/client";
import { DEMO_PASSWORD } from "@/lib/db/seed/demo-identities";
import type { Principal } from "@/lib/iam/principal";
import { asRoot, asUser, DEV } from "@/lib/testing/principals";
import { PasswordPolicyInput } from "@/lib/iam/validation";
import {
  changePassword,
  createLoginProfile,
  DEFAULT_PASSWORD_POLICY,
  deleteAccountPasswordPolicy,
  deleteLoginProfile,
  generatePassword,
  getAccountPasswordPolicy,
  getLoginProfile,
  passwordViolations,
  updateAccountPasswordPolicy,
  updateLoginProfile,
} from "./passwords";
import { auditText, expectDenied, failure, nobody, run } from "./test-helpers";
import { createUser } from "./users";

let admin: Principal;
let bob: Principal;
let none: Principal;

beforeAll(async () => {
  admin = await asUser("admin");
  bob = await asUser("bob");
  none = await nobody(admin);
  for (const name of ["pw-a", "pw-b", "pw-c"]) await run(admin, createUser(admin, { userName: name, path: "/", tags: [] }));
});

const GOOD = "Correct-Horse-7-Battery";

describe("passwords: AccessDenied for every operation builder", () => {
  it("denies bob and a user without policies", async () => {
    const policy = PasswordPolicyInput.parse({ minimumPasswordLength: 14 });
    const writes = [
      (p: Principal) => createLoginProfile(p, { userName: "pw-a", password: GOOD, passwordResetRequired: false }),
      (p: Principal) => updateLoginProfile(p, { userName: "alice", password: GOOD }),
      (p: Principal) => deleteLoginProfile(p, { userName: "alice" }),
      (p: Principal) => updateAccountPasswordPolicy(p, policy),
      () => deleteAccountPasswordPolicy(bob),
    ];
    for (const build of writes) await expectDenied(bob, build(bob));
    for (const build of writes.slice(0, 4)) await expectDenied(none, build(none));
    await expectDenied(none, deleteAccountPasswordPolicy(none));
    await expectDenied(none, getLoginProfile(none, { userName: "alice" }));
  });
});

describe("login profiles", () => {
  it("creates, reads, resets and deletes a console password", async () => {
    const created = await run(admin, createLoginProfile(admin, { userName: "pw-a", password: GOOD, passwordResetRequired: true }));
    expect(created).toMatchObject({ userName: "pw-a", passwordResetRequired: true });
    const dup = await failure(admin, createLoginProfile(admin, { userName: "pw-a", password: GOOD, passwordResetRequired: false }));
    expect(dup.code).toBe("EntityAlreadyExists");
    expect(dup.message).toBe("Login Profile for user pw-a already exists.");

    await run(admin, updateLoginProfile(admin, { userName: "pw-a", password: "Another-Good-Pass-9", passwordResetRequired: false }));
    const profile = await run(admin, getLoginProfile(admin, { userName: "pw-a" }));
    expect(profile.passwordResetRequired).toBe(false);
    const user = await db().iamUser.findFirstOrThrow({ where: { name: "pw-a" }, include: { loginProfile: true } });
    expect(await verifyPassword(user.loginProfile!.passwordHash, "Another-Good-Pass-9")).toBe(true);
    expect(user.loginProfile!.passwordHash).toMatch(/^\$argon2id\$/);

    await run(admin, deleteLoginProfile(admin, { userName: "pw-a" }));
    const gone = await failure(admin, getLoginProfile(admin, { userName: "pw-a" }));
    expect(gone.code).toBe("NoSuchEntity");
    expect(gone.message).toBe("Login Profile for User pw-a cannot be found.");
    expect((await failure(admin, deleteLoginProfile(admin, { userName: "pw-a" }))).code).toBe("NoSuchEntity");
    expect(await auditText()).not.toContain(GOOD);
    expect(await auditText()).not.toContain("Another-Good-Pass-9");
  });

  it("enforces the account policy on every set, naming each rule broken", async () => {
    // Seeded dev policy: at least 12 characters, upper, lower, number and symbol, reuse prevention 3.
    let err = await failure(admin, createLoginProfile(admin, { userName: "pw-b", password: "Short1!", passwordResetRequired: false }));
    expect(err.code).toBe("PasswordPolicyViolation");
    expect(err.message).toContain("Password does not conform to the account password policy");
    expect(err.message).toContain("at least 12 characters");
    expect(err.message).not.toContain("symbol");

    err = await failure(admin, createLoginProfile(admin, { userName: "pw-b", password: "alllowercaseletters", passwordResetRequired: false }));
    expect(err.message).toContain("uppercase letter");
    expect(err.message).toContain("number");
    expect(err.message).toContain("symbol");
    expect(err.message).not.toContain("lowercase letter");
    expect(err.message).not.toContain("12 characters");

    err = await failure(admin, updateLoginProfile(admin, { userName: "bob", password: "NoSymbolsHere123" }));
    expect(err.code).toBe("PasswordPolicyViolation");
    expect(err.message).toContain("symbol");
    expect(await db().loginProfile.count({ where: { user: { name: "pw-b" } } })).toBe(0);
  });

  it("prevents reusing the last N passwords, the current one included", async () => {
    await run(admin, createLoginProfile(admin, { userName: "pw-c", password: "First-Password-1", passwordResetRequired: false }));
    await run(admin, updateLoginProfile(admin, { userName: "pw-c", password: "Second-Password-2" }));
    await run(admin, updateLoginProfile(admin, { userName: "pw-c", password: "Third-Password-3" }));
    for (const reused of ["Third-Password-3", "Second-Password-2", "First-Password-1"]) {
      const err = await failure(admin, updateLoginProfile(admin, { userName: "pw-c", password: reused }));
      expect(err.code).toBe("PasswordPolicyViolation");
      expect(err.message).toContain("last 3 passwords");
    }
    await run(admin, updateLoginProfile(admin, { userName: "pw-c", password: "Fourth-Password-4" }));
    // The first one is now four passwords back: allowed again.
    await run(admin, updateLoginProfile(admin, { userName: "pw-c", password: "First-Password-1" }));
  });
});

describe("ChangePassword", () => {
  it("checks the old password, applies the policy and reuse prevention, and clears a required reset", async () => {
    const erin = await asUser("erin");
    const wrong = await failure(erin, changePassword(erin, { oldPassword: "not-my-password", newPassword: GOOD }));
    expect(wrong.message).toBe("The old password is incorrect.");
    const weak = await failure(erin, changePassword(erin, { oldPassword: DEMO_PASSWORD, newPassword: "weak" }));
    expect(weak.code).toBe("PasswordPolicyViolation");
    const same = await failure(erin, changePassword(erin, { oldPassword: DEMO_PASSWORD, newPassword: DEMO_PASSWORD }));
    expect(same.code).toBe("PasswordPolicyViolation");
    expect(same.message).toContain("last 3 passwords");

    const erinRow = await db().iamUser.findFirstOrThrow({ where: { name: "erin" } });
    await db().loginProfile.update({ where: { userId: erinRow.id }, data: { passwordResetRequired: true } });
    const resetting = { ...erin, passwordResetRequired: true };
    await run(resetting, changePassword(resetting, { oldPassword: DEMO_PASSWORD, newPassword: GOOD }));
    const profile = await db().loginProfile.findUniqueOrThrow({ where: { userId: erinRow.id } });
    expect(profile.passwordResetRequired).toBe(false);
    expect(await verifyPassword(profile.passwordHash, GOOD)).toBe(true);
    expect(await auditText()).not.toContain(GOOD);
  });

  it("lets a user without any policy change their own password while the password policy allows it, as AWS does", async () => {
    const admin = await asUser("admin");
    const plain = await nobody(admin, "pw-self");
    await run(admin, createLoginProfile(admin, { userName: "pw-self", password: GOOD, passwordResetRequired: false }));
    await run(plain, changePassword(plain, { oldPassword: GOOD, newPassword: "Another-Good-Pass-9!" }));

    await db().passwordPolicy.update({ where: { accountId: DEV }, data: { allowUsersToChangePassword: false } });
    const denied = await failure(plain, changePassword(plain, { oldPassword: "Another-Good-Pass-9!", newPassword: "Third-Good-Pass-9!" }));
    expect(denied.code).toBe("AccessDenied");
    await db().passwordPolicy.update({ where: { accountId: DEV }, data: { allowUsersToChangePassword: true } });
  });

  it("changes the root user's own password", async () => {
    const root = asRoot(DEV);
    await run(root, changePassword(root, { oldPassword: DEMO_PASSWORD, newPassword: "Root-Password-2026!" }));
    const account = await db().account.findUniqueOrThrow({ where: { id: DEV } });
    expect(await verifyPassword(account.rootPasswordHash, "Root-Password-2026!")).toBe(true);
  });
});

describe("the account password policy", () => {
  it("reads, updates with every option and deletes it; without one AWS's default applies", async () => {
    const seeded = await run(admin, getAccountPasswordPolicy(admin));
    expect(seeded).toMatchObject({ minimumPasswordLength: 12, requireSymbols: true, passwordReusePrevention: 3, expirePasswords: false });

    const input = PasswordPolicyInput.parse({
      minimumPasswordLength: "20",
      requireSymbols: "on",
      requireNumbers: true,
      requireUppercaseCharacters: false,
      requireLowercaseCharacters: true,
      allowUsersToChangePassword: true,
      maxPasswordAge: 90,
      passwordReusePrevention: 24,
      hardExpiry: true,
    });
    const updated = await run(admin, updateAccountPasswordPolicy(admin, input));
    expect(updated).toEqual({
      minimumPasswordLength: 20,
      requireSymbols: true,
      requireNumbers: true,
      requireUppercaseCharacters: false,
      requireLowercaseCharacters: true,
      allowUsersToChangePassword: true,
      expirePasswords: true,
      maxPasswordAge: 90,
      passwordReusePrevention: 24,
      hardExpiry: true,
    });
    const err = await failure(admin, createLoginProfile(admin, { userName: "pw-b", password: "lowercase-and-1-sym", passwordResetRequired: false }));
    expect(err.message).toContain("at least 20 characters");
    expect(err.message).not.toContain("uppercase");

    await run(admin, deleteAccountPasswordPolicy(admin));
    const none = await failure(admin, getAccountPasswordPolicy(admin));
    expect(none.code).toBe("NoSuchEntity");
    expect(none.message).toBe(`The Password Policy with domain name ${DEV} cannot be found.`);
    expect((await failure(admin, deleteAccountPasswordPolicy(admin))).code).toBe("NoSuchEntity");

    // AWS's default: 8 characters, three of the four classes.
    const weak = await failure(admin, createLoginProfile(admin, { userName: "pw-b", password: "onlylowercase1", passwordResetRequired: false }));
    expect(weak.message).toContain("at least three of");
    await run(admin, createLoginProfile(admin, { userName: "pw-b", password: "Lower1upper", passwordResetRequired: false }));
  });
});

describe("password rules (pure)", () => {
  it("generated passwords satisfy the strictest policy", () => {
    const strict = { ...DEFAULT_PASSWORD_POLICY, custom: true, minimumPasswordLength: 40, requireSymbols: true, requireNumbers: true, requireUppercaseCharacters: true, requireLowercaseCharacters: true };
    for (let i = 0; i < 50; i++) {
      const pw = generatePassword(strict);
      expect(pw).toHaveLength(40);
      expect(passwordViolations(pw, strict)).toEqual([]);
      expect(passwordViolations(generatePassword(), DEFAULT_PASSWORD_POLICY)).toEqual([]);
    }
  });

  it("rejects passwords longer than 128 characters", () => {
    expect(passwordViolations("Aa1!".repeat(33), DEFAULT_PASSWORD_POLICY)).toEqual(["it must be at most 128 characters long"]);
  });
});
