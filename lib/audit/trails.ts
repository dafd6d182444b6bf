import "server-only";
// Trails as CloudTrail's API has them: CreateTrail, DescribeTrails, DeleteTrail,
// PutEventSelectors, GetEventSelectors, StartLogging/StopLogging. A trail's
// event selectors choose management events (read, write or all) and S3 data
// events (AWS::S3::Object under arn:aws:s3:::bucket/prefix); the pipeline asks
// dataEventSelected (./data-events.ts) before recording a data event.
import type { OperationSpec } from "@/lib/iam/operation";
import type { Tx } from "@/lib/db/client";
import { IamError } from "@/lib/iam/errors";
import type { Principal } from "@/lib/iam/principal";
import type { ReadWriteType } from "./data-events";

export const TRAILS_PER_ACCOUNT = 5; // CloudTrail's limit per region
const REGION = "us-east-1";
const READ_WRITE: ReadWriteType[] = ["All", "ReadOnly", "WriteOnly"];

export const trailArn = (accountId: string, name: string) => `arn:aws:cloudtrail:${REGION}:${accountId}:trail/${name}`;

/** CloudTrail's naming rules, with its messages. */
export function checkTrailName(name: string): void {
  const fail = (why: string) => {
    throw new IamError("InvalidTrailNameException", `Trail name ${JSON.stringify(name)} is not valid: ${why}`);
  };
  if (name.length < 3 || name.length > 128) fail("a trail name has 3 to 128 characters.");
  if (!/^[A-Za-z0-9._-]+$/.test(name)) fail("use only letters, numbers, periods (.), underscores (_) and dashes (-).");
  if (!/^[A-Za-z0-9]/.test(name) || !/[A-Za-z0-9]$/.test(name)) fail("start and end with a letter or number.");
  if (/[._-]{2}/.test(name)) fail("periods, underscores and dashes may not be adjacent (my-_namex, my--namex).");
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) fail("a trail name may not look like an IP address.");
}

export interface EventSelectorInput {
  readWriteType?: ReadWriteType;
  includeManagementEvents?: boolean;
  dataResources?: { type: string; values: string[] }[];
}

export interface EventSelector {
  ReadWriteType: ReadWriteType;
  IncludeManagementEvents: boolean;
  DataResources: { Type: "AWS::S3::Object"; Values: string[] }[];
  ExcludeManagementEventSources: string[];
}

interface SelectorRow {
  bucket: string;
  prefix: string;
  readWriteType: string;
}

/** arn:aws:s3 or arn:aws:s3::: (every bucket), arn:aws:s3:::bucket[/prefix]. */
export function parseS3DataValue(value: string): { bucket: string; prefix: string } {
  if (value === "arn:aws:s3" || value === "arn:aws:s3:::") return { bucket: "", prefix: "" };
  const m = /^arn:aws:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(value);
  if (!m) throw new IamError("InvalidEventSelectorsException", `Value ${value} for parameter DataResources.Values is invalid: use arn:aws:s3:::bucket/ or arn:aws:s3:::bucket/prefix (arn:aws:s3 for every bucket).`);
  return { bucket: m[1]!, prefix: m[2] ?? "" };
}

const s3Value = (r: SelectorRow) => (r.bucket === "" ? "arn:aws:s3" : `arn:aws:s3:::${r.bucket}/${r.prefix}`);

/** The stored trail as CloudTrail's EventSelectors: one selector per read/write kind. */
export function eventSelectorsOf(trail: { includeManagementEvents: boolean; managementReadWriteType: string }, rows: SelectorRow[]): EventSelector[] {
  const kinds = new Set<string>(rows.map((r) => r.readWriteType));
  if (trail.includeManagementEvents) kinds.add(trail.managementReadWriteType);
  return READ_WRITE.filter((k) => kinds.has(k)).map((k) => {
    const values = rows.filter((r) => r.readWriteType === k).map(s3Value);
    return {
      ReadWriteType: k,
      IncludeManagementEvents: trail.includeManagementEvents && trail.managementReadWriteType === k,
      DataResources: values.length ? [{ Type: "AWS::S3::Object" as const, Values: values }] : [],
      ExcludeManagementEventSources: [],
    };
  });
}

