import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { s3ErrorXml } from "./error-xml";

describe("s3ErrorXml", () => {
  it("writes S3's error document with the code, message and request ID", () => {
    const doc = s3ErrorXml({ code: "AccessDenied", message: "Access Denied", requestId: "REQ1" });
    expect(doc.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<Error>')).toBe(true);
    expect(new XMLParser().parse(doc)).toEqual({ "?xml": "", Error: { Code: "AccessDenied", Message: "Access Denied", RequestId: "REQ1" } });
  });

  it("escapes markup in the message, so a key such as <b>&</b> cannot break the document", () => {
    const doc = s3ErrorXml({ code: "NoSuchKey", message: "The key a<b>&c</b> does not exist.", requestId: "R" });
    expect(doc).toContain("<Message>The key a&lt;b&gt;&amp;c&lt;/b&gt; does not exist.</Message>");
    expect(new XMLParser().parse(doc).Error.Message).toBe("The key a<b>&c</b> does not exist.");
  });
});
