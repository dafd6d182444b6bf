import "server-only";
// Where the console lands an identity: the console's places, each asked of the
// gate (nothing audited: these are questions, not requests), so that nobody
// lands on a page that would refuse them.
import { authorize } from "@/lib/iam/authorize";
import type { Principal, RequestInfo } from "@/lib/iam/principal";
import { principalArnKey } from "@/lib/iam/principal";
import { db } from "@/lib/db/client";

export interface Place {
  href: string;
  title: string;
  what: string;
  /** The IAM action the page's data needs. */
  action: string;
  allowed: boolean;
}

const PLACES: Omit<Place, "allowed">[] = [
  { href: "/iam", title: "IAM dashboard", what: "How many users, groups, roles and policies the account has.", action: "iam:GetAccountSummary" },
  { href: "/iam/users", title: "Users", what: "The account's IAM users, their groups, policies and credentials.", action: "iam:ListUsers" },
  { href: "/iam/roles", title: "Roles", what: "Roles to switch into, their trust and permissions.", action: "iam:ListRoles" },
  { href: "/iam/policies", title: "Policies", what: "AWS and customer managed policies, with their versions.", action: "iam:ListPolicies" },
  { href: "/s3", title: "S3 buckets", what: "The account's buckets and their objects.", action: "s3:ListAllMyBuckets" },
  { href: "/audit", title: "Event history", what: "Who did what, when, allowed or denied.", action: "cloudtrail:LookupEvents" },
];

async function allows(principal: Principal, request: RequestInfo, action: string): Promise<boolean> {
  const gate = await authorize(db(), { principal, request, action, resource: { arn: "*", accountId: principal.accountId } }).catch(() => null);
  return gate?.allowed ?? false;
}

/** The first place, the IAM dashboard, is where everyone it is open to goes: asked on its own, before the others. */
export const DASHBOARD = PLACES[0]!;
export const dashboardAllowed = (principal: Principal, request: RequestInfo) => allows(principal, request, DASHBOARD.action);

/** The console's other places with whether the gate lets this principal read each one's data. */
export async function otherPlacesFor(principal: Principal, request: RequestInfo): Promise<Place[]> {
  return Promise.all(PLACES.slice(1).map(async (p) => ({ ...p, allowed: await allows(principal, request, p.action) })));
}

/** My security credentials is open to an IAM user whose policies let it list its own access keys. */
export async function ownCredentialsAllowed(principal: Principal, request: RequestInfo): Promise<boolean> {
  if (principal.type === "AssumedRole") return false;
  if (principal.type === "Root") return true;
  const gate = await authorize(db(), { principal, request, action: "iam:ListAccessKeys", resource: { arn: principalArnKey(principal) } }).catch(() => null);
  return gate?.allowed ?? false;
}
