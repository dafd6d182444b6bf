import "server-only";
// Builds a sandbox organization from a lab's initial state, with plain Prisma
// writes inside the caller's transaction: the organization and its accounts
// (AWS's FullAWSAccess SCP on the root and each account, as the seed does),
// customer policies with their versions, users (console password, access keys,
// MFA device, groups, policies, tags), groups, roles with trust and instance
// profiles, buckets with objects, and the past events the lab's story needs.
// Every ID is fresh, so any number of sandboxes of one lab live side by side.
import crypto from "node:crypto";
import type { Tx } from "@/lib/db/client";
import { encryptSecret } from "@/lib/crypto/secrets";
import { newAccessKeyId, newSecretAccessKey, newUniqueId } from "@/lib/crypto/ids";
import { newTotpSeed } from "@/lib/crypto/totp";
import { groupArn, instanceProfileArn, mfaArn, policyArn, roleArn, userArn } from "@/lib/iam/arn";
import type { InitialState } from "./schema";

export interface SandboxIdentity {
  sandboxId: string;
  organizationId: string;
  rootId: string;
  /** Lab account key -> 12-digit account ID. */
  accounts: Record<string, string>;
}

const FULL_AWS_ACCESS = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }, null, 2);
const text = (doc: unknown) => JSON.stringify(doc, null, 2);
const minutesAgo = (m: number, now: Date) => new Date(now.getTime() - m * 60_000);
const contentType = (key: string) =>
  key.endsWith(".json") ? "application/json" : key.endsWith(".csv") ? "text/csv" : key.endsWith(".svg") ? "image/svg+xml" : "text/plain";

/** The root users' email addresses: unique per sandbox and account, never deliverable. */
export const sandboxRootEmail = (sandboxId: string, accountKey: string) => `root+${sandboxId}-${accountKey}@labs.iamlab.invalid`;

/**
 * Writes the organization. `state` has its placeholders filled already;
 * `learnerPasswordHash` is every console user's password, `rootPasswordHash`
 * the root users' (a password nobody knows: labs are worked as IAM users).
 */
