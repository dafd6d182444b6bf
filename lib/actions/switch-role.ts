"use server";
// Switch role, switch back, and forgetting an ended role session.
import { redirect } from "next/navigation";
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { blank } from "@/lib/actions/form-input";
import { endRoleSession, forgetRoleCookies, keepRoleSession } from "@/lib/auth/role-session";
import { ROLE_COLOR_HEXES } from "@/lib/sts/role-palette";
import { switchRole } from "@/lib/sts/console-session";

const SwitchRoleForm = z.object({
  account: z
    .string({ error: "Enter the account ID (12 digits) or the account alias." })
    .trim()
    .regex(/^(\d{12}|[a-z0-9]([a-z0-9-]{1,61})[a-z0-9])$/, "Enter the 12-digit account ID or the account alias (3-63 lowercase letters, digits and hyphens)."),
  roleName: z
    .string({ error: "Enter the role name." })
    .trim()
    .min(1, "Enter the role name.")
    .max(576, "The role name with its path can be up to 576 characters.")
    .regex(/^[\w+=,.@/-]+$/, "Use letters, digits and +=,.@_- (and / for a path)."),
  displayName: z.preprocess(blank, z.string().trim().max(64, "The display name can be up to 64 characters.").optional()),
  color: z.preprocess(blank, z.enum(ROLE_COLOR_HEXES as [string, ...string[]], { error: "Choose one of the colours." }).optional()),
});

/** The switch-role form (and the one-click recent roles): AssumeRole from the signed-in identity, then Console Home (a page the role can use). */
export const switchRoleAction = defineAction({
  input: SwitchRoleForm,
  as: "signed-in",
  run: async (input, door): Promise<never> => {
    await keepRoleSession(await door.run(switchRole(door.principal, input)));
    redirect("/?from=switched");
  },
});

/** "Back to NAME": ends the role session and returns to the signed-in identity. */
export const switchBackAction = defineAction({
  as: "signed-in",
  run: async (): Promise<never> => {
    await endRoleSession();
    redirect("/?from=back");
  },
});

/** Dismisses the "role session ended" notice. */
export const dismissEndedSessionAction = defineAction({ as: "signed-in", run: () => forgetRoleCookies() });
