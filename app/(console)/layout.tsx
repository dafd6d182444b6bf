import { ReportOnlyBanner } from "@/components/layout/report-only-banner";
import { SideNav } from "@/components/layout/side-nav";
import { TopBar } from "@/components/layout/top-bar";
import { requireConsole } from "@/lib/auth/console-context";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const ctx = await requireConsole();
  return (
    <div className="flex min-h-screen flex-col">
      <TopBar ctx={ctx} />
      <ReportOnlyBanner enabled={ctx.account.reportOnly} />
      <div className="flex flex-1">
        <SideNav />
        <main id="main" className="min-w-0 flex-1 p-6">
          {children}
        </main>
      </div>
    </div>
  );
}
