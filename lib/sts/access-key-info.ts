import "server-only";
// sts:GetAccessKeyInfo: the account an access key ID belongs to. As in AWS it
// needs no permission (the answer is an account ID, which is not a secret) and
// says nothing of the key's state: active, inactive or expired keys all answer.
// AWS derives the account from the ID itself; IAM Lab's IDs are random, so the
// key is looked up (long-term AKIA keys, then temporary ASIA credentials), and
// only within the caller's organization: another organization's keys, and
// deleted ones, answer InvalidParameterValue.
import type { OperationSpec } from "@/lib/iam/operation";
import { IamError } from "@/lib/iam/errors";
import type { Principal } from "@/lib/iam/principal";

export function getAccessKeyInfo(principal: Principal, input: { accessKeyId: string }): OperationSpec<{ account: string }> {
  return {
    service: "sts",
    name: "GetAccessKeyInfo",
    readOnly: true,
    noPermissionRequired: true,
    resource: { arn: "*", accountId: principal.accountId },
    parameters: input,
    async run({ tx }) {
      const id = input.accessKeyId;
      const accountId = id.startsWith("ASIA")
        ? (await tx.roleSession.findUnique({ where: { accessKeyId: id }, select: { accountId: true } }))?.accountId
        : (await tx.accessKey.findUnique({ where: { id }, select: { accountId: true } }))?.accountId;
      const account = accountId ? await tx.account.findUnique({ where: { id: accountId }, select: { id: true, organizationId: true } }) : null;
      if (!account || account.organizationId !== principal.organizationId) {
        throw new IamError("InvalidParameterValue", `The access key ID ${id} is not known in this organization.`);
      }
      return { account: account.id };
    },
  };
}
