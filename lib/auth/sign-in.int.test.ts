import { describe, expect, it } from "vitest";
import { codeAt, currentStep } from "@/lib/crypto/totp";
import { db } from "@/lib/db/client";
import { DEMO_ACCOUNTS, DEMO_MFA_SEED, DEMO_PASSWORD } from "@/lib/db/seed/demo-identities";
import { testRequest } from "@/lib/testing/principals";
import { checkMfaCode, checkPassword, WRONG_CREDENTIALS } from "./sign-in";
import { redeemTicket } from "./ticket";

const dev = DEMO_ACCOUNTS.dev;
const user = (userName: string, password: string, account: string = dev.alias) => ({ kind: "user" as const, account, userName, password });

describe("console sign-in", () => {
  it("signs an IAM user in by account alias or ID, and the root user by email", async () => {
    for (const input of [user("admin", DEMO_PASSWORD), user("ADMIN", DEMO_PASSWORD, dev.id), { kind: "root" as const, email: dev.rootEmail, password: DEMO_PASSWORD }]) {
      const step = await checkPassword(input, testRequest({ sourceIp: "198.51.100.1" }));
      expect(step.status).toBe("signed-in");
      const identity = step.status === "signed-in" ? redeemTicket(step.ticket) : null;
      expect(identity?.accountId).toBe(dev.id);
    }
  });

  it("answers a wrong password, an unknown user and an unknown account with one generic message", async () => {
    for (const input of [user("admin", "wrong-password"), user("no-such-user", "wrong-password"), user("admin", DEMO_PASSWORD, "no-such-alias")]) {
      const err = await checkPassword(input, testRequest({ sourceIp: "198.51.100.2" })).catch((e) => e);
      expect(err.code).toBe("AccessDenied");
      expect(err.message).toBe(WRONG_CREDENTIALS);
    }
  });

  it("slows repeated failures down per identity, even with the right password, and records them without the password", async () => {
    const request = () => testRequest({ sourceIp: `198.51.100.${10 + Math.floor(Math.random() * 200)}` });
    for (let i = 0; i < 6; i++) await checkPassword(user("carol", `guess-${i}`), request()).catch(() => {});
    const err = await checkPassword(user("carol", DEMO_PASSWORD), request()).catch((e) => e);
    expect(err.code).toBe("Throttling");
    expect(err.message).toMatch(/Wait \d+ seconds/);
    const events = await db().auditEvent.findMany({ where: { eventName: "ConsoleLogin", identityUserName: "carol" } });
    expect(events.length).toBeGreaterThanOrEqual(6);
    expect(JSON.stringify(events)).not.toContain("guess-");
  });

  it("counts an account's alias and its 12-digit ID as one identity", async () => {
    const request = () => testRequest({ sourceIp: `198.51.100.${10 + Math.floor(Math.random() * 200)}` });
    for (let i = 0; i < 6; i++) await checkPassword(user("alice", `guess-${i}`, i % 2 ? dev.id : dev.alias.toUpperCase()), request()).catch(() => {});
    const err = await checkPassword(user("alice", DEMO_PASSWORD, dev.id), request()).catch((e) => e);
    expect(err.code).toBe("Throttling");
  });

  it("slows repeated failures down per client address across identities, past a classroom's worth of typos", async () => {
    const request = testRequest({ sourceIp: "203.0.113.99" });
    for (let i = 0; i < 21; i++) await checkPassword(user(`someone-${i}`, "x"), request).catch(() => {});
    const err = await checkPassword(user("bob", DEMO_PASSWORD), request).catch((e) => e);
    expect(err.code).toBe("Throttling");
  });

  it("asks an identity with an MFA device for a code, accepts it once, and refuses a wrong one", async () => {
    const step = await checkPassword(user("erin", DEMO_PASSWORD), testRequest({ sourceIp: "198.51.100.3" }));
    expect(step.status).toBe("mfa");
    const challenge = step.status === "mfa" ? step.challenge : "";
    const wrong = await checkMfaCode(challenge, "000000", testRequest()).catch((e) => e);
    expect(wrong.code).toBe("InvalidAuthenticationCode");
    const code = codeAt(DEMO_MFA_SEED, currentStep());
    const { ticket } = await checkMfaCode(challenge, code, testRequest());
    expect(redeemTicket(ticket)).toMatchObject({ kind: "user", mfa: true });
    const replay = await checkMfaCode(challenge, code, testRequest()).catch((e) => e);
    expect(replay.code).toBe("InvalidAuthenticationCode");
  });

  it("refuses a forged or expired MFA challenge", async () => {
    const err = await checkMfaCode("v1.not.a.challenge", "123456", testRequest()).catch((e) => e);
    expect(err.code).toBe("ExpiredToken");
  });
});
