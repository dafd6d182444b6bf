import { PageHeader } from "@/components/ui/page-header";
import { requireConsole } from "@/lib/auth/console-context";
import { CreatePolicyForm } from "./create-policy-form";

export const metadata = { title: "Create policy" };

export default async function CreatePolicyPage() {
  await requireConsole();
  return (
    <>
      <PageHeader crumbs={[{ label: "IAM", href: "/iam" }, { label: "Policies", href: "/iam/policies" }, { label: "Create policy" }]} title="Create policy" />
      <CreatePolicyForm />
    </>
  );
}
