import "server-only";
// Simulated EC2 instances: just enough of EC2 to show what an instance profile
// is for. Launching with a profile passes its role to EC2, so the caller needs
// iam:PassRole on that role as in AWS; a running instance's metadata service
// (./imds.ts) then hands the role's credentials to whatever runs "on" it.
import crypto from "node:crypto";
import type { Tx } from "@/lib/db/client";
import { env } from "@/lib/env";
import type { ResourceRef } from "@/lib/iam/authorize";
import { IamError } from "@/lib/iam/errors";
import type { OperationSpec } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";
import { requireProfile } from "@/lib/iam/roles/instance-profiles";
import { unauthorizedOperation } from "@/lib/sts/authorization-message";

export interface InstanceView {
  InstanceId: string;
  Name: string;
  InstanceType: string;
  ImageId: string;
  State: { Name: "running" | "terminated" };
  LaunchTime: Date;
  IamInstanceProfile?: { Arn: string };
  /** Where the instance's metadata service answers (null once terminated, or when IMDS is turned off). */
  metadataEndpoint: string | null;
}

/** The machine images offered at launch: names only, nothing boots. */
export const IMAGES = [
  { id: "ami-0c02fb55956c7d316", name: "Amazon Linux 2023" },
  { id: "ami-0a6b2839d44d781b2", name: "Ubuntu Server 24.04 LTS" },
  { id: "ami-0f9de6e2d2f067fca", name: "Debian 12" },
] as const;
export const INSTANCE_TYPES = ["t3.nano", "t3.micro", "t3.small", "m7g.large", "c7i.xlarge"] as const;

const INSTANCE_ID = /^i-[0-9a-f]{8}([0-9a-f]{9})?$/;
const newInstanceId = () => `i-${crypto.randomBytes(9).toString("hex").slice(0, 17)}`;

const instanceArn = (region: string, accountId: string, id: string) => `arn:aws:ec2:${region}:${accountId}:instance/${id}`;

export function imdsPortRange(): [number, number] | null {
  const setting = env().IAMLAB_IMDS_PORTS;
  if (setting === "0") return null;
  const [from, to] = setting.split("-").map(Number) as [number, number];
  return [from, to];
}

export function metadataEndpoint(port: number | null): string | null {
  return port === null ? null : `http://127.0.0.1:${port}`;
}

type InstanceRow = {
  id: string;
  name: string;
  instanceType: string;
  imageId: string;
  state: string;
  launchedAt: Date;
  instanceProfileArn: string | null;
  imdsPort: number | null;
};

const view = (i: InstanceRow): InstanceView => ({
  InstanceId: i.id,
  Name: i.name,
  InstanceType: i.instanceType,
  ImageId: i.imageId,
  State: { Name: i.state === "running" ? "running" : "terminated" },
  LaunchTime: i.launchedAt,
  ...(i.instanceProfileArn ? { IamInstanceProfile: { Arn: i.instanceProfileArn } } : {}),
  metadataEndpoint: metadataEndpoint(i.imdsPort),
});

/**
 * The condition keys AWS documents for an instance that this simulation knows:
 * every instance here is on-demand, default tenancy, EBS-backed, and requires
 * IMDSv2 with a hop limit of 1.
 */
function instanceContext(region: string, i: { instanceType: string; instanceProfileArn: string | null; id?: string; name?: string }): Record<string, string | string[]> {
  return {
    "ec2:Region": region,
    "ec2:AvailabilityZone": `${region}a`,
    "ec2:AvailabilityZoneId": `${region.split("-").map((p, n) => (n === 2 ? p : p[0])).join("")}-az1`,
    "ec2:InstanceType": i.instanceType,
    "ec2:EbsOptimized": "false",
    "ec2:InstanceMarketType": "on-demand",
    "ec2:InstanceMetadataTags": "disabled",
    "ec2:MetadataHttpEndpoint": "enabled",
    "ec2:MetadataHttpTokens": "required",
    "ec2:MetadataHttpPutResponseHopLimit": "1",
    "ec2:RootDeviceType": "ebs",
    "ec2:Tenancy": "default",
    "ec2:IsLaunchTemplateResource": "false",
    ...(i.instanceProfileArn ? { "ec2:InstanceProfile": i.instanceProfileArn } : {}),
    ...(i.id ? { "ec2:InstanceID": i.id } : {}),
    ...(i.name ? { "aws:ResourceTag/Name": i.name, "ec2:ResourceTag/Name": i.name } : {}),
  };
}

