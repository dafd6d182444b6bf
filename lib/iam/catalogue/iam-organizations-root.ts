// IAM's centralized root access operations (the organization's
// RootCredentialsManagement and RootSessions features), declared once (see
// ./operation.ts) and spread into IAM by ./iam.ts. sts:AssumeRoot, which root
// sessions allow, is in ./sts.ts.
import * as org from "@/lib/iam/services/organizations-root";
import { declareNoInput } from "./operation";

const NoInput = org.OrganizationsRootInput;

export const IAM_ORGANIZATIONS_ROOT = {
  EnableOrganizationsRootCredentialsManagement: declareNoInput("iam", "EnableOrganizationsRootCredentialsManagement", NoInput, org.enableOrganizationsRootCredentialsManagement),
  DisableOrganizationsRootCredentialsManagement: declareNoInput("iam", "DisableOrganizationsRootCredentialsManagement", NoInput, org.disableOrganizationsRootCredentialsManagement),
  EnableOrganizationsRootSessions: declareNoInput("iam", "EnableOrganizationsRootSessions", NoInput, org.enableOrganizationsRootSessions),
  DisableOrganizationsRootSessions: declareNoInput("iam", "DisableOrganizationsRootSessions", NoInput, org.disableOrganizationsRootSessions),
  ListOrganizationsFeatures: declareNoInput("iam", "ListOrganizationsFeatures", NoInput, org.listOrganizationsFeatures),
};
