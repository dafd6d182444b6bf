import { PageHeader } from "@/components/ui/page-header";
import { SwitchRoleForm } from "./switch-role-form";
import { colorFromLink } from "@/lib/sts/role-palette";
import { requireConsole } from "@/lib/auth/console-context";
import { displayName } from "@/lib/iam/principal";

export const metadata = { title: "Switch role" };

const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);

/** /switchrole?account=...&roleName=...&displayName=...&color=... (AWS's link format, prefilled). */
export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { identity } = await requireConsole();
  const sp = await searchParams;
  return (
    <>
      <PageHeader crumbs={[{ label: "Console", href: "/iam" }, { label: "Switch role" }]} title="Switch role" />
      <div className="mb-4 max-w-2xl text-neutral-700 dark:text-neutral-300">
        <p>
          Switch to a role in this or another account to act with that role&apos;s permissions instead of your own. You switch as{" "}
          <strong>{displayName(identity)}</strong>; the role&apos;s trust policy must trust you, and your own policies must allow{" "}
          <code className="font-mono">sts:AssumeRole</code> on the role.
        </p>
        <p className="mt-1">The session lasts one hour (or the role&apos;s maximum if shorter). Use &ldquo;Back to&rdquo; in the top bar to return.</p>
      </div>
      <SwitchRoleForm
        defaults={{
          account: one(sp.account),
          roleName: one(sp.roleName),
          displayName: one(sp.displayName),
          color: colorFromLink(one(sp.color)),
        }}
      />
    </>
  );
}
