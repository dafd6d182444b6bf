// `npm run api:coverage`: per service, which of AWS's operations (botocore's
// models, lib/aws/models) the API door serves, which answer NotImplemented (in
// AWS's error shape), and which are missing (none: every model operation gets
// one of the two). --list prints the names.
import { findOperation } from "../lib/iam/catalogue";
import { MODELS, type ApiService } from "../lib/aws/models";

const list = process.argv.includes("--list");
/** Services whose protocol the door speaks today (S3's REST-XML comes with the S3 door). */
const OPEN: Record<ApiService, boolean> = { iam: true, sts: true, s3: false };

let total = 0;
let served = 0;
for (const service of Object.keys(MODELS) as ApiService[]) {
  const names = Object.keys(MODELS[service].operations).sort();
  const yes = names.filter((n) => OPEN[service] && findOperation(service, n));
  const catalogueOnly = names.filter((n) => !OPEN[service] && findOperation(service, n));
  const notImplemented = names.filter((n) => !yes.includes(n));
  total += names.length;
  served += yes.length;
  const pct = ((100 * yes.length) / names.length).toFixed(0);
  console.log(
    `${service.toUpperCase().padEnd(4)} ${String(yes.length).padStart(3)}/${names.length} served (${pct}%), ${notImplemented.length} NotImplemented, 0 missing` +
      (catalogueOnly.length ? ` (${catalogueOnly.length} in the catalogue for the console; the S3 API door is not open yet)` : ""),
  );
  if (list) {
    console.log(`  served: ${yes.join(", ") || "-"}`);
    console.log(`  NotImplemented: ${notImplemented.join(", ") || "-"}`);
  }
}
console.log(`all  ${served}/${total} served`);
