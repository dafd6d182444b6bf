// The demo organization "Example Corp": accounts dev, staging and prod, users,
// groups, cross-account roles, the MFA-gated elevation role and a few buckets.
// Written with plain Prisma calls in one transaction; idempotent (skips when the
// organization exists).
import { hash } from "@node-rs/argon2";
import type { Db, Tx } from "@/lib/db/client";
import { encryptSecret } from "@/lib/crypto/secrets";
import { writeBlob } from "@/lib/s3/blob-store";
import { ADMINISTRATOR_ACCESS_ARN, groupArn, instanceProfileArn, mfaArn, roleArn, userArn } from "@/lib/iam/arn";
import { stableId } from "./aws-managed-policies";
import { DEMO_ACCOUNTS, DEMO_MFA_SEED, DEMO_ORG, DEMO_PASSWORD, ELEVATION_ROLE } from "./demo-identities";

const policy = (statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements }, null, 2);
const awsManaged = (name: string) => `arn:aws:iam::aws:policy/${name}`;

/** The AWS-managed policies the demo attaches (the integration tests seed only these). */
export const DEMO_MANAGED_POLICIES = [
  "AdministratorAccess",
  "ReadOnlyAccess",
  "SecurityAudit",
  "PowerUserAccess",
  "IAMUserChangePassword",
  "AmazonS3FullAccess",
  "AmazonS3ReadOnlyAccess",
];

