"use server";
// Server actions of the users list and the create-user wizard.
import { z } from "zod";
import { tagsFromForm } from "@/components/iam/users/form-tags";
import { defineAction } from "@/lib/actions/define-action";
import { listPolicies } from "@/lib/iam/services/policies";
import { createUserConsole } from "@/lib/iam/services/users";
import { CreateUserConsoleInput, ListPoliciesInput } from "@/lib/iam/validation";

/**
 * The wizard's flat form to the service's input: console access as one
 * object, tags as key/value pairs, unchecked boxes as an explicit false.
 */
const CreateUserForm = z.preprocess((raw) => {
  const f = (raw ?? {}) as Record<string, unknown>;
  if (!("consoleAccess" in f) && !("tagKey" in f)) return raw; // already the service's shape (direct calls)
  const access = f.consoleAccess === "on" || f.consoleAccess === "true";
  return {
    userName: f.userName,
    path: f.path,
    permissionsBoundary: f.permissionsBoundary,
    tags: tagsFromForm(f),
    consolePassword: access
      ? { mode: f.passwordMode, password: f.password, requireReset: f.requireReset === "on" || f.requireReset === "true" ? "true" : "false" }
      : { mode: "none" },
    groups: f.groups,
    attachPolicyArns: f.attachPolicyArns,
    copyFromUser: f.copyFromUser,
  };
}, CreateUserConsoleInput);

export const createUserAction = defineAction({ input: CreateUserForm, operation: (i, p) => createUserConsole(p, i) });

export const searchPoliciesAction = defineAction({ input: ListPoliciesInput, operation: (i, p) => listPolicies(p, i) });
