import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // A separate build folder lets two builds (e.g. two test runs) coexist.
  distDir: process.env.IAMLAB_NEXT_DIR ?? ".next",
  // Object uploads go through server actions: allow the console's object size limit.
  experimental: { serverActions: { bodySizeLimit: "20mb" } },
};

export default nextConfig;
