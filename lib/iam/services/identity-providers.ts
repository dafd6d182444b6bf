import "server-only";
// Identity providers an account trusts for federation: OpenID Connect
// providers (AssumeRoleWithWebIdentity) and SAML 2.0 providers
// (AssumeRoleWithSAML). Stored entities with AWS's ARNs, quotas, errors and
// tags (Tag rows by ARN). A SAML metadata document must be SAML metadata: an
// EntityDescriptor with an entityID and at least one signing certificate that
// node:crypto parses; its validUntil is the provider's ValidUntil.
import crypto from "node:crypto";
import { z } from "zod";
import type { Tx } from "@/lib/db/client";
import { encryptSecret } from "@/lib/crypto/secrets";
import { IamError, noSuchEntity } from "@/lib/iam/errors";
import type { OperationSpec } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";
import { requestTagContext } from "@/lib/iam/request-context";
import { awsString, listOf, tags as tagsSchema, type Tag, validationMessage } from "@/lib/iam/validation";
import { applyTags, limitExceeded, listTags, removeTags, uniquely } from "./common";
import type { TaggedKind } from "./tags";

const PROVIDERS_PER_ACCOUNT = 100;
const CLIENT_IDS_PER_PROVIDER = 100;
const THUMBPRINTS_PER_PROVIDER = 5;

// ---------------------------------------------------------------------------
// Input schemas (AWS's shapes: arnType, clientIDType, thumbprintType, ...)

const optional = <S extends z.ZodType>(schema: S) => z.preprocess((x) => (x === "" || x === null ? undefined : x), schema.optional());
export const providerArn = (field: string) => awsString(field, { min: 20, max: 2048 });
const clientId = awsString("clientID", { min: 1, max: 255 });
const thumbprint = awsString("thumbprintList.member", { min: 40, max: 40 });
const oidcUrl = awsString("url", { min: 1, max: 255 });
const samlName = awsString("name", { min: 1, max: 128, pattern: /^[\w._-]+$/, patternText: "[\\w._-]+" });
const samlMetadata = awsString("sAMLMetadataDocument", { min: 1000, max: 10_000_000 });
const encryptionMode = z.enum(["Required", "Allowed"], { error: (i) => validationMessage("assertionEncryptionMode", String(i.input), "Member must satisfy enum value set: [Required, Allowed]") });
const privateKey = awsString("addPrivateKey", { min: 1, max: 16384, pattern: /^[\u0009\u000A\u000D\u0020-\u00FF]+$/, secret: true });
const privateKeyId = awsString("removePrivateKey", { min: 22, max: 64, pattern: /^[A-Z0-9]+$/, patternText: "[A-Z0-9]+" });

export const OidcArnInput = z.object({ openIDConnectProviderArn: providerArn("openIDConnectProviderArn") });
export const CreateOidcProviderInput = z.object({
  url: oidcUrl,
  clientIDList: optional(listOf(clientId)),
  thumbprintList: optional(listOf(thumbprint)),
  tags: optional(tagsSchema),
});
export const UpdateThumbprintInput = z.object({ openIDConnectProviderArn: providerArn("openIDConnectProviderArn"), thumbprintList: listOf(thumbprint) });
export const OidcClientIdInput = z.object({ openIDConnectProviderArn: providerArn("openIDConnectProviderArn"), clientID: clientId });
export const SamlArnInput = z.object({ sAMLProviderArn: providerArn("sAMLProviderArn") });
export const CreateSamlProviderInput = z.object({
  sAMLMetadataDocument: samlMetadata,
  name: samlName,
  tags: optional(tagsSchema),
  assertionEncryptionMode: optional(encryptionMode),
  addPrivateKey: optional(privateKey),
});
export const UpdateSamlProviderInput = z.object({
  sAMLProviderArn: providerArn("sAMLProviderArn"),
  sAMLMetadataDocument: optional(samlMetadata),
  assertionEncryptionMode: optional(encryptionMode),
  addPrivateKey: optional(privateKey),
  removePrivateKey: optional(privateKeyId),
});

type OidcArnInput = z.output<typeof OidcArnInput>;
type SamlArnInput = z.output<typeof SamlArnInput>;

// ---------------------------------------------------------------------------
// OpenID Connect

export const oidcProviderArn = (accountId: string, hostAndPath: string) => `arn:aws:iam::${accountId}:oidc-provider/${hostAndPath}`;

