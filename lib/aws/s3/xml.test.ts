// The REST-XML decoder under random and mutated bodies: every body decodes or
// is refused with S3's MalformedXML (400); nothing else escapes (no crash, so
// no 500 at the door).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AwsApiError } from "../errors";
import { MODELS } from "../models";
import { decodeXmlPayload } from "./xml";

const model = MODELS.s3;

/** The payloads the door decodes: the operation's payload shape and its XML root. */
const PAYLOADS = Object.values(model.operations)
  .map((op) => (op.input ? model.shapes[op.input.shape] : undefined))
  .filter((s) => s?.payload)
  .map((s) => s!.members![s!.payload!]!)
  .filter((ref) => model.shapes[ref.shape]!.type === "structure")
  .map((ref) => ({ shape: ref.shape, root: ref.locationName ?? ref.shape }));

const VALID = [
  { shape: "Tagging", root: "Tagging", body: '<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>' },
  { shape: "Delete", root: "Delete", body: "<Delete><Object><Key>x</Key></Object><Object><Key>y</Key></Object><Quiet>true</Quiet></Delete>" },
  { shape: "VersioningConfiguration", root: "VersioningConfiguration", body: "<VersioningConfiguration><Status>Enabled</Status><MfaDelete>Disabled</MfaDelete></VersioningConfiguration>" },
  {
    shape: "CompletedMultipartUpload",
    root: "CompleteMultipartUpload",
    body: '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"abc"</ETag></Part><Part><PartNumber>2</PartNumber><ETag>"def"</ETag></Part></CompleteMultipartUpload>',
  },
];

function decodesOrRefuses(shape: string, root: string, body: string): void {
  try {
    const out = decodeXmlPayload(model, shape, root, body);
    expect(typeof out).toBe("object");
  } catch (err) {
    expect(err).toBeInstanceOf(AwsApiError);
    expect({ code: (err as AwsApiError).code, status: (err as AwsApiError).status }).toEqual({ code: "MalformedXML", status: 400 });
  }
}

describe("REST-XML decoder", () => {
  it("knows the S3 payloads it is fuzzed with", () => {
    expect(PAYLOADS.length).toBeGreaterThan(20);
    for (const v of VALID) expect(PAYLOADS).toContainEqual({ shape: v.shape, root: v.root });
  });

  it("decodes the valid bodies", () => {
    expect(decodeXmlPayload(model, "Tagging", "Tagging", VALID[0]!.body)).toEqual({ TagSet: [{ Key: "a", Value: "b" }] });
    expect(decodeXmlPayload(model, "Delete", "Delete", VALID[1]!.body)).toEqual({ Objects: [{ Key: "x" }, { Key: "y" }], Quiet: true });
  });

  it("refuses what is not well-formed, a wrong root, a wrong scalar and a document type, with MalformedXML", () => {
    for (const body of ["", "   ", "hello", "<Tagging>", "<Tagging><TagSet></Tagging>", "<Other/>", '<!DOCTYPE Tagging [<!ENTITY x "y">]><Tagging>&x;</Tagging>', "<Tagging/><Tagging/>"]) {
      expect(() => decodeXmlPayload(model, "Tagging", "Tagging", body), body).toThrow(expect.objectContaining({ code: "MalformedXML", status: 400 }));
    }
    expect(() => decodeXmlPayload(model, "Delete", "Delete", "<Delete><Quiet>maybe</Quiet></Delete>")).toThrow(expect.objectContaining({ code: "MalformedXML" }));
    expect(() => decodeXmlPayload(model, "CompletedMultipartUpload", "CompleteMultipartUpload", "<CompleteMultipartUpload><Part><PartNumber>one</PartNumber></Part></CompleteMultipartUpload>")).toThrow(
      expect.objectContaining({ code: "MalformedXML" }),
    );
  });

  it("fuzz: random text as any payload decodes or is MalformedXML", () => {
    fc.assert(
      fc.property(fc.nat({ max: PAYLOADS.length - 1 }), fc.string({ maxLength: 300 }), (i, body) => {
        const { shape, root } = PAYLOADS[i]!;
        decodesOrRefuses(shape, root, body);
        decodesOrRefuses(shape, root, `<${root}>${body}</${root}>`);
      }),
      { numRuns: 1000 },
    );
  }, 60_000);

  it("fuzz: valid bodies with bytes changed, cut, repeated or nested deep decode or are MalformedXML", () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant("replace" as const), at: fc.nat(), text: fc.string({ maxLength: 8 }) }),
      fc.record({ kind: fc.constant("cut" as const), at: fc.nat(), text: fc.constant("") }),
      fc.record({ kind: fc.constant("repeat" as const), at: fc.nat(), text: fc.constant("") }),
    );
    fc.assert(
      fc.property(fc.nat({ max: VALID.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 6 }), fc.nat({ max: 60 }), (i, mutations, depth) => {
        const v = VALID[i]!;
        let body = v.body;
        for (const m of mutations) {
          const at = m.at % (body.length + 1);
          if (m.kind === "replace") body = body.slice(0, at) + m.text + body.slice(at + m.text.length);
          else if (m.kind === "cut") body = body.slice(0, at);
          else body = body.slice(0, at) + body.slice(at) + body.slice(at);
        }
        decodesOrRefuses(v.shape, v.root, body);
        // Deep nesting inside a valid root.
        decodesOrRefuses(v.shape, v.root, `<${v.root}>${"<TagSet>".repeat(depth)}${"</TagSet>".repeat(depth)}</${v.root}>`);
      }),
      { numRuns: 500 },
    );
  }, 60_000);
});
