// Display formats shared by the S3 pages: sizes as the S3 console shows them,
// times in UTC so the server's and the browser's rendering agree.

const UNITS = ["B", "KB", "MB", "GB", "TB"];

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

export function formatTime(d: Date | string): string {
  const iso = (typeof d === "string" ? new Date(d) : d).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** The link to a bucket page, optionally on a tab or inside a folder. */
export function bucketHref(bucket: string, params: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return `/s3/${encodeURIComponent(bucket)}${s ? `?${s}` : ""}`;
}

/** The folders of a prefix as breadcrumbs: bucket / a/ / b/ */
export function prefixCrumbs(bucket: string, prefix: string, linkLast = false): { label: string; href?: string }[] {
  const parts = prefix.split("/").filter((p, i, all) => p !== "" || i < all.length - 1);
  const crumbs: { label: string; href?: string }[] = [];
  let acc = "";
  for (const part of parts) {
    acc += `${part}/`;
    crumbs.push({ label: `${part}/`, href: acc === prefix && !linkLast ? undefined : bucketHref(bucket, { prefix: acc }) });
  }
  return crumbs;
}

export function objectHref(bucket: string, key: string): string {
  return `/s3/${encodeURIComponent(bucket)}/object?${new URLSearchParams({ key })}`;
}

export function downloadHref(bucket: string, key: string): string {
  return `/s3/${encodeURIComponent(bucket)}/download?${new URLSearchParams({ key })}`;
}
