// Tag-based access control through the whole pipeline (gate + engine + audit)
// against the seeded organization: the holes of the hardening issue, each as a
// realistic least-privilege policy. Every denial here was an Allow before the
// gate put the resource's tags (aws:ResourceTag/*) and the request's tags
// (aws:RequestTag/*, aws:TagKeys) in the request context.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { ADMINISTRATOR_ACCESS_ARN } from "@/lib/iam/arn";
import type { Principal } from "@/lib/iam/principal";
import { createInstanceProfile } from "@/lib/iam/roles/instance-profiles";
import { createRole } from "@/lib/iam/roles/roles";
import { attachUserPolicy, detachUserPolicy, putRolePolicy, putUserPolicy } from "@/lib/iam/services/attachments";
import { createLoginProfile, updateLoginProfile } from "@/lib/iam/services/passwords";
import { tagRole, tagUser, untagUser } from "@/lib/iam/services/tags";
import { expectDenied, failure, run } from "@/lib/iam/services/test-helpers";
import { createUser, getUser } from "@/lib/iam/services/users";
import { assumeRole } from "@/lib/sts/sts";
import { principalForSession } from "@/lib/sts/credentials";
import { asRoot, asUser, DEV, STAGING } from "@/lib/testing/principals";

const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const PASSWORD = "Helpdesk-Reset-2026!";

let admin: Principal;

/** A dev user whose only permissions are the given inline policy. */
async function userWith(name: string, policy: string): Promise<Principal> {
  await run(admin, createUser(admin, { userName: name, path: "/", tags: [] }));
  await run(admin, putUserPolicy(admin, { userName: name, policyName: "only", policyDocument: policy }));
  return asUser(name);
}

const tagsOf = async (arn: string) =>
  (await db().tag.findMany({ where: { resourceArn: arn }, orderBy: { keyLower: "asc" }, select: { key: true, value: true } })).map((t) => `${t.key}=${t.value}`);

beforeAll(async () => {
  admin = await asUser("admin");
});

describe("aws:ResourceTag: a helpdesk may not touch protected users", () => {
  let helpdesk: Principal;
  const helpdeskPolicy = doc(
    {
      Sid: "ManageConsoleAccessAndPolicies",
      Effect: "Allow",
      Action: ["iam:CreateLoginProfile", "iam:UpdateLoginProfile", "iam:AttachUserPolicy", "iam:DetachUserPolicy"],
      Resource: `arn:aws:iam::${DEV}:user/*`,
    },
    {
      Sid: "NeverProtectedUsers",
      Effect: "Deny",
      Action: ["iam:CreateLoginProfile", "iam:UpdateLoginProfile", "iam:AttachUserPolicy", "iam:DetachUserPolicy"],
      Resource: "*",
      Condition: { StringEquals: { "aws:ResourceTag/protected": "true" } },
    },
  );

  beforeAll(async () => {
    helpdesk = await userWith("helpdesk", helpdeskPolicy);
    await run(admin, tagUser(admin, { userName: "admin", tags: [{ key: "protected", value: "true" }] }));
    await run(admin, createUser(admin, { userName: "plain-staff", path: "/", tags: [{ key: "team", value: "sales" }] }));
    await run(admin, createLoginProfile(admin, { userName: "plain-staff", password: PASSWORD, passwordResetRequired: false }));
  });

  it("cannot reset the administrator's password", async () => {
    await expectDenied(helpdesk, updateLoginProfile(helpdesk, { userName: "admin", password: PASSWORD }));
    const err = await failure(helpdesk, updateLoginProfile(helpdesk, { userName: "admin", password: PASSWORD, passwordResetRequired: true }));
    expect(err.message).toContain(`on resource: arn:aws:iam::${DEV}:user/admin with an explicit deny in an identity-based policy`);
  });

  it("cannot attach a policy to the administrator (nor detach one)", async () => {
    await expectDenied(helpdesk, attachUserPolicy(helpdesk, { userName: "admin", policyArn: ADMINISTRATOR_ACCESS_ARN }));
    await expectDenied(helpdesk, detachUserPolicy(helpdesk, { userName: "admin", policyArn: ADMINISTRATOR_ACCESS_ARN }));
    // ... and so cannot make itself an administrator either way round.
    await run(admin, tagUser(admin, { userName: "helpdesk", tags: [{ key: "protected", value: "true" }] }));
    await expectDenied(helpdesk, attachUserPolicy(helpdesk, { userName: "helpdesk", policyArn: ADMINISTRATOR_ACCESS_ARN }));
  });

  it("can still do its job on an untagged (or otherwise tagged) user", async () => {
    await run(helpdesk, updateLoginProfile(helpdesk, { userName: "plain-staff", password: "Helpdesk-Other-2026!", passwordResetRequired: true }));
    await run(helpdesk, attachUserPolicy(helpdesk, { userName: "plain-staff", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }));
    const attached = await db().policyAttachment.count({ where: { user: { name: "plain-staff", accountId: DEV } } });
    expect(attached).toBe(1);
    expect(await db().loginProfile.count({ where: { user: { name: "plain-staff", accountId: DEV }, passwordResetRequired: true } })).toBe(1);
  });

  it("iam:ResourceTag (IAM's own spelling for users and roles) works the same", async () => {
    const strict = await userWith(
      "helpdesk-iam-key",
      doc(
        { Effect: "Allow", Action: "iam:UpdateLoginProfile", Resource: `arn:aws:iam::${DEV}:user/*` },
        { Effect: "Deny", Action: "iam:UpdateLoginProfile", Resource: "*", Condition: { StringEqualsIgnoreCase: { "iam:ResourceTag/protected": "TRUE" } } },
      ),
    );
    await expectDenied(strict, updateLoginProfile(strict, { userName: "admin", password: PASSWORD }));
    await run(strict, updateLoginProfile(strict, { userName: "plain-staff", password: "Helpdesk-Third-2026!" }));
  });
});

