// EC2's operations, as far as IAM Lab simulates instances: enough to launch one
// with an instance profile and see its role's credentials reach it through the
// instance metadata service (lib/ec2). Names and inputs are AWS's.
import { z } from "zod";
import { describeInstances, runInstances, terminateInstances } from "@/lib/ec2/instances";
import { declare } from "./operation";

const instanceIds = z.array(z.string().max(64)).max(1000);

export const EC2 = {
  RunInstances: declare(
    "ec2",
    "RunInstances",
    z.object({
      imageId: z.string().min(1).max(64),
      instanceType: z.string().max(64).optional(),
      minCount: z.coerce.number().int(),
      maxCount: z.coerce.number().int(),
      iamInstanceProfile: z.object({ Arn: z.string().max(2048).optional(), Name: z.string().max(128).optional() }).optional(),
      tagSpecifications: z
        .array(z.object({ ResourceType: z.string().max(64).optional(), Tags: z.array(z.object({ Key: z.string().min(1).max(128), Value: z.string().max(256) })).max(50).optional() }))
        .max(10)
        .optional(),
    }),
    runInstances,
  ),
  TerminateInstances: declare("ec2", "TerminateInstances", z.object({ instanceIds: instanceIds.min(1) }), terminateInstances),
  DescribeInstances: declare("ec2", "DescribeInstances", z.object({ instanceIds: instanceIds.optional() }), describeInstances),
};
