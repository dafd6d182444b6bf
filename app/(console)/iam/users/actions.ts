"use server";
// Server actions of the users list and the create-user wizard.
import { defineAction } from "@/lib/actions/define-action";
import { createUserConsole } from "@/lib/iam/services/users";
import { CreateUserForm } from "./form-input";

export const createUserAction = defineAction({ input: CreateUserForm, operation: (i, p) => createUserConsole(p, i) });
