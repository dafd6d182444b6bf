import { PageHeader } from "@/components/ui/page-header";
import { CreateRoleForm } from "./create-role-form";
import { requireConsole } from "@/lib/auth/console-context";

export const metadata = { title: "Create role" };

export default async function Page() {
  const { principal } = await requireConsole();
  return (
    <>
      <PageHeader crumbs={[{ label: "IAM", href: "/iam" }, { label: "Roles", href: "/iam/roles" }, { label: "Create role" }]} title="Create role" />
      <CreateRoleForm accountId={principal.accountId} />
    </>
  );
}
