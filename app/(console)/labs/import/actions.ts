"use server";
// The import page's action: a file (or pasted JSON) from
// `aws iam get-account-authorization-details` into a new sandbox. The gated
// function (lib/labs/import-sandbox.ts) decides: iamlab:ManageClasses.
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { importSandbox, parseImportFile } from "@/lib/labs/import-sandbox";

export const importSandboxAction = defineAction({
  input: z.object({
    file: z.instanceof(File).optional(),
    json: z.string().default(""),
    label: z.string().trim().max(100, "Up to 100 characters.").default(""),
  }),
  run: async (i, door) => {
    const text = i.file && i.file.size > 0 ? await i.file.text() : i.json;
    return importSandbox(door, parseImportFile(text), i.label);
  },
});
