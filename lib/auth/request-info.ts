import "server-only";
import { headers } from "next/headers";
import { newRequestId } from "@/lib/crypto/ids";
import { env } from "@/lib/env";
import type { RequestInfo } from "@/lib/iam/principal";

/** Who is asking, from the request headers (the console door). */
export async function consoleRequestInfo(): Promise<RequestInfo> {
  const h = await headers();
  const forwarded = h.get("x-forwarded-for")?.split(",")[0]?.trim();
  return {
    via: "console",
    sourceIp: forwarded || h.get("x-real-ip") || "127.0.0.1",
    userAgent: h.get("user-agent") ?? undefined,
    secureTransport: h.get("x-forwarded-proto") === "https",
    region: env().IAMLAB_REGION,
    requestId: newRequestId(),
  };
}
