import { PageHeader } from "@/components/ui/page-header";
import { NotBuiltYet } from "@/components/ui/panels";
import { requireConsole } from "@/lib/auth/console-context";

export const metadata = { title: "Account settings" };

export default async function Page() {
  await requireConsole();
  return (
    <>
      <PageHeader crumbs={[{ label: "IAM", href: "/iam" }, { label: "Account settings" }]} title="Account settings" />
      <NotBuiltYet what="The password policy page" />
    </>
  );
}
