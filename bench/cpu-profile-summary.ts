/**
 * Summarizes a V8 CPU profile (.cpuprofile, as `node --cpu-prof` writes it) by
 * source file: self time (samples whose top frame is in the file) and
 * inclusive time (samples with the file anywhere on the stack, counted once),
 * plus the hottest functions by self time.
 *
 *   npx tsx bench/cpu-profile-summary.ts FILE.cpuprofile [--top=25] [--last=SECONDS]
 *
 * --last counts only the profile's final SECONDS (a server's profile runs from
 * its start; the measured load is at its end, before it stops).
 *
 * bench:load --cpu-prof=DIR writes the server's profile into DIR.
 */
import fs from "node:fs";
import { SourceMap } from "node:module";
import path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface FileTime {
  file: string;
  selfMs: number;
  inclusiveMs: number;
}

/** A frame's file, readable: a path inside the project or node_modules; V8's own entries ("(idle)", "(garbage collector)", "(program)"); else "(native)". */
export function fileOf(frame: { url: string; functionName: string }, root: string): string {
  const url = frame.url;
  if (!url) return frame.functionName.startsWith("(") ? frame.functionName : "(native)";
  let p = url.replace(/^file:\/\//, "");
  const nm = p.lastIndexOf("/node_modules/");
  if (nm >= 0) {
    p = p.slice(nm + "/node_modules/".length);
    return p;
  }
  return p.startsWith(root) ? path.relative(root, p) : p;
}

/**
 * Bundled code (Next's server chunks) back to its source file through the
 * chunk's source map, so a profile reads "lib/auth/current.ts", not a chunk name.
 */
function sourceResolver(root: string) {
  const maps = new Map<string, SourceMap | null>();
  const mapOf = (file: string) => {
    if (!maps.has(file)) {
      let map: SourceMap | null = null;
      try {
        if (fs.existsSync(`${file}.map`)) map = new SourceMap(JSON.parse(fs.readFileSync(`${file}.map`, "utf8")));
      } catch {
        map = null;
      }
      maps.set(file, map);
    }
    return maps.get(file)!;
  };
  return (frame: ProfileNode["callFrame"]): string => {
    const short = fileOf(frame, root);
    if (!frame.url.startsWith("file://") || !frame.url.includes("/server/chunks/")) return short;
    const file = frame.url.slice("file://".length);
    const entry = mapOf(file)?.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string } | undefined;
    if (!entry?.originalSource) return short;
    const original = entry.originalSource.startsWith("file://") ? entry.originalSource.slice(7) : path.resolve(path.dirname(file), entry.originalSource);
    return fileOf({ url: original, functionName: frame.functionName }, root);
  };
}

export function summarize(profile: CpuProfile, root: string, lastSeconds = Infinity) {
  const resolve = sourceResolver(root);
  const fileOfNode = new Map<number, string>();
  const nodeFile = (node: ProfileNode) => fileOfNode.get(node.id) ?? fileOfNode.set(node.id, resolve(node.callFrame)).get(node.id)!;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const files = new Map<string, FileTime>();
  const fns = new Map<string, number>();
  const entry = (file: string) => files.get(file) ?? files.set(file, { file, selfMs: 0, inclusiveMs: 0 }).get(file)!;
  let total = 0;
  // Sample i's time is timeDeltas[i] after the previous one; its own duration the next delta.
  const at: number[] = [];
  for (let i = 0, t = profile.startTime; i < profile.samples.length; i++) at.push((t += profile.timeDeltas[i] ?? 0));
  const from = profile.endTime - lastSeconds * 1e6;
  for (let i = 0; i < profile.samples.length; i++) {
    if (at[i]! < from) continue;
    const ms = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000;
    total += ms;
    let id: number | undefined = profile.samples[i]!;
    const top = byId.get(id)!;
    const topFile = nodeFile(top);
    entry(topFile).selfMs += ms;
    const fn = `${top.callFrame.functionName || "(anonymous)"} ${topFile}:${top.callFrame.lineNumber + 1}`;
    fns.set(fn, (fns.get(fn) ?? 0) + ms);
    const seen = new Set<string>();
    while (id !== undefined) {
      const f = nodeFile(byId.get(id)!);
      if (!seen.has(f)) {
        seen.add(f);
        entry(f).inclusiveMs += ms;
      }
      id = parent.get(id);
    }
  }
  return { totalMs: total, files: [...files.values()], functions: [...fns].map(([name, ms]) => ({ name, ms })) };
}

function main() {
  const file = process.argv[2];
  if (!file) {
    console.error("usage: tsx bench/cpu-profile-summary.ts FILE.cpuprofile [--top=25]");
    process.exit(2);
  }
  const top = Number(process.argv.find((a) => a.startsWith("--top="))?.slice(6) ?? 25);
  const last = Number(process.argv.find((a) => a.startsWith("--last="))?.slice(7) ?? Infinity);
  const root = path.resolve(import.meta.dirname, "..");
  const { totalMs, files, functions } = summarize(JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile, root, last);
  const idle = files.find((f) => f.file === "(idle)")?.selfMs ?? 0;
  const pct = (ms: number) => `${((100 * ms) / totalMs).toFixed(1).padStart(5)}%`;
  console.log(`${file}: ${(totalMs / 1000).toFixed(1)} s sampled, ${((totalMs - idle) / 1000).toFixed(1)} s busy (idle ${pct(idle)})`);
  console.log(`\nby file, self time:`);
  for (const f of files.sort((a, b) => b.selfMs - a.selfMs).slice(0, top)) console.log(`  ${pct(f.selfMs)}  ${f.file}`);
  console.log(`\nby file, inclusive time:`);
  for (const f of files.sort((a, b) => b.inclusiveMs - a.inclusiveMs).slice(0, top)) console.log(`  ${pct(f.inclusiveMs)}  ${f.file}`);
  console.log(`\nfunctions, self time:`);
  for (const f of functions.sort((a, b) => b.ms - a.ms).slice(0, top)) console.log(`  ${pct(f.ms)}  ${f.name}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) main();
