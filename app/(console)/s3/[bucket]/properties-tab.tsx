import { ErrorPanel } from "@/components/ui/panels";
import { loadAs } from "@/lib/actions/define-action";
import type { Principal } from "@/lib/iam/principal";
import { getBucketLocation, getBucketLogging } from "@/lib/s3/buckets";
import { formatTime } from "@/components/s3/format";
import { LoggingForm } from "./logging-form";

/** The Properties tab: region, creation date, server access logging. */
export async function PropertiesTab({ principal, bucket, createdAt }: { principal: Principal; bucket: string; createdAt?: Date }) {
  const [location, logging] = await Promise.all([loadAs(principal, getBucketLocation(principal, { bucket })), loadAs(principal, getBucketLogging(principal, { bucket }))]);
  if (!location.ok) return <ErrorPanel result={location} />;
  return (
    <div className="flex flex-col gap-6">
      <section aria-labelledby="overview-title" className="rounded border border-neutral-200 p-4 dark:border-neutral-800">
        <h2 id="overview-title" className="text-lg font-semibold">
          Bucket overview
        </h2>
        <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1">
          <dt className="text-neutral-500">AWS Region</dt>
          <dd>{location.data.LocationConstraint ?? "us-east-1"}</dd>
          <dt className="text-neutral-500">Creation date</dt>
          <dd>{createdAt ? formatTime(createdAt) : "Shown to the bucket owner's account"}</dd>
        </dl>
      </section>
      <section className="rounded border border-neutral-200 p-4 dark:border-neutral-800">
        {logging.ok ? <LoggingForm bucket={bucket} current={logging.data.LoggingEnabled ?? null} /> : <ErrorPanel result={logging} />}
      </section>
    </div>
  );
}
