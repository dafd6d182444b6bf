import "server-only";
// Centralized root access for member accounts: the organization's two features,
// RootCredentialsManagement (the management account manages member accounts'
// root credentials) and RootSessions (it may start privileged root sessions in
// them with sts:AssumeRoot, lib/sts/assume-root.ts). Stored on the organization;
// only its management account may change or list them, with AWS's exceptions.
//
// The simulation has no delegated administrators, no trusted-access switch and
// no consolidated-billing-only organizations, so AWS's
// ServiceAccessNotEnabledException and OrganizationNotInAllFeaturesModeException
// cannot arise. An organization without a designated management account (the
// demo organization) lets each of its accounts act as its management account,
// as the Organizations access report does (./organizations-access-report.ts).
import { z } from "zod";
import type { Tx } from "@/lib/db/client";
import { IamError } from "@/lib/iam/errors";
import type { OperationSpec } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";

export const ORGANIZATIONS_FEATURES = ["RootCredentialsManagement", "RootSessions"] as const;
export type OrganizationsFeature = (typeof ORGANIZATIONS_FEATURES)[number];

/** The five operations take no parameters. */
export const OrganizationsRootInput = z.object({}).passthrough();

export interface OrganizationsFeatures {
  OrganizationId: string;
  EnabledFeatures: OrganizationsFeature[];
}

interface OrganizationRow {
  id: string;
  managementAccountId: string | null;
  rootCredentialsManagement: boolean;
  rootSessions: boolean;
}

const COLUMN: Record<OrganizationsFeature, "rootCredentialsManagement" | "rootSessions"> = {
  RootCredentialsManagement: "rootCredentialsManagement",
  RootSessions: "rootSessions",
};

export const notManagementOrDelegatedAdministrator = () =>
  new IamError(
    "AccountNotManagementOrDelegatedAdministratorException",
    "The request was rejected because the account making the request is not the management account or delegated administrator account for centralized root access.",
  );

const notManagementAccount = () =>
  new IamError("CallerIsNotManagementAccountException", "The request was rejected because the account making the request is not the management account for the organization.");

/** Whether `accountId` acts as the organization's management account (any of its accounts when none is designated). */
export const isManagementAccount = (org: { managementAccountId: string | null }, accountId: string) => !org.managementAccountId || org.managementAccountId === accountId;

/** The caller's organization, if the caller's account manages it; AWS's exception otherwise. */
export async function managedOrganization(tx: Tx, principal: Principal, refusal: () => IamError = notManagementOrDelegatedAdministrator): Promise<OrganizationRow> {
  const org = await tx.organization.findUnique({
    where: { id: principal.organizationId },
    select: { id: true, managementAccountId: true, rootCredentialsManagement: true, rootSessions: true },
  });
  if (!org) throw new IamError("OrganizationNotFoundException", "The request was rejected because no organization is associated with your account.");
  if (!isManagementAccount(org, principal.accountId)) throw refusal();
  return org;
}

const featuresOf = (org: OrganizationRow): OrganizationsFeatures => ({
  OrganizationId: org.id,
  EnabledFeatures: ORGANIZATIONS_FEATURES.filter((f) => org[COLUMN[f]]),
});

const responseOf = (r: OrganizationsFeatures) => ({ organizationId: r.OrganizationId, enabledFeatures: r.EnabledFeatures });

function setFeature(principal: Principal, name: string, feature: OrganizationsFeature, enabled: boolean): OperationSpec<OrganizationsFeatures> {
  return {
    service: "iam",
    name,
    readOnly: false,
    resource: { arn: "*" },
    parameters: {},
    async run({ tx }) {
      const org = await managedOrganization(tx, principal, enabled ? notManagementAccount : notManagementOrDelegatedAdministrator);
      const updated = await tx.organization.update({
        where: { id: org.id },
        data: { [COLUMN[feature]]: enabled },
        select: { id: true, managementAccountId: true, rootCredentialsManagement: true, rootSessions: true },
      });
      return featuresOf(updated);
    },
    response: responseOf,
  };
}

export const enableOrganizationsRootCredentialsManagement = (principal: Principal) =>
  setFeature(principal, "EnableOrganizationsRootCredentialsManagement", "RootCredentialsManagement", true);
export const disableOrganizationsRootCredentialsManagement = (principal: Principal) =>
  setFeature(principal, "DisableOrganizationsRootCredentialsManagement", "RootCredentialsManagement", false);
export const enableOrganizationsRootSessions = (principal: Principal) => setFeature(principal, "EnableOrganizationsRootSessions", "RootSessions", true);
export const disableOrganizationsRootSessions = (principal: Principal) => setFeature(principal, "DisableOrganizationsRootSessions", "RootSessions", false);

export function listOrganizationsFeatures(principal: Principal): OperationSpec<OrganizationsFeatures> {
  return {
    service: "iam",
    name: "ListOrganizationsFeatures",
    readOnly: true,
    resource: { arn: "*" },
    parameters: {},
    run: async ({ tx }) => featuresOf(await managedOrganization(tx, principal)),
  };
}
