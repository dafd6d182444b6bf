import "server-only";
// Account aliases: the name in an account's sign-in URL, in place of its ID.
// One per account (CreateAccountAlias replaces the account's alias, as AWS's
// console edits it), unique across all accounts, AWS's pattern (3-63 lower-case
// letters, digits and single hyphens). Kept in Account.alias, which sign-in and
// the console read.
import type { OperationSpec } from "@/lib/iam/operation";
import { IamError, noSuchEntity } from "@/lib/iam/errors";
import type { Principal } from "@/lib/iam/principal";
import type { AccountAliasInput, ListAccountAliasesInput } from "@/lib/iam/validation";
import { uniquely } from "./common";

const taken = (alias: string) => new IamError("EntityAlreadyExists", `The account alias ${alias} already exists.`);

export function createAccountAlias(principal: Principal, input: AccountAliasInput): OperationSpec<void> {
  return {
    service: "iam",
    name: "CreateAccountAlias",
    readOnly: false,
    resource: { arn: "*" },
    parameters: input,
    async run({ tx }) {
      // An alias that reads as an account ID would make sign-in ambiguous.
      if (/^\d{12}$/.test(input.accountAlias)) throw new IamError("ValidationError", "The account alias cannot be a 12-digit number.");
      const holder = await tx.account.findUnique({ where: { alias: input.accountAlias }, select: { id: true } });
      if (holder) {
        if (holder.id === principal.accountId) return;
        throw taken(input.accountAlias);
      }
      await uniquely(tx.account.update({ where: { id: principal.accountId }, data: { alias: input.accountAlias } }), () => taken(input.accountAlias));
    },
  };
}

export function deleteAccountAlias(principal: Principal, input: AccountAliasInput): OperationSpec<void> {
  return {
    service: "iam",
    name: "DeleteAccountAlias",
    readOnly: false,
    resource: { arn: "*" },
    parameters: input,
    async run({ tx }) {
      const { count } = await tx.account.updateMany({ where: { id: principal.accountId, alias: input.accountAlias }, data: { alias: null } });
      if (count === 0) throw noSuchEntity(`The account alias ${input.accountAlias} cannot be found.`);
    },
  };
}

export function listAccountAliases(principal: Principal, input: ListAccountAliasesInput): OperationSpec<{ AccountAliases: string[]; IsTruncated: boolean }> {
  return {
    service: "iam",
    name: "ListAccountAliases",
    readOnly: true,
    resource: { arn: "*" },
    parameters: input,
    async run({ tx }) {
      const account = await tx.account.findUniqueOrThrow({ where: { id: principal.accountId }, select: { alias: true } });
      // At most one alias: a marker can only point past it.
      const aliases = account.alias && !input.marker ? [account.alias] : [];
      return { AccountAliases: aliases, IsTruncated: false };
    },
  };
}
