/**
 * A policy summary like the IAM console's: per service and effect, the access levels granted,
 * the resources and the conditions.
 */
import { actionsOf, matchingActions, serviceExists, serviceName } from "./catalog";
import { readPolicyDocument } from "./document";
import type { AccessLevel, PolicySummary, ServiceSummary } from "./types";

const LEVELS: AccessLevel[] = ["List", "Read", "Write", "Permissions management", "Tagging"];

interface Acc {
  service: string;
  effect: "Allow" | "Deny";
  actions: Map<string, string[]>;
  resources: Set<string>;
  conditions: Set<string>;
  notAction?: boolean;
}

export async function summarizePolicy(text: string): Promise<PolicySummary> {
  const r = readPolicyDocument(text);
  if (!r.ok) return { services: [], unknownServices: [] };
  const accs = new Map<string, Acc>();
  const unknown = new Set<string>();
  const get = (service: string, effect: "Allow" | "Deny", notAction = false): Acc => {
    const key = `${effect}|${service}|${notAction}`;
    let a = accs.get(key);
    if (!a) {
      a = { service, effect, actions: new Map(), resources: new Set(), conditions: new Set(), ...(notAction ? { notAction } : {}) };
      accs.set(key, a);
    }
    return a;
  };
  for (const st of r.read.document.Statement) {
    if (st.Effect !== "Allow" && st.Effect !== "Deny") continue;
    const resources = st.Resource ? (st.Resource.includes("*") ? ["All resources"] : st.Resource) : st.NotResource ? st.NotResource.map((x) => `All resources except ${x}`) : ["All resources"];
    const conditions: string[] = [];
    for (const [op, keys] of Object.entries(st.Condition ?? {}))
      for (const [k, vals] of Object.entries(keys)) conditions.push(`${k} ${op} ${vals.join(", ")}`);
    const touched: Acc[] = [];
    if (st.NotAction) {
      const a = get("*", st.Effect, true);
      for (const x of st.NotAction) a.actions.set(x, []);
      touched.push(a);
    } else
      for (const action of st.Action ?? []) {
        if (action === "*") {
          const a = get("*", st.Effect);
          a.actions.set("*", []);
          touched.push(a);
          continue;
        }
        const [svcRaw, pattern = ""] = action.split(":");
        const svc = svcRaw.toLowerCase();
        if (!(await serviceExists(svc))) {
          unknown.add(svcRaw);
          continue;
        }
        const a = get(svc, st.Effect);
        for (const m of await matchingActions(svc, pattern)) a.actions.set(m.name, m.accessLevels);
        touched.push(a);
      }
    for (const a of touched) {
      resources.forEach((x) => a.resources.add(x));
      conditions.forEach((x) => a.conditions.add(x));
    }
  }
  const services: ServiceSummary[] = [];
  for (const a of accs.values()) {
    if (a.service === "*") {
      services.push({
        service: "*",
        serviceName: a.notAction ? "All services except the listed actions" : "All services",
        effect: a.effect,
        access: a.notAction ? `All actions except ${[...a.actions.keys()].join(", ")}` : "Full access",
        levels: [],
        resources: [...a.resources],
        conditions: [...a.conditions],
        ...(a.notAction ? { notAction: true } : {}),
      });
      continue;
    }
    const all = await actionsOf(a.service);
    const levels = LEVELS.map((level) => {
      const total = all.filter((x) => x.accessLevels.includes(level)).length;
      const actions = [...a.actions.entries()].filter(([, lv]) => lv.includes(level)).map(([n]) => n).sort();
      return { level, actions, total };
    }).filter((l) => l.actions.length > 0);
    const full = a.actions.size >= all.length && all.length > 0;
    services.push({
      service: a.service,
      serviceName: await serviceName(a.service),
      effect: a.effect,
      access: full ? "Full access" : a.actions.size === 0 ? "None" : `Limited: ${levels.map((l) => l.level).join(", ")}`,
      levels,
      resources: [...a.resources],
      conditions: [...a.conditions],
    });
  }
  services.sort((x, y) => (x.effect === y.effect ? x.service.localeCompare(y.service) : x.effect === "Allow" ? -1 : 1));
  return { services, unknownServices: [...unknown] };
}
