// IAM's delegation-request operations (temporary delegation to partners) and
// GetHumanReadableSummary (whose only entity type is a delegation request),
// declared once (see ./operation.ts) and spread into IAM by ./iam.ts.
import * as dr from "@/lib/iam/services/delegation-requests";
import { declare } from "./operation";

export const IAM_DELEGATION = {
  CreateDelegationRequest: declare("iam", "CreateDelegationRequest", dr.CreateDelegationRequestInput, dr.createDelegationRequest),
  GetDelegationRequest: declare("iam", "GetDelegationRequest", dr.GetDelegationRequestInput, dr.getDelegationRequest),
  ListDelegationRequests: declare("iam", "ListDelegationRequests", dr.ListDelegationRequestsInput, dr.listDelegationRequests),
  AssociateDelegationRequest: declare("iam", "AssociateDelegationRequest", dr.DelegationRequestIdInput, dr.associateDelegationRequest),
  UpdateDelegationRequest: declare("iam", "UpdateDelegationRequest", dr.DelegationRequestNotesInput, dr.updateDelegationRequest),
  AcceptDelegationRequest: declare("iam", "AcceptDelegationRequest", dr.DelegationRequestIdInput, dr.acceptDelegationRequest),
  RejectDelegationRequest: declare("iam", "RejectDelegationRequest", dr.DelegationRequestNotesInput, dr.rejectDelegationRequest),
  SendDelegationToken: declare("iam", "SendDelegationToken", dr.DelegationRequestIdInput, dr.sendDelegationToken),
  GetHumanReadableSummary: declare("iam", "GetHumanReadableSummary", dr.GetHumanReadableSummaryInput, dr.getHumanReadableSummary),
};
