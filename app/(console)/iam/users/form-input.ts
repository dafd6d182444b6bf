// The create-user wizard's flat form to the service's input: console access as
// one object, tags as key/value pairs, an unchecked box as an explicit false.
import { z } from "zod";
import { isChecked, tagsFromForm } from "@/lib/actions/form-input";
import { CreateUserConsoleInput } from "@/lib/iam/validation";

export const CreateUserForm = z.preprocess((raw) => {
  const f = (raw ?? {}) as Record<string, unknown>;
  if (!("userName" in f) || "consolePassword" in f) return raw; // already the service's shape (direct calls)
  return {
    userName: f.userName,
    path: f.path,
    permissionsBoundary: f.permissionsBoundary,
    tags: tagsFromForm(f),
    consolePassword: isChecked(f.consoleAccess)
      ? { mode: f.passwordMode, password: f.password, requireReset: isChecked(f.requireReset) ? "true" : "false" }
      : { mode: "none" },
    groups: f.groups,
    attachPolicyArns: f.attachPolicyArns,
    copyFromUser: f.copyFromUser,
  };
}, CreateUserConsoleInput);
