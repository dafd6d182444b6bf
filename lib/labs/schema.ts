// The shape of a lab file (labs/*.json), checked when the labs are loaded: a
// malformed lab is refused with its path and the rule that failed.
//
// Strings anywhere in a lab may name the sandbox's own identifiers, which differ
// per sandbox: {{account:KEY}} is the 12-digit ID of the lab's account KEY, and
// {{sandbox}} the sandbox's short ID (bucket names are global, so a lab's
// buckets carry it). Policy documents are written as JSON objects.
import { z } from "zod";

const key = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, "a key of lower-case letters, digits and hyphens, starting with a letter");
const iamName = z.string().regex(/^[\w+=,.@-]{1,64}$/, "an IAM name: 1 to 64 letters, digits and +=,.@_-");
const policyName = z.string().regex(/^[\w+=,.@-]{1,128}$/, "a policy name: 1 to 128 letters, digits and +=,.@_-");
const path = z.string().regex(/^\/([\x21-\x7e]*\/)?$/, "an IAM path such as / or /division/");
const document = z.record(z.string(), z.unknown()).refine((d) => "Statement" in d, "a policy document with a Statement");
/** A managed policy: an AWS-managed policy's ARN, or the name of a customer policy the lab declares in the same account. */
const policyRef = z.string().min(1);

