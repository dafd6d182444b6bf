import type { ActionResult } from "@/lib/actions/action-result";
import type { DeniedRequest } from "@/lib/iam/errors";
import { WhyDenied } from "./why-denied";

export { simulatorHref } from "./why-denied";

/** The flash banner: green for done, red for refused with AWS's code and message. */
export function Banner({
  kind,
  children,
  code,
  denied,
}: {
  kind: "success" | "error" | "info";
  children: React.ReactNode;
  code?: string;
  denied?: DeniedRequest;
}) {
  const styles = {
    success: "border-green-700 bg-green-50 text-green-900 dark:bg-green-950 dark:text-green-100",
    error: "border-red-700 bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-100",
    info: "border-accent bg-blue-50 text-blue-950 dark:bg-blue-950 dark:text-blue-100",
  }[kind];
  return (
    <div data-testid={`banner-${kind}`} role="status" aria-live="polite" className={`rounded border-l-4 px-3 py-2 ${styles}`}>
      {code && <span className="mr-2 font-mono font-semibold">{code}</span>}
      <span>{children}</span>
      {denied && <WhyDenied denied={denied} />}
    </div>
  );
}

export function ResultBanner({ result, success }: { result: ActionResult<unknown> | null | undefined; success?: React.ReactNode }) {
  if (!result) return null;
  if (result.ok) return success ? <Banner kind="success">{success}</Banner> : null;
  return (
    <Banner kind="error" code={result.error.code} denied={result.error.denied}>
      {result.error.message}
    </Banner>
  );
}
