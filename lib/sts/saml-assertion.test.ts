// The SAML response checks on their own: signatures on the Assertion or the
// Response, wrapping attacks, AWS's endpoints and audiences, the clock, and
// SubjectType as AWS reports it. Keys are made fresh (openssl) per run.
import crypto from "node:crypto";
import { SignedXml } from "xml-crypto";
import { describe, expect, it } from "vitest";
import { IamError } from "@/lib/iam/errors";
import { base64, samlResponseXml, signAssertion, signedSamlResponse, type SamlResponseOptions } from "@/lib/testing/saml-response";
import { selfSignedCertificate } from "@/lib/testing/self-signed";
import { subjectTypeOf, verifySamlResponse } from "./saml-assertion";

const ISSUER = "https://idp.unit.example.test";
const idp = selfSignedCertificate("idp.unit.example.test");
const other = selfSignedCertificate("other.unit.example.test");
const keys = { entityId: ISSUER, certificates: [new crypto.X509Certificate(other.certificatePem), new crypto.X509Certificate(idp.certificatePem)] };
const options = (over: Partial<SamlResponseOptions> = {}): SamlResponseOptions => ({ issuer: ISSUER, subject: "alice", attributes: { "urn:oid:2.5.4.3": ["Alice"] }, ...over });

function refusal(assertion: string, now = new Date()): { code: string; message: string } {
  try {
    verifySamlResponse(assertion, keys, now);
  } catch (e) {
    if (e instanceof IamError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error("expected a refusal");
}

/** The whole Response signed (reference to its ID), as some IdPs send it. */
function signResponse(xml: string): string {
  const sig = new SignedXml({ privateKey: idp.privateKeyPem, signatureAlgorithm: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", canonicalizationAlgorithm: "http://www.w3.org/2001/10/xml-exc-c14n#" });
  sig.addReference({
    xpath: "/*[local-name(.)='Response']",
    transforms: ["http://www.w3.org/2000/09/xmldsig#enveloped-signature", "http://www.w3.org/2001/10/xml-exc-c14n#"],
    digestAlgorithm: "http://www.w3.org/2001/04/xmlenc#sha256",
  });
  sig.computeSignature(xml, { prefix: "ds", location: { reference: "/*[local-name(.)='Response']/*[local-name(.)='Issuer']", action: "after" } });
  return sig.getSignedXml();
}

describe("verifySamlResponse", () => {
  it("reads a response whose Assertion is signed by a certificate of the provider", () => {
    const out = verifySamlResponse(signedSamlResponse(options({ subjectFormat: "urn:oasis:names:tc:SAML:2.0:nameid-format:transient" }), idp), keys, new Date());
    expect(out).toMatchObject({ issuer: ISSUER, subject: "alice", subjectType: "transient", recipient: "https://signin.aws.amazon.com/saml" });
    expect(out.attributes.get("urn:oid:2.5.4.3")).toEqual(["Alice"]);
  });

  it("reads a response signed as a whole, and AWS's regional endpoint and entity ID", () => {
    const xml = samlResponseXml(options({ recipient: "https://eu-west-1.signin.aws.amazon.com/saml", audience: "urn:amazon:webservices" }));
    expect(verifySamlResponse(base64(signResponse(xml)), keys, new Date()).recipient).toBe("https://eu-west-1.signin.aws.amazon.com/saml");
  });

  it("trusts only what the signature covers: a wrapped assertion is refused", () => {
    const signed = signAssertion(samlResponseXml(options()), idp);
    const original = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(signed)![0];
    const evil = original.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, "").replace(/ID="[^"]+"/, 'ID="_evil"').replace(">alice<", ">admin<");
    // The signed assertion hidden in an extension, an unsigned one in its place.
    const wrapped = signed.replace(original, `<samlp:Extensions>${original}</samlp:Extensions>${evil}`);
    expect(wrapped).toContain("<samlp:Extensions><saml:Assertion");
    expect(refusal(base64(wrapped))).toEqual({ code: "InvalidIdentityToken", message: "Response signature invalid" });
    // Two assertions side by side.
    expect(refusal(base64(signed.replace(original, `${original}${evil}`))).code).toBe("InvalidIdentityToken");
    // The signature moved onto an element carrying the signed assertion's ID.
    const sameId = signed.replace(original, `${evil.replace('ID="_evil"', /ID="[^"]+"/.exec(original)![0])}`).replace("<saml:Issuer>" + ISSUER + "</saml:Issuer><saml:Subject>", `<saml:Issuer>${ISSUER}</saml:Issuer>${/<ds:Signature[\s\S]*<\/ds:Signature>/.exec(original)![0]}<saml:Subject>`);
    expect(sameId).toContain(">admin<");
    expect(sameId.match(/<ds:Signature /g)).toHaveLength(1);
    expect(sameId).not.toContain("_evil");
    expect(refusal(base64(sameId))).toEqual({ code: "InvalidIdentityToken", message: "Response signature invalid" });
  });

  it("checks the validity window against the clock", () => {
    const assertion = signedSamlResponse(options({ notBefore: new Date(Date.now() - 60_000), notOnOrAfter: new Date(Date.now() + 60_000) }), idp);
    expect(refusal(assertion, new Date(Date.now() + 120_000)).code).toBe("ExpiredTokenException");
    expect(refusal(assertion, new Date(Date.now() - 120_000)).message).toMatch(/^Invalid SAML response: the assertion is not valid before /);
  });

  it("refuses DTDs and what is not a SAML response", () => {
    expect(refusal(base64('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><r>&a;</r>')).code).toBe("InvalidIdentityToken");
    expect(refusal(base64("<samlp:Response xmlns:samlp='urn:other'/>")).code).toBe("InvalidIdentityToken");
    expect(refusal("%%%").code).toBe("InvalidIdentityToken");
  });

  it("reports SubjectType as AWS does", () => {
    expect(subjectTypeOf("urn:oasis:names:tc:SAML:2.0:nameid-format:persistent")).toBe("persistent");
    expect(subjectTypeOf("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress")).toBe("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress");
    expect(subjectTypeOf(null)).toBe("urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified");
  });
});
