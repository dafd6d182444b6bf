import "server-only";
// SetSecurityTokenServicePreferences: which session tokens STS's global
// endpoint issues for the account, v1Token (valid only in the Regions enabled
// by default) or v2Token (valid in every Region, longer). Stored on the
// account; GetAccountSummary shows it as GlobalEndpointTokenVersion 1 or 2.
import { z } from "zod";
import type { OperationSpec } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";

export const GLOBAL_ENDPOINT_TOKEN_VERSIONS = ["v1Token", "v2Token"] as const;
export type GlobalEndpointTokenVersion = (typeof GLOBAL_ENDPOINT_TOKEN_VERSIONS)[number];

export const SetSecurityTokenServicePreferencesInput = z.object({
  globalEndpointTokenVersion: z.enum(GLOBAL_ENDPOINT_TOKEN_VERSIONS, {
    error: (i) =>
      `1 validation error detected: Value ${i.input === undefined ? "null" : `'${String(i.input)}'`} at 'globalEndpointTokenVersion' failed to satisfy constraint: ${i.input === undefined ? "Member must not be null" : "Member must satisfy enum value set: [v1Token, v2Token]"}`,
  }),
});

/** GetAccountSummary's GlobalEndpointTokenVersion: 1 or 2. */
export const tokenVersionNumber = (v: string) => (v === "v2Token" ? 2 : 1);

export function setSecurityTokenServicePreferences(principal: Principal, input: z.output<typeof SetSecurityTokenServicePreferencesInput>): OperationSpec<Record<string, never>> {
  return {
    service: "iam",
    name: "SetSecurityTokenServicePreferences",
    readOnly: false,
    resource: { arn: "*" },
    parameters: input,
    async run({ tx }) {
      await tx.account.update({ where: { id: principal.accountId }, data: { stsGlobalEndpointTokenVersion: input.globalEndpointTokenVersion } });
      return {};
    },
  };
}