/** The lowest port of the range no running instance (of any organization: ports are the machine's) holds. */
async function freeImdsPort(tx: Tx): Promise<number | null> {
  const range = imdsPortRange();
  if (!range) return null;
  const taken = new Set((await tx.ec2Instance.findMany({ where: { imdsPort: { not: null } }, select: { imdsPort: true } })).map((r) => r.imdsPort));
  for (let port = range[0]; port <= range[1]; port++) if (!taken.has(port)) return port;
  throw new IamError("LimitExceeded", `Every metadata service port of IAMLAB_IMDS_PORTS (${range[0]}-${range[1]}) is in use: terminate an instance first.`);
}

export interface RunInstancesInput {
  imageId: string;
  instanceType?: string;
  minCount: number;
  maxCount: number;
  iamInstanceProfile?: { Name?: string; Arn?: string };
  tagSpecifications?: { ResourceType?: string; Tags?: { Key: string; Value: string }[] }[];
}

function profileNameOf(input: RunInstancesInput["iamInstanceProfile"], accountId: string): string | undefined {
  if (!input) return undefined;
  if (input.Name) return input.Name;
  const m = input.Arn?.match(/^arn:aws:iam::(\d{12}):instance-profile\/(?:.*\/)?([^/]+)$/);
  if (!m || m[1] !== accountId) throw new IamError("InvalidParameterValue", `Value (${input.Arn}) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN`);
  return m[2];
}

/** RunInstances: one instance (MinCount = MaxCount = 1 here), optionally with an instance profile. */
export function runInstances(principal: Principal, input: RunInstancesInput): OperationSpec<InstanceView> {
  const region = env().IAMLAB_REGION;
  const instanceType = input.instanceType ?? "t3.micro";
  const name = input.tagSpecifications?.find((t) => t.ResourceType === "instance")?.Tags?.find((t) => t.Key === "Name")?.Value ?? "";
  const profileName = profileNameOf(input.iamInstanceProfile, principal.accountId);
  const tagContext: Record<string, string | string[]> = name ? { "aws:RequestTag/Name": name, "aws:TagKeys": ["Name"] } : {};
  const context: Record<string, string | string[]> = { ...instanceContext(region, { instanceType, instanceProfileArn: null }), ...tagContext };
  let profile: Awaited<ReturnType<typeof requireProfile>> | null = null;
  return {
    service: "ec2",
    name: "RunInstances",
    denial: (err) => unauthorizedOperation(principal, err, context),
    readOnly: false,
    context,
    parameters: { imageId: input.imageId, instanceType, minCount: input.minCount, maxCount: input.maxCount, iamInstanceProfile: input.iamInstanceProfile, name: name || undefined },
    resource: async (tx): Promise<ResourceRef> => {
      if (!IMAGES.some((i) => i.id === input.imageId)) throw new IamError("InvalidParameterValue", `Invalid id: "${input.imageId}" (the images offered here: ${IMAGES.map((i) => i.id).join(", ")})`);
      if (!(INSTANCE_TYPES as readonly string[]).includes(instanceType)) throw new IamError("InvalidParameterValue", `Invalid value '${instanceType}' for InstanceType.`);
      if (input.minCount !== 1 || input.maxCount !== 1) throw new IamError("InvalidParameterValue", "This simulation launches one instance per request: MinCount and MaxCount must be 1.");
      if (profileName !== undefined) {
        profile = await requireProfile(tx, principal.accountId, profileName).catch(() => {
          throw new IamError("InvalidParameterValue", `Value (${profileName}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name`);
        });
        context["ec2:InstanceProfile"] = profile.arn;
      }
      return { arn: instanceArn(region, principal.accountId, "*"), accountId: principal.accountId };
    },
    run: async ({ tx, authorize }) => {
      if (profile) {
        // Launching with a profile hands its role to EC2: iam:PassRole on the role, as AWS checks it.
        for (const r of profile.roles) await authorize("iam:PassRole", { arn: r.role.arn }, { "iam:PassedToService": "ec2.amazonaws.com" });
      }
      // Tags on launch need ec2:CreateTags too, with ec2:CreateAction naming the launch.
      if (name) await authorize("ec2:CreateTags", { arn: instanceArn(region, principal.accountId, "*"), accountId: principal.accountId }, { ...context, "ec2:CreateAction": "RunInstances" });
      const row = await tx.ec2Instance.create({
        data: {
          id: newInstanceId(),
          accountId: principal.accountId,
          name,
          instanceType,
          imageId: input.imageId,
          region,
          instanceProfileArn: profile?.arn ?? null,
          imdsPort: await freeImdsPort(tx),
        },
      });
      return view(row);
    },
    response: (r) => ({ instancesSet: { items: [{ instanceId: r.InstanceId, instanceType: r.InstanceType, imageId: r.ImageId, instanceState: { name: "pending" } }] } }),
  };
}

