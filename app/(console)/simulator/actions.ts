"use server";
// The simulator's server actions: run a simulation, suggest action names from
// AWS's catalogue, and find principals of the caller's account to simulate.
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { listRoles } from "@/lib/iam/roles/roles";
import { listGroups } from "@/lib/iam/services/groups";
import { listUsers } from "@/lib/iam/services/users";
import { ListGroupsInput, ListUsersInput } from "@/lib/iam/validation";
import { suggestActions } from "@/lib/iam/services/action-suggestions";
import { SimulationInput } from "./input";
import { simulatePolicy } from "@/lib/iam/services/simulator";

export const runSimulationAction = defineAction({ input: SimulationInput, operation: (input, principal) => simulatePolicy(principal, input) });

/** Action names from AWS's public catalogue: no AWS API call, so nothing to authorize or audit. */
export const suggestActionsAction = defineAction({
  input: z.object({ q: z.string().trim().max(128) }),
  run: async ({ q }) => suggestActions(q),
});

const search = z.object({ q: z.string().trim().max(64) });
export const searchUsersAction = defineAction({
  input: search,
  operation: ({ q }, principal) => listUsers(principal, ListUsersInput.parse({ nameContains: q || undefined, pageSize: 8 })),
});
export const searchGroupsAction = defineAction({
  input: search,
  operation: ({ q }, principal) => listGroups(principal, ListGroupsInput.parse({ nameContains: q || undefined, pageSize: 8 })),
});
export const searchRolesAction = defineAction({
  input: search,
  operation: ({ q }, principal) => listRoles(principal, { nameContains: q || undefined, maxItems: 8 }),
});
