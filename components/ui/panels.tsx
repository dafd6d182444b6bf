import type { ActionResult } from "@/lib/actions/action-result";
import { WhyDenied } from "./why-denied";

/** What a page shows when its data load was refused (or failed). */
export function ErrorPanel({ result }: { result: Extract<ActionResult<unknown>, { ok: false }> }) {
  const { code, message, denied } = result.error;
  return (
    <section role="alert" aria-labelledby="error-title" data-testid="error-panel" className="rounded border border-red-300 bg-red-50 p-4 dark:border-red-800 dark:bg-red-950">
      <h2 id="error-title" className="font-semibold text-red-900 dark:text-red-100">
        {code === "AccessDenied" ? "You don't have permission to see this" : "This could not be loaded"}
      </h2>
      <p className="mt-1 font-mono text-xs">{code}</p>
      <p className="mt-1">{message}</p>
      {denied && (
        <div className="mt-2">
          <WhyDenied denied={denied} simulatorLabel="Why? Open this request in the policy simulator" />
        </div>
      )}
    </section>
  );
}

/** For console areas that a later step builds: says so plainly, pretends nothing. */
export function NotBuiltYet({ what }: { what: string }) {
  return (
    <section className="rounded border border-dashed border-neutral-300 p-6 text-neutral-600 dark:border-neutral-700 dark:text-neutral-300">
      <h2 className="font-semibold">Not built yet</h2>
      <p className="mt-1">{what} arrives in a later step of IAM Lab. Nothing here pretends to work in the meantime.</p>
    </section>
  );
}

export function EmptyState({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <div className="rounded border border-dashed border-neutral-300 p-6 text-center dark:border-neutral-700">
      <p className="font-medium">{title}</p>
      {children && <div className="mt-2 text-neutral-600 dark:text-neutral-300">{children}</div>}
    </div>
  );
}