async function requireInstance(tx: Tx, accountId: string, id: string) {
  if (!INSTANCE_ID.test(id)) throw new IamError("InvalidInstanceID.Malformed", `Invalid id: "${id}"`);
  const row = await tx.ec2Instance.findFirst({ where: { id, accountId } });
  if (!row) throw new IamError("InvalidInstanceID.NotFound", `The instance ID '${id}' does not exist`);
  return row;
}

/** TerminateInstances: the instance stops answering metadata requests and its role credentials are revoked. */
export function terminateInstances(principal: Principal, input: { instanceIds: string[] }): OperationSpec<{ InstanceId: string; PreviousState: string }[]> {
  const context: Record<string, string | string[]> = {};
  return {
    service: "ec2",
    name: "TerminateInstances",
    denial: (err) => unauthorizedOperation(principal, err, context),
    readOnly: false,
    context,
    parameters: input,
    resource: async (tx) => {
      if (input.instanceIds.length !== 1) throw new IamError("InvalidParameterValue", "Terminate one instance per request here.");
      const row = await requireInstance(tx, principal.accountId, input.instanceIds[0]!);
      Object.assign(context, instanceContext(row.region, { ...row, name: row.name || undefined }));
      return { arn: instanceArn(row.region, principal.accountId, row.id), accountId: principal.accountId };
    },
    run: async ({ tx }) => {
      const row = await requireInstance(tx, principal.accountId, input.instanceIds[0]!);
      if (row.state === "running") {
        const now = new Date();
        if (row.credentialsSessionId) await tx.roleSession.updateMany({ where: { id: row.credentialsSessionId, revokedAt: null }, data: { revokedAt: now } });
        await tx.ec2Instance.update({
          where: { id: row.id },
          data: { state: "terminated", terminatedAt: now, imdsPort: null, credentialsSessionId: null, credentialsCiphertext: null },
        });
      }
      return [{ InstanceId: row.id, PreviousState: row.state }];
    },
  };
}

/** DescribeInstances: the account's instances, newest first (terminated ones stay listed, as AWS shows them for a while). */
export function describeInstances(principal: Principal, input: { instanceIds?: string[] } = {}): OperationSpec<InstanceView[]> {
  return {
    service: "ec2",
    name: "DescribeInstances",
    denial: (err) => unauthorizedOperation(principal, err, { "ec2:Region": env().IAMLAB_REGION }),
    readOnly: true,
    context: { "ec2:Region": env().IAMLAB_REGION },
    parameters: input,
    resource: { arn: "*", accountId: principal.accountId },
    run: async ({ tx }) => {
      if (input.instanceIds?.length) return Promise.all(input.instanceIds.map(async (id) => view(await requireInstance(tx, principal.accountId, id))));
      const rows = await tx.ec2Instance.findMany({ where: { accountId: principal.accountId }, orderBy: [{ launchedAt: "desc" }, { id: "asc" }], take: 1000 });
      return rows.map(view);
    },
    response: () => null,
  };
}
