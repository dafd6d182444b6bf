// Virtual MFA: RFC 6238 TOTP, 6 digits, 30-second steps, SHA-1 (what authenticator
// apps and AWS use). A code is accepted for the current step and one step either side,
// and only if its step is later than the last accepted one (no replay).
import crypto from "node:crypto";
import { Secret, TOTP } from "otpauth";

const PERIOD = 30;

export function newTotpSeed(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(seedBase32: string, label = "IAM Lab", issuer = "IAM Lab") {
  return new TOTP({ issuer, label, algorithm: "SHA1", digits: 6, period: PERIOD, secret: Secret.fromBase32(seedBase32) });
}

export function totpUri(seedBase32: string, label: string): string {
  return totp(seedBase32, label, "Amazon Web Services").toString();
}

export function currentStep(now = Date.now()): number {
  return Math.floor(now / 1000 / PERIOD);
}

export function codeAt(seedBase32: string, step: number): string {
  return totp(seedBase32).generate({ timestamp: step * PERIOD * 1000 });
}

/** The step the code belongs to (within ±1 of now), or null. Constant-time compare. */
export function matchCode(seedBase32: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const step = currentStep(now);
  for (const candidate of [step - 1, step, step + 1]) {
    const expected = codeAt(seedBase32, candidate);
    if (crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(code))) return candidate;
  }
  return null;
}
