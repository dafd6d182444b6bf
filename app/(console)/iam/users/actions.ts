"use server";
// Server actions of the users list and the create-user wizard.
import { defineAction } from "@/lib/actions/define-action";
import { listPolicies } from "@/lib/iam/services/policies";
import { createUserConsole } from "@/lib/iam/services/users";
import { ListPoliciesInput } from "@/lib/iam/validation";
import { CreateUserForm } from "./form-input";

export const createUserAction = defineAction({ input: CreateUserForm, operation: (i, p) => createUserConsole(p, i) });

export const searchPoliciesAction = defineAction({ input: ListPoliciesInput, operation: (i, p) => listPolicies(p, i) });
