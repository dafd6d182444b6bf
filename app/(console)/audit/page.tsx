import { PageHeader } from "@/components/ui/page-header";
import { NotBuiltYet } from "@/components/ui/panels";
import { requireConsole } from "@/lib/auth/console-context";

export const metadata = { title: "Audit" };

export default async function Page() {
  await requireConsole();
  return (
    <>
      <PageHeader crumbs={[{ label: "Audit" }]} title="Audit" />
      <NotBuiltYet what="The CloudTrail-style audit report" />
    </>
  );
}
