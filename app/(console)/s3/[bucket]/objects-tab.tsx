import Link from "next/link";
import { ErrorPanel } from "@/components/ui/panels";
import { loadAs } from "@/lib/actions/define-action";
import { env } from "@/lib/env";
import type { Principal } from "@/lib/iam/principal";
import { listObjectsV2 } from "@/lib/s3/objects";
import { CreateFolderForm } from "./create-folder-form";
import { bucketHref } from "@/components/s3/format";
import { ObjectTable } from "./object-table";
import { Uploader } from "./uploader";

export const OBJECTS_PAGE_SIZE = 50;

/** The Objects tab: one page of a folder ("/" as the delimiter), paged with S3's continuation tokens. */
export async function ObjectsTab({ principal, bucket, prefix, token, from }: { principal: Principal; bucket: string; prefix: string; token?: string; from: number }) {
  const result = await loadAs(principal, listObjectsV2(principal, { bucket, prefix, delimiter: "/", maxKeys: OBJECTS_PAGE_SIZE, continuationToken: token }));
  if (!result.ok) return <ErrorPanel result={result} />;
  const page = result.data;
  // The folder's own marker object ("photos/" inside photos/) is not listed, as in S3's console.
  const objects = page.Contents.filter((o) => o.Key !== prefix).map((o) => ({
    key: o.Key,
    size: o.Size,
    lastModified: o.LastModified.toISOString(),
    storageClass: o.StorageClass,
  }));
  const folders = page.CommonPrefixes.map((p) => p.Prefix);
  const shown = folders.length + objects.length;
  return (
    <div className="flex flex-col gap-4">
      <div className="grid gap-4 lg:grid-cols-2">
        <Uploader bucket={bucket} prefix={prefix} maxBytes={env().IAMLAB_MAX_CONSOLE_OBJECT_BYTES} />
        <CreateFolderForm bucket={bucket} prefix={prefix} />
      </div>
      <ObjectTable bucket={bucket} prefix={prefix} folders={folders} objects={objects} />
      <nav aria-label="Pages" className="flex items-center justify-end gap-2">
        <p data-testid="list-count" className="mr-auto text-neutral-600 dark:text-neutral-300">
          {shown ? `${from + 1}-${from + shown}` : "0"} {page.IsTruncated ? "(more on the next page)" : `of ${(from + shown).toLocaleString("en-US")}`}
        </p>
        {token && (
          <Link href={bucketHref(bucket, { prefix: prefix || undefined })} className="rounded border border-neutral-300 px-2 py-1 dark:border-neutral-700">
            First page
          </Link>
        )}
        {page.NextContinuationToken && (
          <Link
            href={bucketHref(bucket, { prefix: prefix || undefined, token: page.NextContinuationToken, from: String(from + shown) })}
            className="rounded border border-neutral-300 px-2 py-1 dark:border-neutral-700"
          >
            Next page
          </Link>
        )}
      </nav>
    </div>
  );
}