/** CloudTrail's EventSelectors to the stored management choice and data selectors (InvalidEventSelectorsException as AWS words it). */
export function storedSelectors(selectors: EventSelectorInput[]): { includeManagementEvents: boolean; managementReadWriteType: ReadWriteType; data: SelectorRow[] } {
  if (selectors.length === 0 || selectors.length > 5) throw new IamError("InvalidEventSelectorsException", "A trail has between 1 and 5 event selectors.");
  const management = new Set<ReadWriteType>();
  const data: SelectorRow[] = [];
  for (const s of selectors) {
    const kind = s.readWriteType ?? "All";
    if (!READ_WRITE.includes(kind)) throw new IamError("InvalidEventSelectorsException", `ReadWriteType must be All, ReadOnly or WriteOnly, not ${kind}.`);
    if (s.includeManagementEvents ?? true) management.add(kind);
    for (const r of s.dataResources ?? []) {
      if (r.type !== "AWS::S3::Object") throw new IamError("InvalidEventSelectorsException", `Data resource type ${r.type} is not supported here: use AWS::S3::Object.`);
      for (const v of r.values) data.push({ ...parseS3DataValue(v), readWriteType: kind });
    }
  }
  if (data.length > 250) throw new IamError("InvalidEventSelectorsException", "A trail selects at most 250 data resources.");
  const managementReadWriteType: ReadWriteType = management.has("All") || (management.has("ReadOnly") && management.has("WriteOnly")) ? "All" : ([...management][0] ?? "All");
  const unique = [...new Map(data.map((d) => [`${d.bucket}/${d.prefix}/${d.readWriteType}`, d])).values()];
  return { includeManagementEvents: management.size > 0, managementReadWriteType, data: unique };
}

async function findTrail(tx: Tx, accountId: string, nameOrArn: string) {
  const name = nameOrArn.startsWith("arn:") ? nameOrArn.slice(nameOrArn.lastIndexOf("/") + 1) : nameOrArn;
  const trail = await tx.trail.findUnique({ where: { accountId_name: { accountId, name } }, include: { dataSelectors: { orderBy: [{ bucket: "asc" }, { prefix: "asc" }] } } });
  if (!trail) throw new IamError("TrailNotFoundException", `Unknown trail: ${trailArn(accountId, name)} for the user: ${accountId}`);
  return trail;
}

const nameOf = (nameOrArn: string) => (nameOrArn.startsWith("arn:") ? nameOrArn.slice(nameOrArn.lastIndexOf("/") + 1) : nameOrArn);

export interface TrailSummary {
  Name: string;
  TrailARN: string;
  HomeRegion: string;
  IsMultiRegionTrail: boolean;
  IncludeGlobalServiceEvents: boolean;
  IsOrganizationTrail: boolean;
  HasCustomEventSelectors: boolean;
  IsLogging: boolean;
  EventSelectors: EventSelector[];
}

const summaryOf = (t: Awaited<ReturnType<typeof findTrail>>): TrailSummary => ({
  Name: t.name,
  TrailARN: trailArn(t.accountId, t.name),
  HomeRegion: REGION,
  IsMultiRegionTrail: true,
  IncludeGlobalServiceEvents: true,
  IsOrganizationTrail: false,
  HasCustomEventSelectors: t.dataSelectors.length > 0 || !t.includeManagementEvents || t.managementReadWriteType !== "All",
  IsLogging: t.isLogging,
  EventSelectors: eventSelectorsOf(t, t.dataSelectors),
});

const onTrail = <T>(principal: Principal, name: string, readOnly: boolean, nameOrArn: string, parameters: unknown, run: OperationSpec<T>["run"], response?: (d: T) => unknown): OperationSpec<T> => ({
  service: "cloudtrail",
  name,
  readOnly,
  parameters,
  resource: { arn: trailArn(principal.accountId, nameOf(nameOrArn)), accountId: principal.accountId },
  run,
  response,
});

