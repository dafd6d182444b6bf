// CloudTrail's trail operations, declared once (see ./operation.ts). Names and
// members are CloudTrail's (botocore's cloudtrail model); the builders in
// lib/audit/trails.ts check names and selectors with CloudTrail's own codes.
import { z } from "zod";
import { createTrail, deleteTrail, describeTrails, getEventSelectors, putEventSelectors, setLogging } from "@/lib/audit/trails";
import { declare } from "./operation";

const name = z.string().min(1, "Enter a trail name.").max(256);
const Name = z.object({ name });
const readWriteType = z.enum(["All", "ReadOnly", "WriteOnly"]);

export const EventSelectors = z
  .array(
    z.object({
      readWriteType: readWriteType.optional(),
      includeManagementEvents: z.boolean().optional(),
      dataResources: z.array(z.object({ type: z.string(), values: z.array(z.string().max(2048)).max(250) })).max(5).optional(),
    }),
  )
  .max(5);

export const CLOUDTRAIL = {
  CreateTrail: declare("cloudtrail", "CreateTrail", Name, createTrail),
  DeleteTrail: declare("cloudtrail", "DeleteTrail", Name, deleteTrail),
  DescribeTrails: declare("cloudtrail", "DescribeTrails", z.object({ trailNameList: z.array(name).max(50).optional() }), describeTrails),
  GetEventSelectors: declare("cloudtrail", "GetEventSelectors", z.object({ trailName: name }), getEventSelectors),
  PutEventSelectors: declare("cloudtrail", "PutEventSelectors", z.object({ trailName: name, eventSelectors: EventSelectors }), putEventSelectors),
  StartLogging: declare("cloudtrail", "StartLogging", Name, (p, i) => setLogging(p, i, true)),
  StopLogging: declare("cloudtrail", "StopLogging", Name, (p, i) => setLogging(p, i, false)),
};
