// AWS-shaped identifiers. Unique IDs are a 4-letter prefix and base32 characters,
// as AWS prints them (AIDA + 17 = 21 characters; access key IDs are 20).
import crypto from "node:crypto";

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function randomChars(n: number, alphabet = BASE32): string {
  const bytes = crypto.randomBytes(n);
  let out = "";
  for (let i = 0; i < n; i++) out += alphabet[bytes[i]! % alphabet.length];
  return out;
}

export type IdPrefix = "AIDA" | "AGPA" | "AROA" | "ANPA" | "ANVA" | "AIPA" | "ASCA" | "APKA" | "ACCA";
export const newUniqueId = (prefix: IdPrefix) => prefix + randomChars(17);
export const newAccessKeyId = (kind: "AKIA" | "ASIA") => kind + randomChars(16);
export function newSecretAccessKey(): string {
  return crypto.randomBytes(30).toString("base64").replace(/[+/]/g, (c) => (c === "+" ? "A" : "B")).slice(0, 40);
}
export const newSessionToken = () => "IQoJb3JpZ2luX2Vj" + crypto.randomBytes(96).toString("base64");
export const newRequestId = () => crypto.randomUUID();
