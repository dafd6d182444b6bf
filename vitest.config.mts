import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "@": path.resolve(import.meta.dirname), "server-only": path.resolve(import.meta.dirname, "lib/testing/server-only-stub.ts") };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "components/**/*.test.ts", "app/**/*.test.ts", "scripts/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "node_modules/**"],
          environment: "node",
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["lib/**/*.int.test.ts", "app/**/*.int.test.ts"],
          environment: "node",
          globalSetup: ["lib/testing/integration-setup.ts"],
          setupFiles: ["lib/testing/per-file-db.ts"],
          // One database per test file; files run in parallel on both cores.
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
