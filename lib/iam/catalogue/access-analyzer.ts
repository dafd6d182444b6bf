// IAM Access Analyzer's policy generation, declared once (see ./operation.ts).
// Names and members are Access Analyzer's (botocore's accessanalyzer model);
// the builders in lib/audit/policy-generation.ts read the event history.
import { z } from "zod";
import { getGeneratedPolicy, startPolicyGeneration } from "@/lib/audit/policy-generation";
import { declare } from "./operation";

const time = z.coerce.date({ error: "Enter a date and time." });

export const ACCESS_ANALYZER = {
  StartPolicyGeneration: declare(
    "access-analyzer",
    "StartPolicyGeneration",
    z.object({
      policyGenerationDetails: z.object({ principalArn: z.string().min(1, "Choose the user or role.").max(2048) }),
      cloudTrailDetails: z
        .object({
          startTime: time,
          endTime: time.optional(),
          accessRole: z.string().max(2048).optional(),
          trails: z.array(z.object({ cloudTrailArn: z.string().max(2048), regions: z.array(z.string().max(64)).max(50).optional(), allRegions: z.boolean().optional() })).max(50).optional(),
        })
        .optional(),
      clientToken: z.string().max(64).optional(),
    }),
    startPolicyGeneration,
  ),
  GetGeneratedPolicy: declare(
    "access-analyzer",
    "GetGeneratedPolicy",
    z.object({ jobId: z.string().min(1).max(4096), includeResourcePlaceholders: z.boolean().optional(), includeServiceLevelTemplate: z.boolean().optional() }),
    getGeneratedPolicy,
  ),
};
