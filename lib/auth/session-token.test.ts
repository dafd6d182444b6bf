// The session cookie's claims are remembered by the exact cookie text until
// they expire: a changed cookie, another salt or an expired one is decoded (and
// refused) in full.
import { afterEach, describe, expect, it, vi } from "vitest";
import { encode } from "next-auth/jwt";
import { decodeSessionToken } from "./session-token";

const secret = "a-test-secret-of-enough-length-0123456789";
const salt = "authjs.session-token";
const identity = { kind: "user", accountId: "111122223333", userId: "AIDAEXAMPLE", mfa: false, signedInAt: 1, sessionId: "s1" };

afterEach(() => vi.useRealTimers());

describe("decodeSessionToken", () => {
  it("gives the cookie's claims, the same on a second decode", async () => {
    const token = await encode({ token: { identity }, secret, salt, maxAge: 3600 });
    const first = await decodeSessionToken({ token, secret, salt });
    expect(first?.identity).toEqual(identity);
    expect(await decodeSessionToken({ token, secret, salt })).toEqual(first);
  });

  it("refuses a changed cookie, the same cookie under another salt, and no cookie", async () => {
    const token = await encode({ token: { identity }, secret, salt, maxAge: 3600 });
    await decodeSessionToken({ token, secret, salt });
    const parts = token.split(".");
    const tampered = [...parts.slice(0, 3), `${parts[3]!.slice(0, -2)}AA`, parts[4]].join(".");
    await expect(decodeSessionToken({ token: tampered, secret, salt })).rejects.toThrow();
    await expect(decodeSessionToken({ token, secret, salt: "__Secure-authjs.session-token" })).rejects.toThrow();
    expect(await decodeSessionToken({ token: "", secret, salt })).toBeNull();
  });

  it("does not keep an expired cookie's claims", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-06-01T10:00:00Z"));
    const token = await encode({ token: { identity }, secret, salt, maxAge: 60 });
    expect((await decodeSessionToken({ token, secret, salt }))?.identity).toEqual(identity);
    vi.setSystemTime(new Date("2026-06-01T10:05:00Z"));
    await expect(decodeSessionToken({ token, secret, salt })).rejects.toThrow();
  });
});
