import "server-only";
// Server certificates: IAM's certificate store (what load balancers used
// before ACM). The certificate, its chain and its private key are checked with
// node:crypto (PEM X.509, a key that matches the certificate); the private key
// is kept encrypted and never returned. 20 per account, names unique ignoring
// case, paths and renames as users have them; tags follow a rename.
import crypto from "node:crypto";
import { z } from "zod";
import type { Tx } from "@/lib/db/client";
import { newUniqueId } from "@/lib/crypto/ids";
import { encryptSecret } from "@/lib/crypto/secrets";
import type { ResourceRef } from "@/lib/iam/authorize";
import { IamError, noSuchEntity } from "@/lib/iam/errors";
import type { OperationSpec } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";
import { requestTagContext } from "@/lib/iam/request-context";
import { awsString, cursor, iamPath, pageSize, pathPrefix, tags as tagsSchema, type Tag } from "@/lib/iam/validation";
import { applyTags, decodeCursor, encodeCursor, limitExceeded, listTags, moveTags, uniquely } from "./common";
import type { TaggedKind } from "./tags";
import { parseCertificate } from "./user-credentials";

export const SERVER_CERTIFICATES_PER_ACCOUNT = 20;
const optional = <S extends z.ZodType>(schema: S) => z.preprocess((x) => (x === "" || x === null ? undefined : x), schema.optional());
const TEXT = /^[\u0009\u000A\u000D\u0020-\u00FF]+$/;
const TEXT_PATTERN = "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+";
const certificateName = (field: string) => awsString(field, { min: 1, max: 128, pattern: /^[\w+=,.@-]+$/, patternText: "[\\w+=,.@-]+" });

export const UploadServerCertificateInput = z.object({
  path: optional(iamPath()),
  serverCertificateName: certificateName("serverCertificateName"),
  certificateBody: awsString("certificateBody", { min: 1, max: 16384, pattern: TEXT, patternText: TEXT_PATTERN }),
  privateKey: awsString("privateKey", { min: 1, max: 16384, pattern: TEXT, patternText: TEXT_PATTERN, secret: true }),
  certificateChain: optional(awsString("certificateChain", { min: 1, max: 2_097_152, pattern: TEXT, patternText: TEXT_PATTERN })),
  tags: optional(tagsSchema),
});
export const ServerCertificateNameInput = z.object({ serverCertificateName: certificateName("serverCertificateName") });
export const ListServerCertificatesInput = z.object({ pathPrefix: optional(pathPrefix), marker: optional(cursor), maxItems: optional(pageSize) });
export const UpdateServerCertificateInput = z.object({
  serverCertificateName: certificateName("serverCertificateName"),
  newPath: optional(iamPath("newPath")),
  newServerCertificateName: optional(certificateName("newServerCertificateName")),
});
type NameInput = z.output<typeof ServerCertificateNameInput>;

export const serverCertificateArn = (accountId: string, path: string, name: string) => `arn:aws:iam::${accountId}:server-certificate${path}${name}`;
const noSuchCertificate = (name: string) => noSuchEntity(`The Server Certificate with name ${name} cannot be found.`);
const nameTaken = (name: string) => new IamError("EntityAlreadyExists", `The Server Certificate with name ${name} already exists.`);

const find = (tx: Tx, accountId: string, name: string) => tx.serverCertificate.findUnique({ where: { accountId_nameLower: { accountId, nameLower: name.toLowerCase() } } });
async function requireCertificate(tx: Tx, accountId: string, name: string) {
  const row = await find(tx, accountId, name);
  if (!row) throw noSuchCertificate(name);
  return row;
}
const certificateRef = (principal: Principal, name: string) => async (tx: Tx): Promise<ResourceRef> => ({
  arn: (await find(tx, principal.accountId, name))?.arn ?? serverCertificateArn(principal.accountId, "/", name),
});

type Row = NonNullable<Awaited<ReturnType<typeof find>>>;
export interface ServerCertificateMetadata {
  path: string;
  serverCertificateName: string;
  serverCertificateId: string;
  arn: string;
  uploadDate: Date;
  expiration: Date;
}
const metadata = (r: Row): ServerCertificateMetadata => ({ path: r.path, serverCertificateName: r.name, serverCertificateId: r.id, arn: r.arn, uploadDate: r.uploadedAt, expiration: r.expiration });

/** Each PEM certificate of a chain, parsed. */
function parseChain(chain: string): void {
  const blocks = chain.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (!blocks) throw new IamError("MalformedCertificate", "Unable to parse certificate chain. Please ensure the chain is PEM-encoded certificates.");
  for (const b of blocks) parseCertificate(b);
}

