// SSH public keys, signing certificates, service-specific credentials, server
// certificates and OIDC/SAML providers with the AWS SDK for JavaScript v3
// against the API handler on a loopback port and this file's own database:
// AWS's shapes, quotas and error codes, secrets shown once and stored hashed
// or encrypted, tags.
import { generateKeyPairSync } from "node:crypto";
import {
  AddClientIDToOpenIDConnectProviderCommand,
  CreateOpenIDConnectProviderCommand,
  CreateSAMLProviderCommand,
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  DeleteOpenIDConnectProviderCommand,
  DeleteSSHPublicKeyCommand,
  GetOpenIDConnectProviderCommand,
  GetSAMLProviderCommand,
  GetServerCertificateCommand,
  GetSSHPublicKeyCommand,
  ListSAMLProvidersCommand,
  ListServerCertificateTagsCommand,
  ListServiceSpecificCredentialsCommand,
  ListSigningCertificatesCommand,
  ListSSHPublicKeysCommand,
  ResetServiceSpecificCredentialCommand,
  UpdateServerCertificateCommand,
  UploadServerCertificateCommand,
  UploadSigningCertificateCommand,
  UploadSSHPublicKeyCommand,
} from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { DEV } from "@/lib/testing/principals";
import { samlMetadata, selfSignedCertificate } from "@/lib/testing/self-signed";
import { issueKey, sdkClients, sdkFailure, startTestApi, type Creds, type TestApi } from "../test-server";

let api: TestApi;
let admin: Creds;
const iam = () => sdkClients(api).iam(admin);
const cert = selfSignedCertificate("creds.example.com");
const other = selfSignedCertificate("other.example.com");
const rsaPem = (bits: number) => generateKeyPairSync("rsa", { modulusLength: bits }).publicKey.export({ type: "spki", format: "pem" }) as string;

beforeAll(async () => {
  api = await startTestApi();
  admin = await issueKey("admin");
  await iam().send(new CreateUserCommand({ UserName: "cred-user" }));
}, 60_000);
afterAll(() => api.close());

