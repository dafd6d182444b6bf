// IAM's account-wide operations beyond the entities' own (the authorization
// snapshot, service-linked roles), declared once (see ./operation.ts) and
// spread into IAM by ./iam.ts.
import { z } from "zod";
import { entityFilterSchema, getAccountAuthorizationDetails } from "@/lib/iam/services/authorization-details";
import * as slr from "@/lib/iam/services/service-linked-roles";
import * as v from "@/lib/iam/validation";
import { declare } from "./operation";

const optionalText = <S extends z.ZodType>(schema: S) => z.preprocess((x) => (x === "" || x === null ? undefined : x), schema.optional());

export const GetAccountAuthorizationDetailsInput = z.object({
  filter: optionalText(v.listOf(entityFilterSchema)),
  maxItems: optionalText(v.pageSize),
  marker: optionalText(v.cursor),
});

export const IAM_ACCOUNT = {
  GetAccountAuthorizationDetails: declare("iam", "GetAccountAuthorizationDetails", GetAccountAuthorizationDetailsInput, getAccountAuthorizationDetails),
  CreateServiceLinkedRole: declare("iam", "CreateServiceLinkedRole", slr.CreateServiceLinkedRoleInput, slr.createServiceLinkedRole),
  DeleteServiceLinkedRole: declare("iam", "DeleteServiceLinkedRole", slr.DeleteServiceLinkedRoleInput, slr.deleteServiceLinkedRole),
  GetServiceLinkedRoleDeletionStatus: declare("iam", "GetServiceLinkedRoleDeletionStatus", slr.DeletionStatusInput, slr.getServiceLinkedRoleDeletionStatus),
};
