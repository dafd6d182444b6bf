import type { Metadata } from "next";
import { db } from "@/lib/db/client";
import { DEMO_ACCOUNTS, DEMO_ORG, DEMO_PASSWORD, DEMO_USERS } from "@/lib/db/seed/demo-identities";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  // The demo identities are shown only while the demo organization is in use.
  const demo = (await db().organization.count({ where: { id: DEMO_ORG.id } })) > 0;
  return (
    <main className="mx-auto flex min-h-screen max-w-4xl flex-col items-center justify-center gap-8 p-6 md:flex-row md:items-start md:pt-24">
      <section className="w-full max-w-sm">
        <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-accent">IAM Lab</p>
        <h1 className="mb-4 text-2xl font-semibold">Sign in</h1>
        <SignInForm next={params.next} account={params.account} />
      </section>
      {demo && (
        <aside aria-labelledby="demo-title" className="w-full max-w-sm rounded border border-neutral-200 p-4 text-xs dark:border-neutral-800">
          <h2 id="demo-title" className="mb-2 font-semibold">
            Demo organization: {DEMO_ORG.name}
          </h2>
          <p className="mb-2">
            Every demo identity uses the password <code className="font-mono">{DEMO_PASSWORD}</code>.
          </p>
          <p className="mb-1 font-medium">IAM users in dev ({DEMO_ACCOUNTS.dev.alias}, {DEMO_ACCOUNTS.dev.id}):</p>
          <ul className="mb-2 list-inside list-disc">
            {DEMO_USERS.map((u) => (
              <li key={u.name}>
                <code className="font-mono">{u.name}</code>: {u.note}
              </li>
            ))}
          </ul>
          <p className="mb-1 font-medium">Root users:</p>
          <ul className="list-inside list-disc">
            {Object.values(DEMO_ACCOUNTS).map((a) => (
              <li key={a.id}>
                <code className="font-mono">{a.rootEmail}</code> ({a.name})
              </li>
            ))}
          </ul>
        </aside>
      )}
    </main>
  );
}
