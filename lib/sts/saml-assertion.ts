// A SAML 2.0 authentication response as AssumeRoleWithSAML checks it, pure:
// base64 of a samlp:Response whose status is Success, holding one Assertion,
// signed (the Response or the Assertion, XML-DSig checked by xml-crypto with
// exclusive canonicalization) by a signing certificate of the provider's
// metadata, issued by the metadata's entityID, for AWS (an AudienceRestriction
// naming AWS's sign-in endpoint or urn:amazon:webservices), with a bearer
// SubjectConfirmation whose Recipient is that endpoint, and valid now
// (NotBefore / NotOnOrAfter). Everything is read from the signed XML that
// xml-crypto returns, never from the unsigned rest of the document, so a
// signature cannot be wrapped around other content. Encrypted assertions are
// refused (not simulated). Messages are AWS's where its troubleshooting guide
// gives them.
import type crypto from "node:crypto";
import { DOMParser } from "@xmldom/xmldom";
import { SignedXml } from "xml-crypto";
import { IamError } from "@/lib/iam/errors";

const PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol";
const ASSERTION = "urn:oasis:names:tc:SAML:2.0:assertion";
const DSIG = "http://www.w3.org/2000/09/xmldsig#";
const SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success";
const BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
const NAMEID_FORMAT_PREFIX = "urn:oasis:names:tc:SAML:2.0:nameid-format:";
/** SAML core: a NameID without Format is of the unspecified format. */
const UNSPECIFIED_FORMAT = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";

/** The base64 SAML response AWS accepts: 4 to 100,000 characters (SAMLAssertionType). */
export const SAML_ASSERTION_MIN = 4;
export const SAML_ASSERTION_MAX = 100_000;

export const INVALID_RESPONSE = "Invalid SAML response: it is not a base64-encoded SAML 2.0 Response document.";
export const SIGNATURE_INVALID = "Response signature invalid";
export const MISSING_AUDIENCE = "Response does not contain the required audience.";
export const ISSUER_NOT_IN_PROVIDER = "Issuer not present in specified provider";
export const IDP_REJECTED = "The identity provider (IdP) reported that authentication failed.";

/** AWS's SAML endpoints: the global and regional sign-in URLs (optionally with an ACS path). */
const AWS_ENDPOINT = /^https:\/\/(?:[a-z]{2}(?:-gov)?-[a-z]+-\d\.)?signin\.aws\.amazon\.com\/saml(?:\/acs\/[A-Za-z0-9]+)?$/;
/** AWS's service provider entity ID, which IdPs also send as the audience. */
const AWS_ENTITY_ID = "urn:amazon:webservices";
export const isAwsSamlEndpoint = (url: string) => AWS_ENDPOINT.test(url);

export interface SamlProviderKeys {
  entityId: string;
  certificates: crypto.X509Certificate[];
}

export interface VerifiedSamlAssertion {
  issuer: string;
  subject: string;
  /** The NameID Format as AWS reports it: persistent / transient, or the full URI of another format. */
  subjectType: string;
  /** The bearer SubjectConfirmationData's Recipient (AWS's endpoint): saml:aud and the response's Audience. */
  recipient: string;
  /** Attribute Name -> values, in document order. */
  attributes: Map<string, string[]>;
  /** The AuthnStatement's SessionNotOnOrAfter, when the IdP limits the session. */
  sessionNotOnOrAfter?: Date;
}

const invalid = (message: string) => new IamError("InvalidIdentityToken", message);

function parseXml(text: string): Document {
  // No DTDs: nothing to expand (entity bombs, external entities).
  if (/<!DOCTYPE/i.test(text)) throw invalid(INVALID_RESPONSE);
  let failed = false;
  const doc = new DOMParser({
    errorHandler: {
      warning: () => undefined,
      error: () => {
        failed = true;
      },
      fatalError: () => {
        failed = true;
      },
    },
  }).parseFromString(text, "text/xml");
  if (failed || !doc?.documentElement) throw invalid(INVALID_RESPONSE);
  return doc as unknown as Document;
}

