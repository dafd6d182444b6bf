import "server-only";
// Access advisor: for a user, group, role or managed policy, the services its
// policies allow and when each was last accessed (and, for a group or a policy,
// by whom), from the audit events, as IAM's "Access Advisor" tab shows them.
// Last access is one GROUP BY eventSource with MAX(eventTime) over the indexed
// identity columns, so it costs the entity's events, not the account's.
import type { Tx } from "@/lib/db/client";
import { noSuchEntity } from "@/lib/iam/errors";
import type { OperationSpec } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";

export type AdvisedEntity = { kind: "user"; name: string } | { kind: "group"; name: string } | { kind: "role"; name: string } | { kind: "policy"; arn: string };

export interface ServiceLastAccess {
  /** The service's namespace in actions (s3, iam, sts, ...). */
  namespace: string;
  serviceName: string;
  lastAccessed: Date | null;
  /** The identity (user ARN, or role ARN for a role's sessions) of the last access. */
  lastAuthenticatedEntity?: string;
}

/** The services IAM Lab serves (what "*" can mean here), with AWS's names. */
export const SERVICE_NAMES: Record<string, string> = {
  iam: "AWS Identity and Access Management",
  sts: "AWS Security Token Service",
  s3: "Amazon S3",
  cloudtrail: "AWS CloudTrail",
  ec2: "Amazon EC2",
  "access-analyzer": "IAM Access Analyzer",
};

// ---------------------------------------------------------------- the services a set of policies allows (pure)

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** Service namespaces of the Allow statements' actions; "*" when an action (or a NotAction) can reach any service. */
export function allowedNamespaces(documents: string[]): Set<string> {
  const out = new Set<string>();
  for (const doc of documents) {
    let statements: unknown[] = [];
    try {
      statements = asList((JSON.parse(doc) as { Statement?: unknown }).Statement);
    } catch {
      continue;
    }
    for (const s of statements) {
      if (!s || typeof s !== "object") continue;
      const st = s as Record<string, unknown>;
      if (st.Effect !== "Allow") continue;
      if (st.NotAction !== undefined) out.add("*");
      for (const a of asList(st.Action)) {
        if (typeof a !== "string") continue;
        const colon = a.indexOf(":");
        if (colon < 0 || /[*?]/.test(a.slice(0, colon))) out.add("*");
        else out.add(a.slice(0, colon).toLowerCase());
      }
    }
  }
  return out;
}

const namespaceOf = (eventSource: string) => eventSource.replace(/\.amazonaws\.com$/, "");

// ---------------------------------------------------------------- entities

export interface Resolved {
  arn: string;
  documents: string[];
  /** Whose events count: IAM users by ARN, roles by name (their sessions). */
  userArns: string[];
  roleNames: string[];
}

const defaultDoc = { versions: { where: { isDefault: true }, select: { document: true } } } as const;
type WithVersions = { policy: { versions: { document: string }[] } };
const docsOf = (attachments: WithVersions[], inline: { document: string }[]) => [...attachments.flatMap((a) => a.policy.versions.map((v) => v.document)), ...inline.map((p) => p.document)];

/** The entity's ARN, its policies' documents and whose events count for it (users by ARN, roles by name). */
export async function resolve(tx: Tx, accountId: string, e: AdvisedEntity): Promise<Resolved> {
  switch (e.kind) {
    case "user": {
      const u = await tx.iamUser.findUnique({
        where: { accountId_nameLower: { accountId, nameLower: e.name.toLowerCase() } },
        select: {
          arn: true,
          attachments: { select: { policy: { select: defaultDoc } } },
          inlinePolicies: { select: { document: true } },
          memberships: { select: { group: { select: { attachments: { select: { policy: { select: defaultDoc } } }, inlinePolicies: { select: { document: true } } } } } },
        },
      });
      if (!u) throw noSuchEntity(`The user with name ${e.name} cannot be found.`);
      const groupDocs = u.memberships.flatMap((m) => docsOf(m.group.attachments, m.group.inlinePolicies));
      return { arn: u.arn, documents: [...docsOf(u.attachments, u.inlinePolicies), ...groupDocs], userArns: [u.arn], roleNames: [] };
    }
    case "group": {
      const g = await tx.iamGroup.findUnique({
        where: { accountId_nameLower: { accountId, nameLower: e.name.toLowerCase() } },
        select: { arn: true, attachments: { select: { policy: { select: defaultDoc } } }, inlinePolicies: { select: { document: true } }, memberships: { select: { user: { select: { arn: true } } } } },
      });
      if (!g) throw noSuchEntity(`The group with name ${e.name} cannot be found.`);
      return { arn: g.arn, documents: docsOf(g.attachments, g.inlinePolicies), userArns: g.memberships.map((m) => m.user.arn), roleNames: [] };
    }
    case "role": {
      const r = await tx.role.findUnique({
        where: { accountId_nameLower: { accountId, nameLower: e.name.toLowerCase() } },
        select: { arn: true, name: true, attachments: { select: { policy: { select: defaultDoc } } }, inlinePolicies: { select: { document: true } } },
      });
      if (!r) throw noSuchEntity(`The role with name ${e.name} cannot be found.`);
      return { arn: r.arn, documents: docsOf(r.attachments, r.inlinePolicies), userArns: [], roleNames: [r.name] };
    }
    case "policy": {
      const p = await tx.managedPolicy.findFirst({
        where: { arn: e.arn, OR: [{ accountId }, { accountId: null }] },
        select: {
          arn: true,
          ...defaultDoc,
          attachments: {
            where: { accountId },
            select: { user: { select: { arn: true } }, role: { select: { name: true } }, group: { select: { memberships: { select: { user: { select: { arn: true } } } } } } },
          },
        },
      });
      if (!p) throw noSuchEntity(`Policy ${e.arn} does not exist or is not attachable.`);
      const userArns = new Set<string>();
      const roleNames = new Set<string>();
      for (const a of p.attachments) {
        if (a.user) userArns.add(a.user.arn);
        if (a.role) roleNames.add(a.role.name);
        for (const m of a.group?.memberships ?? []) userArns.add(m.user.arn);
      }
      return { arn: p.arn, documents: p.versions.map((v) => v.document), userArns: [...userArns], roleNames: [...roleNames] };
    }
  }
}

