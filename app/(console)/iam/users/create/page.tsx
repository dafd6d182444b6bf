import { passwordRules } from "@/components/iam/users/password-policy-rules";
import { PageHeader } from "@/components/ui/page-header";
import { loadAs } from "@/lib/actions/define-action";
import { requireConsole } from "@/lib/auth/console-context";
import { listGroups } from "@/lib/iam/services/groups";
import { groupRows } from "../../groups/group-rows";
import { DEFAULT_PASSWORD_POLICY, getEffectivePasswordPolicy } from "@/lib/iam/services/passwords";
import { createUserAction } from "../actions";
import { CreateUserForm } from "./create-user-form";

export const metadata = { title: "Create user" };

export default async function CreateUserPage() {
  const { principal, account } = await requireConsole();
  const [groups, policy] = await Promise.all([
    loadAs(principal, listGroups(principal, { pageSize: 100 })),
    loadAs(principal, getEffectivePasswordPolicy(principal)),
  ]);
  return (
    <>
      <PageHeader crumbs={[{ label: "IAM", href: "/iam" }, { label: "Users", href: "/iam/users" }, { label: "Create user" }]} title="Create user" />
      <CreateUserForm
        create={createUserAction}
        groups={groups.ok ? groupRows(groups.data).map((g) => ({ name: g.groupName, policies: g.attachedPolicyCount })) : null}
        groupsError={groups.ok ? null : `${groups.error.code}: ${groups.error.message}`}
        passwordRules={passwordRules(policy.ok ? policy.data : DEFAULT_PASSWORD_POLICY)}
        signInAccount={account.alias ?? account.id}
      />
    </>
  );
}