const childrenOf = (parent: Element | Document, ns: string, name: string): Element[] => {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === name) out.push(n as Element);
  }
  return out;
};
const child = (parent: Element, ns: string, name: string): Element | undefined => childrenOf(parent, ns, name)[0];
const text = (el: Element | undefined) => (el?.textContent ?? "").trim();

/** The decoded response (its text and document), or InvalidIdentityToken. */
export function decodeSamlResponse(samlAssertion: string): { xml: string; doc: Document } {
  const compact = samlAssertion.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) throw invalid(INVALID_RESPONSE);
  const xml = Buffer.from(compact, "base64").toString("utf8");
  const doc = parseXml(xml);
  const root = doc.documentElement;
  if (root.namespaceURI !== PROTOCOL || root.localName !== "Response") throw invalid(INVALID_RESPONSE);
  return { xml, doc };
}

/**
 * The signed element (the Response or its Assertion) as the XML xml-crypto
 * verified, or InvalidIdentityToken "Response signature invalid".
 */
function signedXml(xml: string, doc: Document, keys: SamlProviderKeys): Element {
  const response = doc.documentElement;
  const assertion = child(response, ASSERTION, "Assertion");
  const candidates = [response, ...(assertion ? [assertion] : [])].flatMap((el) => childrenOf(el, DSIG, "Signature").map((signature) => ({ el, signature })));
  for (const { el, signature } of candidates) {
    const id = el.getAttribute("ID");
    if (!id) continue;
    for (const certificate of keys.certificates) {
      const sig = new SignedXml({ publicCert: certificate.toString(), getCertFromKeyInfo: () => null });
      try {
        sig.loadSignature(signature);
        // The signature must cover this element (its ID) and only it.
        const refs = sig.getReferences();
        if (refs.length !== 1 || refs[0]!.uri !== `#${id}`) continue;
        if (!sig.checkSignature(xml)) continue;
      } catch {
        continue;
      }
      const [signed] = sig.getSignedReferences();
      if (!signed) continue;
      const verified = parseXml(signed).documentElement as unknown as Element;
      const name = el === response ? "Response" : "Assertion";
      if (verified.localName !== name || verified.namespaceURI !== (el === response ? PROTOCOL : ASSERTION)) continue;
      return verified;
    }
  }
  throw invalid(SIGNATURE_INVALID);
}

function date(value: string | null, field: string): Date | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw invalid(`Invalid SAML response: ${field} ${value} is not a date.`);
  return d;
}

function expired(notOnOrAfter: Date, now: Date): IamError {
  return new IamError("ExpiredTokenException", `Token expired: current date/time ${Math.floor(now.getTime() / 1000)} must be before the expiration date/time ${Math.floor(notOnOrAfter.getTime() / 1000)}`);
}

/** NameID Format as AWS's SubjectType: urn:oasis:names:tc:SAML:2.0:nameid-format: dropped, any other format as is. */
export const subjectTypeOf = (format: string | null) => {
  const f = format || UNSPECIFIED_FORMAT;
  return f.startsWith(NAMEID_FORMAT_PREFIX) ? f.slice(NAMEID_FORMAT_PREFIX.length) : f;
};

