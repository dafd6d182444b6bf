"use client";
import { useState } from "react";
import { ElevateAndRetry } from "@/components/iam/elevation/elevate-and-retry";
import { ResultBanner } from "@/components/ui/banner";
import { useLatestResult } from "@/components/ui/use-latest-result";
import type { ActionResult } from "@/lib/actions/action-result";

/**
 * The result of an S3 action: green when done; red with AWS's code and message
 * when refused, with the simulator's "Why?" link for AccessDenied. Destructive
 * actions pass `retry`: the lab SCP keeps them for the MFA-gated elevation role,
 * so an AccessDenied then offers "Assume elevated role" and re-runs the action
 * after the bucket name is typed.
 */
export function Refusal({
  result,
  success,
  retry,
  confirmText,
  what,
  actionLabel,
  onDone,
}: {
  result: ActionResult<unknown> | null;
  success?: React.ReactNode;
  retry?: () => Promise<ActionResult<unknown>>;
  confirmText?: string;
  what?: React.ReactNode;
  actionLabel?: string;
  onDone?: (result: ActionResult<unknown>) => void;
}) {
  // Once the elevated role is assumed, the refusal is old news: the elevation panel's own result is the one shown.
  const [elevatedFor, setElevatedFor] = useState<ActionResult<unknown> | null>(null);
  const elevated = elevatedFor !== null && elevatedFor === result;
  // A newer result elsewhere on the page (another form, another attempt) replaces this one.
  const latest = useLatestResult(result);
  if (!latest) return null;
  return (
    <div className="flex flex-col">
      {!elevated && <ResultBanner result={result} success={success} />}
      {retry && confirmText && (
        <ElevateAndRetry
          denied={result}
          retry={retry}
          confirmText={confirmText}
          what={what}
          actionLabel={actionLabel}
          onDone={onDone}
          onElevated={(on) => setElevatedFor(on ? result : null)}
        />
      )}
    </div>
  );
}
