"use client";
import { useRouter } from "next/navigation";
import { deleteObjectsAction } from "../actions";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { bucketHref } from "@/components/s3/format";
import { InFlashSlot } from "@/components/s3/flash-slot";
import { Refusal } from "@/components/s3/refusal";
import { useS3Action } from "@/components/s3/use-s3-action";

/** Delete one object from its detail page; back to its folder when done. */
export function DeleteObjectButton({ bucket, objectKey }: { bucket: string; objectKey: string }) {
  const router = useRouter();
  const del = useS3Action(deleteObjectsAction);
  const folder = objectKey.slice(0, objectKey.lastIndexOf("/") + 1);
  const done = () => router.push(bucketHref(bucket, { prefix: folder || undefined, deleted: objectKey }));
  return (
    <div className="flex flex-col items-end gap-2">
      <ConfirmDialog
        trigger="Delete"
        title={`Delete ${objectKey}?`}
        confirmText="permanently delete"
        pending={del.pending}
        onConfirm={async () => {
          const r = await del.run({ bucket, keys: [objectKey] });
          if (r.ok) done();
        }}
      >
        <p>
          The object <code className="font-mono">{objectKey}</code> will be deleted from {bucket}. This can&apos;t be undone.
        </p>
      </ConfirmDialog>
      {del.result && !del.result.ok && (
        <InFlashSlot>
          <Refusal
            result={del.result}
            retry={deleteObjectsAction.bind(null, { bucket, keys: [objectKey] })}
            confirmText={bucket}
            what={<>the object <code>{objectKey}</code> (deleted)</>}
            actionLabel="Delete as elevated role"
            onDone={done}
          />
        </InFlashSlot>
      )}
    </div>
  );
}
