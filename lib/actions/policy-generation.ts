"use server";
// Policy generation's console actions, shared by the user and the role pages:
// start a generation for a period (Access Analyzer's StartPolicyGeneration),
// and try a draft against every recorded request (the simulator, on the server).
import { z } from "zod";
import { tryGeneratedPolicy } from "@/lib/audit/policy-generation-try";
import { ACCESS_ANALYZER } from "@/lib/iam/catalogue";
import { defineAction } from "./define-action";

const DAY = 86_400_000;
const PERIOD_CHOICES = ["1", "7", "30", "90", "custom"] as const;

/** The console's period form: a preset number of days back from now, or dates (start at 00:00, end at 24:00 UTC). */
const StartInput = z
  .object({
    principalArn: z.string().min(1).max(2048),
    period: z.enum(PERIOD_CHOICES, { error: "Choose a period." }),
    startDate: z.string().max(10).optional(),
    endDate: z.string().max(10).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.period !== "custom") return;
    const ok = (d?: string) => !!d && /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`));
    if (!ok(v.startDate)) ctx.addIssue({ code: "custom", path: ["startDate"], message: "Enter the first day of the period (YYYY-MM-DD)." });
    if (v.endDate && !ok(v.endDate)) ctx.addIssue({ code: "custom", path: ["endDate"], message: "Enter the last day of the period (YYYY-MM-DD), or leave it empty for today." });
  });

export const startPolicyGenerationAction = defineAction({
  input: StartInput,
  operation: (i, principal) => {
    const now = Date.now();
    const startTime = i.period === "custom" ? new Date(`${i.startDate}T00:00:00Z`) : new Date(now - Number(i.period) * DAY);
    // A preset ends now, as it starts: left open, the service's later "now" would make "Last 90 days" a little over 90.
    const endTime = i.period !== "custom" ? new Date(now) : i.endDate ? new Date(Date.parse(`${i.endDate}T00:00:00Z`) + DAY) : undefined;
    const input = ACCESS_ANALYZER.StartPolicyGeneration.input.parse({ policyGenerationDetails: { principalArn: i.principalArn }, cloudTrailDetails: { startTime, endTime } });
    return ACCESS_ANALYZER.StartPolicyGeneration.operation(input, principal);
  },
});

export const tryGeneratedPolicyAction = defineAction({
  input: z.object({
    jobId: z.string().min(1).max(4096),
    // The draft's policies (one, or the parts of a draft split to fit managed policies), as a JSON array of policy texts.
    policyDocuments: z
      .string()
      .max(400_000)
      .transform((raw, ctx) => {
        try {
          const list = JSON.parse(raw) as unknown;
          if (Array.isArray(list) && list.length > 0 && list.every((d) => typeof d === "string" && d.length > 0)) return list as string[];
        } catch {
          // reported below
        }
        ctx.addIssue({ code: "custom", message: "There is no policy to try." });
        return z.NEVER;
      }),
    // One more request to ask, beside the recorded ones (e.g. one the principal never made).
    extraAction: z
      .string()
      .trim()
      .max(256)
      .regex(/^([a-z0-9-]+:[A-Za-z0-9]+)?$/, "Enter an action as service:Action, e.g. s3:GetObject.")
      .optional(),
    extraResource: z
      .string()
      .trim()
      .max(2048)
      .regex(/^(\*|arn:[^\s]+)?$/, "Enter a resource ARN (or * for an action without a resource).")
      .optional(),
  }),
  sequence: (i, principal) =>
    tryGeneratedPolicy(principal, { jobId: i.jobId, policyDocuments: i.policyDocuments, extra: i.extraAction ? [{ action: i.extraAction, resource: i.extraResource || "*" }] : [] }),
});
