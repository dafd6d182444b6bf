import Link from "next/link";
import { AccessBadge } from "@/components/s3/access-badge";
import { CreateBucketForm } from "./create-bucket-form";
import { bucketHref, formatTime } from "@/components/s3/format";
import { Banner } from "@/components/ui/banner";
import { DataTable, listParams, type ListParams } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { ErrorPanel } from "@/components/ui/panels";
import { loadAs } from "@/lib/actions/define-action";
import { requireConsole } from "@/lib/auth/console-context";
import { listBuckets, type BucketSummary } from "@/lib/s3/buckets";
import { recentlyDeleted } from "@/lib/audit/recent-deletion";

export const metadata = { title: "S3 buckets" };

const PAGE_SIZE = 50;

type SearchParams = Record<string, string | string[] | undefined>;

function sortBuckets(buckets: BucketSummary[], params: ListParams): BucketSummary[] {
  const key = params.sort ?? "name";
  const sign = params.dir === "desc" ? -1 : 1;
  const value = (b: BucketSummary) => (key === "created" ? b.CreationDate.getTime() : key === "region" ? b.BucketRegion : key === "access" ? b.Access : b.Name);
  return [...buckets].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    return (x < y ? -1 : x > y ? 1 : a.Name < b.Name ? -1 : 1) * sign;
  });
}

/** The cursor is the position of the page's first bucket in the filtered, sorted list. */
function pageStart(cursor: string | undefined, total: number): number {
  const n = Number(cursor);
  return Number.isInteger(n) && n > 0 && n < total ? n : 0;
}

export default async function BucketsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const { principal } = await requireConsole();
  const params = listParams(sp);
  const creating = sp.create === "1";
  const created = typeof sp.created === "string" ? sp.created : undefined;
  const deleted = await recentlyDeleted(principal, "DeleteBucket", "bucketName", sp.deleted);

  const result = await loadAs(principal, listBuckets(principal));
  const header = (
    <PageHeader
      crumbs={[{ label: "S3" }, { label: "Buckets" }]}
      title="General purpose buckets"
      actions={
        !creating && (
          <Link href="/s3?create=1" className="rounded bg-accent px-3 py-1.5 text-sm font-medium text-white hover:bg-accent-strong">
            Create bucket
          </Link>
        )
      }
    />
  );
  if (!result.ok)
    return (
      <>
        {header}
        {creating && <CreateBucketForm />}
        <ErrorPanel result={result} />
      </>
    );

  const q = params.q?.toLowerCase();
  const matching = sortBuckets(
    result.data.Buckets.filter((b) => !q || b.Name.includes(q)),
    params,
  );
  const start = pageStart(params.cursor, matching.length);
  const page = matching.slice(start, start + PAGE_SIZE);
  const next = start + PAGE_SIZE < matching.length ? String(start + PAGE_SIZE) : null;

  return (
    <>
      {header}
      <div className="mb-4 flex flex-col gap-2">
        {created && <Banner kind="success">Bucket {created} was created.</Banner>}
        {deleted && <Banner kind="success">Bucket {deleted} was deleted.</Banner>}
      </div>
      {creating && <CreateBucketForm />}
      <DataTable
        caption="Buckets"
        base="/s3"
        params={params}
        filterLabel="Find buckets by name"
        columns={[
          { key: "name", label: "Name", sortable: true },
          { key: "region", label: "AWS Region", sortable: true },
          { key: "access", label: "Access", sortable: true },
          { key: "created", label: "Creation date", sortable: true },
        ]}
        rows={page.map((b) => ({
          id: b.Name,
          cells: [
            <Link key="n" href={bucketHref(b.Name)} className="text-accent hover:underline">
              {b.Name}
            </Link>,
            b.BucketRegion,
            <AccessBadge key="a" access={b.Access} />,
            <time key="c" dateTime={b.CreationDate.toISOString()}>
              {formatTime(b.CreationDate)}
            </time>,
          ],
        }))}
        total={matching.length}
        offset={start}
        nextCursor={next}
        empty={
          q ? (
            <p>No bucket name contains “{params.q}”.</p>
          ) : (
            <>
              <p className="font-medium">No buckets in this account yet</p>
              <p className="mt-1 text-neutral-600 dark:text-neutral-300">
                Buckets hold objects (files).{" "}
                <Link href="/s3?create=1" className="text-accent underline">
                  Create a bucket
                </Link>{" "}
                to start.
              </p>
            </>
          )
        }
      />
    </>
  );
}
