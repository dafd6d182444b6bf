"use server";
// The trail page's actions: CloudTrail's own operations from the catalogue
// (gated as cloudtrail:* actions and audited), and the selector form mapped to
// PutEventSelectors' EventSelectors.
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { checkbox } from "@/lib/actions/form-input";
import { CLOUDTRAIL } from "@/lib/iam/catalogue/cloudtrail";
import { putEventSelectors } from "@/lib/audit/trails";

const list = z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string().max(1024)));
const readWriteType = z.enum(["All", "ReadOnly", "WriteOnly"], { message: "Choose All, ReadOnly or WriteOnly." });

export const createTrailAction = defineAction(CLOUDTRAIL.CreateTrail);
export const deleteTrailAction = defineAction(CLOUDTRAIL.DeleteTrail);
export const startLoggingAction = defineAction(CLOUDTRAIL.StartLogging);
export const stopLoggingAction = defineAction(CLOUDTRAIL.StopLogging);

/** The form: management events on/off and their kind; rows of bucket, prefix and kind (blank rows ignored). */
export const saveSelectorsAction = defineAction({
  input: z.object({
    trailName: z.string().min(1).max(128),
    management: checkbox,
    managementReadWriteType: readWriteType,
    bucket: list,
    prefix: list,
    readWriteType: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(readWriteType)),
  }),
  operation: (i, principal) => {
    const rows = i.bucket
      .map((b, n) => ({ bucket: b.trim(), prefix: (i.prefix[n] ?? "").trim(), kind: i.readWriteType[n] ?? "All" }))
      .filter((r) => r.bucket !== "");
    const kinds = [...new Set([...(i.management ? [i.managementReadWriteType] : []), ...rows.map((r) => r.kind)])];
    const eventSelectors = (kinds.length ? kinds : ["All" as const]).map((kind) => {
      const values = rows.filter((r) => r.kind === kind).map((r) => (r.bucket === "*" ? "arn:aws:s3" : `arn:aws:s3:::${r.bucket}/${r.prefix}`));
      return {
        readWriteType: kind,
        includeManagementEvents: i.management && i.managementReadWriteType === kind,
        ...(values.length ? { dataResources: [{ type: "AWS::S3::Object", values }] } : {}),
      };
    });
    return putEventSelectors(principal, { trailName: i.trailName, eventSelectors });
  },
});
