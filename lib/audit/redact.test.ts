import { describe, expect, it } from "vitest";
import { HIDDEN, redact } from "./redact";

describe("redact", () => {
  it("hides secret fields at any depth, in any case, and keeps the rest", () => {
    const out = redact({
      userName: "alice",
      Password: "hunter2",
      nested: { credentials: { SecretAccessKey: "abc", accessKeyId: "AKIA123" }, list: [{ sessionToken: "t" }] },
      body: new Uint8Array([1, 2]),
    }) as Record<string, unknown>;
    expect(JSON.stringify(out)).not.toMatch(/hunter2|"abc"|"t"/);
    expect(out).toEqual({
      userName: "alice",
      Password: HIDDEN,
      nested: { credentials: { SecretAccessKey: HIDDEN, accessKeyId: "AKIA123" }, list: [{ sessionToken: HIDDEN }] },
      body: HIDDEN,
    });
  });
});
