import "server-only";
// Outbound web identity federation (AWS, 2025): an account turns it on with
// EnableOutboundWebIdentityFederation and gets its own issuer URL,
// https://<id>.tokens.sts.global.api.aws; its principals may then call
// sts:GetWebIdentityToken for JWTs signed by the account's keys, which anyone
// verifies with the issuer's OpenID Connect discovery document and JWKS (served
// by the API endpoint, lib/aws/outbound-discovery.ts).
//
// The keys (RSA 2048 for RS256, P-384 for ES384) are made on the first enable
// and kept, private halves sealed with the master key. Disabling only stops new
// tokens (AWS: "does not affect tokens that were issued before"), so issuer and
// keys stay, the JWKS is still served, and enabling again gives the same issuer.
// GetOutboundWebIdentityFederationInfo answers FeatureDisabled for an account
// that never enabled the feature (no issuer exists yet), and the issuer with
// JwtVendingEnabled false once disabled.
import crypto from "node:crypto";
import type { Tx } from "@/lib/db/client";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secrets";
import { IamError } from "@/lib/iam/errors";
import type { OperationSpec } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";

/** The host suffix of every issuer, as AWS names them. */
export const ISSUER_HOST_SUFFIX = ".tokens.sts.global.api.aws";

export const issuerUrl = (issuerId: string) => `https://${issuerId}${ISSUER_HOST_SUFFIX}`;

/** The issuer ID of a host name (`<id>.tokens.sts.global.api.aws`, any port), or null. */
export function issuerIdOfHost(host: string | undefined): string | null {
  const name = (host ?? "").toLowerCase().replace(/:\d+$/, "");
  if (!name.endsWith(ISSUER_HOST_SUFFIX)) return null;
  const id = name.slice(0, -ISSUER_HOST_SUFFIX.length);
  return /^[0-9a-f-]{36}$/.test(id) ? id : null;
}

const ALREADY_ENABLED = "Outbound web identity federation is already enabled for this account. Call GetOutboundWebIdentityFederationInfo for its issuer URL.";
const ALREADY_DISABLED = "Outbound web identity federation is already disabled for this account.";
const NEVER_ENABLED = "Outbound web identity federation is not enabled for this account. Call EnableOutboundWebIdentityFederation first.";

function newKeys() {
  const rsa = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  const ec = crypto.generateKeyPairSync("ec", { namedCurve: "P-384" });
  const pem = (k: crypto.KeyObject, type: "spki" | "pkcs8") => k.export({ type, format: "pem" }).toString();
  return {
    rsaKeyId: crypto.randomUUID(),
    rsaPublicKey: pem(rsa.publicKey, "spki"),
    rsaPrivateKeySealed: encryptSecret(pem(rsa.privateKey, "pkcs8")),
    ecKeyId: crypto.randomUUID(),
    ecPublicKey: pem(ec.publicKey, "spki"),
    ecPrivateKeySealed: encryptSecret(pem(ec.privateKey, "pkcs8")),
  };
}

export function enableOutboundWebIdentityFederation(principal: Principal): OperationSpec<{ IssuerIdentifier: string }> {
  return {
    service: "iam",
    name: "EnableOutboundWebIdentityFederation",
    readOnly: false,
    resource: { arn: "*" },
    async run({ tx }) {
      const row = await tx.outboundWebIdentityFederation.findUnique({ where: { accountId: principal.accountId }, select: { enabled: true, issuerId: true } });
      if (row?.enabled) throw new IamError("FeatureEnabled", ALREADY_ENABLED);
      if (row) {
        await tx.outboundWebIdentityFederation.update({ where: { accountId: principal.accountId }, data: { enabled: true } });
        return { IssuerIdentifier: issuerUrl(row.issuerId) };
      }
      const created = await tx.outboundWebIdentityFederation.create({
        data: { accountId: principal.accountId, issuerId: crypto.randomUUID(), enabled: true, ...newKeys() },
        select: { issuerId: true },
      });
      return { IssuerIdentifier: issuerUrl(created.issuerId) };
    },
    response: (r) => ({ issuerIdentifier: r.IssuerIdentifier }),
  };
}

