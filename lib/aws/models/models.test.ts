// The committed models are botocore's, compacted: this fails when the installed
// botocore (the AWS CLI's) has moved on. Fix: npx tsx scripts/aws-models.ts
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { botocoreDataDir, MODEL_SERVICES, modelFile, readBotocoreModel, serializeModel } from "./extract";
import { MODELS } from "./index";

const dataDir = botocoreDataDir();

describe("AWS models (lib/aws/models)", () => {
  for (const service of MODEL_SERVICES) {
    it(`${service}.json matches the installed botocore (else: npx tsx scripts/aws-models.ts)`, () => {
      const fresh = serializeModel(readBotocoreModel(dataDir, service));
      expect(fs.readFileSync(modelFile(service), "utf8") === fresh).toBe(true);
    });
  }

  it("has the operation counts the API issue measures against", () => {
    expect(Object.keys(MODELS.iam.operations)).toHaveLength(176);
    expect(Object.keys(MODELS.sts.operations)).toHaveLength(11);
    expect(Object.keys(MODELS.s3.operations)).toHaveLength(111);
  });
});
