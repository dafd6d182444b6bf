"use client";
// The flash banner at the top of a detail page: actions run from anywhere on the
// page (a Detach button in a table row, a dialog) report here, so the result
// stays visible after the row it came from has gone.
import { useRouter } from "next/navigation";
import { createContext, useContext, useState, useTransition } from "react";
import { ResultBanner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { ActionResult } from "@/lib/actions/action-result";
import { formDataOf, type FormAction, type FormValues } from "@/components/ui/use-action-form";

type Flash = { result: ActionResult<unknown>; success: React.ReactNode } | null;
const FlashContext = createContext<(f: Flash) => void>(() => {});

export function FlashProvider({ children }: { children: React.ReactNode }) {
  const [flash, setFlash] = useState<Flash>(null);
  return (
    <FlashContext.Provider value={setFlash}>
      {flash && (
        <div className="mb-3">
          <ResultBanner result={flash.result} success={flash.success} />
        </div>
      )}
      {children}
    </FlashContext.Provider>
  );
}

/** Reports a result to the page's flash banner (for forms whose own banner would not survive a refresh). */
export function useFlash() {
  const setFlash = useContext(FlashContext);
  return (result: ActionResult<unknown>, success: React.ReactNode) => setFlash({ result, success });
}

/** Runs an action with fixed values, reports to the flash banner, refreshes the page's data. */
export function useFlashAction<T>(action: FormAction<T>) {
  const setFlash = useContext(FlashContext);
  const router = useRouter();
  const [pending, start] = useTransition();
  const run = (values: FormValues, success: React.ReactNode, after?: (data: T) => void) =>
    start(async () => {
      const result = await action(null, formDataOf(values));
      setFlash({ result, success });
      if (result.ok) {
        if (after) after(result.data);
        else router.refresh();
      }
    });
  return { run, pending };
}

/** A button that runs one action (Detach, Remove from group, ...). */
export function ActionButton<T>({
  action,
  values,
  label,
  success,
  ariaLabel,
  variant = "secondary",
}: {
  action: FormAction<T>;
  values: FormValues;
  label: string;
  success: React.ReactNode;
  ariaLabel?: string;
  variant?: "primary" | "secondary" | "danger" | "link";
}) {
  const { run, pending } = useFlashAction(action);
  return (
    <Button variant={variant} disabled={pending} aria-label={ariaLabel} onClick={() => run(values, success)}>
      {pending ? "Working…" : label}
    </Button>
  );
}

/** A destructive action behind the typed-name confirmation dialog. */
export function ConfirmActionButton<T>({
  action,
  values,
  trigger,
  title,
  confirmText,
  confirmLabel,
  success,
  after,
  children,
}: {
  action: FormAction<T>;
  values: FormValues;
  trigger: string;
  title: string;
  confirmText: string;
  confirmLabel?: string;
  success: React.ReactNode;
  after?: (data: T) => void;
  children: React.ReactNode;
}) {
  const { run, pending } = useFlashAction(action);
  return (
    <ConfirmDialog trigger={trigger} title={title} confirmText={confirmText} confirmLabel={confirmLabel} pending={pending} onConfirm={() => run(values, success, after)}>
      {children}
    </ConfirmDialog>
  );
}
