// IAM Lab's Node server (lib/server/serve.ts) runs under plain Node + tsx, not
// Next's bundler: there the domain's `import "server-only"` marker would throw.
// This resolves that one package as it is for server code (the "react-server"
// condition) before a door's handler is loaded.
import { register } from "node:module";

const HOOK = `data:text/javascript,${encodeURIComponent(
  "export async function resolve(s, c, next) { return next(s, s === 'server-only' ? { ...c, conditions: [...c.conditions, 'react-server'] } : c); }",
)}`;

let registered = false;

export function allowServerOnlyImports(): void {
  if (registered) return;
  register(HOOK);
  registered = true;
}
