"use server";
// Server actions of the users list and the create-user wizard.
import { defineAction } from "@/lib/actions/define-action";
import { CONSOLE } from "@/lib/iam/catalogue/console";
import { CreateUserForm } from "./form-input";

export const createUserAction = defineAction({ input: CreateUserForm, sequence: CONSOLE.CreateUser });
