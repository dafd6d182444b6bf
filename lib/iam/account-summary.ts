import "server-only";
// GetAccountSummary: the IAM dashboard's counts and quotas.
import type { OperationSpec } from "@/lib/iam/operation";
import { tokenVersionNumber } from "@/lib/iam/services/sts-preferences";
import type { Principal } from "./principal";

export interface AccountSummary {
  Users: number;
  Groups: number;
  Roles: number;
  Policies: number;
  MFADevicesInUse: number;
  AccountMFAEnabled: number;
  AccessKeysPerUserQuota: number;
  UsersQuota: number;
  /** SetSecurityTokenServicePreferences: 1 (v1Token) or 2 (v2Token). */
  GlobalEndpointTokenVersion: number;
}

export function getAccountSummary(principal: Principal): OperationSpec<AccountSummary> {
  const accountId = principal.accountId;
  return {
    service: "iam",
    name: "GetAccountSummary",
    readOnly: true,
    resource: { arn: "*" },
    run: async ({ tx }) => {
      const [users, groups, roles, policies, mfaInUse, rootMfa, account] = await Promise.all([
        tx.iamUser.count({ where: { accountId } }),
        tx.iamGroup.count({ where: { accountId } }),
        tx.role.count({ where: { accountId } }),
        tx.managedPolicy.count({ where: { accountId } }),
        tx.mfaDevice.count({ where: { accountId, enabledAt: { not: null } } }),
        tx.mfaDevice.count({ where: { accountId, forRoot: true, enabledAt: { not: null } } }),
        tx.account.findUnique({ where: { id: accountId }, select: { stsGlobalEndpointTokenVersion: true } }),
      ]);
      return {
        Users: users,
        Groups: groups,
        Roles: roles,
        Policies: policies,
        MFADevicesInUse: mfaInUse,
        AccountMFAEnabled: rootMfa > 0 ? 1 : 0,
        AccessKeysPerUserQuota: 2,
        UsersQuota: 5000,
        GlobalEndpointTokenVersion: tokenVersionNumber(account?.stsGlobalEndpointTokenVersion ?? "v1Token"),
      };
    },
  };
}
