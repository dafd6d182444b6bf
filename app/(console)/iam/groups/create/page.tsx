import { PageHeader } from "@/components/ui/page-header";
import { requireConsole } from "@/lib/auth/console-context";
import { CreateGroupForm } from "./create-group-form";

export const metadata = { title: "Create user group" };

export default async function CreateGroupPage() {
  await requireConsole();
  return (
    <>
      <PageHeader
        crumbs={[{ label: "IAM", href: "/iam" }, { label: "User groups", href: "/iam/groups" }, { label: "Create user group" }]}
        title="Create user group"
      />
      <CreateGroupForm />
    </>
  );
}
