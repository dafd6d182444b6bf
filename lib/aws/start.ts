// The API door's entry for IAM Lab's Node server (lib/server/serve.ts), which
// runs under plain Node + tsx rather than Next's bundler: there the domain's
// `import "server-only"` marker would throw, so it is resolved as it is for
// server code (the "react-server" condition, for that one package only)
// before the handler is loaded.
import { register } from "node:module";
import type http from "node:http";

const HOOK = `data:text/javascript,${encodeURIComponent(
  "export async function resolve(s, c, next) { return next(s, s === 'server-only' ? { ...c, conditions: [...c.conditions, 'react-server'] } : c); }",
)}`;

let registered = false;

export async function apiHandler(trustedProxies?: string): Promise<(req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>> {
  if (!registered) {
    register(HOOK);
    registered = true;
  }
  const { createApiHandler } = await import("./handler");
  return createApiHandler({ trustedProxies });
}
