import Link from "next/link";
import type { DeniedRequest } from "@/lib/iam/errors";

export function simulatorHref(denied: DeniedRequest): string {
  const q = new URLSearchParams({ principal: denied.principalArn, action: denied.action, resource: denied.resource });
  return `/simulator?${q}`;
}

/** The decisive policy in words: "the service control policy DestructiveBucketActionsNeedElevation (p-labguard01), statement DenyDestructiveS3WithoutElevation". */
function Explanation({ denied }: { denied: DeniedRequest }) {
  const e = denied.explanation;
  if (!e) return <p>The request was denied ({denied.decision === "ExplicitlyDenied" ? "explicitly" : "no policy allows it"}).</p>;
  const kind = e.policyKind.replace(/^an? /, "");
  if (e.statement) {
    return (
      <p>
        Explicitly denied by the {kind}{" "}
        <strong>{e.policyName ?? e.policyId}</strong>
        {e.policyName && e.policyId && e.policyId !== e.policyName && <span className="font-mono text-xs"> ({e.policyId})</span>}, statement{" "}
        <strong className="font-mono">{e.statement}</strong>. An explicit deny wins over every allow.
      </p>
    );
  }
  return (
    <p>
      Implicitly denied: no {kind} allows <span className="font-mono">{denied.action}</span> on <span className="font-mono break-all">{denied.resource}</span>
      {e.evaluated && e.evaluated.length > 0 ? <> (evaluated: {e.evaluated.join(", ")})</> : <> (none applies)</>}.
    </p>
  );
}

/**
 * "Why?" on an AccessDenied, as AWS's enhanced messages answer it: the decisive
 * policy's type, name or ARN and statement, shown in place to whoever was
 * denied. The policy simulator is linked only for a caller the gate lets
 * simulate (`denied.canSimulate`), so a "Why?" never leads to another denial.
 */
export function WhyDenied({ denied, simulatorLabel = "Why?" }: { denied: DeniedRequest; simulatorLabel?: string }) {
  if (denied.canSimulate) {
    return (
      <>
        <Link href={simulatorHref(denied)} className="ml-2 font-medium underline">
          {simulatorLabel}
        </Link>
        {denied.explanation && (
          <span className="mt-1 block text-sm" data-testid="why-denied">
            <Explanation denied={denied} />
          </span>
        )}
      </>
    );
  }
  return (
    <details className="mt-1" data-testid="why-denied">
      <summary className="cursor-pointer font-medium underline">Why?</summary>
      <div className="mt-1 text-sm">
        <Explanation denied={denied} />
      </div>
    </details>
  );
}
