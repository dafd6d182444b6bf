// The Node server that runs IAM Lab: Next.js started programmatically behind a
// plain http.Server, so the server (not the client) decides who is asking.
// Every request's client address and protocol come from the socket, or from a
// trusted proxy's forwarded headers (lib/server/client-address.ts), and reach
// route code in internal headers that are always overwritten.
//
// One process, several listeners: the console, the AWS-compatible API (port
// 4566) beside it sharing resolveRequest, and the simulated instances'
// metadata services (lib/ec2/imds-server.ts).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { applyClientHeaders, parseTrustedProxies, resolveClient, SERVER_MARK, type TrustedProxies } from "./client-address";

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

export interface Listener {
  name: string;
  port: number;
  hostname?: string;
  handler: Handler;
}

/** Resolves the client of a request (socket, or trusted proxy) into the internal headers. */
export function resolveRequest(req: http.IncomingMessage, trusted: TrustedProxies): void {
  const encrypted = Boolean((req.socket as { encrypted?: boolean }).encrypted);
  applyClientHeaders(req.headers, resolveClient(req.socket.remoteAddress, encrypted, req.headers, trusted));
}

/** A handler that resolves the client first; a failing handler answers 500 instead of hanging. */
export function withClient(handler: Handler, trusted: TrustedProxies): Handler {
  return async (req, res) => {
    resolveRequest(req, trusted);
    try {
      await handler(req, res);
    } catch (err) {
      console.error("IAM Lab: request failed:", (err as Error)?.message);
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end("Internal error");
    }
  };
}

export async function listen(listener: Listener, trusted: TrustedProxies): Promise<http.Server> {
  const server = http.createServer(withClient(listener.handler, trusted));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(listener.port, listener.hostname, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  console.log(`IAM Lab: ${listener.name} listening on http://${listener.hostname ?? "localhost"}:${port}`);
  return server;
}

/** Next.js (the built console) as a request handler. */
export async function nextHandler(dir: string, hostname: string, port: number): Promise<Handler> {
  const { default: next } = await import("next");
  const app = next({ dev: false, dir, hostname, port });
  await app.prepare();
  // In production Next runs the instrumentation hook (instrumentation.ts: migrations and the
  // installation key check, lib/db/bootstrap.ts) only when the first request arrives. Run it
  // now, so that a server that cannot run on its database exits before it listens.
  // (Next's custom-server wrapper keeps the server that runs it in `server`; if a Next upgrade
  // moves it, starting fails here rather than quietly skipping the check.)
  const inner = (app as unknown as { server?: { getServer?(): Promise<{ prepare(): Promise<void> }> } }).server;
  if (typeof inner?.getServer !== "function") throw new Error("IAM Lab: cannot run Next's start-up hook before listening (Next's internals changed?)");
  await (await inner.getServer()).prepare();
  return app.getRequestHandler() as Handler;
}

export interface ServeOptions {
  dir: string;
  port: number;
  hostname?: string;
  /** IAMLAB_TRUSTED_PROXIES */
  trustedProxies?: string;
  /** IAMLAB_API_PORT: the AWS-compatible API (lib/aws); 0 or absent: not served. */
  apiPort?: number;
}

/** Starts the console (and, later, the API) in this process. Returns the servers, for closing. */
export async function serve(options: ServeOptions): Promise<http.Server[]> {
  const trusted = parseTrustedProxies(options.trustedProxies);
  // Route code trusts the internal headers only when this server put them there.
  (globalThis as Record<symbol, unknown>)[SERVER_MARK] = true;
  const console_ = {
    name: "console",
    port: options.port,
    hostname: options.hostname,
    handler: await nextHandler(options.dir, options.hostname ?? "localhost", options.port),
  };
  const listeners: Listener[] = [console_];
  if (options.apiPort) {
    const { apiHandler } = await import("../aws/start");
    listeners.push({ name: "AWS API", port: options.apiPort, hostname: options.hostname, handler: await apiHandler(options.trustedProxies) });
  }
  const servers = await Promise.all(
    listeners.map((l) =>
      l === console_
        ? listen(l, trusted)
        : listen(l, trusted).catch((err: Error) => {
            console.error(`IAM Lab: the ${l.name} could not listen on port ${l.port} (${err.message}); set IAMLAB_API_PORT to a free port, or 0 to turn it off.`);
            return null;
          }),
    ),
  );
  // Simulated EC2 instances' metadata services (lib/ec2), one listener per running instance.
  const { startInstanceMetadata } = await import("../ec2/imds-start");
  const metadata = await startInstanceMetadata();
  const open = servers.filter((s): s is http.Server => s !== null);
  if (metadata) open[0]?.once("close", () => void metadata.stop());
  return open;
}
