import { AccessBadge } from "@/components/s3/access-badge";
import { BucketActions } from "./bucket-actions";
import { FlashSlot } from "@/components/s3/flash-slot";
import { formatTime, prefixCrumbs } from "@/components/s3/format";
import { ObjectsTab } from "./objects-tab";
import { PermissionsTab } from "./permissions-tab";
import { PropertiesTab } from "./properties-tab";
import { Banner } from "@/components/ui/banner";
import { PageHeader } from "@/components/ui/page-header";
import { SummaryPanel } from "@/components/ui/summary-panel";
import { Tabs } from "@/components/ui/tabs";
import { loadAs } from "@/lib/actions/define-action";
import { requireConsole } from "@/lib/auth/console-context";
import { bucketArn } from "@/lib/iam/arn";
import { listBuckets } from "@/lib/s3/buckets";

type SearchParams = Record<string, string | string[] | undefined>;

const TABS = [
  { id: "objects", label: "Objects" },
  { id: "permissions", label: "Permissions" },
  { id: "properties", label: "Properties" },
];

export async function generateMetadata({ params }: { params: Promise<{ bucket: string }> }) {
  return { title: `${decodeURIComponent((await params).bucket)} - S3` };
}

export default async function BucketPage({ params, searchParams }: { params: Promise<{ bucket: string }>; searchParams: Promise<SearchParams> }) {
  const bucket = decodeURIComponent((await params).bucket);
  const sp = await searchParams;
  const one = (k: string) => (typeof sp[k] === "string" ? (sp[k] as string) : undefined);
  const tab = TABS.some((t) => t.id === one("tab")) ? one("tab")! : "objects";
  const prefix = tab === "objects" ? (one("prefix") ?? "") : "";
  const from = Math.max(0, Number(one("from")) || 0);
  const { principal } = await requireConsole();

  // Region, creation date and access come from ListBuckets, which lists the caller's own account's buckets.
  const own = await loadAs(principal, listBuckets(principal));
  const summary = own.ok ? own.data.Buckets.find((b) => b.Name === bucket) : undefined;
  const base = `/s3/${encodeURIComponent(bucket)}`;

  return (
    <>
      <PageHeader
        crumbs={[{ label: "S3", href: "/s3" }, { label: "Buckets", href: "/s3" }, { label: bucket, href: prefix ? base : undefined }, ...prefixCrumbs(bucket, prefix)]}
        title={prefix ? `${bucket} / ${prefix}` : bucket}
        actions={<BucketActions bucket={bucket} />}
      />
      <FlashSlot />
      {one("deleted") && (
        <div className="mb-4">
          <Banner kind="success">Deleted {one("deleted")}.</Banner>
        </div>
      )}
      <SummaryPanel
        arn={bucketArn(bucket)}
        items={[
          { label: "AWS Region", value: summary?.BucketRegion ?? "-" },
          { label: "Creation date", value: summary ? formatTime(summary.CreationDate) : "-" },
          { label: "Access", value: summary ? <AccessBadge access={summary.Access} /> : summary === undefined && own.ok ? "Not in this account" : "-" },
        ]}
      />
      <Tabs tabs={TABS} current={tab} base={base} />
      {tab === "objects" && <ObjectsTab principal={principal} bucket={bucket} prefix={prefix} token={one("token")} from={from} />}
      {tab === "permissions" && <PermissionsTab principal={principal} bucket={bucket} />}
      {tab === "properties" && <PropertiesTab principal={principal} bucket={bucket} createdAt={summary?.CreationDate} />}
    </>
  );
}
