import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

// Debian's Chromium (apt-get install -y chromium); Playwright cannot download its own here.
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!fs.existsSync(chromium)) {
  throw new Error(`Chromium not found at ${chromium}. Install it with: apt-get install -y chromium (or set CHROMIUM_PATH).`);
}

const PORT = Number(process.env.E2E_PORT ?? 3100);
/** A fresh data directory (SQLite database, keys) for every e2e run. */
export const E2E_DATA_DIR = path.join(os.tmpdir(), `iamlab-e2e-${PORT}`);

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: {
    // IAM Lab's own Node server (as `npm start` runs it), serving the build in IAMLAB_NEXT_DIR (default .next).
    command: `rm -rf ${E2E_DATA_DIR} && node --import tsx scripts/server.ts --port ${PORT} --hostname 127.0.0.1`,
    url: `http://127.0.0.1:${PORT}/signin`,
    timeout: 180_000,
    reuseExistingServer: false,
    env: { IAMLAB_DATA_DIR: E2E_DATA_DIR, NEXT_TELEMETRY_DISABLED: "1", IAMLAB_SEED: "demo" },
    stdout: "pipe",
    stderr: "pipe",
  },
});