/** The URL as AWS keys it: https:// dropped, no trailing slash; refused unless https with a host. */
export function oidcHostAndPath(url: string): string {
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    parsed = null;
  }
  if (!parsed || parsed.protocol !== "https:" || !parsed.hostname || parsed.search || parsed.hash || parsed.username || parsed.password) {
    throw new IamError("ValidationError", `The URL ${url} is not valid: an OpenID Connect provider URL starts with https:// and has a host, without query or fragment.`);
  }
  return (parsed.host + parsed.pathname).replace(/\/+$/, "");
}

const noSuchOidc = (arn: string) => noSuchEntity(`OpenIDConnect Provider not found for arn ${arn}`);
const parseList = (json: string): string[] => {
  const v = JSON.parse(json) as unknown;
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
};

async function requireOidc(tx: Tx, accountId: string, arn: string) {
  const row = await tx.oidcProvider.findUnique({ where: { arn } });
  if (!row || row.accountId !== accountId) throw noSuchOidc(arn);
  return row;
}

function checkThumbprints(list: string[]): string[] {
  if (list.length > THUMBPRINTS_PER_PROVIDER) throw limitExceeded("ThumbprintsPerOpenIdConnectProvider", THUMBPRINTS_PER_PROVIDER);
  for (const t of list) if (!/^[0-9a-fA-F]{40}$/.test(t)) throw new IamError("InvalidInput", `Thumbprint ${t} is not a 40-character hexadecimal SHA-1 fingerprint.`);
  return [...new Set(list.map((t) => t.toLowerCase()))];
}

function checkClientIds(list: string[]): string[] {
  const unique = [...new Set(list)];
  if (unique.length > CLIENT_IDS_PER_PROVIDER) throw limitExceeded("ClientIdsPerOpenIdConnectProvider", CLIENT_IDS_PER_PROVIDER);
  return unique;
}