describe("SSH public keys, signing certificates, service-specific credentials", () => {
  it("uploads an SSH key (PEM in, SSH or PEM out, MD5 fingerprint); refuses short keys, duplicates and a sixth key", async () => {
    const pem = rsaPem(2048);
    const up = (await iam().send(new UploadSSHPublicKeyCommand({ UserName: "cred-user", SSHPublicKeyBody: pem }))).SSHPublicKey!;
    expect(up.SSHPublicKeyId).toMatch(/^APKA[A-Z2-7]{17}$/);
    expect(up.Fingerprint).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    const ssh = (await iam().send(new GetSSHPublicKeyCommand({ UserName: "cred-user", SSHPublicKeyId: up.SSHPublicKeyId, Encoding: "SSH" }))).SSHPublicKey!;
    expect(ssh.SSHPublicKeyBody).toMatch(/^ssh-rsa AAAAB3NzaC1yc2E/);
    // The same key in SSH form is a duplicate.
    expect(await sdkFailure(iam().send(new UploadSSHPublicKeyCommand({ UserName: "cred-user", SSHPublicKeyBody: ssh.SSHPublicKeyBody })))).toMatchObject({ code: "DuplicateSSHPublicKey", status: 400 });
    expect(await sdkFailure(iam().send(new UploadSSHPublicKeyCommand({ UserName: "cred-user", SSHPublicKeyBody: rsaPem(1024) })))).toMatchObject({ code: "InvalidPublicKey", status: 400 });
    expect(await sdkFailure(iam().send(new UploadSSHPublicKeyCommand({ UserName: "cred-user", SSHPublicKeyBody: "not a key" })))).toMatchObject({ code: "UnrecognizedPublicKeyEncoding" });
    for (let i = 0; i < 4; i++) await iam().send(new UploadSSHPublicKeyCommand({ UserName: "cred-user", SSHPublicKeyBody: rsaPem(2048) }));
    expect(await sdkFailure(iam().send(new UploadSSHPublicKeyCommand({ UserName: "cred-user", SSHPublicKeyBody: rsaPem(2048) })))).toMatchObject({ code: "LimitExceeded", status: 409 });
    const page = await iam().send(new ListSSHPublicKeysCommand({ UserName: "cred-user", MaxItems: 3 }));
    expect(page.SSHPublicKeys).toHaveLength(3);
    expect(page.IsTruncated).toBe(true);
    const rest = await iam().send(new ListSSHPublicKeysCommand({ UserName: "cred-user", Marker: page.Marker }));
    expect(rest.SSHPublicKeys).toHaveLength(2);
    await iam().send(new DeleteSSHPublicKeyCommand({ UserName: "cred-user", SSHPublicKeyId: up.SSHPublicKeyId }));
    expect(await sdkFailure(iam().send(new GetSSHPublicKeyCommand({ UserName: "cred-user", SSHPublicKeyId: up.SSHPublicKeyId, Encoding: "PEM" })))).toMatchObject({ code: "NoSuchEntity", status: 404 });
  });

  it("uploads signing certificates parsed as X.509; refuses garbage, duplicates and a third", async () => {
    const c = (await iam().send(new UploadSigningCertificateCommand({ UserName: "cred-user", CertificateBody: cert.certificatePem }))).Certificate!;
    expect(c).toMatchObject({ UserName: "cred-user", Status: "Active" });
    expect(c.CertificateId).toMatch(/^[A-Z0-9]{32}$/);
    expect(await sdkFailure(iam().send(new UploadSigningCertificateCommand({ UserName: "cred-user", CertificateBody: cert.certificatePem })))).toMatchObject({ code: "DuplicateCertificate", status: 409 });
    expect(await sdkFailure(iam().send(new UploadSigningCertificateCommand({ UserName: "cred-user", CertificateBody: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----" })))).toMatchObject({ code: "MalformedCertificate", status: 400 });
    await iam().send(new UploadSigningCertificateCommand({ UserName: "cred-user", CertificateBody: other.certificatePem }));
    expect(await sdkFailure(iam().send(new UploadSigningCertificateCommand({ UserName: "cred-user", CertificateBody: selfSignedCertificate("third").certificatePem })))).toMatchObject({ code: "LimitExceeded" });
    expect((await iam().send(new ListSigningCertificatesCommand({ UserName: "cred-user" }))).Certificates).toHaveLength(2);
  });

  it("creates a service-specific credential: the password once, stored only as a hash; reset gives a new one; unsupported services refused", async () => {
    const created = (await iam().send(new CreateServiceSpecificCredentialCommand({ UserName: "cred-user", ServiceName: "codecommit.amazonaws.com" }))).ServiceSpecificCredential!;
    expect(created).toMatchObject({ UserName: "cred-user", ServiceName: "codecommit.amazonaws.com", ServiceUserName: `cred-user-at-${DEV}`, Status: "Active" });
    expect(created.ServicePassword!.length).toBeGreaterThanOrEqual(40);
    const row = await db().serviceSpecificCredential.findUniqueOrThrow({ where: { id: created.ServiceSpecificCredentialId! } });
    expect(row.passwordHash).not.toContain(created.ServicePassword!);
    const listed = (await iam().send(new ListServiceSpecificCredentialsCommand({ UserName: "cred-user" }))).ServiceSpecificCredentials!;
    expect(listed).toHaveLength(1);
    expect(listed[0]).not.toHaveProperty("ServicePassword");
    const reset = (await iam().send(new ResetServiceSpecificCredentialCommand({ UserName: "cred-user", ServiceSpecificCredentialId: created.ServiceSpecificCredentialId }))).ServiceSpecificCredential!;
    expect(reset.ServicePassword).not.toBe(created.ServicePassword);
    expect(await sdkFailure(iam().send(new CreateServiceSpecificCredentialCommand({ UserName: "cred-user", ServiceName: "s3.amazonaws.com" })))).toMatchObject({ code: "NotSupportedService", status: 404 });
    // The audit never holds the password.
    const events = await db().auditEvent.findMany({ where: { eventName: { in: ["CreateServiceSpecificCredential", "ResetServiceSpecificCredential"] } } });
    expect(events.length).toBeGreaterThanOrEqual(2);
    for (const e of events) expect(JSON.stringify(e)).not.toContain(created.ServicePassword!);
  });
});

describe("server certificates", () => {
  it("uploads with a matching key (kept encrypted), gets without the key, renames with its tags; refuses a mismatched key", async () => {
    const meta = (await iam().send(new UploadServerCertificateCommand({ ServerCertificateName: "web", Path: "/lb/", CertificateBody: cert.certificatePem, PrivateKey: cert.privateKeyPem, Tags: [{ Key: "env", Value: "dev" }] })))
      .ServerCertificateMetadata!;
    expect(meta).toMatchObject({ ServerCertificateName: "web", Path: "/lb/", Arn: `arn:aws:iam::${DEV}:server-certificate/lb/web` });
    expect(meta.Expiration!.getTime()).toBeGreaterThan(Date.now());
    const row = await db().serverCertificate.findUniqueOrThrow({ where: { arn: meta.Arn! } });
    expect(row.privateKeyCiphertext).not.toContain("PRIVATE KEY");
    expect(await sdkFailure(iam().send(new UploadServerCertificateCommand({ ServerCertificateName: "bad", CertificateBody: cert.certificatePem, PrivateKey: other.privateKeyPem })))).toMatchObject({ code: "KeyPairMismatch", status: 400 });
    expect(await sdkFailure(iam().send(new UploadServerCertificateCommand({ ServerCertificateName: "WEB", CertificateBody: cert.certificatePem, PrivateKey: cert.privateKeyPem })))).toMatchObject({ code: "EntityAlreadyExists", status: 409 });
    await iam().send(new UpdateServerCertificateCommand({ ServerCertificateName: "web", NewServerCertificateName: "web-2" }));
    const got = (await iam().send(new GetServerCertificateCommand({ ServerCertificateName: "web-2" }))).ServerCertificate!;
    expect(got.CertificateBody).toBe(cert.certificatePem.trim());
    expect(got.ServerCertificateMetadata!.Arn).toBe(`arn:aws:iam::${DEV}:server-certificate/lb/web-2`);
    expect((await iam().send(new ListServerCertificateTagsCommand({ ServerCertificateName: "web-2" }))).Tags).toEqual([{ Key: "env", Value: "dev" }]);
    expect(await sdkFailure(iam().send(new GetServerCertificateCommand({ ServerCertificateName: "web" })))).toMatchObject({ code: "NoSuchEntity", status: 404 });
  });
});

describe("identity providers", () => {
  it("creates an OIDC provider (ARN from the URL), adds client IDs, refuses duplicates and bad thumbprints; delete is idempotent", async () => {
    const arn = (await iam().send(new CreateOpenIDConnectProviderCommand({ Url: "https://token.example.com/", ClientIDList: ["app"], ThumbprintList: ["A".repeat(40)] }))).OpenIDConnectProviderArn!;
    expect(arn).toBe(`arn:aws:iam::${DEV}:oidc-provider/token.example.com`);
    await iam().send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: "app2" }));
    const got = await iam().send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    expect(got).toMatchObject({ Url: "token.example.com", ClientIDList: ["app", "app2"], ThumbprintList: ["a".repeat(40)] });
    expect(await sdkFailure(iam().send(new CreateOpenIDConnectProviderCommand({ Url: "https://token.example.com" })))).toMatchObject({ code: "EntityAlreadyExists", status: 409 });
    expect(await sdkFailure(iam().send(new CreateOpenIDConnectProviderCommand({ Url: "http://plain.example.com" })))).toMatchObject({ code: "ValidationError", status: 400 });
    expect(await sdkFailure(iam().send(new CreateOpenIDConnectProviderCommand({ Url: "https://x.example.com", ThumbprintList: ["z".repeat(40)] })))).toMatchObject({ code: "InvalidInput" });
    await iam().send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    await iam().send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    expect(await sdkFailure(iam().send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })))).toMatchObject({ code: "NoSuchEntity", status: 404 });
  });

  it("creates a SAML provider from metadata with a signing certificate (ValidUntil from it); refuses metadata without one", async () => {
    const until = new Date(Date.now() + 30 * 86_400_000);
    const arn = (await iam().send(new CreateSAMLProviderCommand({ Name: "corp-idp", SAMLMetadataDocument: samlMetadata("https://idp.corp.example.com", cert.certificatePem, until) }))).SAMLProviderArn!;
    expect(arn).toBe(`arn:aws:iam::${DEV}:saml-provider/corp-idp`);
    const got = await iam().send(new GetSAMLProviderCommand({ SAMLProviderArn: arn }));
    expect(got.SAMLProviderUUID).toMatch(/^[A-Z0-9]{22,64}$/);
    expect(Math.abs(got.ValidUntil!.getTime() - until.getTime())).toBeLessThan(1000);
    expect((await iam().send(new ListSAMLProvidersCommand({}))).SAMLProviderList!.map((p) => p.Arn)).toContain(arn);
    const noCert = samlMetadata("https://idp.corp.example.com", cert.certificatePem).replace(/<md:KeyDescriptor[\s\S]*<\/md:KeyDescriptor>/, "").padEnd(1200, " ");
    expect(await sdkFailure(iam().send(new CreateSAMLProviderCommand({ Name: "no-cert", SAMLMetadataDocument: noCert })))).toMatchObject({ code: "InvalidInput", status: 400 });
    expect(await sdkFailure(iam().send(new CreateSAMLProviderCommand({ Name: "corp-idp", SAMLMetadataDocument: samlMetadata("https://x", cert.certificatePem) })))).toMatchObject({ code: "EntityAlreadyExists" });
  });
});
