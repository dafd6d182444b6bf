import "server-only";
// A user's other credentials, as stored entities with AWS's rules and errors:
// SSH public keys (CodeCommit: RSA of at least 2048 bits, ssh-rsa or PEM, 5
// per user, MD5 fingerprint), X.509 signing certificates (PEM parsed by
// node:crypto, 2 per user; the root user's when no user is named) and
// service-specific credentials (CodeCommit, Keyspaces, Bedrock: 2 per user
// and service; the password is shown once, at creation or reset, and kept
// only as a hash).
import crypto from "node:crypto";
import { z } from "zod";
import type { Tx } from "@/lib/db/client";
import { newUniqueId } from "@/lib/crypto/ids";
import { hashPassword } from "@/lib/crypto/passwords";
import { IamError, noSuchEntity } from "@/lib/iam/errors";
import type { OperationSpec } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";
import { awsString, cursor, pageSize, userName, validationMessage } from "@/lib/iam/validation";
import { limitExceeded, requireUser, resolveOwner, selfOrNamed, selfResource, userResource } from "./common";

const optional = <S extends z.ZodType>(schema: S) => z.preprocess((x) => (x === "" || x === null ? undefined : x), schema.optional());
const TEXT = /^[\u0009\u000A\u000D\u0020-\u00FF]+$/;
const TEXT_PATTERN = "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+";
const status = (field: string) =>
  z.enum(["Active", "Inactive", "Expired"], { error: (i) => validationMessage(field, String(i.input), "Member must satisfy enum value set: [Active, Inactive, Expired]") });
const paging = { marker: optional(cursor), maxItems: optional(pageSize) };

// ---------------------------------------------------------------------------
// Paging over a user's few credentials (quotas keep them to a handful)

interface Page<T> {
  items: T[];
  isTruncated: boolean;
  marker?: string;
}

function pageOf<T>(rows: T[], idOf: (row: T) => string, marker: string | undefined, maxItems = 100): Page<T> {
  let start = 0;
  if (marker) {
    const at = rows.findIndex((r) => idOf(r) === marker);
    if (at < 0) throw new IamError("InvalidInput", "The marker is not valid. Start again from the first page.");
    start = at + 1;
  }
  const items = rows.slice(start, start + maxItems);
  const isTruncated = start + maxItems < rows.length;
  return { items, isTruncated, ...(isTruncated ? { marker: idOf(items[items.length - 1]!) } : {}) };
}

/** Only Active and Inactive can be set: Expired is what time does to a credential. */
function settableStatus(value: "Active" | "Inactive" | "Expired"): "Active" | "Inactive" {
  if (value === "Expired") throw new IamError("ValidationError", validationMessage("status", value, "Member must satisfy enum value set: [Active, Inactive]"));
  return value;
}

/** A signing certificate's ID: 32 upper-case letters and digits, as AWS's. */
const newCertificateId = () => {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  return Array.from(crypto.randomBytes(32), (b) => alphabet[b % alphabet.length]).join("");
};

// ---------------------------------------------------------------------------
// SSH public keys

export const SSH_KEYS_PER_USER = 5;
const sshKeyBody = awsString("sSHPublicKeyBody", { min: 1, max: 16384, pattern: TEXT, patternText: TEXT_PATTERN });
const sshKeyId = awsString("sSHPublicKeyId", { min: 20, max: 128, pattern: /^\w+$/, patternText: "[\\w]+" });

export const UploadSshPublicKeyInput = z.object({ userName, sSHPublicKeyBody: sshKeyBody });
export const GetSshPublicKeyInput = z.object({
  userName,
  sSHPublicKeyId: sshKeyId,
  encoding: z.enum(["SSH", "PEM"], { error: (i) => validationMessage("encoding", String(i.input), "Member must satisfy enum value set: [SSH, PEM]") }),
});
export const ListSshPublicKeysInput = z.object({ userName: optional(userName), ...paging });
export const UpdateSshPublicKeyInput = z.object({ userName, sSHPublicKeyId: sshKeyId, status: status("status") });
export const SshPublicKeyIdInput = z.object({ userName, sSHPublicKeyId: sshKeyId });