export function createOidcProvider(principal: Principal, input: z.output<typeof CreateOidcProviderInput>): OperationSpec<{ openIDConnectProviderArn: string; tags: Tag[] }> {
  const host = (() => {
    try {
      return oidcHostAndPath(input.url);
    } catch {
      return input.url.replace(/^https:\/\//, "");
    }
  })();
  const arn = oidcProviderArn(principal.accountId, host);
  return {
    service: "iam",
    name: "CreateOpenIDConnectProvider",
    readOnly: false,
    resource: { arn },
    context: requestTagContext(input.tags),
    parameters: input,
    async run({ tx }) {
      const hostAndPath = oidcHostAndPath(input.url);
      const thumbprints = checkThumbprints(input.thumbprintList ?? []);
      const clientIds = checkClientIds(input.clientIDList ?? []);
      if ((await tx.oidcProvider.count({ where: { accountId: principal.accountId } })) >= PROVIDERS_PER_ACCOUNT) throw limitExceeded("OpenIdConnectProvidersPerAccount", PROVIDERS_PER_ACCOUNT);
      await uniquely(
        tx.oidcProvider.create({ data: { arn, accountId: principal.accountId, url: hostAndPath, clientIds: JSON.stringify(clientIds), thumbprints: JSON.stringify(thumbprints) } }),
        () => new IamError("EntityAlreadyExists", `Provider with url https://${hostAndPath} already exists.`),
      );
      await applyTags(tx, principal.accountId, arn, input.tags ?? [], "TagsPerOpenIdConnectProvider");
      return { openIDConnectProviderArn: arn, tags: input.tags ?? [] };
    },
  };
}

export interface OidcProviderView {
  url: string;
  clientIDList: string[];
  thumbprintList: string[];
  createDate: Date;
  tags: Tag[];
}

export function getOidcProvider(principal: Principal, input: OidcArnInput): OperationSpec<OidcProviderView> {
  return {
    service: "iam",
    name: "GetOpenIDConnectProvider",
    readOnly: true,
    resource: { arn: input.openIDConnectProviderArn },
    parameters: input,
    async run({ tx }) {
      const row = await requireOidc(tx, principal.accountId, input.openIDConnectProviderArn);
      return { url: row.url, clientIDList: parseList(row.clientIds), thumbprintList: parseList(row.thumbprints), createDate: row.createdAt, tags: await listTags(tx, row.arn) };
    },
  };
}

export function listOidcProviders(principal: Principal): OperationSpec<{ openIDConnectProviderList: { arn: string }[] }> {
  return {
    service: "iam",
    name: "ListOpenIDConnectProviders",
    readOnly: true,
    resource: { arn: "*" },
    parameters: {},
    async run({ tx }) {
      const rows = await tx.oidcProvider.findMany({ where: { accountId: principal.accountId }, orderBy: { arn: "asc" }, select: { arn: true } });
      return { openIDConnectProviderList: rows.map((r) => ({ arn: r.arn })) };
    },
  };
}

function oidcChange(name: string, principal: Principal, input: OidcArnInput, parameters: unknown, change: (tx: Tx, row: { arn: string; clientIds: string; thumbprints: string }) => Promise<void>): OperationSpec<void> {
  return {
    service: "iam",
    name,
    readOnly: false,
    resource: { arn: input.openIDConnectProviderArn },
    parameters,
    async run({ tx }) {
      await change(tx, await requireOidc(tx, principal.accountId, input.openIDConnectProviderArn));
    },
  };
}

export const updateOidcThumbprint = (principal: Principal, input: z.output<typeof UpdateThumbprintInput>) =>
  oidcChange("UpdateOpenIDConnectProviderThumbprint", principal, input, input, async (tx, row) => {
    await tx.oidcProvider.update({ where: { arn: row.arn }, data: { thumbprints: JSON.stringify(checkThumbprints(input.thumbprintList)) } });
  });

export const addOidcClientId = (principal: Principal, input: z.output<typeof OidcClientIdInput>) =>
  oidcChange("AddClientIDToOpenIDConnectProvider", principal, input, input, async (tx, row) => {
    // Adding a client ID that is there already succeeds without a change, as in AWS.
    const ids = checkClientIds([...parseList(row.clientIds), input.clientID]);
    await tx.oidcProvider.update({ where: { arn: row.arn }, data: { clientIds: JSON.stringify(ids) } });
  });

export const removeOidcClientId = (principal: Principal, input: z.output<typeof OidcClientIdInput>) =>
  oidcChange("RemoveClientIDFromOpenIDConnectProvider", principal, input, input, async (tx, row) => {
    // Removing one that is not there succeeds too.
    await tx.oidcProvider.update({ where: { arn: row.arn }, data: { clientIds: JSON.stringify(parseList(row.clientIds).filter((c) => c !== input.clientID)) } });
  });

export function deleteOidcProvider(principal: Principal, input: OidcArnInput): OperationSpec<void> {
  return {
    service: "iam",
    name: "DeleteOpenIDConnectProvider",
    readOnly: false,
    resource: { arn: input.openIDConnectProviderArn },
    parameters: input,
    async run({ tx }) {
      // AWS answers success for a provider that does not exist; one of another account is not touched.
      const row = await tx.oidcProvider.findUnique({ where: { arn: input.openIDConnectProviderArn }, select: { accountId: true } });
      if (!row || row.accountId !== principal.accountId) return;
      await tx.oidcProvider.delete({ where: { arn: input.openIDConnectProviderArn } });
      await tx.tag.deleteMany({ where: { resourceArn: input.openIDConnectProviderArn } });
    },
  };
}

export const OIDC_PROVIDER: TaggedKind<OidcArnInput> = {
  noun: "OpenIDConnectProvider",
  quota: "TagsPerOpenIdConnectProvider",
  resource: (_principal, input) => ({ arn: input.openIDConnectProviderArn }),
  async find(tx, principal, input) {
    const row = await requireOidc(tx, principal.accountId, input.openIDConnectProviderArn);
    return { arn: row.arn, lock: () => tx.oidcProvider.update({ where: { arn: row.arn }, data: { url: row.url } }) };
  },
};

// ---------------------------------------------------------------------------
// SAML

export const samlProviderArn = (accountId: string, name: string) => `arn:aws:iam::${accountId}:saml-provider/${name}`;

export interface SamlMetadata {
  entityId: string;
  /** Signing certificates (IDPSSODescriptor KeyDescriptor use="signing", or without use). */
  certificates: crypto.X509Certificate[];
  validUntil?: Date;
}

const invalidMetadata = (why: string) => new IamError("InvalidInput", `Could not parse metadata: ${why}`);

/** SAML metadata as AWS requires it: an EntityDescriptor with an entityID and a signing certificate. */
export function parseSamlMetadata(xml: string): SamlMetadata {
  const descriptor = /<(?:[\w-]+:)?EntityDescriptor\b([^>]*)>/.exec(xml);
  if (!descriptor) throw invalidMetadata("no EntityDescriptor element.");
  const attrs = descriptor[1]!;
  const entityId = /\bentityID\s*=\s*"([^"]+)"/.exec(attrs)?.[1];
  if (!entityId) throw invalidMetadata("the EntityDescriptor has no entityID.");
  const until = /\bvalidUntil\s*=\s*"([^"]+)"/.exec(attrs)?.[1];
  const validUntil = until ? new Date(until) : undefined;
  if (validUntil && Number.isNaN(validUntil.getTime())) throw invalidMetadata(`validUntil ${until} is not a date.`);
  const certificates: crypto.X509Certificate[] = [];
  const keyDescriptors = xml.matchAll(/<(?:[\w-]+:)?KeyDescriptor\b([^>]*)>([\s\S]*?)<\/(?:[\w-]+:)?KeyDescriptor>/g);
  for (const [, kdAttrs, body] of keyDescriptors) {
    if (/\buse\s*=\s*"encryption"/.test(kdAttrs!)) continue;
    for (const [, b64] of body!.matchAll(/<(?:[\w-]+:)?X509Certificate>([\s\S]*?)<\/(?:[\w-]+:)?X509Certificate>/g)) {
      const der = Buffer.from(b64!.replace(/\s+/g, ""), "base64");
      try {
        certificates.push(new crypto.X509Certificate(der));
      } catch {
        throw invalidMetadata("a signing certificate is not a valid X.509 certificate.");
      }
    }
  }
  if (certificates.length === 0) throw invalidMetadata("no signing certificate (KeyDescriptor with an X509Certificate).");
  return { entityId, certificates, validUntil };
}

