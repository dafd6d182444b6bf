import "server-only";
// Console passwords: login profiles, ChangePassword, the account password
// policy (enforced on every set and change, the violated rules named), reuse
// prevention against PasswordHistory, and generated passwords that meet it.
import crypto from "node:crypto";
import type { OperationSpec } from "@/lib/iam/operation";
import { hashPassword, verifyPassword } from "@/lib/crypto/passwords";
import type { Tx } from "@/lib/db/client";
import { rootArn } from "@/lib/iam/arn";
import { IamError, noSuchEntity } from "@/lib/iam/errors";
import type { Principal } from "@/lib/iam/principal";
import type {
  ChangePasswordInput,
  CreateLoginProfileInput,
  PasswordPolicyInput,
  UpdateLoginProfileInput,
  UserNameInput,
} from "@/lib/iam/validation";
import { endConsoleSessions } from "@/lib/auth/console-sessions";
import { assertNotThrottled, counted, throttleKeys } from "@/lib/auth/throttle";
import { lockUser, requireUser, userResource } from "./common";

// ---------------------------------------------------------------------------
// The policy and the rules

export interface PasswordPolicyView {
  minimumPasswordLength: number;
  requireSymbols: boolean;
  requireNumbers: boolean;
  requireUppercaseCharacters: boolean;
  requireLowercaseCharacters: boolean;
  allowUsersToChangePassword: boolean;
  expirePasswords: boolean;
  maxPasswordAge: number | null;
  passwordReusePrevention: number | null;
  hardExpiry: boolean;
}

/** The account's policy, or AWS's default when none is set (custom: false). */
export interface EffectivePasswordPolicy extends PasswordPolicyView {
  custom: boolean;
}

/** AWS's default: 8 to 128 characters and at least three of the four character classes. */
export const DEFAULT_PASSWORD_POLICY: EffectivePasswordPolicy = {
  custom: false,
  minimumPasswordLength: 8,
  requireSymbols: false,
  requireNumbers: false,
  requireUppercaseCharacters: false,
  requireLowercaseCharacters: false,
  allowUsersToChangePassword: true,
  expirePasswords: false,
  maxPasswordAge: null,
  passwordReusePrevention: null,
  hardExpiry: false,
};

/** The non-alphanumeric characters IAM counts as symbols. */
export const PASSWORD_SYMBOLS = "!@#$%^&*()_+-=[]{}|'";
const MAX_PASSWORD_LENGTH = 128;
const HISTORY_KEPT = 24;

const CLASSES = {
  upper: { test: (c: string) => c >= "A" && c <= "Z", rule: "at least one uppercase letter (A-Z)", alphabet: "ABCDEFGHJKLMNPQRSTUVWXYZ" },
  lower: { test: (c: string) => c >= "a" && c <= "z", rule: "at least one lowercase letter (a-z)", alphabet: "abcdefghijkmnopqrstuvwxyz" },
  number: { test: (c: string) => c >= "0" && c <= "9", rule: "at least one number (0-9)", alphabet: "23456789" },
  symbol: { test: (c: string) => PASSWORD_SYMBOLS.includes(c), rule: `at least one symbol (${PASSWORD_SYMBOLS.split("").join(" ")})`, alphabet: PASSWORD_SYMBOLS },
} as const;

function toView(row: {
  minimumPasswordLength: number;
  requireSymbols: boolean;
  requireNumbers: boolean;
  requireUppercaseCharacters: boolean;
  requireLowercaseCharacters: boolean;
  allowUsersToChangePassword: boolean;
  maxPasswordAge: number | null;
  passwordReusePrevention: number | null;
  hardExpiry: boolean;
}): PasswordPolicyView {
  return {
    minimumPasswordLength: row.minimumPasswordLength,
    requireSymbols: row.requireSymbols,
    requireNumbers: row.requireNumbers,
    requireUppercaseCharacters: row.requireUppercaseCharacters,
    requireLowercaseCharacters: row.requireLowercaseCharacters,
    allowUsersToChangePassword: row.allowUsersToChangePassword,
    expirePasswords: row.maxPasswordAge !== null,
    maxPasswordAge: row.maxPasswordAge,
    passwordReusePrevention: row.passwordReusePrevention,
    hardExpiry: row.hardExpiry,
  };
}

export async function effectivePasswordPolicy(tx: Tx, accountId: string): Promise<EffectivePasswordPolicy> {
  const row = await tx.passwordPolicy.findUnique({ where: { accountId } });
  return row ? { custom: true, ...toView(row) } : DEFAULT_PASSWORD_POLICY;
}

