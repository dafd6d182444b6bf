// The create-role wizard's form, read on the server: the trusted entity as the
// console offers it, then permissions, then name/description/path/maximum
// session/tags. Names, paths, descriptions and tags use AWS's own rules
// (lib/iam/validation); the result is CreateRole's input.
import { z } from "zod";
import { blank } from "@/lib/actions/form-input";
import { description, formBoolean, iamPath, policyArn, roleName, tags } from "@/lib/iam/validation";
import type { CreateRoleWithPoliciesInput } from "@/lib/iam/catalogue/console";
import type { TrustedEntity } from "@/lib/iam/roles/validation";

const list = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** "ec2" or "ec2.amazonaws.com": the console lets people pick the service by its short name. */
export const servicePrincipal = (s: string) => (s.includes(".") ? s : `${s}.amazonaws.com`);

export const MAX_SESSION_HOURS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] as const;

export const CreateRoleForm = z
  .object({
    trustKind: z.enum(["this-account", "other-account", "service", "custom"], { error: "Choose who can assume the role." }),
    accountId: z.preprocess(blank, z.string().trim().regex(/^\d{12}$/, "The account ID must be 12 digits.").optional()),
    externalId: z.preprocess(
      blank,
      z
        .string()
        .min(2, "The external ID must be 2 to 1,224 characters.")
        .max(1224, "The external ID must be 2 to 1,224 characters.")
        .regex(/^[\w+=,.@:/-]+$/, "Use letters, digits and +=,.@:/_-")
        .optional(),
    ),
    requireMfa: z.preprocess(blank, formBoolean.optional()),
    service: z.preprocess(blank, z.string().trim().regex(/^[a-z0-9][a-z0-9.-]*$/, "Enter a service such as ec2 or lambda.").optional()),
    trustPolicy: z.preprocess(blank, z.string().optional()),
    policyArns: z.preprocess(list, z.array(policyArn).max(10, "Attach up to 10 managed policies (AWS's quota per role).")),
    permissionsBoundary: z.preprocess(blank, policyArn.optional()),
    roleName,
    description: z.preprocess(blank, description.optional()),
    path: z.preprocess(blank, iamPath().optional()),
    maxSessionHours: z.coerce.number().int().min(1, "Between 1 and 12 hours.").max(12, "Between 1 and 12 hours.").default(1),
    tagKey: z.preprocess(list, z.array(z.string())),
    tagValue: z.preprocess(list, z.array(z.string())),
  })
  .superRefine((f, ctx) => {
    if (f.trustKind === "other-account" && !f.accountId) ctx.addIssue({ code: "custom", path: ["accountId"], message: "Enter the 12-digit ID of the account to trust." });
    if (f.trustKind === "service" && !f.service) ctx.addIssue({ code: "custom", path: ["service"], message: "Choose the service that will use the role." });
    if (f.trustKind === "custom" && !f.trustPolicy) ctx.addIssue({ code: "custom", path: ["trustPolicy"], message: "Write the trust policy." });
  })
  .transform((f, ctx) => {
    const pairs = f.tagKey.map((key, i) => ({ key: key.trim(), value: (f.tagValue[i] ?? "").trim() })).filter((t) => t.key !== "" || t.value !== "");
    const parsedTags = tags.safeParse(pairs);
    if (!parsedTags.success) {
      for (const issue of parsedTags.error.issues) ctx.addIssue({ code: "custom", path: ["tags"], message: issue.message });
      return z.NEVER;
    }
    const trustedEntity: TrustedEntity =
      f.trustKind === "service"
        ? { kind: "service", services: [servicePrincipal(f.service!)] }
        : f.trustKind === "custom"
          ? { kind: "custom", document: f.trustPolicy! }
          : f.trustKind === "other-account"
            ? { kind: "other-account", accountId: f.accountId!, externalId: f.externalId, requireMfa: f.requireMfa }
            : { kind: "this-account", externalId: f.externalId, requireMfa: f.requireMfa };
    const input: CreateRoleWithPoliciesInput = {
      roleName: f.roleName,
      path: f.path,
      description: f.description,
      maxSessionDuration: f.maxSessionHours * 3600,
      trustedEntity,
      policyArns: f.policyArns,
      permissionsBoundary: f.permissionsBoundary,
      tags: parsedTags.data,
    };
    return input;
  });
