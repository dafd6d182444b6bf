// The security headers every response carries. Pure: next.config.ts (every
// path, static files included) and proxy.ts (pages: the per-request CSP nonce,
// HSTS over HTTPS) both use it.

/** Server actions and the upload route accept bodies up to this (the console's 16 MiB object limit fits). */
export const SERVER_ACTION_BODY_LIMIT_MB = 20;

export const STATIC_SECURITY_HEADERS: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  // Console URLs name users, roles and buckets: other sites get no referrer.
  "Referrer-Policy": "same-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), display-capture=()",
  // Legacy twin of CSP frame-ancestors 'none': no page may frame the console.
  "X-Frame-Options": "DENY",
  "Cross-Origin-Opener-Policy": "same-origin",
};

export const HSTS = "max-age=31536000; includeSubDomains";

/**
 * The Content-Security-Policy of a page. Next.js puts the nonce on its own
 * inline and bundled scripts (it reads it from this header on the request);
 * 'strict-dynamic' lets those load the rest. Styles stay inline-able (Next,
 * Tailwind and CodeMirror inject style tags); images include data: URLs (MFA QR codes).
 */
export function contentSecurityPolicy(nonce: string, options: { dev?: boolean; https?: boolean } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(options.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}
