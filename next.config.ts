import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Object uploads go through server actions: allow the console's object size limit.
  experimental: { serverActions: { bodySizeLimit: "20mb" } },
};

export default nextConfig;
