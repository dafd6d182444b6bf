"use client";
import Link from "next/link";
import { useState } from "react";
import { deleteObjectsAction } from "./actions";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { bucketHref, formatBytes, formatTime, objectHref } from "@/components/s3/format";
import { Refusal } from "@/components/s3/refusal";
import { useS3Action } from "@/components/s3/use-s3-action";

export interface ObjectRow {
  key: string;
  size: number;
  lastModified: string;
  storageClass: string;
}

const typeOf = (key: string) => {
  const name = key.slice(key.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1) : "-";
};

/** One page of a folder: sub-folders as links, objects with selection for deletion. */
export function ObjectTable({ bucket, prefix, folders, objects }: { bucket: string; prefix: string; folders: string[]; objects: ObjectRow[] }) {
  const [selected, setSelected] = useState<string[]>([]);
  /** The keys of the last deletion, so a refused one can be retried as the elevated role. */
  const [attempted, setAttempted] = useState<string[]>([]);
  const del = useS3Action(deleteObjectsAction);
  const toggle = (key: string, on: boolean) => setSelected((s) => (on ? [...s, key] : s.filter((k) => k !== key)));
  const allOn = objects.length > 0 && objects.every((o) => selected.includes(o.key));

  const deleted = del.result?.ok ? del.result.data.Deleted.length : 0;
  const refusedKeys = del.result?.ok ? del.result.data.Errors : [];
  return (
    <section aria-label="Objects" className="flex flex-col gap-2">
      <Refusal
        result={del.result}
        success={`Deleted ${deleted} object${deleted === 1 ? "" : "s"}.`}
        retry={deleteObjectsAction.bind(null, { bucket, keys: attempted })}
        confirmText={bucket}
        what={attempted.length === 1 ? <>the object <code>{attempted[0]}</code> (deleted)</> : `${attempted.length} objects (deleted)`}
        actionLabel="Delete as elevated role"
        onDone={() => setSelected([])}
      />
      {refusedKeys.length > 0 && (
        <ul className="text-sm text-red-800 dark:text-red-300">
          {refusedKeys.map((e) => (
            <li key={e.Key}>
              {e.Key}: {e.Code} {e.Message}
            </li>
          ))}
        </ul>
      )}
      <div className="flex items-center gap-2">
        {selected.length > 0 ? (
          <ConfirmDialog
            trigger={`Delete (${selected.length})`}
            title={`Delete ${selected.length} object${selected.length === 1 ? "" : "s"}?`}
            confirmText="permanently delete"
            pending={del.pending}
            onConfirm={async () => {
              setAttempted(selected);
              const r = await del.run({ bucket, keys: selected });
              if (r.ok) setSelected([]);
            }}
          >
            <p>Deleting objects can&apos;t be undone. These objects will be deleted from {bucket}:</p>
            <ul className="mt-2 max-h-40 overflow-auto font-mono text-xs">
              {selected.map((k) => (
                <li key={k}>{k}</li>
              ))}
            </ul>
          </ConfirmDialog>
        ) : (
          <Button variant="danger" disabled>
            Delete
          </Button>
        )}
      </div>
      {folders.length + objects.length === 0 ? (
        <div className="rounded border border-dashed border-neutral-300 p-6 text-center dark:border-neutral-700">
          <p className="font-medium">{prefix ? "This folder is empty" : "No objects"}</p>
          <p className="mt-1 text-neutral-600 dark:text-neutral-300">Upload files or create a folder to add objects here.</p>
        </div>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full border-collapse text-left">
            <caption className="sr-only">Objects in {prefix || bucket}</caption>
            <thead>
              <tr className="border-b border-neutral-200 dark:border-neutral-800">
                <th scope="col" className="w-8 px-2 py-1.5">
                  <input
                    type="checkbox"
                    aria-label="Select all objects on this page"
                    checked={allOn}
                    disabled={objects.length === 0}
                    onChange={(e) => setSelected(e.target.checked ? objects.map((o) => o.key) : [])}
                  />
                </th>
                <th scope="col" className="px-2 py-1.5 font-semibold">Name</th>
                <th scope="col" className="px-2 py-1.5 font-semibold">Type</th>
                <th scope="col" className="px-2 py-1.5 font-semibold">Last modified</th>
                <th scope="col" className="px-2 py-1.5 font-semibold">Size</th>
                <th scope="col" className="px-2 py-1.5 font-semibold">Storage class</th>
              </tr>
            </thead>
            <tbody>
              {folders.map((f) => (
                <tr key={f} className="border-b border-neutral-100 dark:border-neutral-900">
                  <td className="px-2 py-1.5" />
                  <td className="px-2 py-1.5">
                    <Link href={bucketHref(bucket, { prefix: f })} className="text-accent hover:underline">
                      {f.slice(prefix.length)}
                    </Link>
                  </td>
                  <td className="px-2 py-1.5">Folder</td>
                  <td className="px-2 py-1.5">-</td>
                  <td className="px-2 py-1.5">-</td>
                  <td className="px-2 py-1.5">-</td>
                </tr>
              ))}
              {objects.map((o) => (
                <tr key={o.key} className="border-b border-neutral-100 hover:bg-neutral-50 dark:border-neutral-900 dark:hover:bg-neutral-900">
                  <td className="px-2 py-1.5">
                    <input type="checkbox" aria-label={`Select ${o.key}`} checked={selected.includes(o.key)} onChange={(e) => toggle(o.key, e.target.checked)} />
                  </td>
                  <td className="px-2 py-1.5">
                    <Link href={objectHref(bucket, o.key)} className="text-accent hover:underline">
                      {o.key.slice(prefix.length)}
                    </Link>
                  </td>
                  <td className="px-2 py-1.5">{typeOf(o.key)}</td>
                  <td className="px-2 py-1.5">
                    <time dateTime={o.lastModified}>{formatTime(o.lastModified)}</time>
                  </td>
                  <td className="px-2 py-1.5">{formatBytes(o.size)}</td>
                  <td className="px-2 py-1.5">{o.storageClass}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
