import { FlashSlot } from "@/components/s3/flash-slot";
import { DeleteObjectButton } from "./object-actions";
import { bucketHref, downloadHref, formatBytes, formatTime, prefixCrumbs } from "@/components/s3/format";
import { CopyButton } from "@/components/ui/copy-button";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, ErrorPanel } from "@/components/ui/panels";
import { SummaryPanel } from "@/components/ui/summary-panel";
import { loadAs } from "@/lib/actions/define-action";
import { requireConsole } from "@/lib/auth/console-context";
import { objectArn } from "@/lib/iam/arn";
import { headObject } from "@/lib/s3/objects";

type SearchParams = Record<string, string | string[] | undefined>;

export const metadata = { title: "Object - S3" };

/** An object's properties (HeadObject): key, size, type, ETag, last modified, metadata, S3 URI and ARN. */
export default async function ObjectPage({ params, searchParams }: { params: Promise<{ bucket: string }>; searchParams: Promise<SearchParams> }) {
  const bucket = decodeURIComponent((await params).bucket);
  const sp = await searchParams;
  const key = typeof sp.key === "string" ? sp.key : "";
  const { principal } = await requireConsole();
  const folder = key.slice(0, key.lastIndexOf("/") + 1);
  const name = key.slice(folder.length);
  const crumbs = [
    { label: "S3", href: "/s3" },
    { label: "Buckets", href: "/s3" },
    { label: bucket, href: bucketHref(bucket) },
    ...prefixCrumbs(bucket, folder, true),
    { label: name || key },
  ];

  const result = await loadAs(principal, headObject(principal, { bucket, key }));
  if (!result.ok)
    return (
      <>
        <PageHeader crumbs={crumbs} title={name || key || "Object"} />
        <ErrorPanel result={result} />
      </>
    );
  const o = result.data;
  const uri = `s3://${bucket}/${key}`;
  const metadata = Object.entries(o.Metadata);
  return (
    <>
      <PageHeader
        crumbs={crumbs}
        title={name}
        actions={
          <div className="flex items-start gap-2">
            <a href={downloadHref(bucket, key)} download={name} className="rounded bg-accent px-3 py-1.5 text-sm font-medium text-white hover:bg-accent-strong">
              Download
            </a>
            <DeleteObjectButton bucket={bucket} objectKey={key} />
          </div>
        }
      />
      <FlashSlot />
      <SummaryPanel
        arn={objectArn(bucket, key)}
        items={[
          {
            label: "S3 URI",
            value: (
              <span className="flex items-center gap-2 break-all font-mono">
                <span data-testid="s3-uri">{uri}</span> <CopyButton value={uri} label="Copy S3 URI" />
              </span>
            ),
          },
          { label: "Key", value: <span className="break-all font-mono" data-testid="object-key">{key}</span> },
          { label: "Size", value: `${formatBytes(o.ContentLength)} (${o.ContentLength.toLocaleString("en-US")} bytes)` },
          { label: "Type", value: o.ContentType },
          { label: "Entity tag (ETag)", value: <span className="font-mono" data-testid="etag">{o.ETag}</span> },
          { label: "Last modified", value: <time dateTime={o.LastModified.toISOString()}>{formatTime(o.LastModified)}</time> },
          { label: "Storage class", value: o.StorageClass },
        ]}
      />
      <section aria-labelledby="metadata-title" className="flex flex-col gap-2">
        <h2 id="metadata-title" className="text-lg font-semibold">
          Metadata
        </h2>
        {metadata.length === 0 ? (
          <EmptyState title="No user-defined metadata">Metadata (x-amz-meta-*) is set when an object is uploaded through the API.</EmptyState>
        ) : (
          <table className="w-full max-w-2xl border-collapse text-left">
            <caption className="sr-only">User-defined metadata</caption>
            <thead>
              <tr className="border-b border-neutral-200 dark:border-neutral-800">
                <th scope="col" className="px-2 py-1.5 font-semibold">Key</th>
                <th scope="col" className="px-2 py-1.5 font-semibold">Value</th>
              </tr>
            </thead>
            <tbody>
              {metadata.map(([k, v]) => (
                <tr key={k} className="border-b border-neutral-100 dark:border-neutral-900">
                  <td className="px-2 py-1.5 font-mono">x-amz-meta-{k}</td>
                  <td className="px-2 py-1.5 break-all">{v}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
