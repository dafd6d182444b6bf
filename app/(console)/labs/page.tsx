import { PageHeader } from "@/components/ui/page-header";
import { NotBuiltYet } from "@/components/ui/panels";
import { requireConsole } from "@/lib/auth/console-context";

export const metadata = { title: "Training labs" };

export default async function Page() {
  await requireConsole();
  return (
    <>
      <PageHeader crumbs={[{ label: "Training labs" }]} title="Training labs" />
      <NotBuiltYet what="Training labs" />
    </>
  );
}