export async function buildSandboxState(
  tx: Tx,
  state: InitialState,
  ids: SandboxIdentity,
  hashes: { learnerPasswordHash: string; rootPasswordHash: string },
  now = new Date(),
): Promise<void> {
  const accountOf = (key: string) => ids.accounts[key]!;
  // No management account: SCPs would not apply to it, and labs rely on them (as the demo does).
  await tx.organization.create({ data: { id: ids.organizationId, name: `Lab sandbox ${ids.sandboxId}`, rootId: ids.rootId } });
  await tx.account.createMany({
    data: state.accounts.map((a) => ({
      id: accountOf(a.key),
      organizationId: ids.organizationId,
      name: a.name,
      color: a.color ?? "#2563eb",
      rootEmail: sandboxRootEmail(ids.sandboxId, a.key),
      rootPasswordHash: hashes.rootPasswordHash,
    })),
  });

  // SCPs: FullAWSAccess on the root and every account, then the lab's own.
  const scpId = (i: number) => `p-${ids.sandboxId}${String(i).padStart(2, "0")}`;
  await tx.serviceControlPolicy.create({ data: { id: scpId(0), organizationId: ids.organizationId, name: "FullAWSAccess", awsManaged: true, document: FULL_AWS_ACCESS } });
  await tx.scpAttachment.createMany({ data: [ids.rootId, ...Object.values(ids.accounts)].map((targetId) => ({ policyId: scpId(0), targetId })) });
  for (const [i, scp] of state.scps.entries()) {
    await tx.serviceControlPolicy.create({ data: { id: scpId(i + 1), organizationId: ids.organizationId, name: scp.name, description: scp.description ?? "", document: text(scp.document) } });
    await tx.scpAttachment.createMany({ data: scp.targets.map((t) => ({ policyId: scpId(i + 1), targetId: t === "root" ? ids.rootId : accountOf(t) })) });
  }

  // Customer-managed policies, every version.
  const policyIds = new Map<string, string>(); // "account/name" -> policy id
  for (const p of state.policies) {
    const accountId = accountOf(p.account);
    const id = newUniqueId("ANPA");
    policyIds.set(`${p.account}/${p.name}`, id);
    const defaultVersionId = p.defaultVersion ?? `v${p.versions.length}`;
    await tx.managedPolicy.create({
      data: {
        id,
        accountId,
        name: p.name,
        nameLower: p.name.toLowerCase(),
        path: p.path ?? "/",
        arn: policyArn(accountId, p.path ?? "/", p.name),
        description: p.description ?? "",
        defaultVersionId,
        nextVersionNumber: p.versions.length + 1,
        createdAt: now,
        updatedAt: now,
      },
    });
    await tx.policyVersion.createMany({
      data: p.versions.map((doc, i) => ({ id: newUniqueId("ANVA"), policyId: id, versionId: `v${i + 1}`, document: text(doc), isDefault: `v${i + 1}` === defaultVersionId, createdAt: new Date(now.getTime() + i) })),
    });
  }
  const awsManaged = new Map<string, string>();
  const awsArns = [...new Set([...state.users, ...state.groups, ...state.roles].flatMap((e) => e.policies.filter((p) => p.startsWith("arn:"))))];
  if (awsArns.length) {
    for (const p of await tx.managedPolicy.findMany({ where: { arn: { in: awsArns } }, select: { id: true, arn: true } })) awsManaged.set(p.arn, p.id);
    const missing = awsArns.filter((a) => !awsManaged.has(a));
    if (missing.length) throw new Error(`the lab attaches policies this installation does not have: ${missing.join(", ")}`);
  }
  const policyIdOf = (account: string, ref: string) => (ref.startsWith("arn:") ? awsManaged.get(ref)! : policyIds.get(`${account}/${ref}`)!);

  // Groups.
  const groupIds = new Map<string, string>();
  for (const g of state.groups) {
    const accountId = accountOf(g.account);
    const id = newUniqueId("AGPA");
    groupIds.set(`${g.account}/${g.name}`, id);
    await tx.iamGroup.create({ data: { id, accountId, name: g.name, nameLower: g.name.toLowerCase(), path: g.path ?? "/", arn: groupArn(accountId, g.path ?? "/", g.name), createdAt: now } });
    await tx.policyAttachment.createMany({ data: g.policies.map((p) => ({ accountId, policyId: policyIdOf(g.account, p), groupId: id })) });
    await tx.inlinePolicy.createMany({ data: Object.entries(g.inlinePolicies).map(([name, doc]) => ({ accountId, name, groupId: id, document: text(doc) })) });
  }

  // Users.
  for (const u of state.users) {
    const accountId = accountOf(u.account);
    const id = newUniqueId("AIDA");
    const arn = userArn(accountId, u.path ?? "/", u.name);
    await tx.iamUser.create({
      data: {
        id,
        accountId,
        name: u.name,
        nameLower: u.name.toLowerCase(),
        path: u.path ?? "/",
        arn,
        createdAt: minutesAgo(Math.max(0, ...u.accessKeys.map((k) => k.ageMinutes)), now),
        ...(u.console ? { loginProfile: { create: { passwordHash: hashes.learnerPasswordHash, passwordResetRequired: u.passwordResetRequired } } } : {}),
      },
    });
    await tx.groupMembership.createMany({ data: u.groups.map((g) => ({ groupId: groupIds.get(`${u.account}/${g}`)!, userId: id })) });
    await tx.policyAttachment.createMany({ data: u.policies.map((p) => ({ accountId, policyId: policyIdOf(u.account, p), userId: id })) });
    await tx.inlinePolicy.createMany({ data: Object.entries(u.inlinePolicies).map(([name, doc]) => ({ accountId, name, userId: id, document: text(doc) })) });
    await tx.tag.createMany({ data: Object.entries(u.tags).map(([key, value]) => ({ accountId, resourceArn: arn, key, keyLower: key.toLowerCase(), value })) });
    // Keys are created oldest first, so "the user's key #i" is the i-th by creation time.
    await tx.accessKey.createMany({
      data: u.accessKeys.map((k, i) => ({
        id: newAccessKeyId("AKIA"),
        accountId,
        userId: id,
        secretCiphertext: encryptSecret(newSecretAccessKey()),
        status: k.status,
        createdAt: new Date(minutesAgo(k.ageMinutes, now).getTime() - (u.accessKeys.length - i)),
        lastUsedAt: k.lastUsed ? minutesAgo(k.lastUsed.minutesAgo, now) : null,
        lastUsedService: k.lastUsed?.service ?? null,
        lastUsedRegion: k.lastUsed?.region ?? null,
      })),
    });
    if (u.mfa) {
      await tx.mfaDevice.create({
        data: { accountId, serialNumber: mfaArn(accountId, "/", u.name), name: u.name, userId: id, seedCiphertext: encryptSecret(newTotpSeed()), enabledAt: now },
      });
    }
  }

  // Roles and their instance profiles.
  for (const r of state.roles) {
    const accountId = accountOf(r.account);
    const id = newUniqueId("AROA");
    await tx.role.create({
      data: {
        id,
        accountId,
        name: r.name,
        nameLower: r.name.toLowerCase(),
        path: r.path ?? "/",
        arn: roleArn(accountId, r.path ?? "/", r.name),
        description: r.description ?? "",
        trustPolicy: text(r.trust),
        maxSessionDuration: r.maxSessionDuration ?? 3600,
        consoleColor: r.color ?? null,
        createdAt: now,
      },
    });
    await tx.policyAttachment.createMany({ data: r.policies.map((p) => ({ accountId, policyId: policyIdOf(r.account, p), roleId: id })) });
    await tx.inlinePolicy.createMany({ data: Object.entries(r.inlinePolicies).map(([name, doc]) => ({ accountId, name, roleId: id, document: text(doc) })) });
    if (r.instanceProfile) {
      const profileId = newUniqueId("AIPA");
      await tx.instanceProfile.create({
        data: { id: profileId, accountId, name: r.instanceProfile, nameLower: r.instanceProfile.toLowerCase(), path: "/", arn: instanceProfileArn(accountId, "/", r.instanceProfile), createdAt: now },
      });
      await tx.instanceProfileRole.create({ data: { instanceProfileId: profileId, roleId: id } });
    }
  }

  // Buckets and objects.
  for (const b of state.buckets) {
    await tx.bucket.create({ data: { name: b.name, organizationId: ids.organizationId, accountId: accountOf(b.account), policy: b.policy ? text(b.policy) : null, createdAt: now } });
    await tx.s3Object.createMany({
      data: Object.entries(b.objects).map(([key, body]) => {
        const bytes = Buffer.from(body);
        return { bucketName: b.name, key, body: bytes, size: bytes.length, etag: `"${crypto.createHash("md5").update(bytes).digest("hex")}"`, contentType: contentType(key), lastModified: now };
      }),
    });
  }

  // Past events of the story, made with the users' lab-given keys.
  for (const e of state.events) {
    const accountId = accountOf(e.account);
    const u = await tx.iamUser.findUniqueOrThrow({
      where: { accountId_nameLower: { accountId, nameLower: e.user.toLowerCase() } },
      select: { id: true, arn: true, name: true, accessKeys: { orderBy: { createdAt: "asc" }, select: { id: true } } },
    });
    await tx.auditEvent.create({
      data: {
        id: crypto.randomUUID(),
        organizationId: ids.organizationId,
        recipientAccountId: accountId,
        eventTime: minutesAgo(e.minutesAgo, now),
        eventSource: e.eventSource,
        eventName: e.eventName,
        readOnly: e.readOnly,
        eventCategory: e.eventSource === "s3.amazonaws.com" && !["ListBuckets", "CreateBucket", "DeleteBucket"].includes(e.eventName) ? "Data" : "Management",
        requestId: crypto.randomUUID(),
        identityType: "IAMUser",
        identityArn: u.arn,
        identityAccountId: accountId,
        identityPrincipalId: u.id,
        identityUserName: u.name,
        identityAccessKeyId: u.accessKeys[e.accessKey]!.id,
        sourceIPAddress: e.sourceIp,
        userAgent: e.userAgent,
        resources: e.resource ? JSON.stringify([{ ARN: e.resource, accountId }]) : null,
        errorCode: e.errorCode ?? null,
        errorMessage: e.errorCode ? "Access Denied" : null,
      },
    });
  }
}
