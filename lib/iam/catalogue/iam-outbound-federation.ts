// IAM's outbound web identity federation operations (the account's issuer for
// sts:GetWebIdentityToken), declared once (see ./operation.ts) and spread into
// IAM by ./iam.ts.
import { z } from "zod";
import * as outbound from "@/lib/iam/services/outbound-web-identity-federation";
import { declareNoInput } from "./operation";

const noInput = z.object({}).passthrough();

export const IAM_OUTBOUND_FEDERATION = {
  EnableOutboundWebIdentityFederation: declareNoInput("iam", "EnableOutboundWebIdentityFederation", noInput, outbound.enableOutboundWebIdentityFederation),
  DisableOutboundWebIdentityFederation: declareNoInput("iam", "DisableOutboundWebIdentityFederation", noInput, outbound.disableOutboundWebIdentityFederation),
  GetOutboundWebIdentityFederationInfo: declareNoInput("iam", "GetOutboundWebIdentityFederationInfo", noInput, outbound.getOutboundWebIdentityFederationInfo),
};
