// IAM's reports on what policies allow and what was used: service last
// accessed data (Access Advisor) for IAM entities and for AWS Organizations,
// the policies granting a service, the context keys policies refer to, and the
// account's STS token preference; declared once (see ./operation.ts) and
// spread into IAM by ./iam.ts.
import * as keys from "@/lib/iam/services/context-keys";
import * as granting from "@/lib/iam/services/entity-policies";
import * as org from "@/lib/iam/services/organizations-access-report";
import * as slad from "@/lib/iam/services/service-last-accessed";
import * as sts from "@/lib/iam/services/sts-preferences";
import { declare } from "./operation";

export const IAM_ACCESS_REPORTS = {
  GenerateServiceLastAccessedDetails: declare("iam", "GenerateServiceLastAccessedDetails", slad.GenerateServiceLastAccessedDetailsInput, slad.generateServiceLastAccessedDetails),
  GetServiceLastAccessedDetails: declare("iam", "GetServiceLastAccessedDetails", slad.GetServiceLastAccessedDetailsInput, slad.getServiceLastAccessedDetails),
  GetServiceLastAccessedDetailsWithEntities: declare(
    "iam",
    "GetServiceLastAccessedDetailsWithEntities",
    slad.GetServiceLastAccessedDetailsWithEntitiesInput,
    slad.getServiceLastAccessedDetailsWithEntities,
  ),
  GenerateOrganizationsAccessReport: declare("iam", "GenerateOrganizationsAccessReport", org.GenerateOrganizationsAccessReportInput, org.generateOrganizationsAccessReport),
  GetOrganizationsAccessReport: declare("iam", "GetOrganizationsAccessReport", org.GetOrganizationsAccessReportInput, org.getOrganizationsAccessReport),
  ListPoliciesGrantingServiceAccess: declare("iam", "ListPoliciesGrantingServiceAccess", granting.ListPoliciesGrantingServiceAccessInput, granting.listPoliciesGrantingServiceAccess),
  GetContextKeysForCustomPolicy: declare("iam", "GetContextKeysForCustomPolicy", keys.GetContextKeysForCustomPolicyInput, keys.getContextKeysForCustomPolicy),
  GetContextKeysForPrincipalPolicy: declare("iam", "GetContextKeysForPrincipalPolicy", keys.GetContextKeysForPrincipalPolicyInput, keys.getContextKeysForPrincipalPolicy),
  SetSecurityTokenServicePreferences: declare("iam", "SetSecurityTokenServicePreferences", sts.SetSecurityTokenServicePreferencesInput, sts.setSecurityTokenServicePreferences),
};