describe("aws:TagKeys / aws:RequestTag: a limit on which tags may be set", () => {
  let tagger: Principal;
  // Only the tag key "team", and only the values core and payments.
  const onlyTeam = {
    "ForAllValues:StringEquals": { "aws:TagKeys": ["team"] },
    StringEquals: { "aws:RequestTag/team": ["core", "payments"] },
  };

  beforeAll(async () => {
    tagger = await userWith(
      "tagger",
      doc(
        {
          Sid: "TagOnlyTeam",
          Effect: "Allow",
          Action: ["iam:TagUser", "iam:TagRole", "iam:CreateUser", "iam:CreateInstanceProfile", "iam:TagInstanceProfile"],
          Resource: "*",
          Condition: onlyTeam,
        },
        { Sid: "UntagOnlyTeam", Effect: "Allow", Action: "iam:UntagUser", Resource: "*", Condition: { "ForAllValues:StringEquals": { "aws:TagKeys": ["team"] } } },
      ),
    );
    await run(admin, createRole(admin, { roleName: "TaggedWorker", trustedEntity: { kind: "service", services: ["ec2.amazonaws.com"] } }));
  });

  it("TagUser: another key is refused, the permitted one goes through", async () => {
    await expectDenied(tagger, tagUser(tagger, { userName: "bob", tags: [{ key: "protected", value: "false" }] }));
    await expectDenied(tagger, tagUser(tagger, { userName: "bob", tags: [{ key: "team", value: "core" }, { key: "access", value: "admin" }] }));
    await expectDenied(tagger, tagUser(tagger, { userName: "bob", tags: [{ key: "team", value: "marketing" }] }));
    await run(tagger, tagUser(tagger, { userName: "bob", tags: [{ key: "team", value: "core" }] }));
    expect(await tagsOf(`arn:aws:iam::${DEV}:user/bob`)).toEqual(["team=core"]);
  });

  it("TagRole: the same", async () => {
    await expectDenied(tagger, tagRole(tagger, { roleName: "TaggedWorker", tags: [{ key: "project", value: "atlas" }] }));
    await run(tagger, tagRole(tagger, { roleName: "TaggedWorker", tags: [{ key: "team", value: "payments" }] }));
    expect(await tagsOf(`arn:aws:iam::${DEV}:role/TaggedWorker`)).toEqual(["team=payments"]);
  });

  it("CreateUser with tags: another key is refused (nothing is created), the permitted one goes through", async () => {
    await expectDenied(tagger, createUser(tagger, { userName: "tagged-hire", path: "/", tags: [{ key: "cost-center", value: "1" }] }));
    await expectDenied(tagger, createUser(tagger, { userName: "tagged-hire", path: "/", tags: [{ key: "team", value: "core" }, { key: "protected", value: "true" }] }));
    expect(await db().iamUser.count({ where: { accountId: DEV, nameLower: "tagged-hire" } })).toBe(0);
    await run(tagger, createUser(tagger, { userName: "tagged-hire", path: "/", tags: [{ key: "team", value: "core" }] }));
    expect(await tagsOf(`arn:aws:iam::${DEV}:user/tagged-hire`)).toEqual(["team=core"]);
  });

  it("CreateInstanceProfile with tags: the same", async () => {
    await expectDenied(tagger, createInstanceProfile(tagger, { instanceProfileName: "tagged-profile", tags: [{ key: "owner", value: "me" }] }));
    await run(tagger, createInstanceProfile(tagger, { instanceProfileName: "tagged-profile", tags: [{ key: "team", value: "core" }] }));
    expect(await tagsOf(`arn:aws:iam::${DEV}:instance-profile/tagged-profile`)).toEqual(["team=core"]);
  });

  it("tagging on create needs the tagging permission: CreateInstanceProfile alone cannot set tags", async () => {
    const creator = await userWith("profile-creator", doc({ Effect: "Allow", Action: "iam:CreateInstanceProfile", Resource: "*" }));
    const err = await failure(creator, createInstanceProfile(creator, { instanceProfileName: "creator-profile", tags: [{ key: "team", value: "core" }] }));
    expect(err.message).toContain("is not authorized to perform: iam:TagInstanceProfile");
    expect(await db().instanceProfile.count({ where: { accountId: DEV, nameLower: "creator-profile" } })).toBe(0);
    await run(creator, createInstanceProfile(creator, { instanceProfileName: "creator-profile" }));
  });

  it("UntagUser: only the permitted keys may be removed (aws:TagKeys names the keys removed)", async () => {
    await expectDenied(tagger, untagUser(tagger, { userName: "admin", tagKeys: ["protected"] }));
    await run(tagger, untagUser(tagger, { userName: "bob", tagKeys: ["team"] }));
    expect(await tagsOf(`arn:aws:iam::${DEV}:user/bob`)).toEqual([]);
  });
});

