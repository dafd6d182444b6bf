"use server";
// An admin's "sign out everywhere" for a user: every console session of the
// user ends at once (lib/auth/console-sessions.ts), through the gate and the audit.
import { defineAction } from "@/lib/actions/define-action";
import { signOutEverywhere } from "@/lib/auth/console-sessions";
import { UserNameInput } from "@/lib/iam/validation";

export const signOutEverywhereAction = defineAction({ input: UserNameInput, operation: (i, p) => signOutEverywhere(p, i) });
