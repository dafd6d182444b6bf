// What the API door needs of AWS's own service models, extracted from
// botocore's JSON models (the ones the AWS CLI and boto3 use): operation names,
// their HTTP binding and input/output shapes, without documentation. The
// server reads the compact copies committed beside this file, never Python;
// `npx tsx scripts/aws-models.ts` rewrites them and models.test.ts fails when they
// drift from the installed botocore. Pure: no I/O beyond what the caller reads.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

export const MODEL_SERVICES = ["iam", "sts", "s3"] as const;
export type ModelService = (typeof MODEL_SERVICES)[number];

/** Keys that only document: dropped from the compact copy. */
const DROPPED = new Set(["documentation", "documentationUrl", "examples", "deprecatedMessage", "errors"]);

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!DROPPED.has(k)) out[k] = strip(v);
    return out;
  }
  return value;
}

/** The compact model of one service, from botocore's service-2.json. */
export function compactModel(serviceModel: unknown): unknown {
  return strip(serviceModel);
}

/** botocore's data directory of the machine's Python (the AWS CLI's). */
export function botocoreDataDir(): string {
  const dir = execFileSync("python3", ["-c", "import botocore, os; print(os.path.dirname(botocore.__file__))"], { encoding: "utf8" }).trim();
  return path.join(dir, "data");
}

export function botocoreVersion(): string {
  return execFileSync("python3", ["-c", "import botocore; print(botocore.__version__)"], { encoding: "utf8" }).trim();
}

/** The newest API version of a service's model in botocore, read and compacted. */
export function readBotocoreModel(dataDir: string, service: ModelService): unknown {
  const dir = path.join(dataDir, service);
  const version = fs.readdirSync(dir).sort().at(-1)!;
  const file = path.join(dir, version, "service-2.json.gz");
  return compactModel(JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString("utf8")));
}

export const serializeModel = (model: unknown) => `${JSON.stringify(model)}\n`;
export const modelFile = (service: ModelService) => path.join(import.meta.dirname, `${service}.json`);
