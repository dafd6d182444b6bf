import "server-only";
// Who is asking, for the console door. The address and protocol come from IAM
// Lab's Node server (lib/server), which takes them from the socket, or from a
// trusted proxy's forwarded headers, and always overwrites the internal headers
// that carry them. A client's own X-Forwarded-For / X-Forwarded-Proto never
// reach aws:SourceIp, aws:SecureTransport, the audit or the sign-in throttle.
// Run without that server (next dev), the address is unknown and the
// transport is not taken as secure.
import { headers } from "next/headers";
import { newRequestId } from "@/lib/crypto/ids";
import { env } from "@/lib/env";
import type { RequestInfo } from "@/lib/iam/principal";
import { clientOf } from "@/lib/server/client-address";

type HeaderSource = { get(name: string): string | null };

export function requestInfoFrom(h: HeaderSource): RequestInfo {
  return {
    via: "console",
    ...clientOf(h),
    userAgent: h.get("user-agent") ?? undefined,
    region: env().IAMLAB_REGION,
    requestId: newRequestId(),
  };
}

/** Who is asking, from the request headers (the console door). */
export async function consoleRequestInfo(): Promise<RequestInfo> {
  return requestInfoFrom(await headers());
}

/** True when the request came over HTTPS (for Secure cookies). */
export async function isSecureRequest(): Promise<boolean> {
  return clientOf(await headers()).secureTransport;
}

/**
 * The console's own origin as the browser reached it ("https://iam.example.com"),
 * for links people copy elsewhere (a role's switch-role link). The host is the
 * request's, or the one a trusted proxy forwarded (lib/server removes
 * X-Forwarded-Host from anyone else).
 */
export async function consoleOrigin(): Promise<string> {
  const h = await headers();
  const host = h.get("x-forwarded-host")?.split(",")[0]?.trim() || h.get("host") || "localhost";
  return `${clientOf(h).secureTransport ? "https" : "http"}://${host}`;
}
