"use client";
import { useEffect, useId, useRef, useState } from "react";
import { Button } from "./button";

/**
 * A destructive action's dialog: names exactly what will be deleted and asks the
 * user to type the name (or "delete") to confirm. Native <dialog>: focus is
 * trapped and Escape closes it.
 */
export function ConfirmDialog({
  trigger,
  title,
  children,
  confirmText,
  confirmLabel = "Delete",
  onConfirm,
  pending,
}: {
  trigger: string;
  title: string;
  children: React.ReactNode;
  /** What the user must type. */
  confirmText: string;
  confirmLabel?: string;
  onConfirm: () => void | Promise<void>;
  pending?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [typed, setTyped] = useState("");
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (open) ref.current?.showModal();
    else ref.current?.close();
  }, [open]);
  return (
    <>
      <Button variant="danger" onClick={() => setOpen(true)}>
        {trigger}
      </Button>
      <dialog
        ref={ref}
        aria-labelledby={titleId}
        onClose={() => {
          setOpen(false);
          setTyped("");
        }}
        className="m-auto w-full max-w-md rounded border border-neutral-300 bg-white p-4 text-neutral-900 backdrop:bg-black/40 dark:border-neutral-700 dark:bg-neutral-900 dark:text-neutral-100"
      >
        <h2 id={titleId} className="mb-2 text-lg font-semibold">
          {title}
        </h2>
        <div className="mb-3">{children}</div>
        <label className="flex flex-col gap-1">
          <span>
            To confirm, type <code className="font-mono font-semibold">{confirmText}</code>
          </span>
          <input
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            className="rounded border border-neutral-300 px-2 py-1.5 dark:border-neutral-700 dark:bg-neutral-950"
            autoFocus
          />
        </label>
        <div className="mt-4 flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button
            variant="danger"
            disabled={typed !== confirmText || pending}
            onClick={async () => {
              await onConfirm();
              setOpen(false);
            }}
          >
            {pending ? "Working…" : confirmLabel}
          </Button>
        </div>
      </dialog>
    </>
  );
}