describe("aws:PrincipalTag: self-tagging cannot open an ABAC-gated role in another account", () => {
  let climber: Principal;
  let abacRoleArn: string;
  const assume = (p: Principal) => assumeRole(p, { roleArn: abacRoleArn, roleSessionName: "abac-test" });

  beforeAll(async () => {
    // staging trusts dev's principals tagged project=atlas.
    const stagingRoot = asRoot(STAGING);
    const trust = doc({
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${DEV}:root` },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:PrincipalTag/project": "atlas" } },
    });
    abacRoleArn = (await run(stagingRoot, createRole(stagingRoot, { roleName: "AtlasDeploy", assumeRolePolicyDocument: trust }))).Arn;
    // A dev user who may assume roles anywhere and tag itself, but only with the key "team".
    climber = await userWith(
      "climber",
      doc(
        { Effect: "Allow", Action: "sts:AssumeRole", Resource: "arn:aws:iam::*:role/*" },
        { Effect: "Allow", Action: "iam:TagUser", Resource: `arn:aws:iam::${DEV}:user/\${aws:username}`, Condition: { "ForAllValues:StringEquals": { "aws:TagKeys": ["team"] } } },
      ),
    );
  });

  it("the self-tag with another key is refused, and the role stays closed", async () => {
    await expectDenied(climber, tagUser(climber, { userName: "climber", tags: [{ key: "project", value: "atlas" }] }));
    await expectDenied(climber, tagUser(climber, { userName: "climber", tags: [{ key: "team", value: "x" }, { key: "project", value: "atlas" }] }));
    const err = await failure(climber, assume(climber));
    expect(err.code).toBe("AccessDenied");
    expect(await tagsOf(`arn:aws:iam::${DEV}:user/climber`)).toEqual([]);
  });

  it("the permitted self-tag works and does not open the role", async () => {
    await run(climber, tagUser(climber, { userName: "climber", tags: [{ key: "team", value: "platform" }] }));
    expect((await failure(climber, assume(climber))).code).toBe("AccessDenied");
  });

  it("control: once an administrator tags the user project=atlas, the trust policy lets it in", async () => {
    await run(admin, tagUser(admin, { userName: "climber", tags: [{ key: "project", value: "atlas" }] }));
    const r = await run(climber, assume(climber));
    expect(r.AssumedRoleUser.Arn).toBe(`arn:aws:sts::${STAGING}:assumed-role/AtlasDeploy/abac-test`);
  });
});

describe("aws:PrincipalTag of a role session: the session tags over the role's own tags", () => {
  it("a role session carries the tags it was assumed with", async () => {
    const root = asRoot(DEV);
    const trust = doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${DEV}:root` }, Action: ["sts:AssumeRole", "sts:TagSession"] });
    await run(root, createRole(root, { roleName: "SessionTagged", assumeRolePolicyDocument: trust, tags: [{ key: "project", value: "role-own" }] }));
    const onlyAtlas = doc({ Effect: "Allow", Action: "iam:GetUser", Resource: "*", Condition: { StringEquals: { "aws:PrincipalTag/project": "atlas" } } });
    await run(root, putRolePolicy(root, { roleName: "SessionTagged", policyName: "abac", policyDocument: onlyAtlas }));
    const plain = await run(admin, assumeRole(admin, { roleArn: `arn:aws:iam::${DEV}:role/SessionTagged`, roleSessionName: "plain" }));
    const tagged = await run(admin, assumeRole(admin, { roleArn: `arn:aws:iam::${DEV}:role/SessionTagged`, roleSessionName: "tagged", tags: [{ Key: "project", Value: "atlas" }] }));
    const sessionOf = async (accessKeyId: string) => {
      const row = await db().roleSession.findUniqueOrThrow({ where: { accessKeyId }, select: { id: true } });
      return (await principalForSession(db(), row.id))!;
    };
    const plainSession = await sessionOf(plain.Credentials.AccessKeyId);
    expect((await failure(plainSession, getUser(plainSession, { userName: "bob" }))).code).toBe("AccessDenied");
    const taggedSession = await sessionOf(tagged.Credentials.AccessKeyId);
    expect((await run(taggedSession, getUser(taggedSession, { userName: "bob" }))).user.userName).toBe("bob");
  });
});