const DESTRUCTIVE_S3 = ["s3:DeleteBucket", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"];

async function policyIdByArn(tx: Tx, arn: string): Promise<string> {
  const p = await tx.managedPolicy.findUniqueOrThrow({ where: { arn }, select: { id: true } });
  return p.id;
}

export async function seedDemo(db: Db): Promise<boolean> {
  if (await db.organization.findUnique({ where: { id: DEMO_ORG.id } })) return false;
  const passwordHash = await hash(DEMO_PASSWORD, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  const { dev, staging, prod } = DEMO_ACCOUNTS;

  await db.$transaction(
    async (tx) => {
      await tx.organization.create({ data: { id: DEMO_ORG.id, name: DEMO_ORG.name, rootId: DEMO_ORG.rootId } });
      for (const a of [dev, staging, prod]) {
        await tx.account.create({
          data: { id: a.id, organizationId: DEMO_ORG.id, name: a.name, alias: a.alias, color: a.color, rootEmail: a.rootEmail, rootPasswordHash: passwordHash },
        });
        await tx.passwordPolicy.create({
          data: { accountId: a.id, minimumPasswordLength: 12, requireNumbers: true, requireSymbols: true, requireUppercaseCharacters: true, requireLowercaseCharacters: true, passwordReusePrevention: 3 },
        });
      }

      // SCPs: AWS's FullAWSAccess on the root, and the lab guard that keeps
      // destructive bucket actions for the MFA-gated elevation role.
      const scps = [
        { id: "p-FullAWSAccess", name: "FullAWSAccess", awsManaged: true, document: policy([{ Effect: "Allow", Action: "*", Resource: "*" }]) },
        {
          id: "p-labguard01",
          name: "DestructiveBucketActionsNeedElevation",
          awsManaged: false,
          description: "Only the MFA-gated elevation role may delete buckets, objects or bucket policies.",
          document: policy([
            {
              Sid: "DenyDestructiveS3WithoutElevation",
              Effect: "Deny",
              Action: DESTRUCTIVE_S3,
              Resource: "*",
              Condition: { ArnNotLike: { "aws:PrincipalArn": `arn:aws:iam::*:role/${ELEVATION_ROLE}` } },
            },
          ]),
        },
      ];
      for (const scp of scps) {
        await tx.serviceControlPolicy.create({ data: { ...scp, organizationId: DEMO_ORG.id } });
        await tx.scpAttachment.create({ data: { policyId: scp.id, targetId: DEMO_ORG.rootId } });
      }
      // As in AWS, every account also carries FullAWSAccess.
      for (const a of [dev, staging, prod]) await tx.scpAttachment.create({ data: { policyId: "p-FullAWSAccess", targetId: a.id } });

      // Customer-managed policy in dev: who may switch into which role.
      const assumeId = stableId("ANPA", `${dev.id}/CrossAccountSwitch`);
      await tx.managedPolicy.create({
        data: {
          id: assumeId,
          accountId: dev.id,
          name: "CrossAccountSwitch",
          nameLower: "crossaccountswitch",
          arn: `arn:aws:iam::${dev.id}:policy/CrossAccountSwitch`,
          description: "Lets developers switch into the staging and prod roles and elevate for bucket clean-up.",
          versions: {
            create: {
              id: stableId("ANVA", `${dev.id}/CrossAccountSwitch#v1`),
              versionId: "v1",
              isDefault: true,
              document: policy([
                {
                  Sid: "SwitchIntoEnvironmentRoles",
                  Effect: "Allow",
                  Action: "sts:AssumeRole",
                  Resource: [`arn:aws:iam::${staging.id}:role/StagingDeveloper`, `arn:aws:iam::${prod.id}:role/ProdReadOnly`],
                },
                { Sid: "Elevate", Effect: "Allow", Action: "sts:AssumeRole", Resource: `arn:aws:iam::*:role/${ELEVATION_ROLE}` },
              ]),
            },
          },
        },
      });

      // AWS's documented self-service policy ("AWS: Allows MFA-authenticated IAM
      // users to manage their own credentials on the Security credentials page"):
      // own password, own access keys, own virtual MFA device. Its last statement,
      // DenyAllExceptListedIfNoMFA, is left out: it would deny everything else to a
      // user signed in without MFA, and the demo's users sign in with a password
      // alone (alice works as a power user, bob reads, carol audits) until they
      // assign a device. The MFA-gated role S3ElevatedAccess keeps MFA where it matters.
      const selfServiceId = stableId("ANPA", `${dev.id}/ManageOwnCredentials`);
      const selfOnly = "arn:aws:iam::*:user/${aws:username}";
      await tx.managedPolicy.create({
        data: {
          id: selfServiceId,
          accountId: dev.id,
          name: "ManageOwnCredentials",
          nameLower: "manageowncredentials",
          arn: `arn:aws:iam::${dev.id}:policy/ManageOwnCredentials`,
          description: "Lets IAM users manage their own password, access keys and virtual MFA device (AWS's self-service example, without its deny-unless-MFA statement).",
          versions: {
            create: {
              id: stableId("ANVA", `${dev.id}/ManageOwnCredentials#v1`),
              versionId: "v1",
              isDefault: true,
              document: policy([
                { Sid: "AllowViewAccountInfo", Effect: "Allow", Action: ["iam:GetAccountPasswordPolicy", "iam:ListVirtualMFADevices"], Resource: "*" },
                { Sid: "AllowManageOwnPasswords", Effect: "Allow", Action: ["iam:ChangePassword", "iam:GetUser"], Resource: selfOnly },
                {
                  Sid: "AllowManageOwnAccessKeys",
                  Effect: "Allow",
                  Action: ["iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:ListAccessKeys", "iam:UpdateAccessKey", "iam:GetAccessKeyLastUsed"],
                  Resource: selfOnly,
                },
                {
                  Sid: "AllowManageOwnVirtualMFADevice",
                  Effect: "Allow",
                  Action: ["iam:CreateVirtualMFADevice", "iam:DeleteVirtualMFADevice"],
                  Resource: "arn:aws:iam::*:mfa/${aws:username}",
                },
                {
                  Sid: "AllowManageOwnUserMFA",
                  Effect: "Allow",
                  Action: ["iam:DeactivateMFADevice", "iam:EnableMFADevice", "iam:ListMFADevices", "iam:ResyncMFADevice"],
                  Resource: selfOnly,
                },
              ]),
            },
          },
        },
      });

      // Users and groups in dev.
      const users: Record<string, { id: string; arn: string }> = {};
      for (const name of ["admin", "alice", "bob", "carol", "erin", "newhire"]) {
        const id = stableId("AIDA", `${dev.id}/user/${name}`);
        const arn = userArn(dev.id, "/", name);
        users[name] = { id, arn };
        await tx.iamUser.create({
          data: {
            id,
            accountId: dev.id,
            name,
            nameLower: name,
            arn,
            loginProfile: { create: { passwordHash, passwordResetRequired: name === "newhire" } },
          },
        });
      }
      const attach = async (policyArn: string, to: { userId?: string; groupId?: string; roleId?: string }, accountId: string) =>
        tx.policyAttachment.create({ data: { accountId, policyId: await policyIdByArn(tx, policyArn), ...to } });

      await attach(ADMINISTRATOR_ACCESS_ARN, { userId: users.admin!.id }, dev.id);
      await attach(ADMINISTRATOR_ACCESS_ARN, { userId: users.erin!.id }, dev.id);
      await attach(awsManaged("ReadOnlyAccess"), { userId: users.bob!.id }, dev.id);
      await attach(awsManaged("SecurityAudit"), { userId: users.carol!.id }, dev.id);
      await attach(awsManaged("IAMUserChangePassword"), { userId: users.newhire!.id }, dev.id);
      // The people (not the administrators) manage their own credentials.
      for (const name of ["alice", "bob", "carol", "newhire"]) {
        await tx.policyAttachment.create({ data: { accountId: dev.id, policyId: selfServiceId, userId: users[name]!.id } });
      }

      const developersId = stableId("AGPA", `${dev.id}/group/Developers`);
      await tx.iamGroup.create({
        data: { id: developersId, accountId: dev.id, name: "Developers", nameLower: "developers", arn: groupArn(dev.id, "/", "Developers") },
      });
      await tx.groupMembership.create({ data: { groupId: developersId, userId: users.alice!.id } });
      await attach(awsManaged("PowerUserAccess"), { groupId: developersId }, dev.id);
      await attach(awsManaged("IAMUserChangePassword"), { groupId: developersId }, dev.id);
      await tx.policyAttachment.create({ data: { accountId: dev.id, policyId: assumeId, groupId: developersId } });

      await tx.tag.createMany({
        data: [
          { accountId: dev.id, resourceArn: users.alice!.arn, key: "team", keyLower: "team", value: "payments" },
          { accountId: dev.id, resourceArn: users.carol!.arn, key: "team", keyLower: "team", value: "security" },
        ],
      });

      // erin signs in with a virtual MFA device.
      await tx.mfaDevice.create({
        data: {
          accountId: dev.id,
          serialNumber: mfaArn(dev.id, "/", "erin"),
          name: "erin",
          userId: users.erin!.id,
          seedCiphertext: encryptSecret(DEMO_MFA_SEED),
          enabledAt: new Date(),
        },
      });

      // Roles: cross-account roles that trust dev, and the elevation role in each account.
      const trustDev = (condition?: object) =>
        policy([{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${dev.id}:root` }, Action: "sts:AssumeRole", ...(condition ? { Condition: condition } : {}) }]);
      const mfaRecent = { Bool: { "aws:MultiFactorAuthPresent": "true" }, NumericLessThan: { "aws:MultiFactorAuthAge": "3600" } };
      const roles = [
        { account: staging, name: "StagingDeveloper", trust: trustDev(), policies: [awsManaged("PowerUserAccess")], color: "#d97706", description: "Developers from dev work in staging." },
        { account: prod, name: "ProdReadOnly", trust: trustDev(), policies: [awsManaged("ReadOnlyAccess")], color: "#dc2626", description: "Read-only look at production from dev." },
        ...[dev, staging, prod].map((account) => ({
          account,
          name: ELEVATION_ROLE,
          trust: trustDev(mfaRecent),
          policies: [awsManaged("AmazonS3FullAccess")],
          color: "#7c3aed",
          description: "Short MFA-gated elevation for destructive bucket actions.",
        })),
      ];
      for (const r of roles) {
        const id = stableId("AROA", `${r.account.id}/role/${r.name}`);
        await tx.role.create({
          data: {
            id,
            accountId: r.account.id,
            name: r.name,
            nameLower: r.name.toLowerCase(),
            arn: roleArn(r.account.id, "/", r.name),
            trustPolicy: r.trust,
            description: r.description,
            consoleColor: r.color,
          },
        });
        for (const p of r.policies) await attach(p, { roleId: id }, r.account.id);
      }

      // The first example of a role over a stored key: an EC2 instance launched with this
      // profile reads S3 with the role's credentials from its metadata service.
      const webAppId = stableId("AROA", `${dev.id}/role/WebAppServer`);
      await tx.role.create({
        data: {
          id: webAppId,
          accountId: dev.id,
          name: "WebAppServer",
          nameLower: "webappserver",
          arn: roleArn(dev.id, "/", "WebAppServer"),
          trustPolicy: policy([{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }]),
          description: "Lets EC2 instances of the web app read S3, with no access key on the instance.",
        },
      });
      await attach(awsManaged("AmazonS3ReadOnlyAccess"), { roleId: webAppId }, dev.id);
      const webAppProfileId = stableId("AIPA", `${dev.id}/instance-profile/WebAppServer`);
      await tx.instanceProfile.create({
        data: { id: webAppProfileId, accountId: dev.id, name: "WebAppServer", nameLower: "webappserver", arn: instanceProfileArn(dev.id, "/", "WebAppServer") },
      });
      await tx.instanceProfileRole.create({ data: { instanceProfileId: webAppProfileId, roleId: webAppId } });

      // Buckets with a few objects.
      const buckets = [
        { name: "example-dev-assets", account: dev, objects: { "README.txt": "Assets for the dev environment.\n", "images/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><rect width="16" height="16" fill="#2563eb"/></svg>\n', "reports/2026/q3.csv": "month,cost\njul,120\naug,131\nsep,118\n" } },
        { name: "example-dev-scratch", account: dev, objects: { "tmp/notes.txt": "Scratch space: safe to delete after elevation.\n" } },
        { name: "example-staging-data", account: staging, objects: { "seed/customers.json": '[{"id":1,"name":"Ada"}]\n' } },
        { name: "example-prod-logs", account: prod, objects: { "2026/11/27/app.log": "INFO started\nINFO healthy\n" } },
      ];
      for (const b of buckets) {
        await tx.bucket.create({ data: { name: b.name, organizationId: DEMO_ORG.id, accountId: b.account.id } });
        for (const [key, text] of Object.entries(b.objects)) {
          // The body goes to the blob store, as every object's does (an orphan, swept later, if this transaction rolls back).
          const blob = await writeBlob(Buffer.from(text));
          await tx.s3Object.create({
            data: {
              bucketName: b.name,
              key,
              blobId: blob.blobId,
              size: blob.size,
              etag: `"${blob.md5}"`,
              contentType: key.endsWith(".svg") ? "image/svg+xml" : key.endsWith(".json") ? "application/json" : key.endsWith(".csv") ? "text/csv" : "text/plain",
            },
          });
        }
      }

      // A trail per account, as the seed's "monitor usage" practice asks: management events, and S3 object writes in every bucket.
      for (const a of [dev, staging, prod]) {
        const trail = await tx.trail.create({ data: { organizationId: DEMO_ORG.id, accountId: a.id, name: "account-activity" } });
        await tx.trailDataSelector.create({ data: { trailId: trail.id, accountId: a.id, bucket: "", readWriteType: "WriteOnly" } });
      }
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
  return true;
}
