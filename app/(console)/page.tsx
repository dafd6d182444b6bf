import Link from "next/link";
import { redirect } from "next/navigation";
import { Banner } from "@/components/ui/banner";
import { PageHeader } from "@/components/ui/page-header";
import { requireConsole, type ConsoleContext } from "@/lib/auth/console-context";
import { consoleRequestInfo } from "@/lib/auth/request-info";
import { displayName } from "@/lib/iam/principal";
import { DASHBOARD, dashboardAllowed, otherPlacesFor, ownCredentialsAllowed } from "./landing";

export const metadata = { title: "Console Home" };

/** What just happened, as the place that sent the person here names it (`?from=`). */
const FROM = ["signin", "password-changed", "switched", "back"] as const;
type From = (typeof FROM)[number];

function Confirmation({ from, ctx }: { from: From; ctx: ConsoleContext }) {
  const where = (
    <>
      {ctx.account.alias ?? ctx.account.name} (<span className="font-mono">{ctx.account.id}</span>)
    </>
  );
  const who = <strong>{displayName(ctx.identity)}</strong>;
  switch (from) {
    case "signin":
      return (
        <>
          Signed in as {who} in {where}.
        </>
      );
    case "password-changed":
      return (
        <>
          Password changed. You are signed in as {who} in {where}; use the new password from now on.
        </>
      );
    case "switched":
      return (
        <>
          You are now acting as <strong>{ctx.role?.label ?? displayName(ctx.principal)}</strong> (<span className="font-mono">{ctx.account.id}</span>),
          with the role&apos;s permissions instead of yours. &ldquo;Back to {displayName(ctx.identity)}&rdquo; in the top bar returns.
        </>
      );
    case "back":
      return (
        <>
          Back to {who} in {where}, with your own permissions.
        </>
      );
  }
}

/**
 * Console Home: where sign-in, a password change and a role switch land. An
 * identity the IAM dashboard is open to goes on there; anyone else sees what
 * just happened and the places the gate opens to them, so nobody lands on red.
 */
export default async function ConsoleHome({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await requireConsole();
  const request = await consoleRequestInfo();
  if (await dashboardAllowed(ctx.principal, request)) redirect("/iam");
  const [others, ownCredentials] = await Promise.all([otherPlacesFor(ctx.principal, request), ownCredentialsAllowed(ctx.principal, request)]);
  const places = [{ ...DASHBOARD, allowed: false }, ...others];

  const param = (await searchParams).from;
  const from = FROM.find((f) => f === param);
  const open = places.filter((p) => p.allowed);
  const closed = places.filter((p) => !p.allowed);
  const extra = [
    ...(ownCredentials ? [{ href: "/iam/security-credentials", title: "My security credentials", what: "Your password, access keys and MFA devices." }] : []),
    ...(ctx.principal.type === "IAMUser" ? [{ href: "/switchrole", title: "Switch role", what: "Act as a role in this or another account." }] : []),
  ];
  return (
    <>
      <PageHeader crumbs={[{ label: "Console Home" }]} title="Console Home" />
      {from && (
        <div className="mb-4" data-testid="landing-confirmation">
          <Banner kind="success">
            <Confirmation from={from} ctx={ctx} />
          </Banner>
        </div>
      )}
      <section aria-labelledby="open-title" className="mb-6">
        <h2 id="open-title" className="mb-2 text-lg font-semibold">
          Open to {displayName(ctx.principal)}
        </h2>
        {open.length + extra.length === 0 ? (
          <p className="text-neutral-600 dark:text-neutral-300">
            None of the console&apos;s pages is open to you yet: ask an administrator for the permissions you need.
          </p>
        ) : (
          <ul className="grid max-w-3xl gap-2 md:grid-cols-2">
            {[...extra, ...open].map((p) => (
              <li key={p.href} className="rounded border border-neutral-200 p-3 dark:border-neutral-800">
                <Link href={p.href} className="font-medium text-accent hover:underline">
                  {p.title}
                </Link>
                <p className="text-sm text-neutral-600 dark:text-neutral-300">{p.what}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
      {closed.length > 0 && (
        <section aria-labelledby="closed-title">
          <h2 id="closed-title" className="mb-2 text-lg font-semibold">
            Not open to you
          </h2>
          <ul className="flex max-w-3xl flex-col gap-1 text-sm text-neutral-600 dark:text-neutral-300">
            {closed.map((p) => (
              <li key={p.href}>
                {p.title}: your policies do not allow <code className="font-mono">{p.action}</code>.
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
