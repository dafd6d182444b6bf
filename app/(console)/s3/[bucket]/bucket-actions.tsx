"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { deleteBucketAction, emptyBucketAction } from "./actions";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { ActionResult } from "@/lib/actions/action-result";
import { InFlashSlot } from "@/components/s3/flash-slot";
import { Refusal } from "@/components/s3/refusal";
import { useS3Action } from "@/components/s3/use-s3-action";

/** "Empty bucket" and "Delete bucket", each confirmed by typing the bucket name. */
export function BucketActions({ bucket }: { bucket: string }) {
  const router = useRouter();
  const empty = useS3Action(emptyBucketAction);
  const remove = useS3Action(deleteBucketAction);
  const [last, setLast] = useState<{ result: ActionResult<unknown>; success: string; kind: "empty" | "delete" } | null>(null);
  const deletedPage = () => router.push(`/s3?deleted=${encodeURIComponent(bucket)}`);

  async function emptyAll() {
    let deleted = 0;
    for (;;) {
      const r = await empty.run({ bucket });
      if (!r.ok) return setLast({ result: r, success: "", kind: "empty" });
      deleted += r.data.Deleted.length;
      if (r.data.Errors.length > 0) {
        const first = r.data.Errors[0]!;
        return setLast({ result: { ok: false, error: { code: "AccessDenied", message: `${r.data.Errors.length} object(s) could not be deleted, e.g. ${first.Key}: ${first.Message}` } }, success: "", kind: "empty" });
      }
      if (r.data.remaining === 0 || r.data.Deleted.length === 0) return setLast({ kind: "empty", result: r, success: `Emptied ${bucket}: deleted ${deleted} object${deleted === 1 ? "" : "s"}.` });
    }
  }

  async function deleteIt() {
    const r = await remove.run({ bucket });
    if (r.ok) deletedPage();
    else setLast({ result: r, success: "", kind: "delete" });
  }

  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex gap-2">
        <ConfirmDialog trigger="Empty bucket" title={`Empty bucket ${bucket}?`} confirmText={bucket} confirmLabel="Empty" pending={empty.pending} onConfirm={emptyAll}>
          <p>Every object in {bucket} will be deleted permanently. The bucket itself stays.</p>
        </ConfirmDialog>
        <ConfirmDialog trigger="Delete bucket" title={`Delete bucket ${bucket}?`} confirmText={bucket} confirmLabel="Delete bucket" pending={remove.pending} onConfirm={deleteIt}>
          <p>
            The bucket {bucket} will be deleted. Only an empty bucket can be deleted; its name becomes available to every account.
          </p>
        </ConfirmDialog>
      </div>
      {last && (
        <InFlashSlot>
          <Refusal
            result={last.result}
            success={last.success}
            confirmText={bucket}
            {...(last.kind === "delete"
              ? { retry: deleteBucketAction.bind(null, { bucket }), what: <>the bucket {bucket} (deleted)</>, actionLabel: "Delete bucket as elevated role", onDone: deletedPage }
              : { retry: emptyBucketAction.bind(null, { bucket }), what: <>every object in {bucket} (deleted)</>, actionLabel: "Empty as elevated role" })}
          />
        </InFlashSlot>
      )}
    </div>
  );
}