const CHUNK = 400;
const chunks = <T>(xs: T[]) => Array.from({ length: Math.ceil(xs.length / CHUNK) }, (_, i) => xs.slice(i * CHUNK, (i + 1) * CHUNK));

/** The newest event per service (and who made it) for these identities. */
async function lastAccess(tx: Tx, accountId: string, who: Resolved): Promise<Map<string, { at: Date; by?: string }>> {
  const filters = [...chunks(who.userArns).map((arns) => ({ identityArn: { in: arns } })), ...chunks(who.roleNames).map((names) => ({ roleName: { in: names } }))];
  const latest = new Map<string, { at: Date; filter: object }>();
  for (const f of filters) {
    const rows = await tx.auditEvent.groupBy({ by: ["eventSource"], where: { recipientAccountId: accountId, ...f }, _max: { eventTime: true } });
    for (const r of rows) {
      const at = r._max.eventTime;
      if (!at) continue;
      const prev = latest.get(r.eventSource);
      if (!prev || at > prev.at) latest.set(r.eventSource, { at, filter: f });
    }
  }
  const out = new Map<string, { at: Date; by?: string }>();
  for (const [source, { at, filter }] of latest) {
    const ev = await tx.auditEvent.findFirst({
      where: { recipientAccountId: accountId, ...filter, eventSource: source, eventTime: at },
      select: { identityArn: true, identityType: true, sessionIssuerArn: true },
    });
    out.set(namespaceOf(source), { at, by: ev?.identityType === "AssumedRole" ? (ev.sessionIssuerArn ?? ev.identityArn ?? undefined) : (ev?.identityArn ?? undefined) });
  }
  return out;
}

export interface AccessAdvice {
  entityArn: string;
  services: ServiceLastAccess[];
}

/** Services allowed (or used) by the entity, most recently accessed first, never accessed last. */
export async function accessAdvice(tx: Tx, accountId: string, entity: AdvisedEntity): Promise<AccessAdvice> {
  const who = await resolve(tx, accountId, entity);
  const allowed = allowedNamespaces(who.documents);
  const seen = await lastAccess(tx, accountId, who);
  const namespaces = new Set<string>(allowed.has("*") ? [...Object.keys(SERVICE_NAMES), ...seen.keys()] : [...allowed].filter((n) => n !== "*"));
  // A service used but no longer allowed is not listed: the advisor is about what the policies grant.
  const services = [...namespaces]
    .filter((n) => n !== "signin")
    .map((n) => {
      const s = seen.get(n);
      return { namespace: n, serviceName: SERVICE_NAMES[n] ?? n, lastAccessed: s?.at ?? null, ...(s?.by ? { lastAuthenticatedEntity: s.by } : {}) };
    })
    .sort((a, b) => (b.lastAccessed?.getTime() ?? -1) - (a.lastAccessed?.getTime() ?? -1) || a.namespace.localeCompare(b.namespace));
  return { entityArn: who.arn, services };
}

/** Services not accessed for `days` (or never): what the console suggests removing. */
export function unusedServices(services: ServiceLastAccess[], days: number, now: Date): ServiceLastAccess[] {
  const before = now.getTime() - days * 86_400_000;
  return services.filter((s) => !s.lastAccessed || s.lastAccessed.getTime() < before);
}

/** The console's read, gated as AWS gates its API: iam:GetServiceLastAccessedDetails. */
export function getAccessAdvice(principal: Principal, entity: AdvisedEntity): OperationSpec<AccessAdvice> {
  return {
    service: "iam",
    name: "GetServiceLastAccessedDetails",
    readOnly: true,
    resource: { arn: "*" },
    parameters: entity,
    run: ({ tx }) => accessAdvice(tx, principal.accountId, entity),
    response: () => undefined,
  };
}
