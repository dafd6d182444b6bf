"use server";
// The instances page's actions: launch (RunInstances) and terminate.
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { IMAGES, INSTANCE_TYPES, runInstances, terminateInstances } from "@/lib/ec2/instances";

const launchInput = z.object({
  name: z.string().trim().max(256, "The name is at most 256 characters.").default(""),
  imageId: z.enum(IMAGES.map((i) => i.id) as [string, ...string[]], { message: "Choose one of the images offered." }),
  instanceType: z.enum(INSTANCE_TYPES, { message: "Choose one of the instance types offered." }),
  instanceProfile: z.string().trim().max(128).default(""),
});

export const launchInstanceAction = defineAction({
  input: launchInput,
  operation: (i, principal) =>
    runInstances(principal, {
      imageId: i.imageId,
      instanceType: i.instanceType,
      minCount: 1,
      maxCount: 1,
      iamInstanceProfile: i.instanceProfile ? { Name: i.instanceProfile } : undefined,
      tagSpecifications: i.name ? [{ ResourceType: "instance", Tags: [{ Key: "Name", Value: i.name }] }] : undefined,
    }),
});

export const terminateInstanceAction = defineAction({
  input: z.object({ instanceId: z.string().min(1) }),
  operation: (i, principal) => terminateInstances(principal, { instanceIds: [i.instanceId] }),
});
