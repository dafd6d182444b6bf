// Same-origin check for state-changing requests, as Next.js applies it to
// server actions: the Origin's host must be the request's host (or the host a
// trusted proxy forwarded; lib/server removes X-Forwarded-Host from anyone else).
// No Origin (not a browser, or a very old one) is not a cross-site request.

type HeaderSource = { get(name: string): string | null };

export function isForeignOrigin(h: HeaderSource): boolean {
  const origin = h.get("origin");
  if (origin === null) return false;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return true; // "null" (a sandboxed frame, a file) or garbage
  }
  const expected = h.get("x-forwarded-host")?.split(",")[0]?.trim() || h.get("host");
  return !expected || host.toLowerCase() !== expected.toLowerCase();
}

export const FOREIGN_ORIGIN_MESSAGE = "This request came from another site (its Origin header does not match this console), so it was refused.";
