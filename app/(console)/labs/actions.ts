"use server";
// The labs' server actions, built with defineAction like every other (session,
// input schema, one result shape); the gated functions of lib/labs/manage.ts
// decide (iamlab:StartSandbox, iamlab:ManageClasses, or the sandbox's owner).
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { createClass, deleteClass, deleteSandboxAs, resetSandboxAs, startOwnSandbox } from "@/lib/labs/manage";

const id = (what: string) => z.string().trim().min(1, `Choose a ${what}.`).max(128);

export const startLabAction = defineAction({
  input: z.object({ labId: id("lab") }),
  run: async (i, door) => ({ sandboxId: (await startOwnSandbox(door, i.labId)).sandbox.id }),
});

export const resetSandboxAction = defineAction({
  input: z.object({ sandboxId: id("sandbox") }),
  run: async (i, door) => {
    await resetSandboxAs(door, i.sandboxId);
    return null;
  },
});

export const deleteSandboxAction = defineAction({
  input: z.object({ sandboxId: id("sandbox") }),
  run: async (i, door) => {
    await deleteSandboxAs(door, i.sandboxId);
    return null;
  },
});

export const createClassAction = defineAction({
  input: z.object({
    labId: id("lab"),
    name: z.string().trim().max(128).default(""),
    size: z.coerce.number().int().min(0).max(200).default(0),
    learners: z.string().max(20_000).default(""),
  }),
  run: async (i, door) => {
    const labels = i.learners
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
    const cls = await createClass(door, { labId: i.labId, name: i.name, size: labels.length || i.size, labels });
    return { classId: cls.id, size: cls.sandboxes.length };
  },
});

export const deleteClassAction = defineAction({
  input: z.object({ classId: id("class") }),
  run: async (i, door) => {
    await deleteClass(door, i.classId);
    return null;
  },
});
