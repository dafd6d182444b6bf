// S3's REST binding, request side: which bucket and key a request names
// (path-style http://host/bucket/key, or virtual-hosted bucket.localhost /
// bucket.s3.<host>), and which of the model's operations its method, subresource
// query parameters and headers select. Pure.
import { MODELS } from "../models";

export interface S3Target {
  bucket?: string;
  key?: string;
}

const LOCAL_SUFFIXES = [".localhost", ".s3.localhost", ".localhost.localstack.cloud"];

/** The bucket of a virtual-hosted request (bucket.localhost[:port]), if the Host names one. */
export function virtualHostBucket(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const name = host.replace(/:\d+$/, "").toLowerCase();
  for (const suffix of [...LOCAL_SUFFIXES].sort((a, b) => b.length - a.length)) {
    if (name.endsWith(suffix) && name.length > suffix.length) {
      const bucket = name.slice(0, -suffix.length).replace(/\.s3$/, "");
      return bucket && bucket !== "s3" ? bucket : undefined;
    }
  }
  return undefined;
}

function decodePath(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Bucket and key from the Host and the raw (still percent-encoded) path. */
export function resolveTarget(rawPath: string, host: string | undefined): S3Target {
  const vhost = virtualHostBucket(host);
  const path = rawPath.startsWith("/") ? rawPath.slice(1) : rawPath;
  if (vhost) return path === "" ? { bucket: vhost } : { bucket: vhost, key: decodePath(path) };
  if (path === "") return {};
  const slash = path.indexOf("/");
  if (slash < 0) return { bucket: decodePath(path) };
  const key = path.slice(slash + 1);
  return key === "" ? { bucket: decodePath(path.slice(0, slash)) } : { bucket: decodePath(path.slice(0, slash)), key: decodePath(key) };
}

interface Route {
  name: string;
  method: string;
  level: "service" | "bucket" | "object";
  /** The subresource query parameters the route needs (?acl, ?list-type=2). */
  needs: [string, string | undefined][];
}

/** Routes from the model's requestUri, most specific first. */
const ROUTES: Route[] = (() => {
  const routes: Route[] = [];
  for (const [name, op] of Object.entries(MODELS.s3.operations)) {
    const [path, query = ""] = op.http.requestUri.split("?");
    const level = path === "/" ? "service" : path!.includes("{Key+}") ? "object" : path === "/{Bucket}" ? "bucket" : null;
    if (!level) continue; // WriteGetObjectResponse: not an S3 bucket path
    const needs = query
      .split("&")
      .filter(Boolean)
      .map((p): [string, string | undefined] => {
        const eq = p.indexOf("=");
        return eq < 0 ? [p, undefined] : [p.slice(0, eq), p.slice(eq + 1)];
      })
      .filter(([k]) => k !== "x-id");
    routes.push({ name, method: op.http.method, level, needs });
  }
  return routes.sort((a, b) => b.needs.length - a.needs.length);
})();

/** Operations the model lists twice for one route: the one clients use now. */
const PREFERRED: Record<string, string> = {
  GetBucketLifecycle: "GetBucketLifecycleConfiguration",
  PutBucketLifecycle: "PutBucketLifecycleConfiguration",
  GetBucketNotification: "GetBucketNotificationConfiguration",
  PutBucketNotification: "PutBucketNotificationConfiguration",
  ListDirectoryBuckets: "ListBuckets",
};

/** Subresources whose GET lists when no id= is given. */
const LISTED_BY_ID = new Set(["analytics", "inventory", "metrics", "intelligent-tiering"]);

/** What a request without a subresource is, per level and method. */
const BARE: Record<string, string> = {
  "service GET": "ListBuckets",
  "bucket GET": "ListObjects",
  "bucket PUT": "CreateBucket",
  "bucket DELETE": "DeleteBucket",
  "bucket HEAD": "HeadBucket",
  "object GET": "GetObject",
  "object PUT": "PutObject",
  "object DELETE": "DeleteObject",
  "object HEAD": "HeadObject",
};

/**
 * The operation a request selects, or undefined when none matches (S3 answers
 * those MethodNotAllowed). Routes sharing a path are told apart as S3 does:
 * the subresource parameters (the most specific match wins), uploadId and
 * partNumber, x-amz-copy-source, and id= for the configuration lists.
 */
export function selectOperation(method: string, target: S3Target, query: Map<string, string>, headers: Record<string, string[]>): string | undefined {
  const level = target.key !== undefined ? "object" : target.bucket !== undefined ? "bucket" : "service";
  const m = method.toUpperCase();
  const copy = headers["x-amz-copy-source"] !== undefined;
  const best = ROUTES.find((r) => r.level === level && r.method === m && r.needs.length > 0 && r.needs.every(([k, v]) => query.has(k) && (v === undefined || query.get(k) === v)));
  if (best) {
    const sub = best.needs[0]![0];
    if (LISTED_BY_ID.has(sub) && m === "GET") {
      const noun = best.name.replace(/^(Get|List)Bucket/, "").replace(/Configurations?$/, "");
      return query.has("id") ? `GetBucket${noun}Configuration` : `ListBucket${noun}Configurations`;
    }
    return PREFERRED[best.name] ?? best.name;
  }
  if (level === "object") {
    const upload = query.has("uploadId");
    if (m === "PUT" && upload && query.has("partNumber")) return copy ? "UploadPartCopy" : "UploadPart";
    if (m === "GET" && upload) return "ListParts";
    if (m === "DELETE" && upload) return "AbortMultipartUpload";
    if (m === "POST" && upload) return "CompleteMultipartUpload";
    if (m === "PUT" && copy) return "CopyObject";
  }
  return BARE[`${level} ${m}`];
}