export function uploadServerCertificate(principal: Principal, input: z.output<typeof UploadServerCertificateInput>): OperationSpec<{ serverCertificateMetadata: ServerCertificateMetadata; tags: Tag[] }> {
  const path = input.path ?? "/";
  const arn = serverCertificateArn(principal.accountId, path, input.serverCertificateName);
  return {
    service: "iam",
    name: "UploadServerCertificate",
    readOnly: false,
    resource: { arn },
    context: requestTagContext(input.tags),
    parameters: { path: input.path, serverCertificateName: input.serverCertificateName, tags: input.tags },
    async run({ tx }) {
      const cert = parseCertificate(input.certificateBody);
      let key: crypto.KeyObject;
      try {
        key = crypto.createPrivateKey(input.privateKey);
      } catch {
        throw new IamError("MalformedCertificate", "Unable to parse private key. Please ensure the private key is in PEM format.");
      }
      if (!cert.checkPrivateKey(key)) throw new IamError("KeyPairMismatch", "The private key does not match the certificate.");
      if (input.certificateChain) parseChain(input.certificateChain);
      if ((await tx.serverCertificate.count({ where: { accountId: principal.accountId } })) >= SERVER_CERTIFICATES_PER_ACCOUNT) {
        throw limitExceeded("ServerCertificatesPerAccount", SERVER_CERTIFICATES_PER_ACCOUNT);
      }
      const row = await uniquely(
        tx.serverCertificate.create({
          data: {
            id: newUniqueId("ASCA"),
            accountId: principal.accountId,
            name: input.serverCertificateName,
            nameLower: input.serverCertificateName.toLowerCase(),
            path,
            arn,
            body: input.certificateBody.trim(),
            chain: input.certificateChain?.trim() ?? null,
            privateKeyCiphertext: encryptSecret(input.privateKey),
            expiration: new Date(cert.validTo),
          },
        }),
        () => nameTaken(input.serverCertificateName),
      );
      await applyTags(tx, principal.accountId, arn, input.tags ?? [], "TagsPerServerCertificate");
      return { serverCertificateMetadata: metadata(row), tags: input.tags ?? [] };
    },
  };
}

export function getServerCertificate(principal: Principal, input: NameInput): OperationSpec<{ serverCertificate: Record<string, unknown> }> {
  return {
    service: "iam",
    name: "GetServerCertificate",
    readOnly: true,
    resource: certificateRef(principal, input.serverCertificateName),
    parameters: input,
    async run({ tx }) {
      const row = await requireCertificate(tx, principal.accountId, input.serverCertificateName);
      return {
        serverCertificate: { serverCertificateMetadata: metadata(row), certificateBody: row.body, ...(row.chain ? { certificateChain: row.chain } : {}), tags: await listTags(tx, row.arn) },
      };
    },
    response: () => null,
  };
}

const isCursor = (v: unknown): v is { n: string } => typeof v === "object" && v !== null && typeof (v as { n?: unknown }).n === "string";

export function listServerCertificates(principal: Principal, input: z.output<typeof ListServerCertificatesInput>): OperationSpec<{ serverCertificateMetadataList: ServerCertificateMetadata[]; isTruncated: boolean; marker?: string }> {
  return {
    service: "iam",
    name: "ListServerCertificates",
    readOnly: true,
    resource: { arn: "*" },
    parameters: input,
    async run({ tx }) {
      const max = input.maxItems ?? 100;
      const after = decodeCursor(input.marker, isCursor);
      const rows = await tx.serverCertificate.findMany({
        where: { accountId: principal.accountId, ...(input.pathPrefix ? { path: { startsWith: input.pathPrefix } } : {}), ...(after ? { nameLower: { gt: after.n } } : {}) },
        orderBy: { nameLower: "asc" },
        take: max + 1,
      });
      const page = rows.slice(0, max);
      const truncated = rows.length > max;
      return {
        serverCertificateMetadataList: page.map(metadata),
        isTruncated: truncated,
        ...(truncated ? { marker: encodeCursor({ n: page[page.length - 1]!.nameLower }) } : {}),
      };
    },
    response: (d) => ({ serverCertificates: d.serverCertificateMetadataList.length }),
  };
}

export function updateServerCertificate(principal: Principal, input: z.output<typeof UpdateServerCertificateInput>): OperationSpec<void> {
  return {
    service: "iam",
    name: "UpdateServerCertificate",
    readOnly: false,
    resource: certificateRef(principal, input.serverCertificateName),
    parameters: input,
    async run({ tx, authorize }) {
      const row = await requireCertificate(tx, principal.accountId, input.serverCertificateName);
      const name = input.newServerCertificateName ?? row.name;
      const path = input.newPath ?? row.path;
      const arn = serverCertificateArn(principal.accountId, path, name);
      // As with users, renaming needs the permission on the new name too.
      if (arn !== row.arn) await authorize("iam:UpdateServerCertificate", { arn });
      await uniquely(tx.serverCertificate.update({ where: { id: row.id }, data: { name, nameLower: name.toLowerCase(), path, arn } }), () => nameTaken(name));
      await moveTags(tx, row.arn, arn);
    },
  };
}

export function deleteServerCertificate(principal: Principal, input: NameInput): OperationSpec<void> {
  return {
    service: "iam",
    name: "DeleteServerCertificate",
    readOnly: false,
    resource: certificateRef(principal, input.serverCertificateName),
    parameters: input,
    async run({ tx }) {
      const row = await requireCertificate(tx, principal.accountId, input.serverCertificateName);
      await tx.serverCertificate.delete({ where: { id: row.id } });
      await tx.tag.deleteMany({ where: { resourceArn: row.arn } });
    },
  };
}

export const SERVER_CERTIFICATE: TaggedKind<NameInput> = {
  noun: "ServerCertificate",
  quota: "TagsPerServerCertificate",
  resource: (principal, input) => certificateRef(principal, input.serverCertificateName),
  async find(tx, principal, input) {
    const row = await requireCertificate(tx, principal.accountId, input.serverCertificateName);
    return { arn: row.arn, lock: () => tx.serverCertificate.update({ where: { id: row.id }, data: { path: row.path } }) };
  },
};
