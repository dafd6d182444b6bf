import { PageHeader } from "@/components/ui/page-header";
import { NotBuiltYet } from "@/components/ui/panels";
import { requireConsole } from "@/lib/auth/console-context";

export const metadata = { title: "My security credentials" };

export default async function Page() {
  await requireConsole();
  return (
    <>
      <PageHeader crumbs={[{ label: "IAM", href: "/iam" }, { label: "My security credentials" }]} title="My security credentials" />
      <NotBuiltYet what="Self-service credentials" />
    </>
  );
}
