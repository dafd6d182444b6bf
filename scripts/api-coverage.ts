// `npm run api:coverage`: per service, which of AWS's operations (botocore's
// models, lib/aws/models) the API door serves, which answer NotImplemented (in
// AWS's error shape), and which are missing. An S3 operation is served when the
// door's router reaches it (lib/aws/s3/router.ts) and the catalogue has it;
// the model's deprecated twins (GetBucketLifecycle, ...) reach their current
// operation and are not counted. --list prints the names.
import { findOperation } from "../lib/iam/catalogue";
import { MODELS, type ApiService } from "../lib/aws/models";
import { resolveTarget, selectOperation } from "../lib/aws/s3/router";

const list = process.argv.includes("--list");

/** The operation the S3 door selects for a request shaped like the model's binding of `name`. */
function s3Route(name: string): string | undefined {
  const op = MODELS.s3.operations[name]!;
  const [path, query = ""] = op.http.requestUri.split("?");
  const multipart = name === "UploadPart" || name === "UploadPartCopy" ? "partNumber=1&uploadId=u" : ["ListParts", "AbortMultipartUpload", "CompleteMultipartUpload"].includes(name) ? "uploadId=u" : "";
  const params = new Map(new URLSearchParams([query.replace(/&?x-id=\w+/, ""), multipart].filter(Boolean).join("&")));
  const headers: Record<string, string[]> = name === "CopyObject" || name === "UploadPartCopy" ? { "x-amz-copy-source": ["b/k"] } : {};
  return selectOperation(op.http.method, resolveTarget(path!.replace("{Bucket}", "b").replace("{Key+}", "k"), undefined), params, headers);
}

const servedBy = (service: ApiService, name: string): boolean => {
  if (service !== "s3") return findOperation(service, name) !== undefined;
  const routed = s3Route(name);
  return routed === name && findOperation("s3", name) !== undefined;
};

let total = 0;
let served = 0;
for (const service of Object.keys(MODELS) as ApiService[]) {
  const names = Object.keys(MODELS[service].operations).sort();
  const yes = names.filter((n) => servedBy(service, n));
  const notImplemented = names.filter((n) => !yes.includes(n));
  total += names.length;
  served += yes.length;
  const pct = ((100 * yes.length) / names.length).toFixed(0);
  console.log(`${service.toUpperCase().padEnd(4)} ${String(yes.length).padStart(3)}/${names.length} served (${pct}%), ${notImplemented.length} NotImplemented, 0 missing`);
  if (list) {
    console.log(`  served: ${yes.join(", ") || "-"}`);
    console.log(`  NotImplemented: ${notImplemented.join(", ") || "-"}`);
  }
}
console.log(`all  ${served}/${total} served`);
