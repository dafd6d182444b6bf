// What the API benches read of a server they started: when it listens, and the
// CPU time it has spent (from /proc, so a busy machine does not skew it).
import fs from "node:fs";
import net from "node:net";

export { freePort } from "../lib/testing/run-server";

/** Resolves once something accepts connections on 127.0.0.1:port; throws after `ms`. */
export async function waitForPort(port: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, "127.0.0.1", () => (s.destroy(), resolve(true))).on("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`nothing listening on ${port} after ${ms} ms`);
}

/** A process's CPU time so far (user + system, all threads), in ms. */
export function cpuTimeMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}
