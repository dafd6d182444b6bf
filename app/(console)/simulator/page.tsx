import { PageHeader } from "@/components/ui/page-header";
import { NotBuiltYet } from "@/components/ui/panels";
import { requireConsole } from "@/lib/auth/console-context";

export const metadata = { title: "Policy simulator" };

export default async function Page() {
  await requireConsole();
  return (
    <>
      <PageHeader crumbs={[{ label: "Policy simulator" }]} title="Policy simulator" />
      <NotBuiltYet what="The policy simulator" />
    </>
  );
}