/** The rules of the policy the password breaks, in words (empty: it conforms). Pure. */
export function passwordViolations(password: string, policy: EffectivePasswordPolicy): string[] {
  const out: string[] = [];
  const chars = [...password];
  const has = (k: keyof typeof CLASSES) => chars.some(CLASSES[k].test);
  if (chars.length < policy.minimumPasswordLength) out.push(`it must be at least ${policy.minimumPasswordLength} characters long`);
  if (chars.length > MAX_PASSWORD_LENGTH) out.push(`it must be at most ${MAX_PASSWORD_LENGTH} characters long`);
  if (policy.custom) {
    if (policy.requireUppercaseCharacters && !has("upper")) out.push(`it must include ${CLASSES.upper.rule}`);
    if (policy.requireLowercaseCharacters && !has("lower")) out.push(`it must include ${CLASSES.lower.rule}`);
    if (policy.requireNumbers && !has("number")) out.push(`it must include ${CLASSES.number.rule}`);
    if (policy.requireSymbols && !has("symbol")) out.push(`it must include ${CLASSES.symbol.rule}`);
  } else {
    const classes = (["upper", "lower", "number", "symbol"] as const).filter(has).length;
    if (classes < 3) out.push("it must include at least three of: uppercase letters, lowercase letters, numbers and symbols");
  }
  return out;
}

export function passwordPolicyViolation(rules: string[]): IamError {
  return new IamError("PasswordPolicyViolation", `Password does not conform to the account password policy: ${rules.join("; ")}.`);
}

/** A random password that meets the policy (16 characters, or the policy's minimum if longer). */
export function generatePassword(policy: EffectivePasswordPolicy = DEFAULT_PASSWORD_POLICY): string {
  const length = Math.max(16, policy.minimumPasswordLength);
  const all = CLASSES.upper.alphabet + CLASSES.lower.alphabet + CLASSES.number.alphabet + CLASSES.symbol.alphabet;
  const pick = (alphabet: string) => alphabet[crypto.randomInt(alphabet.length)]!;
  // One of each class always: meets any combination of requirements and the default's "three of four".
  const chars = [pick(CLASSES.upper.alphabet), pick(CLASSES.lower.alphabet), pick(CLASSES.number.alphabet), pick(CLASSES.symbol.alphabet)];
  while (chars.length < length) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join("");
}

/**
 * Checks a new password against the policy and, with reuse prevention on, the
 * owner's last N passwords (the current one included). Throws PasswordPolicyViolation.
 */
export async function assertPasswordAllowed(
  tx: Tx,
  accountId: string,
  owner: { userId: string | null; currentHash?: string | null },
  password: string,
): Promise<EffectivePasswordPolicy> {
  const policy = await effectivePasswordPolicy(tx, accountId);
  const rules = passwordViolations(password, policy);
  if (rules.length) throw passwordPolicyViolation(rules);
  const n = policy.passwordReusePrevention;
  if (n) {
    const history = await tx.passwordHistory.findMany({
      where: { accountId, userId: owner.userId },
      orderBy: { createdAt: "desc" },
      take: n,
      select: { passwordHash: true },
    });
    const hashes = [...new Set([...(owner.currentHash ? [owner.currentHash] : []), ...history.map((h) => h.passwordHash)])].slice(0, n);
    for (const h of hashes) {
      if (await verifyPassword(h, password)) {
        throw passwordPolicyViolation([`it must not be one of your last ${n} password${n === 1 ? "" : "s"} (password reuse prevention)`]);
      }
    }
  }
  return policy;
}

/** Remembers a password hash for reuse prevention, keeping the last 24. */
export async function rememberPassword(tx: Tx, accountId: string, userId: string | null, passwordHash: string): Promise<void> {
  await tx.passwordHistory.create({ data: { accountId, userId, passwordHash } });
  const old = await tx.passwordHistory.findMany({
    where: { accountId, userId },
    orderBy: { createdAt: "desc" },
    skip: HISTORY_KEPT,
    select: { id: true },
  });
  if (old.length) await tx.passwordHistory.deleteMany({ where: { id: { in: old.map((o) => o.id) } } });
}

const noSuchLoginProfile = (userName: string) => noSuchEntity(`Login Profile for User ${userName} cannot be found.`);

/** Sets a user's first console password; shared by CreateLoginProfile and the console's create-user wizard. */
export async function setInitialPassword(
  tx: Tx,
  accountId: string,
  user: { id: string; name: string },
  password: string,
  passwordResetRequired: boolean,
): Promise<{ createDate: Date }> {
  await lockUser(tx, user.id);
  if (await tx.loginProfile.findUnique({ where: { userId: user.id }, select: { userId: true } })) {
    throw new IamError("EntityAlreadyExists", `Login Profile for user ${user.name} already exists.`);
  }
  await assertPasswordAllowed(tx, accountId, { userId: user.id }, password);
  const passwordHash = await hashPassword(password);
  const profile = await tx.loginProfile.create({ data: { userId: user.id, passwordHash, passwordResetRequired } });
  await rememberPassword(tx, accountId, user.id, passwordHash);
  return { createDate: profile.createdAt };
}

