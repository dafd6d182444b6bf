import { ErrorPanel } from "@/components/ui/panels";
import { loadAs } from "@/lib/actions/define-action";
import type { Principal } from "@/lib/iam/principal";
import { getBucketPolicy, getPublicAccessBlock } from "@/lib/s3/buckets";
import { accessSummary } from "@/lib/s3/rules";
import { AccessBadge } from "@/components/s3/access-badge";
import { BlockPublicAccessForm } from "./block-public-access-form";
import { BucketPolicyForm } from "./bucket-policy-form";

/** The Permissions tab: access summary, Block Public Access, bucket policy. */
export async function PermissionsTab({ principal, bucket }: { principal: Principal; bucket: string }) {
  const [bpa, policy] = await Promise.all([loadAs(principal, getPublicAccessBlock(principal, { bucket })), loadAs(principal, getBucketPolicy(principal, { bucket }))]);
  if (!bpa.ok) return <ErrorPanel result={bpa} />;
  // NoSuchBucketPolicy is S3's answer for "no policy", not a refusal.
  if (!policy.ok && policy.error.code !== "NoSuchBucketPolicy") return <ErrorPanel result={policy} />;
  const text = policy.ok ? policy.data.Policy : null;
  const config = bpa.data.PublicAccessBlockConfiguration;
  return (
    <div className="flex flex-col gap-6">
      <section aria-labelledby="access-title" className="rounded border border-neutral-200 p-4 dark:border-neutral-800">
        <h2 id="access-title" className="text-lg font-semibold">
          Permissions overview
        </h2>
        <p className="mt-1 flex items-center gap-2">
          Access: <AccessBadge access={accessSummary(text, config)} />
        </p>
      </section>
      <section className="rounded border border-neutral-200 p-4 dark:border-neutral-800">
        <BlockPublicAccessForm bucket={bucket} current={config} />
      </section>
      <section className="rounded border border-neutral-200 p-4 dark:border-neutral-800">
        <BucketPolicyForm bucket={bucket} policy={text} accountId={principal.accountId} />
      </section>
    </div>
  );
}
