import "server-only";
// The permissions policies of a user, group or role named by ARN, each with its
// name, kind (MANAGED or INLINE) and holder: a user's own and its groups', a
// group's own, a role's own; never permissions boundaries (AWS leaves them out
// of these answers). Used by GetContextKeysForPrincipalPolicy and by
// ListPoliciesGrantingServiceAccess, which answers, per service namespace,
// the policies whose Allow statements reach that service.
import { z } from "zod";
import type { Tx } from "@/lib/db/client";
import { IamError, noSuchEntity } from "@/lib/iam/errors";
import type { OperationSpec } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";
import { awsString, cursor, listOf } from "@/lib/iam/validation";
import { allowedNamespaces } from "./access-advisor";

export interface EntityPolicy {
  policyName: string;
  policyType: "MANAGED" | "INLINE";
  policyArn?: string;
  entityType: "USER" | "GROUP" | "ROLE";
  entityName: string;
  document: string;
}

const ENTITY_ARN = /^arn:aws:iam::(\d{12}):(user|group|role)(\/(?:[\u0021-\u007E]*\/)?)([\w+=,.@-]+)$/;

const managed = { select: { policy: { select: { name: true, arn: true, versions: { where: { isDefault: true }, select: { document: true } } } } } } as const;
const inline = { select: { name: true, document: true } } as const;
type Attached = { policy: { name: string; arn: string; versions: { document: string }[] } }[];

function policiesOf(entityType: EntityPolicy["entityType"], entityName: string, attachments: Attached, inlines: { name: string; document: string }[]): EntityPolicy[] {
  return [
    ...attachments.map((a) => ({ policyName: a.policy.name, policyType: "MANAGED" as const, policyArn: a.policy.arn, entityType, entityName, document: a.policy.versions[0]?.document ?? "{}" })),
    ...inlines.map((p) => ({ policyName: p.name, policyType: "INLINE" as const, entityType, entityName, document: p.document })),
  ];
}

/** The entity an ARN names in the caller's account and its permissions policies; InvalidInput for another kind of ARN, NoSuchEntity when absent. */
export async function entityPolicies(tx: Tx, principal: Principal, arn: string): Promise<EntityPolicy[]> {
  const m = ENTITY_ARN.exec(arn);
  if (!m) throw new IamError("InvalidInput", `ARN ${arn} is not valid: name a user, group or role (e.g. arn:aws:iam::111122223333:user/alice).`);
  const [, account, kind, , name] = m as unknown as [string, string, "user" | "group" | "role", string, string];
  const missing = () => noSuchEntity(`The ${kind} with name ${name} cannot be found.`);
  if (account !== principal.accountId) throw missing();
  const where = { accountId_nameLower: { accountId: account, nameLower: name.toLowerCase() } };
  if (kind === "user") {
    const u = await tx.iamUser.findUnique({
      where,
      select: { arn: true, name: true, attachments: managed, inlinePolicies: inline, memberships: { select: { group: { select: { name: true, attachments: managed, inlinePolicies: inline } } } } },
    });
    if (!u || u.arn !== arn) throw missing();
    return [...policiesOf("USER", u.name, u.attachments, u.inlinePolicies), ...u.memberships.flatMap((g) => policiesOf("GROUP", g.group.name, g.group.attachments, g.group.inlinePolicies))];
  }
  if (kind === "group") {
    const g = await tx.iamGroup.findUnique({ where, select: { arn: true, name: true, attachments: managed, inlinePolicies: inline } });
    if (!g || g.arn !== arn) throw missing();
    return policiesOf("GROUP", g.name, g.attachments, g.inlinePolicies);
  }
  const r = await tx.role.findUnique({ where, select: { arn: true, name: true, attachments: managed, inlinePolicies: inline } });
  if (!r || r.arn !== arn) throw missing();
  return policiesOf("ROLE", r.name, r.attachments, r.inlinePolicies);
}

// ---------------------------------------------------------------- ListPoliciesGrantingServiceAccess

const serviceNamespace = awsString("serviceNamespaces.member", { min: 1, max: 64, pattern: /^[\w-]*$/, patternText: "[\\w-]*" });
export const ListPoliciesGrantingServiceAccessInput = z.object({
  arn: awsString("arn", { min: 20, max: 2048 }),
  serviceNamespaces: listOf(serviceNamespace).superRefine((list, ctx) => {
    if (list.length < 1 || list.length > 200) {
      ctx.addIssue({ code: "custom", message: `1 validation error detected: Value at 'serviceNamespaces' failed to satisfy constraint: Member must have length ${list.length < 1 ? "greater than or equal to 1" : "less than or equal to 200"}` });
    }
  }),
  marker: z.preprocess((x) => (x === "" || x === null ? undefined : x), cursor.optional()),
});

export interface PoliciesGrantingServiceAccess {
  policiesGrantingServiceAccess: { serviceNamespace: string; policies: Omit<EntityPolicy, "document">[] }[];
  isTruncated: boolean;
}

export function listPoliciesGrantingServiceAccess(principal: Principal, input: z.output<typeof ListPoliciesGrantingServiceAccessInput>): OperationSpec<PoliciesGrantingServiceAccess> {
  return {
    service: "iam",
    name: "ListPoliciesGrantingServiceAccess",
    readOnly: true,
    resource: { arn: input.arn },
    parameters: input,
    async run({ tx }) {
      // Every answer fits one page, so no Marker is ever handed out: any Marker is one this operation did not return.
      if (input.marker !== undefined) throw new IamError("InvalidInput", "Invalid Marker: ListPoliciesGrantingServiceAccess returned no Marker to continue from.");
      const policies = await entityPolicies(tx, principal, input.arn);
      const reach = policies.map((p) => ({ policy: p, namespaces: allowedNamespaces([p.document]) }));
      const seen = new Set<string>();
      const answer = [];
      for (const ns of input.serviceNamespaces.map((n) => n.toLowerCase())) {
        if (seen.has(ns)) continue;
        seen.add(ns);
        const granting = reach.filter((r) => r.namespaces.has(ns) || r.namespaces.has("*")).map(({ policy: { document: _document, ...p } }) =>
          // AWS names the holder only for inline policies (a managed policy has its ARN).
          p.policyType === "MANAGED" ? { policyName: p.policyName, policyType: p.policyType, policyArn: p.policyArn } : { policyName: p.policyName, policyType: p.policyType, entityType: p.entityType, entityName: p.entityName },
        );
        // A managed policy attached to the user and to one of its groups is one policy.
        const unique = granting.filter((p, i) => p.policyType === "INLINE" || granting.findIndex((q) => q.policyArn === p.policyArn) === i);
        answer.push({ serviceNamespace: ns, policies: unique as Omit<EntityPolicy, "document">[] });
      }
      return { policiesGrantingServiceAccess: answer, isTruncated: false };
    },
    response: (r) => ({ services: r.policiesGrantingServiceAccess.map((s) => ({ serviceNamespace: s.serviceNamespace, policies: s.policies.length })) }),
  };
}
