// The catalogue against AWS's own API models (botocore's, installed with the
// AWS CLI on every machine): every operation we declare exists in AWS under that
// name, and every input member is AWS's parameter (lower-camel-cased), except
// the console's own extensions listed here.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { allOperations, findOperation } from "./index";

const botocore = execFileSync("python3", ["-c", "import botocore, os; print(os.path.dirname(botocore.__file__))"], { encoding: "utf8" }).trim();

interface Model {
  operations: Record<string, { input?: { shape: string } }>;
  shapes: Record<string, { members?: Record<string, unknown> }>;
}
function model(service: string): Model {
  const dir = path.join(botocore, "data", service);
  const version = fs.readdirSync(dir).sort().at(-1)!;
  return JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(dir, version, "service-2.json.gz"))).toString("utf8"));
}
const MODELS: Record<string, Model> = { iam: model("iam"), sts: model("sts"), s3: model("s3"), ec2: model("ec2"), cloudtrail: model("cloudtrail"), "access-analyzer": model("accessanalyzer") };

/** Members the console adds to AWS's input (sorting, search, totals), or names S3's REST binding spells otherwise. */
const CONSOLE_EXTENSIONS: Record<string, string[]> = {
  ListUsers: ["nameContains", "sortBy", "order", "withTotal"],
  ListGroups: ["nameContains", "order", "withTotal"],
  ListPolicies: ["nameContains", "order", "withTotal"],
};
const S3_BINDING_NAMES = new Set(["body", "configuration", "loggingEnabled", "keys", "quiet", "region", "policy", "metadata", "corsConfiguration", "acl"]);

const lowerFirst = (s: string) => s[0]!.toLowerCase() + s.slice(1);
const inputMembers = (schema: z.ZodType): string[] => {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
};

describe("operation catalogue", () => {
  it("declares only operations AWS has, under AWS's names", () => {
    const unknown = allOperations().filter((op) => !MODELS[op.service]?.operations[op.name]).map((op) => `${op.service}:${op.name}`);
    expect(unknown).toEqual([]);
  });

  it("uses AWS's parameter names for every input member", () => {
    const foreign: string[] = [];
    for (const op of allOperations()) {
      const m = MODELS[op.service]!;
      const shapeName = m.operations[op.name]?.input?.shape;
      const aws = new Set(Object.keys((shapeName && m.shapes[shapeName]?.members) ?? {}).map(lowerFirst));
      // The paginated IAM lists take AWS's Marker/MaxItems; the console's names are cursor/pageSize until the API door maps them.
      const allowed = new Set([...(CONSOLE_EXTENSIONS[op.name] ?? []), "cursor", "pageSize"]);
      for (const member of inputMembers(op.input)) {
        if (aws.has(member) || allowed.has(member) || (op.service === "s3" && S3_BINDING_NAMES.has(member))) continue;
        foreign.push(`${op.name}.${member}`);
      }
    }
    expect(foreign).toEqual([]);
  });

  it("finds an operation by service and name, and nothing else", () => {
    expect(findOperation("iam", "CreateUser")?.name).toBe("CreateUser");
    expect(findOperation("sts", "AssumeRole")?.service).toBe("sts");
    expect(findOperation("iam", "AssumeRole")).toBeUndefined();
    expect(findOperation("iam", "toString")).toBeUndefined();
  });
});