const noSuchSaml = (arn: string) => noSuchEntity(`Manifest not found for arn ${arn}`);

async function requireSaml(tx: Tx, accountId: string, arn: string) {
  const row = await tx.samlProvider.findUnique({ where: { arn } });
  if (!row || row.accountId !== accountId) throw noSuchSaml(arn);
  return row;
}

interface StoredKey {
  keyId: string;
  timestamp: string;
  ciphertext: string;
}

function addKey(keys: StoredKey[], pem: string): StoredKey[] {
  try {
    crypto.createPrivateKey(pem);
  } catch {
    throw new IamError("InvalidInput", "The private key is not a valid PEM-encoded private key.");
  }
  if (keys.length >= 2) throw limitExceeded("PrivateKeysPerSAMLProvider", 2);
  const keyId = crypto.randomBytes(16).toString("hex").toUpperCase().slice(0, 26);
  return [...keys, { keyId, timestamp: new Date().toISOString(), ciphertext: encryptSecret(pem) }];
}

export function createSamlProvider(principal: Principal, input: z.output<typeof CreateSamlProviderInput>): OperationSpec<{ sAMLProviderArn: string; tags: Tag[] }> {
  const arn = samlProviderArn(principal.accountId, input.name);
  return {
    service: "iam",
    name: "CreateSAMLProvider",
    readOnly: false,
    resource: { arn },
    context: requestTagContext(input.tags),
    parameters: { name: input.name, tags: input.tags, assertionEncryptionMode: input.assertionEncryptionMode },
    async run({ tx }) {
      const meta = parseSamlMetadata(input.sAMLMetadataDocument);
      const keys = input.addPrivateKey ? addKey([], input.addPrivateKey) : [];
      if ((await tx.samlProvider.count({ where: { accountId: principal.accountId } })) >= PROVIDERS_PER_ACCOUNT) throw limitExceeded("SAMLProvidersPerAccount", PROVIDERS_PER_ACCOUNT);
      await uniquely(
        tx.samlProvider.create({
          data: {
            arn,
            accountId: principal.accountId,
            name: input.name,
            uuid: crypto.randomBytes(16).toString("hex").toUpperCase().slice(0, 26),
            metadataDocument: input.sAMLMetadataDocument,
            validUntil: meta.validUntil ?? null,
            assertionEncryptionMode: input.assertionEncryptionMode ?? null,
            privateKeys: JSON.stringify(keys),
          },
        }),
        () => new IamError("EntityAlreadyExists", `SAMLProvider ${input.name} already exists.`),
      );
      await applyTags(tx, principal.accountId, arn, input.tags ?? [], "TagsPerSAMLProvider");
      return { sAMLProviderArn: arn, tags: input.tags ?? [] };
    },
  };
}

