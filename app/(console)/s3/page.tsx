import { PageHeader } from "@/components/ui/page-header";
import { NotBuiltYet } from "@/components/ui/panels";
import { requireConsole } from "@/lib/auth/console-context";

export const metadata = { title: "S3" };

export default async function Page() {
  await requireConsole();
  return (
    <>
      <PageHeader crumbs={[{ label: "S3" }]} title="S3" />
      <NotBuiltYet what="The S3 console" />
    </>
  );
}