const account = z.object({
  key,
  name: z.string().min(1).max(50),
  color: z.string().regex(/^#[0-9a-f]{6}$/i).optional(),
});

const customerPolicy = z.object({
  account: key,
  name: policyName,
  path: path.optional(),
  description: z.string().max(1000).optional(),
  /** Every version in order, v1 first. */
  versions: z.array(document).min(1).max(5),
  /** Which version is the default; the last one when absent. */
  defaultVersion: z.string().regex(/^v[1-5]$/).optional(),
});

const accessKey = z.object({
  status: z.enum(["Active", "Inactive"]).default("Active"),
  ageMinutes: z.number().int().min(0).default(0),
  lastUsed: z.object({ minutesAgo: z.number().int().min(0), service: z.string(), region: z.string().default("us-east-1") }).optional(),
});

const user = z.object({
  account: key,
  name: iamName,
  path: path.optional(),
  /** A console password (the sandbox's learner password). */
  console: z.boolean().default(false),
  passwordResetRequired: z.boolean().default(false),
  accessKeys: z.array(accessKey).max(2).default([]),
  mfa: z.boolean().default(false),
  groups: z.array(iamName).default([]),
  policies: z.array(policyRef).max(10).default([]),
  inlinePolicies: z.record(policyName, document).default({}),
  tags: z.record(z.string(), z.string()).default({}),
});

const group = z.object({
  account: key,
  name: iamName,
  path: path.optional(),
  policies: z.array(policyRef).max(10).default([]),
  inlinePolicies: z.record(policyName, document).default({}),
});

const role = z.object({
  account: key,
  name: iamName,
  path: path.optional(),
  description: z.string().max(1000).optional(),
  trust: document,
  maxSessionDuration: z.number().int().min(3600).max(43200).optional(),
  color: z.string().regex(/^#[0-9a-f]{6}$/i).optional(),
  policies: z.array(policyRef).max(10).default([]),
  inlinePolicies: z.record(policyName, document).default({}),
  /** An instance profile of this name holding the role. */
  instanceProfile: iamName.optional(),
});

const bucket = z.object({
  account: key,
  name: z.string().regex(/^[a-z0-9][a-z0-9.{}:-]{1,80}$/, "a bucket name (lower case; may hold {{sandbox}})"),
  policy: document.optional(),
  objects: z.record(z.string().min(1), z.string()).default({}),
});

const scp = z.object({
  name: policyName,
  description: z.string().optional(),
  document,
  /** "root" or account keys. */
  targets: z.array(z.string()).min(1),
});

/** A past event in the sandbox's history (a leaked key's use, say), as the audit trail holds it. */
const pastEvent = z.object({
  account: key,
  minutesAgo: z.number().int().min(1),
  eventSource: z.string().default("s3.amazonaws.com"),
  eventName: z.string().min(1),
  readOnly: z.boolean().default(true),
  /** The IAM user who made the call, with the index of the access key used. */
  user: iamName,
  accessKey: z.number().int().min(0).max(1).default(0),
  sourceIp: z.string().min(1),
  userAgent: z.string().min(1),
  resource: z.string().optional(),
  errorCode: z.string().optional(),
});

export const initialStateSchema = z.object({
  accounts: z.array(account).min(1).max(5),
  policies: z.array(customerPolicy).default([]),
  users: z.array(user).default([]),
  groups: z.array(group).default([]),
  roles: z.array(role).default([]),
  buckets: z.array(bucket).default([]),
  scps: z.array(scp).default([]),
  events: z.array(pastEvent).default([]),
});

// ---------------------------------------------------------------------------
// Checks

const exactly = z.array(z.string());

const stateTarget = z.discriminatedUnion("entity", [
  z.object({
    entity: z.literal("user"),
    account: key,
    name: iamName,
    exists: z.boolean().default(true),
    /** Exactly these managed policies attached (ARNs or customer policy names). */
    policies: exactly.optional(),
    inlinePolicyCount: z.number().int().min(0).optional(),
    groups: exactly.optional(),
    activeAccessKeys: z.number().int().min(0).max(2).optional(),
    accessKeys: z.number().int().min(0).max(2).optional(),
    mfa: z.boolean().optional(),
    console: z.boolean().optional(),
  }),
  z.object({
    entity: z.literal("group"),
    account: key,
    name: iamName,
    exists: z.boolean().default(true),
    policies: exactly.optional(),
    inlinePolicyCount: z.number().int().min(0).optional(),
    members: exactly.optional(),
  }),
  z.object({
    entity: z.literal("role"),
    account: key,
    name: iamName,
    exists: z.boolean().default(true),
    policies: exactly.optional(),
    inlinePolicyCount: z.number().int().min(0).optional(),
    /** The trust policy allows this service principal (e.g. ec2.amazonaws.com). */
    trustsService: z.string().optional(),
    /** The role is in an instance profile of this name. */
    instanceProfile: iamName.optional(),
  }),
  z.object({
    entity: z.literal("policy"),
    account: key,
    name: policyName,
    exists: z.boolean().default(true),
    /** The default version's document is the same statement list as this version's. */
    defaultSameAs: z.string().regex(/^v\d+$/).optional(),
    minVersions: z.number().int().min(1).max(5).optional(),
    /** These versions no longer exist (deleted). */
    versionsDeleted: z.array(z.string().regex(/^v\d+$/)).optional(),
    attachedTo: exactly.optional(),
  }),
  z.object({ entity: z.literal("bucket"), name: z.string().min(3), exists: z.boolean().default(true) }),
  z.object({
    entity: z.literal("users"),
    account: key,
    /** No user of the account has a managed or inline policy of its own (users listed in except aside). */
    noneWithOwnPolicies: z.literal(true).optional(),
    /** No active access key in the account is older than this many minutes. */
    noActiveKeyOlderThanMinutes: z.number().int().min(1).optional(),
    except: z.array(iamName).default([]),
  }),
  z.object({
    entity: z.literal("access-key"),
    account: key,
    /** The key the lab gave this user at index `index`. */
    user: iamName,
    index: z.number().int().min(0).max(1).default(0),
    status: z.enum(["Active", "Inactive", "Deleted"]).optional(),
    /** Inactive or deleted. */
    retired: z.boolean().optional(),
  }),
]);

const principalRef = z.union([
  z.object({ user: iamName }),
  z.object({ role: iamName }),
  z.object({ root: z.literal(true) }),
]);

const stateCheck = z.object({ kind: z.literal("state"), title: z.string().min(1), target: stateTarget });
const accessCheck = z.object({
  kind: z.literal("access"),
  title: z.string().min(1),
  account: key,
  principal: principalRef,
  mfa: z.boolean().default(false),
  action: z.string().regex(/^[a-z0-9-]+:[A-Za-z0-9*]+$/, "an action such as s3:GetObject"),
  resource: z.string().min(1),
  expect: z.enum(["allowed", "denied"]),
});
const activityCheck = z.object({
  kind: z.literal("activity"),
  title: z.string().min(1),
  account: key,
  eventName: z.string().min(1),
  eventSource: z.string().optional(),
  /** The caller: an IAM user (or one of several), or a role whose session made the call. */
  byUser: z.union([iamName, z.array(iamName).min(1)]).optional(),
  byRole: iamName.optional(),
  /** Made with an access key created after the sandbox started (not one the lab gave). */
  withNewKey: z.boolean().optional(),
  mfaAuthenticated: z.boolean().optional(),
  /** Succeeded (no error code). */
  succeeded: z.boolean().default(true),
  /** A resource ARN of the event contains this text. */
  resourceContains: z.string().optional(),
  /** Request parameters with exactly these values (e.g. { "status": "Inactive" }). */
  request: z.record(z.string(), z.string()).optional(),
  /** The call named (accessKeyId) a key the lab gave, not one created since the sandbox started. */
  onLabKey: z.boolean().optional(),
  /** How many distinct callers (identity ARNs) at least. */
  distinctCallers: z.number().int().min(1).default(1),
});

export const checkSchema = z.discriminatedUnion("kind", [stateCheck, accessCheck, activityCheck]);

const task = z.object({
  id: key,
  title: z.string().min(1),
  instructions: z.string().min(1),
  hints: z.array(z.string().min(1)).default([]),
  checks: z.array(checkSchema).min(1),
});

export const labSchema = z
  .object({
    title: z.string().min(3).max(120),
    level: z.enum(["beginner", "intermediate", "advanced"]),
    estimatedMinutes: z.number().int().min(1).max(600),
    story: z.string().min(1),
    /** Who the learner signs in as: a user of the initial state with a console password. */
    learner: z.object({ account: key, user: iamName }),
    initialState: initialStateSchema,
    tasks: z.array(task).min(1),
  })
  .superRefine((lab, ctx) => {
    const s = lab.initialState;
    const accounts = new Set(s.accounts.map((a) => a.key));
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
    if (accounts.size !== s.accounts.length) issue(["initialState", "accounts"], "account keys must be unique");
    const known = (k: string, path: (string | number)[]) => accounts.has(k) || issue(path, `no account with key "${k}" in initialState.accounts`);
    const sections = ["policies", "users", "groups", "roles", "buckets", "events"] as const;
    for (const section of sections) s[section].forEach((e, i) => known(e.account, ["initialState", section, i, "account"]));
    s.scps.forEach((p, i) => p.targets.forEach((t, j) => t === "root" || known(t, ["initialState", "scps", i, "targets", j])));
    const learner = s.users.find((u) => u.account === lab.learner.account && u.name === lab.learner.user);
    if (!learner) issue(["learner"], `the learner ${lab.learner.user} is not a user of account ${lab.learner.account} in initialState.users`);
    else if (!learner.console) issue(["learner"], `the learner ${lab.learner.user} needs "console": true to sign in`);
    const groups = new Set(s.groups.map((g) => `${g.account}/${g.name}`));
    s.users.forEach((u, i) => u.groups.forEach((g, j) => groups.has(`${u.account}/${g}`) || issue(["initialState", "users", i, "groups", j], `no group ${g} in account ${u.account}`)));
    const policies = new Set(s.policies.map((p) => `${p.account}/${p.name}`));
    const checkRefs = (section: "users" | "groups" | "roles") =>
      s[section].forEach((e, i) =>
        e.policies.forEach((p, j) => p.startsWith("arn:") || policies.has(`${e.account}/${p}`) || issue(["initialState", section, i, "policies", j], `no customer policy ${p} in account ${e.account}`)),
      );
    checkRefs("users");
    checkRefs("groups");
    checkRefs("roles");
    s.policies.forEach((p, i) => {
      if (p.defaultVersion && Number(p.defaultVersion.slice(1)) > p.versions.length) issue(["initialState", "policies", i, "defaultVersion"], `${p.defaultVersion} is not one of the ${p.versions.length} versions`);
    });
    s.events.forEach((e, i) => {
      const u = s.users.find((x) => x.account === e.account && x.name === e.user);
      if (!u) issue(["initialState", "events", i, "user"], `no user ${e.user} in account ${e.account}`);
      else if (u.accessKeys.length <= e.accessKey) issue(["initialState", "events", i, "accessKey"], `user ${e.user} has no access key #${e.accessKey}`);
    });
    const ids = new Set<string>();
    lab.tasks.forEach((t, i) => {
      if (ids.has(t.id)) issue(["tasks", i, "id"], `task id "${t.id}" is used twice`);
      ids.add(t.id);
      t.checks.forEach((c, j) => {
        const k = c.kind === "state" ? ("account" in c.target ? c.target.account : undefined) : c.account;
        if (k) known(k, ["tasks", i, "checks", j, "account"]);
      });
    });
  });

export type LabFile = z.infer<typeof labSchema>;
export type InitialState = LabFile["initialState"];
export type LabCheck = z.infer<typeof checkSchema>;
export type LabTask = LabFile["tasks"][number];
export interface Lab extends LabFile {
  /** The file's name without .json: the lab's ID in URLs and sandboxes. */
  id: string;
}

/** A zod failure as one line per rule: `path: message`. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join(".") : "(file)"}: ${i.message}`);
}