const invalidKey = () => new IamError("InvalidPublicKey", "The public key is not valid: use an RSA key of at least 2048 bits, in ssh-rsa or PEM format.");

/** SSH's wire encoding of an RSA public key (RFC 4253 "ssh-rsa"). */
function sshRsaBlob(e: Buffer, n: Buffer): Buffer {
  const mpint = (b: Buffer) => {
    let v = b;
    while (v.length > 1 && v[0] === 0) v = v.subarray(1);
    if (v[0]! & 0x80) v = Buffer.concat([Buffer.from([0]), v]);
    return v;
  };
  const str = (b: Buffer) => Buffer.concat([Buffer.from([b.length >>> 24, (b.length >>> 16) & 255, (b.length >>> 8) & 255, b.length & 255]), b]);
  return Buffer.concat([str(Buffer.from("ssh-rsa")), str(mpint(e)), str(mpint(n))]);
}

interface ParsedSshKey {
  key: crypto.KeyObject;
  blob: Buffer;
}

/** An RSA public key of at least 2048 bits in ssh-rsa or PEM form; anything else is InvalidPublicKey. */
export function parseSshPublicKey(body: string): ParsedSshKey {
  const text = body.trim();
  let key: crypto.KeyObject;
  if (text.startsWith("ssh-rsa ")) {
    const blob = Buffer.from(text.split(/\s+/)[1] ?? "", "base64");
    let at = 0;
    const read = () => {
      if (at + 4 > blob.length) throw invalidKey();
      const len = blob.readUInt32BE(at);
      if (at + 4 + len > blob.length) throw invalidKey();
      const part = blob.subarray(at + 4, at + 4 + len);
      at += 4 + len;
      return part;
    };
    if (read().toString() !== "ssh-rsa") throw invalidKey();
    const e = read();
    const n = read();
    if (at !== blob.length) throw invalidKey();
    try {
      key = crypto.createPublicKey({ key: { kty: "RSA", e: e.toString("base64url"), n: n.toString("base64url") }, format: "jwk" });
    } catch {
      throw invalidKey();
    }
  } else if (text.startsWith("-----BEGIN")) {
    try {
      key = crypto.createPublicKey(text);
    } catch {
      throw invalidKey();
    }
  } else {
    throw new IamError("UnrecognizedPublicKeyEncoding", "The public key encoding is not recognized: use ssh-rsa or PEM.");
  }
  if (key.asymmetricKeyType !== "rsa" || (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw invalidKey();
  const jwk = key.export({ format: "jwk" }) as { e: string; n: string };
  return { key, blob: sshRsaBlob(Buffer.from(jwk.e, "base64url"), Buffer.from(jwk.n, "base64url")) };
}

const fingerprintOf = (blob: Buffer) => crypto.createHash("md5").update(blob).digest("hex").match(/../g)!.join(":");

function encodeSshKey(stored: string, encoding: "SSH" | "PEM"): string {
  const parsed = parseSshPublicKey(stored);
  return encoding === "SSH" ? `ssh-rsa ${parsed.blob.toString("base64")}` : (parsed.key.export({ type: "pkcs1", format: "pem" }) as string);
}

const noSuchSshKey = (id: string) => noSuchEntity(`The Public Key with id ${id} cannot be found.`);

async function requireSshKey(tx: Tx, principal: Principal, user: string, id: string) {
  const owner = await requireUser(tx, principal.accountId, user);
  const key = await tx.sshPublicKey.findFirst({ where: { id, userId: owner.id } });
  if (!key) throw noSuchSshKey(id);
  return { key, owner };
}

export interface SshPublicKeyView {
  userName: string;
  sSHPublicKeyId: string;
  fingerprint: string;
  sSHPublicKeyBody: string;
  status: string;
  uploadDate: Date;
}

export function uploadSshPublicKey(principal: Principal, input: z.output<typeof UploadSshPublicKeyInput>): OperationSpec<{ sSHPublicKey: SshPublicKeyView }> {
  return {
    service: "iam",
    name: "UploadSSHPublicKey",
    readOnly: false,
    resource: userResource(principal, input.userName),
    parameters: input,
    async run({ tx }) {
      const owner = await requireUser(tx, principal.accountId, input.userName);
      const parsed = parseSshPublicKey(input.sSHPublicKeyBody);
      const fingerprint = fingerprintOf(parsed.blob);
      await tx.iamUser.update({ where: { id: owner.id }, data: { updatedAt: new Date() } });
      const existing = await tx.sshPublicKey.findMany({ where: { userId: owner.id }, select: { fingerprint: true } });
      if (existing.some((k) => k.fingerprint === fingerprint)) throw new IamError("DuplicateSSHPublicKey", "The SSH public key specified is already uploaded for this user.");
      if (existing.length >= SSH_KEYS_PER_USER) throw limitExceeded("SSHPublicKeysPerUser", SSH_KEYS_PER_USER);
      const row = await tx.sshPublicKey.create({
        data: { id: newUniqueId("APKA"), accountId: principal.accountId, userId: owner.id, body: input.sSHPublicKeyBody.trim(), fingerprint },
      });
      return { sSHPublicKey: { userName: owner.name, sSHPublicKeyId: row.id, fingerprint, sSHPublicKeyBody: row.body, status: row.status, uploadDate: row.uploadedAt } };
    },
    response: (d) => ({ sSHPublicKey: { ...d.sSHPublicKey, sSHPublicKeyBody: undefined } }),
  };
}

export function getSshPublicKey(principal: Principal, input: z.output<typeof GetSshPublicKeyInput>): OperationSpec<{ sSHPublicKey: SshPublicKeyView }> {
  return {
    service: "iam",
    name: "GetSSHPublicKey",
    readOnly: true,
    resource: userResource(principal, input.userName),
    parameters: input,
    async run({ tx }) {
      const { key, owner } = await requireSshKey(tx, principal, input.userName, input.sSHPublicKeyId);
      return {
        sSHPublicKey: { userName: owner.name, sSHPublicKeyId: key.id, fingerprint: key.fingerprint, sSHPublicKeyBody: encodeSshKey(key.body, input.encoding), status: key.status, uploadDate: key.uploadedAt },
      };
    },
    response: () => null,
  };
}

export function listSshPublicKeys(principal: Principal, input: z.output<typeof ListSshPublicKeysInput>) {
  const target = selfOrNamed(principal, input.userName);
  return {
    service: "iam",
    name: "ListSSHPublicKeys",
    readOnly: true,
    resource: selfResource(principal, target),
    parameters: input,
    async run({ tx }) {
      if (target.kind === "root") return { sSHPublicKeys: [], isTruncated: false };
      const owner = await requireUser(tx, principal.accountId, target.userName);
      const rows = await tx.sshPublicKey.findMany({ where: { userId: owner.id }, orderBy: [{ uploadedAt: "asc" }, { id: "asc" }] });
      const page = pageOf(rows, (r) => r.id, input.marker, input.maxItems);
      return {
        sSHPublicKeys: page.items.map((k) => ({ userName: owner.name, sSHPublicKeyId: k.id, status: k.status, uploadDate: k.uploadedAt })),
        isTruncated: page.isTruncated,
        ...(page.marker ? { marker: page.marker } : {}),
      };
    },
  } satisfies OperationSpec<unknown>;
}

export function updateSshPublicKey(principal: Principal, input: z.output<typeof UpdateSshPublicKeyInput>): OperationSpec<void> {
  return {
    service: "iam",
    name: "UpdateSSHPublicKey",
    readOnly: false,
    resource: userResource(principal, input.userName),
    parameters: input,
    async run({ tx }) {
      const { key } = await requireSshKey(tx, principal, input.userName, input.sSHPublicKeyId);
      await tx.sshPublicKey.update({ where: { id: key.id }, data: { status: settableStatus(input.status) } });
    },
  };
}

export function deleteSshPublicKey(principal: Principal, input: z.output<typeof SshPublicKeyIdInput>): OperationSpec<void> {
  return {
    service: "iam",
    name: "DeleteSSHPublicKey",
    readOnly: false,
    resource: userResource(principal, input.userName),
    parameters: input,
    async run({ tx }) {
      const { key } = await requireSshKey(tx, principal, input.userName, input.sSHPublicKeyId);
      await tx.sshPublicKey.delete({ where: { id: key.id } });
    },
  };
}

// ---------------------------------------------------------------------------
// Signing certificates

export const SIGNING_CERTIFICATES_PER_USER = 2;
const existingUserName = awsString("userName", { min: 1, max: 128, pattern: /^[\w+=,.@-]+$/, patternText: "[\\w+=,.@-]+" });
const certificateBody = awsString("certificateBody", { min: 1, max: 16384, pattern: TEXT, patternText: TEXT_PATTERN });
const certificateId = awsString("certificateId", { min: 24, max: 128, pattern: /^\w+$/, patternText: "[\\w]+" });

export const UploadSigningCertificateInput = z.object({ userName: optional(existingUserName), certificateBody });
export const ListSigningCertificatesInput = z.object({ userName: optional(existingUserName), ...paging });
export const UpdateSigningCertificateInput = z.object({ userName: optional(existingUserName), certificateId, status: status("status") });
export const SigningCertificateIdInput = z.object({ userName: optional(existingUserName), certificateId });

/** A PEM X.509 certificate, parsed by node:crypto; anything else is AWS's MalformedCertificate. */
export function parseCertificate(pem: string): crypto.X509Certificate {
  const text = pem.trim();
  if (!/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/.test(text)) {
    throw new IamError("MalformedCertificate", "Unable to parse certificate. Please ensure the certificate is in PEM format.");
  }
  try {
    return new crypto.X509Certificate(text);
  } catch {
    throw new IamError("MalformedCertificate", "Unable to parse certificate. Please ensure the certificate is in PEM format.");
  }
}

export interface SigningCertificateView {
  userName: string;
  certificateId: string;
  certificateBody: string;
  status: string;
  uploadDate: Date;
}

/** The root user's certificates are listed under the account's ID, as AWS names no user. */
const ownerName = (principal: Principal, who: { userName?: string }) => who.userName ?? principal.accountId;

const noSuchCertificate = (id: string) => noSuchEntity(`The Certificate with id ${id} cannot be found.`);

export function uploadSigningCertificate(principal: Principal, input: z.output<typeof UploadSigningCertificateInput>): OperationSpec<{ certificate: SigningCertificateView }> {
  const target = selfOrNamed(principal, input.userName);
  return {
    service: "iam",
    name: "UploadSigningCertificate",
    readOnly: false,
    resource: selfResource(principal, target),
    parameters: { userName: input.userName },
    async run({ tx }) {
      const who = await resolveOwner(tx, principal, target, true);
      const cert = parseCertificate(input.certificateBody);
      if (new Date(cert.validTo).getTime() < Date.now()) throw new IamError("InvalidCertificate", "The certificate has expired.");
      const existing = await tx.signingCertificate.findMany({ where: { accountId: principal.accountId, userId: who.userId }, select: { body: true } });
      if (existing.some((c) => parseCertificate(c.body).fingerprint256 === cert.fingerprint256)) throw new IamError("DuplicateCertificate", "The certificate is already uploaded for this user.");
      if (existing.length >= SIGNING_CERTIFICATES_PER_USER) throw limitExceeded("SigningCertificatesPerUser", SIGNING_CERTIFICATES_PER_USER);
      const row = await tx.signingCertificate.create({ data: { id: newCertificateId(), accountId: principal.accountId, userId: who.userId, body: input.certificateBody.trim() } });
      return { certificate: { userName: ownerName(principal, who), certificateId: row.id, certificateBody: row.body, status: row.status, uploadDate: row.uploadedAt } };
    },
    response: (d) => ({ certificate: { ...d.certificate, certificateBody: undefined } }),
  };
}

export function listSigningCertificates(principal: Principal, input: z.output<typeof ListSigningCertificatesInput>): OperationSpec<{ certificates: SigningCertificateView[]; isTruncated: boolean; marker?: string }> {
  const target = selfOrNamed(principal, input.userName);
  return {
    service: "iam",
    name: "ListSigningCertificates",
    readOnly: true,
    resource: selfResource(principal, target),
    parameters: input,
    async run({ tx }) {
      const who = await resolveOwner(tx, principal, target, false);
      const rows = await tx.signingCertificate.findMany({ where: { accountId: principal.accountId, userId: who.userId }, orderBy: [{ uploadedAt: "asc" }, { id: "asc" }] });
      const page = pageOf(rows, (r) => r.id, input.marker, input.maxItems);
      return {
        certificates: page.items.map((c) => ({ userName: ownerName(principal, who), certificateId: c.id, certificateBody: c.body, status: c.status, uploadDate: c.uploadedAt })),
        isTruncated: page.isTruncated,
        ...(page.marker ? { marker: page.marker } : {}),
      };
    },
    response: (d) => ({ certificates: d.certificates.length }),
  };
}

async function requireCertificate(tx: Tx, principal: Principal, target: ReturnType<typeof selfOrNamed>, id: string) {
  const who = await resolveOwner(tx, principal, target, false);
  const cert = await tx.signingCertificate.findFirst({ where: { id, accountId: principal.accountId, userId: who.userId } });
  if (!cert) throw noSuchCertificate(id);
  return cert;
}

export function updateSigningCertificate(principal: Principal, input: z.output<typeof UpdateSigningCertificateInput>): OperationSpec<void> {
  const target = selfOrNamed(principal, input.userName);
  return {
    service: "iam",
    name: "UpdateSigningCertificate",
    readOnly: false,
    resource: selfResource(principal, target),
    parameters: input,
    async run({ tx }) {
      const cert = await requireCertificate(tx, principal, target, input.certificateId);
      await tx.signingCertificate.update({ where: { id: cert.id }, data: { status: settableStatus(input.status) } });
    },
  };
}

export function deleteSigningCertificate(principal: Principal, input: z.output<typeof SigningCertificateIdInput>): OperationSpec<void> {
  const target = selfOrNamed(principal, input.userName);
  return {
    service: "iam",
    name: "DeleteSigningCertificate",
    readOnly: false,
    resource: selfResource(principal, target),
    parameters: input,
    async run({ tx }) {
      const cert = await requireCertificate(tx, principal, target, input.certificateId);
      await tx.signingCertificate.delete({ where: { id: cert.id } });
    },
  };
}

// ---------------------------------------------------------------------------
// Service-specific credentials

export const SERVICE_CREDENTIALS_PER_SERVICE = 2;
/** The services AWS issues service-specific credentials for. */
export const CREDENTIAL_SERVICES = ["codecommit.amazonaws.com", "cassandra.amazonaws.com", "bedrock.amazonaws.com"] as const;
const serviceCredentialId = awsString("serviceSpecificCredentialId", { min: 20, max: 128, pattern: /^\w+$/, patternText: "[\\w]+" });
const credentialAgeDays = z.coerce
  .number()
  .int()
  .min(1, { error: (i) => validationMessage("credentialAgeDays", String(i.input), "Member must have value greater than or equal to 1") })
  .max(36600, { error: (i) => validationMessage("credentialAgeDays", String(i.input), "Member must have value less than or equal to 36600") });

export const CreateServiceSpecificCredentialInput = z.object({ userName, serviceName: z.string(), credentialAgeDays: optional(credentialAgeDays) });
export const ListServiceSpecificCredentialsInput = z.object({ userName: optional(userName), serviceName: optional(z.string()), allUsers: optional(z.coerce.boolean()), ...paging });
export const ServiceSpecificCredentialIdInput = z.object({ userName: optional(userName), serviceSpecificCredentialId: serviceCredentialId });
export const UpdateServiceSpecificCredentialInput = ServiceSpecificCredentialIdInput.extend({ status: status("status") });

export interface ServiceCredentialView {
  createDate: Date;
  expirationDate?: Date;
  serviceName: string;
  serviceUserName: string;
  servicePassword?: string;
  serviceSpecificCredentialId: string;
  userName: string;
  status: string;
}

const newServicePassword = () => crypto.randomBytes(33).toString("base64");
const withoutPassword = ({ servicePassword: _p, ...rest }: ServiceCredentialView) => rest;

function checkService(serviceName: string): void {
  if (!(CREDENTIAL_SERVICES as readonly string[]).includes(serviceName)) {
    throw new IamError("NotSupportedService", `The specified service ${serviceName} is not supported for service-specific credentials (${CREDENTIAL_SERVICES.join(", ")}).`);
  }
}

export function createServiceSpecificCredential(principal: Principal, input: z.output<typeof CreateServiceSpecificCredentialInput>): OperationSpec<{ serviceSpecificCredential: ServiceCredentialView }> {
  return {
    service: "iam",
    name: "CreateServiceSpecificCredential",
    readOnly: false,
    resource: userResource(principal, input.userName),
    context: {
      "iam:ServiceSpecificCredentialServiceName": input.serviceName,
      ...(input.credentialAgeDays !== undefined ? { "iam:ServiceSpecificCredentialAgeDays": String(input.credentialAgeDays) } : {}),
    },
    parameters: input,
    async run({ tx }) {
      const owner = await requireUser(tx, principal.accountId, input.userName);
      checkService(input.serviceName);
      if (input.credentialAgeDays !== undefined && input.serviceName !== "bedrock.amazonaws.com") {
        throw new IamError("InvalidInput", "CredentialAgeDays applies only to bedrock.amazonaws.com credentials.");
      }
      await tx.iamUser.update({ where: { id: owner.id }, data: { updatedAt: new Date() } });
      const count = await tx.serviceSpecificCredential.count({ where: { userId: owner.id, serviceName: input.serviceName } });
      if (count >= SERVICE_CREDENTIALS_PER_SERVICE) throw limitExceeded("ServiceSpecificCredentialsPerUserPerService", SERVICE_CREDENTIALS_PER_SERVICE);
      const password = newServicePassword();
      const createdAt = new Date();
      const row = await tx.serviceSpecificCredential.create({
        data: {
          id: newUniqueId("ACCA"),
          accountId: principal.accountId,
          userId: owner.id,
          serviceName: input.serviceName,
          serviceUserName: `${owner.name}-at-${principal.accountId}`,
          passwordHash: await hashPassword(password),
          createdAt,
          expiresAt: input.credentialAgeDays ? new Date(createdAt.getTime() + input.credentialAgeDays * 86_400_000) : null,
        },
      });
      return { serviceSpecificCredential: { ...credentialView(row, owner.name), servicePassword: password } };
    },
    response: (d) => ({ serviceSpecificCredential: withoutPassword(d.serviceSpecificCredential) }),
  };
}

type CredentialRow = { id: string; serviceName: string; serviceUserName: string; status: string; createdAt: Date; expiresAt: Date | null };
function credentialView(row: CredentialRow, user: string): ServiceCredentialView {
  const expired = row.expiresAt && row.expiresAt.getTime() <= Date.now();
  return {
    createDate: row.createdAt,
    ...(row.expiresAt ? { expirationDate: row.expiresAt } : {}),
    serviceName: row.serviceName,
    serviceUserName: row.serviceUserName,
    serviceSpecificCredentialId: row.id,
    userName: user,
    status: expired ? "Expired" : row.status,
  };
}

export function listServiceSpecificCredentials(principal: Principal, input: z.output<typeof ListServiceSpecificCredentialsInput>) {
  const target = input.allUsers ? null : selfOrNamed(principal, input.userName);
  return {
    service: "iam",
    name: "ListServiceSpecificCredentials",
    readOnly: true,
    resource: target ? selfResource(principal, target) : { arn: `arn:aws:iam::${principal.accountId}:user/*` },
    parameters: input,
    async run({ tx }) {
      if (target?.kind === "root") return { serviceSpecificCredentials: [], isTruncated: false };
      const owner = target ? await requireUser(tx, principal.accountId, target.userName) : null;
      const rows = await tx.serviceSpecificCredential.findMany({
        where: { accountId: principal.accountId, ...(owner ? { userId: owner.id } : {}), ...(input.serviceName ? { serviceName: input.serviceName } : {}) },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        include: { user: { select: { name: true } } },
      });
      const page = pageOf(rows, (r) => r.id, input.marker, input.maxItems);
      return {
        serviceSpecificCredentials: page.items.map((r) => withoutPassword(credentialView(r, r.user.name))),
        isTruncated: page.isTruncated,
        ...(page.marker ? { marker: page.marker } : {}),
      };
    },
  } satisfies OperationSpec<unknown>;
}

/**
 * The gate's resource (the owner) and context (the credential's service, as
 * iam:ServiceSpecificCredentialServiceName) for an existing credential: the
 * context object is filled when the resource is looked up, before the gate.
 */
function credentialGate(principal: Principal, input: z.output<typeof ServiceSpecificCredentialIdInput>) {
  const target = selfOrNamed(principal, input.userName);
  const context: Record<string, string> = {};
  const resource = async (tx: Tx) => {
    const ref = await selfResource(principal, target)(tx);
    const row = await tx.serviceSpecificCredential.findFirst({ where: { id: input.serviceSpecificCredentialId, accountId: principal.accountId }, select: { serviceName: true } });
    if (row) context["iam:ServiceSpecificCredentialServiceName"] = row.serviceName;
    return ref;
  };
  return { resource, context };
}

async function requireServiceCredential(tx: Tx, principal: Principal, input: z.output<typeof ServiceSpecificCredentialIdInput>) {
  const target = selfOrNamed(principal, input.userName);
  const noSuch = () => noSuchEntity(`No such credential ${input.serviceSpecificCredentialId} exists`);
  if (target.kind === "root") throw noSuch();
  const owner = await requireUser(tx, principal.accountId, target.userName);
  const row = await tx.serviceSpecificCredential.findFirst({ where: { id: input.serviceSpecificCredentialId, userId: owner.id } });
  if (!row) throw noSuch();
  return { row, owner };
}

export function resetServiceSpecificCredential(principal: Principal, input: z.output<typeof ServiceSpecificCredentialIdInput>): OperationSpec<{ serviceSpecificCredential: ServiceCredentialView }> {
  return {
    service: "iam",
    name: "ResetServiceSpecificCredential",
    readOnly: false,
    ...credentialGate(principal, input),
    parameters: input,
    async run({ tx }) {
      const { row, owner } = await requireServiceCredential(tx, principal, input);
      const password = newServicePassword();
      await tx.serviceSpecificCredential.update({ where: { id: row.id }, data: { passwordHash: await hashPassword(password) } });
      return { serviceSpecificCredential: { ...credentialView(row, owner.name), servicePassword: password } };
    },
    response: (d) => ({ serviceSpecificCredential: withoutPassword(d.serviceSpecificCredential) }),
  };
}

export function updateServiceSpecificCredential(principal: Principal, input: z.output<typeof UpdateServiceSpecificCredentialInput>): OperationSpec<void> {
  return {
    service: "iam",
    name: "UpdateServiceSpecificCredential",
    readOnly: false,
    ...credentialGate(principal, input),
    parameters: input,
    async run({ tx }) {
      const { row } = await requireServiceCredential(tx, principal, input);
      await tx.serviceSpecificCredential.update({ where: { id: row.id }, data: { status: settableStatus(input.status) } });
    },
  };
}

export function deleteServiceSpecificCredential(principal: Principal, input: z.output<typeof ServiceSpecificCredentialIdInput>): OperationSpec<void> {
  return {
    service: "iam",
    name: "DeleteServiceSpecificCredential",
    readOnly: false,
    ...credentialGate(principal, input),
    parameters: input,
    async run({ tx }) {
      const { row } = await requireServiceCredential(tx, principal, input);
      await tx.serviceSpecificCredential.delete({ where: { id: row.id } });
    },
  };
}
