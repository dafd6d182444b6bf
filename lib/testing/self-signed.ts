// Test fixtures made fresh on each run (no key material in the repository): a
// self-signed X.509 certificate and its private key (the machine's openssl),
// and SAML 2.0 IdP metadata carrying such a certificate.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface SelfSigned {
  certificatePem: string;
  privateKeyPem: string;
}

export function selfSignedCertificate(commonName: string, days = 365): SelfSigned {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iamlab-cert-"));
  try {
    const key = path.join(dir, "key.pem");
    const cert = path.join(dir, "cert.pem");
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", String(days), "-subj", `/CN=${commonName}`], { stdio: "ignore" });
    return { certificatePem: fs.readFileSync(cert, "utf8"), privateKeyPem: fs.readFileSync(key, "utf8") };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The base64 DER body of a PEM certificate, as SAML metadata carries it. */
export const pemBody = (pem: string) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s+/g, "");

export function samlMetadata(entityId: string, certificatePem: string, validUntil?: Date): string {
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${entityId}"${validUntil ? ` validUntil="${validUntil.toISOString()}"` : ""}>`,
    `  <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">`,
    `    <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${pemBody(certificatePem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`,
    `    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>`,
    `    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${entityId}/sso"/>`,
    `  </md:IDPSSODescriptor>`,
    `</md:EntityDescriptor>`,
  ].join("\n");
}