export function disableOutboundWebIdentityFederation(principal: Principal): OperationSpec<void> {
  return {
    service: "iam",
    name: "DisableOutboundWebIdentityFederation",
    readOnly: false,
    resource: { arn: "*" },
    async run({ tx }) {
      const { count } = await tx.outboundWebIdentityFederation.updateMany({ where: { accountId: principal.accountId, enabled: true }, data: { enabled: false } });
      if (count === 0) throw new IamError("FeatureDisabled", ALREADY_DISABLED);
    },
  };
}

export function getOutboundWebIdentityFederationInfo(principal: Principal): OperationSpec<{ IssuerIdentifier: string; JwtVendingEnabled: boolean }> {
  return {
    service: "iam",
    name: "GetOutboundWebIdentityFederationInfo",
    readOnly: true,
    resource: { arn: "*" },
    async run({ tx }) {
      const row = await tx.outboundWebIdentityFederation.findUnique({ where: { accountId: principal.accountId }, select: { enabled: true, issuerId: true } });
      if (!row) throw new IamError("FeatureDisabled", NEVER_ENABLED);
      return { IssuerIdentifier: issuerUrl(row.issuerId), JwtVendingEnabled: row.enabled };
    },
  };
}

// ---------------------------------------------------------------------------
// For sts:GetWebIdentityToken and the issuer's discovery endpoints

export type SigningAlgorithm = "RS256" | "ES384";

export interface SigningKey {
  issuer: string;
  keyId: string;
  privateKey: crypto.KeyObject;
}

/** The account's signing key for an algorithm while the feature is enabled; null when it is not. */
export async function activeSigningKey(tx: Tx, accountId: string, algorithm: SigningAlgorithm): Promise<SigningKey | null> {
  const row = await tx.outboundWebIdentityFederation.findUnique({ where: { accountId } });
  if (!row?.enabled) return null;
  const sealed = algorithm === "RS256" ? row.rsaPrivateKeySealed : row.ecPrivateKeySealed;
  return { issuer: issuerUrl(row.issuerId), keyId: algorithm === "RS256" ? row.rsaKeyId : row.ecKeyId, privateKey: crypto.createPrivateKey(decryptSecret(sealed)) };
}

/** The issuer's public keys as a JWK Set (RFC 7517); null for an unknown issuer. */
export async function issuerJwks(tx: Tx, issuerId: string): Promise<{ keys: Record<string, unknown>[] } | null> {
  const row = await tx.outboundWebIdentityFederation.findUnique({ where: { issuerId }, select: { rsaKeyId: true, rsaPublicKey: true, ecKeyId: true, ecPublicKey: true } });
  if (!row) return null;
  const jwk = (pem: string, kid: string, alg: SigningAlgorithm) => ({ ...crypto.createPublicKey(pem).export({ format: "jwk" }), kid, alg, use: "sig" });
  return { keys: [jwk(row.rsaPublicKey, row.rsaKeyId, "RS256"), jwk(row.ecPublicKey, row.ecKeyId, "ES384")] };
}

/** The issuer's OpenID Connect discovery document; null for an unknown issuer. */
export async function issuerConfiguration(tx: Tx, issuerId: string): Promise<Record<string, unknown> | null> {
  const row = await tx.outboundWebIdentityFederation.findUnique({ where: { issuerId }, select: { issuerId: true } });
  if (!row) return null;
  const issuer = issuerUrl(row.issuerId);
  return {
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    response_types_supported: ["id_token"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["RS256", "ES384"],
    claims_supported: ["iss", "sub", "aud", "exp", "iat", "jti", "https://sts.amazonaws.com/"],
  };
}
