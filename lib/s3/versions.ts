import "server-only";
// ListObjectVersions (s3:ListBucketVersions). IAM Lab keeps one version of each
// object whatever the bucket's versioning status, so every object is listed as
// S3 lists an object written while the bucket was unversioned: its "null"
// version, the latest, with no delete markers. Pages by key-marker as
// ListObjects pages by marker.
import type { OperationSpec } from "@/lib/iam/operation";
import type { Principal } from "@/lib/iam/principal";
import { onBucket } from "./buckets";
import { listObjectPage } from "./objects";
import { encodeContinuationToken, s3Error } from "./rules";

export interface ListObjectVersionsInput {
  bucket: string;
  prefix?: string;
  delimiter?: string;
  keyMarker?: string;
  versionIdMarker?: string;
  maxKeys?: number;
}

export interface ObjectVersion {
  Key: string;
  VersionId: "null";
  IsLatest: true;
  LastModified: Date;
  ETag: string;
  Size: number;
  StorageClass: string;
}

export interface ListObjectVersionsResult {
  Name: string;
  Prefix: string;
  Delimiter?: string;
  KeyMarker: string;
  VersionIdMarker: string;
  NextKeyMarker?: string;
  NextVersionIdMarker?: string;
  MaxKeys: number;
  IsTruncated: boolean;
  Versions: ObjectVersion[];
  CommonPrefixes: { Prefix: string }[];
}

export function listObjectVersions(principal: Principal, input: ListObjectVersionsInput): OperationSpec<ListObjectVersionsResult> {
  const context: Record<string, string> = { "s3:prefix": input.prefix ?? "" };
  if (input.delimiter) context["s3:delimiter"] = input.delimiter;
  if (input.maxKeys !== undefined) context["s3:max-keys"] = String(input.maxKeys);
  return onBucket(
    principal,
    {
      name: "ListObjectVersions",
      action: "s3:ListBucketVersions",
      readOnly: true,
      bucket: input.bucket,
      context,
      parameters: { bucketName: input.bucket, prefix: input.prefix, delimiter: input.delimiter, "key-marker": input.keyMarker, "version-id-marker": input.versionIdMarker, "max-keys": input.maxKeys },
    },
    async (tx, b) => {
      const marker = input.keyMarker ?? "";
      const versionMarker = input.versionIdMarker ?? "";
      if (versionMarker && !marker) throw s3Error("InvalidArgument", "A version-id marker cannot be specified without a key marker.");
      if (versionMarker && versionMarker !== "null") throw s3Error("InvalidArgument", "Invalid version id specified");
      const delimiter = input.delimiter || undefined;
      const token = marker ? encodeContinuationToken({ after: marker, prefix: Boolean(delimiter && marker.endsWith(delimiter)) }) : undefined;
      const page = await listObjectPage(tx, b.name, { prefix: input.prefix, delimiter: input.delimiter, maxKeys: input.maxKeys, continuationToken: token });
      const last = [...page.Contents.map((c) => c.Key), ...page.CommonPrefixes.map((p) => p.Prefix)].sort().at(-1);
      return {
        Name: page.Name,
        Prefix: page.Prefix,
        ...(page.Delimiter ? { Delimiter: page.Delimiter } : {}),
        KeyMarker: marker,
        VersionIdMarker: versionMarker,
        ...(page.IsTruncated && last ? { NextKeyMarker: last, NextVersionIdMarker: "null" } : {}),
        MaxKeys: page.MaxKeys,
        IsTruncated: page.IsTruncated,
        Versions: page.Contents.map((c) => ({ Key: c.Key, VersionId: "null" as const, IsLatest: true as const, LastModified: c.LastModified, ETag: c.ETag, Size: c.Size, StorageClass: c.StorageClass })),
        CommonPrefixes: page.CommonPrefixes,
      };
    },
    () => null,
  );
}
