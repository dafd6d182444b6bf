// Secrets never reach an audit record: fields that carry them are replaced by
// CloudTrail's "HIDDEN_DUE_TO_SECURITY_REASONS" wherever they appear.
const SECRET_FIELDS = new Set(
  [
    "password",
    "oldPassword",
    "newPassword",
    "passwordConfirm",
    "secretAccessKey",
    "sessionToken",
    "authenticationCode1",
    "authenticationCode2",
    "tokenCode",
    "code",
    "base32StringSeed",
    "qrCodePNG",
    "seed",
    "privateKey",
    "body",
  ].map((f) => f.toLowerCase()),
);

export const HIDDEN = "HIDDEN_DUE_TO_SECURITY_REASONS";

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return HIDDEN;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_FIELDS.has(k.toLowerCase()) ? HIDDEN : redact(v, depth + 1)]),
  );
}
