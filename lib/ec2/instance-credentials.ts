import "server-only";
// The role credentials an instance's metadata service hands out. EC2 (the
// service principal ec2.amazonaws.com) assumes the instance profile's role,
// which works only if the role's trust policy lets EC2 do so. The credentials
// are a role session like any other (revocable, audited as an AssumeRole by
// AWSService) and are served again until they near expiry; then new ones are
// issued while the old stay valid to their end, as AWS rotates them.
import crypto from "node:crypto";
import { recordAudit } from "@/lib/audit/record";
import { newAccessKeyId, newSecretAccessKey, newSessionToken } from "@/lib/crypto/ids";
import { decryptSecret, digest, encryptSecret } from "@/lib/crypto/secrets";
import { transaction, type Tx } from "@/lib/db/client";
import { env } from "@/lib/env";
import { assumedRoleArn } from "@/lib/iam/arn";
import { evaluate } from "@/lib/iam/policy";

export interface InstanceCredentials {
  roleName: string;
  AccessKeyId: string;
  SecretAccessKey: string;
  Token: string;
  Expiration: Date;
  LastUpdated: Date;
}

/** Why an instance has no credentials: what IMDS answers instead. */
export type NoCredentials = "NoInstance" | "NoRole" | "AssumeRoleUnauthorizedAccess";

export interface InstanceIdentity {
  instanceId: string;
  accountId: string;
  region: string;
  imageId: string;
  instanceType: string;
  launchedAt: Date;
  profile: { arn: string; id: string; roleName: string | null } | null;
}

const EC2 = "ec2.amazonaws.com";

/** New credentials once less than a quarter of the lifetime (and at least 5 minutes) is left. */
export function rotateBeforeMs(lifetimeSeconds: number): number {
  return Math.max(5 * 60, lifetimeSeconds / 4) * 1000;
}

/** The running instance behind a metadata port, with its profile and role, or null. */
export async function instanceOnPort(port: number, tx?: Tx): Promise<InstanceIdentity | null> {
  const run = async (t: Tx) => {
    const i = await t.ec2Instance.findUnique({ where: { imdsPort: port } });
    if (!i || i.state !== "running") return null;
    const profile = i.instanceProfileArn
      ? await t.instanceProfile.findUnique({ where: { arn: i.instanceProfileArn }, select: { arn: true, id: true, roles: { select: { role: { select: { name: true } } } } } })
      : null;
    return {
      instanceId: i.id,
      accountId: i.accountId,
      region: i.region,
      imageId: i.imageId,
      instanceType: i.instanceType,
      launchedAt: i.launchedAt,
      profile: profile ? { arn: profile.arn, id: profile.id, roleName: profile.roles[0]?.role.name ?? null } : null,
    };
  };
  return tx ? run(tx) : transaction(run);
}

interface Sealed {
  secretAccessKey: string;
  sessionToken: string;
}

/** The instance's current role credentials, issuing (and auditing) new ones when due. */
export async function instanceCredentials(instanceId: string, now = new Date()): Promise<InstanceCredentials | NoCredentials> {
  const lifetime = env().IAMLAB_IMDS_CREDENTIAL_SECONDS;
  const outcome = await transaction(async (tx) => {
    const instance = await tx.ec2Instance.findUnique({ where: { id: instanceId }, include: { account: { select: { organizationId: true } } } });
    if (!instance || instance.state !== "running") return { result: "NoInstance" as const };
    // Take the row first, so two metadata requests at once issue one session between them.
    await tx.ec2Instance.update({ where: { id: instance.id }, data: { state: instance.state } });
    const profile = instance.instanceProfileArn
      ? await tx.instanceProfile.findUnique({
          where: { arn: instance.instanceProfileArn },
          select: { roles: { select: { role: { select: { id: true, name: true, arn: true, accountId: true, trustPolicy: true } } } } },
        })
      : null;
    const role = profile?.roles[0]?.role;
    if (!role) return { result: "NoRole" as const };

    const current = instance.credentialsSessionId
      ? await tx.roleSession.findUnique({ where: { id: instance.credentialsSessionId }, select: { accessKeyId: true, roleId: true, issuedAt: true, expiresAt: true, revokedAt: true } })
      : null;
    if (current && instance.credentialsCiphertext && !current.revokedAt && current.roleId === role.id && current.expiresAt.getTime() - now.getTime() > rotateBeforeMs(lifetime)) {
      const sealed = JSON.parse(decryptSecret(instance.credentialsCiphertext)) as Sealed;
      return {
        result: { roleName: role.name, AccessKeyId: current.accessKeyId, SecretAccessKey: sealed.secretAccessKey, Token: sealed.sessionToken, Expiration: current.expiresAt, LastUpdated: current.issuedAt },
      };
    }

    const audit = {
      principal: null,
      request: { via: "api" as const, sourceIp: EC2, userAgent: EC2, secureTransport: true, region: instance.region, requestId: crypto.randomUUID() },
      eventSource: "sts.amazonaws.com",
      eventName: "AssumeRole",
      readOnly: false,
      organizationId: instance.account.organizationId,
      recipientAccountId: role.accountId,
      claimedIdentity: { type: "AWSService" },
      requestParameters: { roleArn: role.arn, roleSessionName: instance.id },
      resources: [{ ARN: role.arn, accountId: role.accountId, type: "AWS::IAM::Role" }],
    };
    const trust = evaluate({
      request: { principal: EC2, action: "sts:AssumeRole", resource: { resource: role.arn, accountId: role.accountId } },
      resourcePolicy: { id: `${role.arn}#trust`, name: `${role.name} trust policy`, policy: role.trustPolicy },
    });
    if (trust.decision !== "Allowed") {
      await recordAudit(tx, { ...audit, errorCode: "AccessDenied", errorMessage: `The role ${role.name} does not trust ec2.amazonaws.com to assume it (its trust policy).` });
      return { result: "AssumeRoleUnauthorizedAccess" as const };
    }

    const secretAccessKey = newSecretAccessKey();
    const sessionToken = newSessionToken();
    const accessKeyId = newAccessKeyId("ASIA");
    const expiresAt = new Date(now.getTime() + lifetime * 1000);
    const session = await tx.roleSession.create({
      data: {
        accessKeyId,
        accountId: role.accountId,
        kind: "AssumeRole",
        roleId: role.id,
        arn: assumedRoleArn(role.accountId, role.name, instance.id),
        sessionName: instance.id,
        secretCiphertext: encryptSecret(secretAccessKey),
        sessionTokenDigest: digest(sessionToken),
        issuedAt: now,
        expiresAt,
        sourcePrincipalArn: EC2,
        sourcePrincipalAccount: role.accountId,
      },
      select: { id: true },
    });
    await tx.ec2Instance.update({
      where: { id: instance.id },
      data: { credentialsSessionId: session.id, credentialsCiphertext: encryptSecret(JSON.stringify({ secretAccessKey, sessionToken } satisfies Sealed)) },
    });
    await tx.role.update({ where: { id: role.id }, data: { lastUsedAt: now, lastUsedRegion: instance.region } });
    await recordAudit(tx, { ...audit, responseElements: { credentials: { accessKeyId, expiration: expiresAt.toISOString() } } });
    return { result: { roleName: role.name, AccessKeyId: accessKeyId, SecretAccessKey: secretAccessKey, Token: sessionToken, Expiration: expiresAt, LastUpdated: now } };
  });
  return outcome.result;
}
