import "server-only";
// Keeps one metadata listener per running instance: every few seconds the
// running instances are read from the database and listeners are opened for new
// ones and closed for terminated ones. Instances are launched by the console in
// Next's part of the process, so the database is what the two share. Each
// listener binds 127.0.0.1 only: like 169.254.169.254, it is reachable from the
// machine itself, never from the network.
import http from "node:http";
import { db } from "@/lib/db/client";
import { imdsHandler } from "./imds";
import { imdsPortRange } from "./instances";

export interface ImdsService {
  /** Opens and closes listeners to match the running instances now. */
  reconcile(): Promise<void>;
  ports(): number[];
  stop(): Promise<void>;
}

export function startImdsService(intervalMs = 2000): ImdsService | null {
  const range = imdsPortRange();
  if (!range) return null;
  const open = new Map<number, http.Server>();
  const unavailable = new Set<number>(); // another process holds it (a second server on this machine)
  let running: Promise<void> | null = null;

  async function listenOn(port: number) {
    const server = http.createServer(imdsHandler(port));
    try {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, "127.0.0.1", () => resolve());
      });
      open.set(port, server);
    } catch (err) {
      if (!unavailable.has(port)) console.error(`IAM Lab: instance metadata port ${port} is taken (${(err as Error).message}); another server may be serving it.`);
      unavailable.add(port);
    }
  }

  async function close(port: number) {
    const server = open.get(port);
    open.delete(port);
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async function sync() {
    const rows = await db().ec2Instance.findMany({ where: { state: "running", imdsPort: { gte: range![0], lte: range![1] } }, select: { imdsPort: true } });
    const wanted = new Set(rows.map((r) => r.imdsPort!));
    for (const port of [...open.keys()]) if (!wanted.has(port)) await close(port);
    for (const port of unavailable) if (!wanted.has(port)) unavailable.delete(port);
    for (const port of wanted) if (!open.has(port) && !unavailable.has(port)) await listenOn(port);
  }

  const reconcile = () => {
    running ??= sync()
      .catch((err) => console.error("IAM Lab: instance metadata listeners could not be updated:", (err as Error)?.message))
      .finally(() => (running = null));
    return running;
  };
  const timer = setInterval(reconcile, intervalMs);
  timer.unref();
  void reconcile();
  return {
    reconcile,
    ports: () => [...open.keys()].sort((a, b) => a - b),
    stop: async () => {
      clearInterval(timer);
      await running;
      for (const port of [...open.keys()]) await close(port);
    },
  };
}