// ---------------------------------------------------------------------------
// Operation builders

export interface LoginProfileView {
  userName: string;
  createDate: Date;
  passwordResetRequired: boolean;
}

export function createLoginProfile(principal: Principal, input: CreateLoginProfileInput): OperationSpec<LoginProfileView> {
  return {
    service: "iam",
    name: "CreateLoginProfile",
    readOnly: false,
    resource: userResource(principal, input.userName),
    parameters: { userName: input.userName, passwordResetRequired: input.passwordResetRequired },
    async run({ tx }) {
      const user = await requireUser(tx, principal.accountId, input.userName);
      const { createDate } = await setInitialPassword(tx, principal.accountId, user, input.password, input.passwordResetRequired);
      return { userName: user.name, createDate, passwordResetRequired: input.passwordResetRequired };
    },
    response: (data) => ({ loginProfile: data }),
  };
}

export function getLoginProfile(principal: Principal, input: UserNameInput): OperationSpec<LoginProfileView> {
  return {
    service: "iam",
    name: "GetLoginProfile",
    readOnly: true,
    resource: userResource(principal, input.userName),
    parameters: { userName: input.userName },
    async run({ tx }) {
      const user = await requireUser(tx, principal.accountId, input.userName);
      const profile = await tx.loginProfile.findUnique({ where: { userId: user.id } });
      if (!profile) throw noSuchLoginProfile(user.name);
      return { userName: user.name, createDate: profile.createdAt, passwordResetRequired: profile.passwordResetRequired };
    },
  };
}

/** Resets a user's password (admin side) and/or sets "must change at next sign-in". */
export function updateLoginProfile(principal: Principal, input: UpdateLoginProfileInput): OperationSpec<LoginProfileView> {
  return {
    service: "iam",
    name: "UpdateLoginProfile",
    readOnly: false,
    resource: userResource(principal, input.userName),
    parameters: { userName: input.userName, passwordResetRequired: input.passwordResetRequired },
    async run({ tx }) {
      const user = await requireUser(tx, principal.accountId, input.userName);
      await lockUser(tx, user.id);
      const profile = await tx.loginProfile.findUnique({ where: { userId: user.id } });
      if (!profile) throw noSuchLoginProfile(user.name);
      const data: { passwordHash?: string; passwordLastChanged?: Date; passwordResetRequired?: boolean } = {};
      if (input.password !== undefined) {
        await assertPasswordAllowed(tx, principal.accountId, { userId: user.id, currentHash: profile.passwordHash }, input.password);
        data.passwordHash = await hashPassword(input.password);
        data.passwordLastChanged = new Date();
      }
      if (input.passwordResetRequired !== undefined) data.passwordResetRequired = input.passwordResetRequired;
      const updated = await tx.loginProfile.update({ where: { userId: user.id }, data });
      if (data.passwordHash) {
        await rememberPassword(tx, principal.accountId, user.id, data.passwordHash);
        await endConsoleSessions(tx, { userId: user.id }, "PasswordReset");
      }
      return { userName: user.name, createDate: updated.createdAt, passwordResetRequired: updated.passwordResetRequired };
    },
  };
}

export function deleteLoginProfile(principal: Principal, input: UserNameInput): OperationSpec<void> {
  return {
    service: "iam",
    name: "DeleteLoginProfile",
    readOnly: false,
    resource: userResource(principal, input.userName),
    parameters: { userName: input.userName },
    async run({ tx }) {
      const user = await requireUser(tx, principal.accountId, input.userName);
      const { count } = await tx.loginProfile.deleteMany({ where: { userId: user.id } });
      if (count === 0) throw noSuchLoginProfile(user.name);
      await endConsoleSessions(tx, { userId: user.id }, "LoginProfileDeleted");
    },
  };
}

/**
 * The caller changes their own password: the old one is checked, the new one must
 * meet the policy. Allowed while a reset is required (the gate lets it through).
 * For the root user this changes the root password.
 */
