import "server-only";
// Short-lived sealed tokens between sign-in steps: an MFA challenge (password
// checked, code still due) and the ticket the credentials provider redeems.
// Sealed with the master key (AES-256-GCM), so the browser can neither read nor forge them.
import { decryptSecret, encryptSecret } from "@/lib/crypto/secrets";
import type { SignedInIdentity } from "./config";

type Sealed<T> = { purpose: string; exp: number; value: T };

export function seal<T>(purpose: string, value: T, ttlSeconds: number): string {
  return encryptSecret(JSON.stringify({ purpose, exp: Date.now() + ttlSeconds * 1000, value } satisfies Sealed<T>));
}

export function unseal<T>(purpose: string, token: string): T | null {
  try {
    const sealed = JSON.parse(decryptSecret(token)) as Sealed<T>;
    return sealed.purpose === purpose && sealed.exp > Date.now() ? sealed.value : null;
  } catch {
    return null;
  }
}

export const issueTicket = (identity: SignedInIdentity) => seal("ticket", identity, 60);
export const redeemTicket = (ticket: string) => unseal<SignedInIdentity>("ticket", ticket);