/** CreateTrail: a multi-region trail logging management events (read and write) until its selectors say otherwise. */
export function createTrail(principal: Principal, input: { name: string }): OperationSpec<TrailSummary> {
  return onTrail(principal, "CreateTrail", false, input.name, { name: input.name }, async ({ tx }) => {
    checkTrailName(input.name);
    if (await tx.trail.findUnique({ where: { accountId_name: { accountId: principal.accountId, name: input.name } }, select: { id: true } }))
      throw new IamError("TrailAlreadyExistsException", `Trail ${trailArn(principal.accountId, input.name)} already exists for customer: ${principal.accountId}`);
    if ((await tx.trail.count({ where: { accountId: principal.accountId } })) >= TRAILS_PER_ACCOUNT)
      throw new IamError("MaximumNumberOfTrailsExceededException", `User: ${principal.accountId} already has ${TRAILS_PER_ACCOUNT} trails in ${REGION}.`);
    await tx.trail.create({ data: { organizationId: principal.organizationId, accountId: principal.accountId, name: input.name } });
    return summaryOf(await findTrail(tx, principal.accountId, input.name));
  }, (t) => ({ name: t.Name, trailARN: t.TrailARN, isMultiRegionTrail: true }));
}

export function deleteTrail(principal: Principal, input: { name: string }): OperationSpec<void> {
  return onTrail(principal, "DeleteTrail", false, input.name, { name: input.name }, async ({ tx }) => {
    const trail = await findTrail(tx, principal.accountId, input.name);
    await tx.trail.delete({ where: { id: trail.id } });
  });
}

/** DescribeTrails: the account's trails (with their selectors, for the console). */
export function describeTrails(principal: Principal, input: { trailNameList?: string[] } = {}): OperationSpec<{ trailList: TrailSummary[] }> {
  return {
    service: "cloudtrail",
    name: "DescribeTrails",
    readOnly: true,
    parameters: { trailNameList: input.trailNameList ?? [] },
    resource: { arn: "*" },
    run: async ({ tx }) => {
      const names = input.trailNameList?.length ? input.trailNameList.map(nameOf) : undefined;
      const trails = await tx.trail.findMany({
        where: { accountId: principal.accountId, ...(names ? { name: { in: names } } : {}) },
        include: { dataSelectors: { orderBy: [{ bucket: "asc" }, { prefix: "asc" }] } },
        orderBy: { name: "asc" },
      });
      return { trailList: trails.map(summaryOf) };
    },
    response: (r) => ({ trailList: r.trailList.map((t) => ({ name: t.Name, trailARN: t.TrailARN })) }),
  };
}

export function getEventSelectors(principal: Principal, input: { trailName: string }): OperationSpec<{ TrailARN: string; EventSelectors: EventSelector[] }> {
  return onTrail(principal, "GetEventSelectors", true, input.trailName, { trailName: input.trailName }, async ({ tx }) => {
    const t = await findTrail(tx, principal.accountId, input.trailName);
    return { TrailARN: trailArn(t.accountId, t.name), EventSelectors: eventSelectorsOf(t, t.dataSelectors) };
  });
}

/** PutEventSelectors: replaces the trail's selectors. */
export function putEventSelectors(principal: Principal, input: { trailName: string; eventSelectors: EventSelectorInput[] }): OperationSpec<{ TrailARN: string; EventSelectors: EventSelector[] }> {
  return onTrail(
    principal,
    "PutEventSelectors",
    false,
    input.trailName,
    { trailName: input.trailName, eventSelectors: input.eventSelectors },
    async ({ tx }) => {
      const t = await findTrail(tx, principal.accountId, input.trailName);
      const stored = storedSelectors(input.eventSelectors);
      await tx.trail.update({ where: { id: t.id }, data: { includeManagementEvents: stored.includeManagementEvents, managementReadWriteType: stored.managementReadWriteType } });
      await tx.trailDataSelector.deleteMany({ where: { trailId: t.id } });
      if (stored.data.length) await tx.trailDataSelector.createMany({ data: stored.data.map((d) => ({ ...d, trailId: t.id, accountId: t.accountId })) });
      const after = await findTrail(tx, principal.accountId, t.name);
      return { TrailARN: trailArn(after.accountId, after.name), EventSelectors: eventSelectorsOf(after, after.dataSelectors) };
    },
    (r) => r,
  );
}

/** StartLogging / StopLogging: a stopped trail selects no data events. */
export function setLogging(principal: Principal, input: { name: string }, on: boolean): OperationSpec<void> {
  return onTrail(principal, on ? "StartLogging" : "StopLogging", false, input.name, { name: input.name }, async ({ tx }) => {
    const t = await findTrail(tx, principal.accountId, input.name);
    await tx.trail.update({ where: { id: t.id }, data: { isLogging: on } });
  });
}
