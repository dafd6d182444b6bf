// Serves the built console with IAM Lab's own Node server (lib/server/serve.ts):
//   node --import tsx scripts/server.ts [--port 3000] [--hostname 0.0.0.0]
// `npm start` runs it after building; the e2e webServer runs it directly.
import path from "node:path";
import { parseArgs } from "node:util";
import { env } from "../lib/env";
import { serve } from "../lib/server/serve";

const { values } = parseArgs({ options: { port: { type: "string" }, hostname: { type: "string" } } });
const root = path.resolve(import.meta.dirname, "..");
(process.env as Record<string, string | undefined>).NODE_ENV ??= "production";
// Files the server creates (database, WAL, keys) are readable by its own user only; directories 0700.
process.umask(0o077);

async function main() {
  const settings = env();
  const servers = await serve({
    dir: root,
    port: values.port ? Number(values.port) : settings.PORT,
    hostname: values.hostname,
    trustedProxies: settings.IAMLAB_TRUSTED_PROXIES,
    apiPort: settings.IAMLAB_API_PORT,
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      for (const s of servers) s.close();
      process.exit(0);
    });
  }
}

main().catch((err) => {
  console.error((err as Error)?.message ?? err);
  process.exit(1);
});