/** Checks a decoded response against the provider and the clock; the assertion's facts, or AWS's refusal. */
export function verifySamlResponse(samlAssertion: string, keys: SamlProviderKeys, now: Date): VerifiedSamlAssertion {
  const { xml, doc } = decodeSamlResponse(samlAssertion);
  const response = doc.documentElement as unknown as Element;
  const status = child(response, PROTOCOL, "Status");
  const statusCode = status ? child(status, PROTOCOL, "StatusCode")?.getAttribute("Value") : null;
  if (statusCode !== SUCCESS) throw new IamError("IDPRejectedClaim", IDP_REJECTED);
  if (childrenOf(response, ASSERTION, "EncryptedAssertion").length > 0)
    throw invalid("Invalid SAML response: encrypted assertions are not supported by IAM Lab; send the assertion unencrypted.");
  if (childrenOf(response, ASSERTION, "Assertion").length !== 1) throw invalid("Invalid SAML response: a response must hold exactly one Assertion.");

  const signed = signedXml(xml, doc, keys);
  const assertion = signed.localName === "Assertion" ? signed : childrenOf(signed, ASSERTION, "Assertion")[0];
  if (!assertion) throw invalid(SIGNATURE_INVALID);

  const issuer = text(child(assertion, ASSERTION, "Issuer"));
  if (issuer !== keys.entityId) throw invalid(ISSUER_NOT_IN_PROVIDER);

  const conditions = child(assertion, ASSERTION, "Conditions");
  const audiences = conditions ? childrenOf(conditions, ASSERTION, "AudienceRestriction").flatMap((r) => childrenOf(r, ASSERTION, "Audience").map((a) => text(a))) : [];
  if (!audiences.some((a) => a === AWS_ENTITY_ID || isAwsSamlEndpoint(a))) throw invalid(MISSING_AUDIENCE);

  const subjectEl = child(assertion, ASSERTION, "Subject");
  const nameId = subjectEl ? child(subjectEl, ASSERTION, "NameID") : undefined;
  if (!subjectEl || !nameId || !text(nameId)) throw invalid("Invalid SAML response: the assertion has no Subject NameID.");
  const confirmation = childrenOf(subjectEl, ASSERTION, "SubjectConfirmation").find((c) => c.getAttribute("Method") === BEARER);
  const confirmationData = confirmation ? child(confirmation, ASSERTION, "SubjectConfirmationData") : undefined;
  const recipient = confirmationData?.getAttribute("Recipient") ?? "";
  if (!isAwsSamlEndpoint(recipient)) throw invalid(`Invalid SAML response: the bearer SubjectConfirmationData's Recipient must be AWS's SAML endpoint (https://signin.aws.amazon.com/saml or a regional one), not '${recipient}'.`);

  // Validity: the Conditions' window and the bearer confirmation's deadline.
  const notBefore = date(conditions?.getAttribute("NotBefore") ?? null, "NotBefore");
  if (notBefore && now < notBefore) throw invalid(`Invalid SAML response: the assertion is not valid before ${notBefore.toISOString()}.`);
  for (const [value, field] of [
    [conditions?.getAttribute("NotOnOrAfter") ?? null, "NotOnOrAfter"],
    [confirmationData?.getAttribute("NotOnOrAfter") ?? null, "SubjectConfirmationData NotOnOrAfter"],
  ] as const) {
    const deadline = date(value, field);
    if (deadline && now >= deadline) throw expired(deadline, now);
  }

  const attributes = new Map<string, string[]>();
  for (const statement of childrenOf(assertion, ASSERTION, "AttributeStatement")) {
    for (const attribute of childrenOf(statement, ASSERTION, "Attribute")) {
      const name = attribute.getAttribute("Name");
      if (!name) continue;
      const values = childrenOf(attribute, ASSERTION, "AttributeValue").map((v) => text(v));
      attributes.set(name, [...(attributes.get(name) ?? []), ...values]);
    }
  }
  const authn = child(assertion, ASSERTION, "AuthnStatement");
  const sessionNotOnOrAfter = date(authn?.getAttribute("SessionNotOnOrAfter") ?? null, "SessionNotOnOrAfter");
  if (sessionNotOnOrAfter && now >= sessionNotOnOrAfter) throw expired(sessionNotOnOrAfter, now);

  return { issuer, subject: text(nameId), subjectType: subjectTypeOf(nameId.getAttribute("Format")), recipient, attributes, sessionNotOnOrAfter };
}
