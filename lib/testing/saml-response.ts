// Test fixture: a SAML 2.0 authentication response as an identity provider
// sends it to AWS, its Assertion signed (enveloped XML-DSig, exclusive
// canonicalization, RSA-SHA256) with a key made fresh by ./self-signed.ts.
// Returned base64-encoded, as AssumeRoleWithSAML's SAMLAssertion takes it.
import crypto from "node:crypto";
import { SignedXml } from "xml-crypto";
import type { SelfSigned } from "./self-signed";

export const AWS_SAML_ENDPOINT = "https://signin.aws.amazon.com/saml";

export interface SamlResponseOptions {
  issuer: string;
  subject: string;
  subjectFormat?: string;
  /** Attribute name -> values (https://aws.amazon.com/SAML/Attributes/Role, .../RoleSessionName, urn:oid:..., ...). */
  attributes: Record<string, string[]>;
  audience?: string;
  recipient?: string;
  notBefore?: Date;
  notOnOrAfter?: Date;
  statusCode?: string;
}

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** The response's XML, unsigned. */
export function samlResponseXml(o: SamlResponseOptions): string {
  const now = new Date();
  const notBefore = (o.notBefore ?? new Date(now.getTime() - 60_000)).toISOString();
  const notOnOrAfter = (o.notOnOrAfter ?? new Date(now.getTime() + 300_000)).toISOString();
  const recipient = o.recipient ?? AWS_SAML_ENDPOINT;
  const attributes = Object.entries(o.attributes)
    .map(([name, values]) => `<saml:Attribute Name="${escape(name)}">${values.map((v) => `<saml:AttributeValue>${escape(v)}</saml:AttributeValue>`).join("")}</saml:Attribute>`)
    .join("");
  return [
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r${crypto.randomUUID()}" Version="2.0" IssueInstant="${now.toISOString()}" Destination="${escape(recipient)}">`,
    `<saml:Issuer>${escape(o.issuer)}</saml:Issuer>`,
    `<samlp:Status><samlp:StatusCode Value="${o.statusCode ?? "urn:oasis:names:tc:SAML:2.0:status:Success"}"/></samlp:Status>`,
    `<saml:Assertion ID="_a${crypto.randomUUID()}" Version="2.0" IssueInstant="${now.toISOString()}">`,
    `<saml:Issuer>${escape(o.issuer)}</saml:Issuer>`,
    `<saml:Subject><saml:NameID Format="${o.subjectFormat ?? "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"}">${escape(o.subject)}</saml:NameID>`,
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${notOnOrAfter}" Recipient="${escape(recipient)}"/></saml:SubjectConfirmation></saml:Subject>`,
    `<saml:Conditions NotBefore="${notBefore}" NotOnOrAfter="${notOnOrAfter}"><saml:AudienceRestriction><saml:Audience>${escape(o.audience ?? AWS_SAML_ENDPOINT)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>`,
    `<saml:AuthnStatement AuthnInstant="${now.toISOString()}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`,
    `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>`,
    `</saml:Assertion>`,
    `</samlp:Response>`,
  ].join("");
}

/** Signs the Assertion of `xml` with `signer`'s key (its certificate in KeyInfo). */
export function signAssertion(xml: string, signer: SelfSigned): string {
  const sig = new SignedXml({
    privateKey: signer.privateKeyPem,
    publicCert: signer.certificatePem,
    signatureAlgorithm: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    canonicalizationAlgorithm: "http://www.w3.org/2001/10/xml-exc-c14n#",
  });
  sig.addReference({
    xpath: "//*[local-name(.)='Assertion']",
    transforms: ["http://www.w3.org/2000/09/xmldsig#enveloped-signature", "http://www.w3.org/2001/10/xml-exc-c14n#"],
    digestAlgorithm: "http://www.w3.org/2001/04/xmlenc#sha256",
  });
  sig.computeSignature(xml, { prefix: "ds", location: { reference: "//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: "after" } });
  return sig.getSignedXml();
}

export const base64 = (xml: string) => Buffer.from(xml, "utf8").toString("base64");

/** A signed response, base64-encoded. */
export const signedSamlResponse = (o: SamlResponseOptions, signer: SelfSigned) => base64(signAssertion(samlResponseXml(o), signer));
