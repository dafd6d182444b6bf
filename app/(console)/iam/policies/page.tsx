import { PageHeader } from "@/components/ui/page-header";
import { NotBuiltYet } from "@/components/ui/panels";
import { requireConsole } from "@/lib/auth/console-context";

export const metadata = { title: "Policies" };

export default async function Page() {
  await requireConsole();
  return (
    <>
      <PageHeader crumbs={[{ label: "IAM", href: "/iam" }, { label: "Policies" }]} title="Policies" />
      <NotBuiltYet what="Policy administration" />
    </>
  );
}