export function getSamlProvider(principal: Principal, input: SamlArnInput): OperationSpec<Record<string, unknown>> {
  return {
    service: "iam",
    name: "GetSAMLProvider",
    readOnly: true,
    resource: { arn: input.sAMLProviderArn },
    parameters: input,
    async run({ tx }) {
      const row = await requireSaml(tx, principal.accountId, input.sAMLProviderArn);
      const keys = JSON.parse(row.privateKeys) as StoredKey[];
      return {
        sAMLProviderUUID: row.uuid,
        sAMLMetadataDocument: row.metadataDocument,
        createDate: row.createdAt,
        ...(row.validUntil ? { validUntil: row.validUntil } : {}),
        tags: await listTags(tx, row.arn),
        ...(row.assertionEncryptionMode ? { assertionEncryptionMode: row.assertionEncryptionMode } : {}),
        privateKeyList: keys.map((k) => ({ keyId: k.keyId, timestamp: new Date(k.timestamp) })),
      };
    },
    response: () => null,
  };
}

export function listSamlProviders(principal: Principal): OperationSpec<{ sAMLProviderList: { arn: string; validUntil?: Date; createDate: Date }[] }> {
  return {
    service: "iam",
    name: "ListSAMLProviders",
    readOnly: true,
    resource: { arn: "*" },
    parameters: {},
    async run({ tx }) {
      const rows = await tx.samlProvider.findMany({ where: { accountId: principal.accountId }, orderBy: { arn: "asc" } });
      return { sAMLProviderList: rows.map((r) => ({ arn: r.arn, ...(r.validUntil ? { validUntil: r.validUntil } : {}), createDate: r.createdAt })) };
    },
  };
}

export function updateSamlProvider(principal: Principal, input: z.output<typeof UpdateSamlProviderInput>): OperationSpec<{ sAMLProviderArn: string }> {
  return {
    service: "iam",
    name: "UpdateSAMLProvider",
    readOnly: false,
    resource: { arn: input.sAMLProviderArn },
    parameters: { sAMLProviderArn: input.sAMLProviderArn, assertionEncryptionMode: input.assertionEncryptionMode, removePrivateKey: input.removePrivateKey },
    async run({ tx }) {
      const row = await requireSaml(tx, principal.accountId, input.sAMLProviderArn);
      if (!input.sAMLMetadataDocument && !input.assertionEncryptionMode && !input.addPrivateKey && !input.removePrivateKey) {
        throw new IamError("InvalidInput", "Specify at least one of SAMLMetadataDocument, AssertionEncryptionMode, AddPrivateKey or RemovePrivateKey.");
      }
      const meta = input.sAMLMetadataDocument ? parseSamlMetadata(input.sAMLMetadataDocument) : undefined;
      let keys = JSON.parse(row.privateKeys) as StoredKey[];
      if (input.removePrivateKey) {
        if (!keys.some((k) => k.keyId === input.removePrivateKey)) throw noSuchEntity(`Private key ${input.removePrivateKey} not found for ${row.arn}.`);
        keys = keys.filter((k) => k.keyId !== input.removePrivateKey);
      }
      if (input.addPrivateKey) keys = addKey(keys, input.addPrivateKey);
      const mode = input.assertionEncryptionMode ?? row.assertionEncryptionMode;
      if (mode === "Required" && keys.length === 0) throw new IamError("InvalidInput", "AssertionEncryptionMode Required needs a private key: add one with AddPrivateKey.");
      await tx.samlProvider.update({
        where: { arn: row.arn },
        data: {
          ...(meta ? { metadataDocument: input.sAMLMetadataDocument, validUntil: meta.validUntil ?? null } : {}),
          assertionEncryptionMode: mode,
          privateKeys: JSON.stringify(keys),
        },
      });
      return { sAMLProviderArn: row.arn };
    },
  };
}

export function deleteSamlProvider(principal: Principal, input: SamlArnInput): OperationSpec<void> {
  return {
    service: "iam",
    name: "DeleteSAMLProvider",
    readOnly: false,
    resource: { arn: input.sAMLProviderArn },
    parameters: input,
    async run({ tx }) {
      const row = await requireSaml(tx, principal.accountId, input.sAMLProviderArn);
      await tx.samlProvider.delete({ where: { arn: row.arn } });
      await removeTags(tx, row.arn, (await listTags(tx, row.arn)).map((t) => t.key));
    },
  };
}

export const SAML_PROVIDER: TaggedKind<SamlArnInput> = {
  noun: "SAMLProvider",
  quota: "TagsPerSAMLProvider",
  resource: (_principal, input) => ({ arn: input.sAMLProviderArn }),
  async find(tx, principal, input) {
    const row = await requireSaml(tx, principal.accountId, input.sAMLProviderArn);
    return { arn: row.arn, lock: () => tx.samlProvider.update({ where: { arn: row.arn }, data: { name: row.name } }) };
  },
};
