import "server-only";
// The caller of an unsigned S3 request. S3 judges it as the anonymous
// principal: only a bucket policy granting Principal "*" (and not blocked by
// RestrictPublicBuckets) lets it through, as in AWS. Its audit record belongs
// to the organization of the bucket it asked for.
import { db } from "@/lib/db/client";
import { anonymousPrincipal, type AnonymousPrincipal } from "@/lib/iam/principal";

/** The anonymous caller of a request on `bucket` (none: a service-level request, which nothing can grant). */
export async function anonymousCaller(bucket: string | undefined): Promise<AnonymousPrincipal> {
  const row = bucket ? await db().bucket.findUnique({ where: { name: bucket }, select: { organizationId: true } }) : null;
  return anonymousPrincipal(row?.organizationId ?? "");
}