export function changePassword(principal: Principal, input: ChangePasswordInput): OperationSpec<void> {
  const self = principal.type === "IAMUser" ? principal.arn : principal.type === "Root" ? rootArn(principal.accountId) : null;
  return {
    service: "iam",
    name: "ChangePassword",
    readOnly: false,
    resource: { arn: self ?? principal.arn },
    parameters: {},
    async run({ tx }) {
      if (principal.type === "AssumedRole") {
        throw new IamError("ValidationError", "Only IAM users and the root user have a password to change; a role session has none.");
      }
      // Old-password guesses are throttled like sign-in's, on the same counter; a
      // throttled caller is refused before the check, the right password included.
      const wrongOld = (key: string) => counted(new IamError("AccessDenied", "The old password is incorrect."), [key]);
      const attempts = "password attempts";
      if (principal.type === "Root") {
        const account = await tx.account.findUniqueOrThrow({ where: { id: principal.accountId } });
        const key = throttleKeys.root(account.rootEmail);
        await assertNotThrottled(tx, [key], attempts);
        if (!(await verifyPassword(account.rootPasswordHash, input.oldPassword))) throw wrongOld(key);
        await assertPasswordAllowed(tx, principal.accountId, { userId: null, currentHash: account.rootPasswordHash }, input.newPassword);
        const passwordHash = await hashPassword(input.newPassword);
        await tx.account.update({ where: { id: account.id }, data: { rootPasswordHash: passwordHash, rootPasswordChangedAt: new Date() } });
        await rememberPassword(tx, principal.accountId, null, passwordHash);
        await endConsoleSessions(tx, { rootOf: principal.accountId }, "PasswordChanged");
        return;
      }
      await lockUser(tx, principal.userId);
      const key = throttleKeys.user(principal.accountId, principal.userName);
      await assertNotThrottled(tx, [key], attempts);
      const profile = await tx.loginProfile.findUnique({ where: { userId: principal.userId } });
      if (!profile) throw noSuchLoginProfile(principal.userName);
      if (!(await verifyPassword(profile.passwordHash, input.oldPassword))) throw wrongOld(key);
      await assertPasswordAllowed(tx, principal.accountId, { userId: principal.userId, currentHash: profile.passwordHash }, input.newPassword);
      const passwordHash = await hashPassword(input.newPassword);
      await tx.loginProfile.update({
        where: { userId: principal.userId },
        data: { passwordHash, passwordLastChanged: new Date(), passwordResetRequired: false },
      });
      await rememberPassword(tx, principal.accountId, principal.userId, passwordHash);
      // Every console session of the identity ends, this one included (the console starts a new one).
      await endConsoleSessions(tx, { userId: principal.userId }, "PasswordChanged");
    },
  };
}

// ---------------------------------------------------------------------------
// The account password policy

const noPolicy = (accountId: string) => noSuchEntity(`The Password Policy with domain name ${accountId} cannot be found.`);

export function getAccountPasswordPolicy(principal: Principal): OperationSpec<PasswordPolicyView> {
  return {
    service: "iam",
    name: "GetAccountPasswordPolicy",
    readOnly: true,
    resource: { arn: "*" },
    async run({ tx }) {
      const row = await tx.passwordPolicy.findUnique({ where: { accountId: principal.accountId } });
      if (!row) throw noPolicy(principal.accountId);
      return toView(row);
    },
  };
}

/** The policy in force (the default when none is set), for pages that explain the rules. */
export function getEffectivePasswordPolicy(principal: Principal): OperationSpec<EffectivePasswordPolicy> {
  return {
    service: "iam",
    name: "GetAccountPasswordPolicy",
    readOnly: true,
    resource: { arn: "*" },
    run: ({ tx }) => effectivePasswordPolicy(tx, principal.accountId),
  };
}

export function updateAccountPasswordPolicy(principal: Principal, input: PasswordPolicyInput): OperationSpec<PasswordPolicyView> {
  return {
    service: "iam",
    name: "UpdateAccountPasswordPolicy",
    readOnly: false,
    resource: { arn: "*" },
    parameters: input,
    async run({ tx }) {
      const data = {
        minimumPasswordLength: input.minimumPasswordLength,
        requireSymbols: input.requireSymbols,
        requireNumbers: input.requireNumbers,
        requireUppercaseCharacters: input.requireUppercaseCharacters,
        requireLowercaseCharacters: input.requireLowercaseCharacters,
        allowUsersToChangePassword: input.allowUsersToChangePassword,
        maxPasswordAge: input.maxPasswordAge ?? null,
        passwordReusePrevention: input.passwordReusePrevention ?? null,
        hardExpiry: input.hardExpiry,
      };
      const row = await tx.passwordPolicy.upsert({ where: { accountId: principal.accountId }, create: { accountId: principal.accountId, ...data }, update: data });
      return toView(row);
    },
  };
}

export function deleteAccountPasswordPolicy(principal: Principal): OperationSpec<void> {
  return {
    service: "iam",
    name: "DeleteAccountPasswordPolicy",
    readOnly: false,
    resource: { arn: "*" },
    async run({ tx }) {
      const { count } = await tx.passwordPolicy.deleteMany({ where: { accountId: principal.accountId } });
      if (count === 0) throw noPolicy(principal.accountId);
    },
  };
}
