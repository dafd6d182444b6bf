// The API door's entry for IAM Lab's Node server (lib/server/serve.ts).
import type http from "node:http";
import { allowServerOnlyImports } from "../server/server-only-hook";

export async function apiHandler(trustedProxies?: string): Promise<(req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>> {
  allowServerOnlyImports();
  const { createApiHandler } = await import("./handler");
  return createApiHandler({ trustedProxies });
}
