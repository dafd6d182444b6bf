"use server";
// Report-only for the caller's account: iamlab:SetReportOnlyMode, gated and audited (lib/iam/report-only.ts).
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { setReportOnlyMode } from "@/lib/iam/report-only";

const SetReportOnlyInput = z.object({ enabled: z.enum(["true", "false"], { message: "Choose on (true) or off (false)." }).transform((v) => v === "true") });

export const setReportOnlyAction = defineAction({ input: SetReportOnlyInput, operation: (input, principal) => setReportOnlyMode(principal, input) });
