// The SAML SessionDuration attribute against DurationSeconds, the role's limit
// and SessionNotOnOrAfter (lib/sts/assume-role-with-saml.ts).
import { describe, expect, it } from "vitest";
import { samlSessionDuration, sessionSeconds } from "./assume-role-with-saml";

const ATTR = "https://aws.amazon.com/SAML/Attributes/SessionDuration";
const withDuration = (...values: string[]) => ({ attributes: new Map(values.length ? [[ATTR, values]] : []), sessionNotOnOrAfter: undefined });
const now = new Date("2026-01-01T00:00:00Z");
const code = (f: () => unknown) => {
  try {
    f();
    return "accepted";
  } catch (err) {
    return (err as { code: string }).code;
  }
};

describe("SessionDuration attribute", () => {
  it("takes an integer number of seconds from 900 to 43200, refusing anything else as an invalid token", () => {
    expect(samlSessionDuration(withDuration())).toBeUndefined();
    expect(samlSessionDuration(withDuration("900"))).toBe(900);
    expect(samlSessionDuration(withDuration(" 43200 "))).toBe(43_200);
    for (const bad of ["899", "43201", "1800.5", "-900", "one hour", "", "0x384"]) expect(code(() => samlSessionDuration(withDuration(bad))), bad).toBe("InvalidIdentityToken");
  });

  it("shortens the default one-hour API session, never lengthens it, and leaves DurationSeconds alone", () => {
    expect(sessionSeconds({ seconds: 3600, durationSecondsGiven: false }, withDuration("1800"), now)).toBe(1800);
    expect(sessionSeconds({ seconds: 3600, durationSecondsGiven: false }, withDuration("43200"), now)).toBe(3600);
    expect(sessionSeconds({ seconds: 3600, durationSecondsGiven: false }, withDuration(), now)).toBe(3600);
    expect(sessionSeconds({ seconds: 7200, durationSecondsGiven: true }, withDuration("1800"), now)).toBe(7200);
    // An invalid attribute is refused whether or not DurationSeconds was given.
    expect(code(() => sessionSeconds({ seconds: 7200, durationSecondsGiven: true }, withDuration("60"), now))).toBe("InvalidIdentityToken");
  });

  it("is cut short by SessionNotOnOrAfter when that comes sooner", () => {
    const soon = { ...withDuration("1800"), sessionNotOnOrAfter: new Date(now.getTime() + 600_000) };
    expect(sessionSeconds({ seconds: 3600, durationSecondsGiven: false }, soon, now)).toBe(600);
  });
});
